using System.Xml.Linq;

namespace SimSeg.Analysis.Tests.Plots;

/// <summary>Parses chart output and checks what every SVG from the library must satisfy.</summary>
internal static class SvgAssert
{
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>Parses <paramref name="svg"/> (throws when not well-formed) and checks it has no NaN/Infinity and the expected root.</summary>
    public static XDocument Valid(string svg)
    {
        Assert.DoesNotContain("NaN", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("∞", svg, StringComparison.Ordinal);
        var doc = XDocument.Parse(svg);
        Assert.Equal(Svg + "svg", doc.Root!.Name);
        Assert.NotNull(doc.Root.Attribute("viewBox"));
        return doc;
    }

    /// <summary>The groups with a given class token.</summary>
    public static List<XElement> Groups(XDocument doc, string cssClass) =>
        doc.Descendants(Svg + "g").Where(g => ((string?)g.Attribute("class") ?? "").Split(' ').Contains(cssClass)).ToList();

    /// <summary>The text of the tick labels of an axis group ("x-axis", "y-axis", "y2-axis").</summary>
    public static List<string> TickLabels(XDocument doc, string axis) =>
        Groups(doc, axis).Single().Elements(Svg + "text").Select(t => t.Value).ToList();
}
