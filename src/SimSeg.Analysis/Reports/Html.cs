using System.Globalization;
using System.Text;

namespace SimSeg.Analysis.Reports;

/// <summary>
/// A piece of HTML markup. Builders take plain <see cref="string"/>s as text (and escape them) and
/// <see cref="HtmlFragment"/>s as markup, so text can never turn into markup by accident. Make one with the
/// functions of <see cref="Html"/>.
/// </summary>
/// <param name="Markup">The HTML as written.</param>
public readonly record struct HtmlFragment(string Markup)
{
    /// <summary>No markup.</summary>
    public static HtmlFragment Empty => new("");

    /// <summary>The markup, or "" for a default instance.</summary>
    public override string ToString() => Markup ?? "";
}

/// <summary>
/// Small functions that write HTML safely for self-contained reports: text escaping, elements, images inlined as
/// <c>data:image/png;base64</c> URIs and SVG documents inlined as <c>&lt;svg&gt;</c> elements. The output never
/// refers to an external resource.
/// </summary>
public static class Html
{
    /// <summary>
    /// Escapes text for HTML content and for double- or single-quoted attribute values: &amp;, &lt;, &gt;, " and '
    /// become entities; every other character (µ, ², –) is kept as is (reports are UTF-8).
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Text as markup (escaped).</summary>
    public static HtmlFragment Text(string? text) => new(Escape(text));

    /// <summary>Markup written by the caller, taken as is: use only for markup the program itself produced.</summary>
    public static HtmlFragment Raw(string markup)
    {
        ArgumentNullException.ThrowIfNull(markup);
        return new HtmlFragment(markup);
    }

    /// <summary>Fragments one after the other.</summary>
    public static HtmlFragment Concat(IEnumerable<HtmlFragment> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return new HtmlFragment(string.Concat(parts.Select(p => p.Markup ?? "")));
    }

    /// <summary>
    /// <c>&lt;tag attributes&gt;content&lt;/tag&gt;</c>. Attribute values are escaped; an attribute whose value is null
    /// is left out.
    /// </summary>
    /// <param name="tag">A lower-case tag name of letters and digits (p, h2, figure, …).</param>
    /// <param name="content">The element's content.</param>
    /// <param name="attributes">Name and value pairs; names are letters, digits and hyphens.</param>
    /// <exception cref="ArgumentException">The tag or an attribute name is not a plain name.</exception>
    public static HtmlFragment Element(string tag, HtmlFragment content, params (string Name, string? Value)[] attributes)
    {
        CheckName(tag, nameof(tag));
        var sb = new StringBuilder();
        sb.Append('<').Append(tag);
        AppendAttributes(sb, attributes);
        sb.Append('>').Append(content.Markup).Append("</").Append(tag).Append('>');
        return new HtmlFragment(sb.ToString());
    }

    /// <summary>An element holding escaped text: <c>Element(tag, Text(text), attributes)</c>.</summary>
    public static HtmlFragment Element(string tag, string? text, params (string Name, string? Value)[] attributes) =>
        Element(tag, Text(text), attributes);

    /// <summary>
    /// An <c>&lt;img&gt;</c> whose source is the PNG itself, base64-encoded in a data URI, so the page needs no other
    /// file. Width and height (pixels) are written so that the layout does not jump while the page loads.
    /// </summary>
    /// <param name="png">A complete PNG file.</param>
    /// <param name="width">Displayed width, pixels (≥ 1).</param>
    /// <param name="height">Displayed height, pixels (≥ 1).</param>
    /// <param name="alt">Text alternative for screen readers and when images are off.</param>
    /// <param name="cssClass">A class attribute, or null.</param>
    /// <exception cref="ArgumentException">The bytes do not start with the PNG signature, or a size is below 1.</exception>
    public static HtmlFragment PngImage(ReadOnlySpan<byte> png, int width, int height, string alt, string? cssClass = null)
    {
        ReadOnlySpan<byte> signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        if (!png.StartsWith(signature)) throw new ArgumentException("png must be a PNG file (it does not start with the PNG signature).", nameof(png));
        if (width < 1 || height < 1) throw new ArgumentException($"width and height must be at least 1 pixel, got {width} x {height}.", nameof(width));
        ArgumentNullException.ThrowIfNull(alt);
        var sb = new StringBuilder(png.Length * 4 / 3 + 128);
        sb.Append("<img src=\"data:image/png;base64,").Append(Convert.ToBase64String(png)).Append('"');
        AppendAttributes(sb, [
            ("width", width.ToString(CultureInfo.InvariantCulture)),
            ("height", height.ToString(CultureInfo.InvariantCulture)),
            ("alt", alt),
            ("class", cssClass),
        ]);
        sb.Append('>');
        return new HtmlFragment(sb.ToString());
    }

    /// <summary>
    /// An SVG document (as the charts of <see cref="Plots.Plot"/> write them) inlined as an <c>&lt;svg&gt;</c>
    /// element: the XML declaration and comments before the root are dropped. SVG with scripts, event handlers,
    /// embedded HTML or references to other files is refused, so the page stays inert and self-contained.
    /// </summary>
    /// <exception cref="ArgumentException">The text is not an SVG document, or holds something refused.</exception>
    public static HtmlFragment Svg(string svg)
    {
        ArgumentNullException.ThrowIfNull(svg);
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);
        if (start < 0 || svg.AsSpan(0, start).Trim().Length > 0 && !OnlyPrologue(svg.AsSpan(0, start)))
            throw new ArgumentException("svg must be an SVG document: an optional XML declaration and comments, then the <svg> element.", nameof(svg));
        string body = svg[start..].TrimEnd();
        if (!body.EndsWith("</svg>", StringComparison.Ordinal)) throw new ArgumentException("svg must end with </svg>.", nameof(svg));
        foreach (string refused in new[] { "<script", "<foreignObject", "javascript:", " onload=", " onclick=", " onerror=", "xlink:href=\"http", "href=\"http", "<image" })
            if (body.Contains(refused, StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"svg holds '{refused.Trim()}', which a self-contained report does not allow.", nameof(svg));
        return new HtmlFragment(body);
    }

    /// <summary>A CSS colour #rrggbb of an RGB triple.</summary>
    public static string CssColor(ReadOnlySpan<byte> rgb)
    {
        if (rgb.Length != 3) throw new ArgumentException($"rgb must hold 3 bytes, got {rgb.Length}.", nameof(rgb));
        return string.Create(CultureInfo.InvariantCulture, $"#{rgb[0]:x2}{rgb[1]:x2}{rgb[2]:x2}");
    }

    private static bool OnlyPrologue(ReadOnlySpan<char> text)
    {
        // An XML declaration and comments, and nothing else.
        string rest = text.ToString().Trim();
        while (rest.Length > 0)
        {
            if (rest.StartsWith("<?xml", StringComparison.Ordinal))
            {
                int end = rest.IndexOf("?>", StringComparison.Ordinal);
                if (end < 0) return false;
                rest = rest[(end + 2)..].TrimStart();
            }
            else if (rest.StartsWith("<!--", StringComparison.Ordinal))
            {
                int end = rest.IndexOf("-->", StringComparison.Ordinal);
                if (end < 0) return false;
                rest = rest[(end + 3)..].TrimStart();
            }
            else return false;
        }
        return true;
    }

    private static void AppendAttributes(StringBuilder sb, (string Name, string? Value)[] attributes)
    {
        foreach (var (name, value) in attributes)
        {
            CheckName(name, nameof(attributes));
            if (value is null) continue;
            sb.Append(' ').Append(name).Append("=\"").Append(Escape(value)).Append('"');
        }
    }

    private static void CheckName(string name, string parameter)
    {
        if (string.IsNullOrEmpty(name) || !char.IsAsciiLetter(name[0]) || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-')))
            throw new ArgumentException($"'{name}' is not a plain HTML name (letters, digits and hyphens, starting with a letter).", parameter);
    }
}
