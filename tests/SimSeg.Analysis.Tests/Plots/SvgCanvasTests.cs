using System.Xml.Linq;
using SimSeg.Analysis.Plots;

namespace SimSeg.Analysis.Tests.Plots;

public class SvgCanvasTests
{
    private static readonly XNamespace Svg = SvgAssert.Svg;

    [Fact]
    public void ToSvg_Shapes_WellFormedWithSizeAndViewBox()
    {
        var canvas = new SvgCanvas(640, 420) { Title = "T", Description = "D" };
        canvas.Rect(1, 2, 3, 4, SvgStyle.Filled("#112233"))
            .Line(0, 0, 10, 10, SvgStyle.Stroked("black", 2) with { Dashes = [4, 2] })
            .Polyline([new SvgPoint(0, 0), new SvgPoint(5, 5)], SvgStyle.Stroked("red"))
            .Path(new SvgPath().MoveTo(0, 0).LineTo(1, 1).Close(), SvgStyle.Filled("blue", 0.5))
            .Circle(5, 5, 2, SvgStyle.Filled("green"), tooltip: "dot");
        using (canvas.Group("g1", "group"))
            canvas.Text(10, 10, "hello", new TextStyle { Anchor = TextAnchor.Middle, Rotation = -90 });

        XDocument doc = SvgAssert.Valid(canvas.ToSvg());

        XElement root = doc.Root!;
        Assert.Equal("640", (string?)root.Attribute("width"));
        Assert.Equal("420", (string?)root.Attribute("height"));
        Assert.Equal("0 0 640 420", (string?)root.Attribute("viewBox"));
        Assert.Equal("T", root.Element(Svg + "title")!.Value);
        Assert.Equal("D", root.Element(Svg + "desc")!.Value);
        Assert.Single(doc.Descendants(Svg + "rect"));
        Assert.Single(doc.Descendants(Svg + "line"));
        Assert.Equal("4 2", (string?)doc.Descendants(Svg + "line").Single().Attribute("stroke-dasharray"));
        Assert.Equal("M0,0 L1,1 Z", (string?)doc.Descendants(Svg + "path").Single().Attribute("d"));
        Assert.Equal("dot", doc.Descendants(Svg + "circle").Single().Element(Svg + "title")!.Value);
        XElement text = doc.Descendants(Svg + "g").Single().Element(Svg + "text")!;
        Assert.Equal("rotate(-90 10 10)", (string?)text.Attribute("transform"));
        Assert.Equal("middle", (string?)text.Attribute("text-anchor"));
    }

    [Fact]
    public void Text_MarkupCharacters_AreEscapedAndRoundTrip()
    {
        const string nasty = "a < b && c > \"d\" 'e' </text><script>";
        var canvas = new SvgCanvas(100, 100) { Title = nasty };
        canvas.Text(0, 0, nasty, new TextStyle());
        using (canvas.Group(cssClass: "x\" onload=\"evil", title: nasty)) { }
        string svg = canvas.ToSvg();

        XDocument doc = SvgAssert.Valid(svg);

        Assert.Equal(nasty, doc.Descendants(Svg + "text").Single().Value);
        Assert.Equal(nasty, doc.Root!.Element(Svg + "title")!.Value);
        Assert.Equal("x\" onload=\"evil", (string?)doc.Descendants(Svg + "g").Single().Attribute("class"));
        Assert.DoesNotContain("<script>", svg);
    }

    [Fact]
    public void Text_ControlCharacters_AreReplacedSoTheXmlStaysValid()
    {
        var canvas = new SvgCanvas(100, 100);
        canvas.Text(0, 0, "bell\u0007 and lone \uD800 surrogate, emoji 🔬", new TextStyle());

        XDocument doc = SvgAssert.Valid(canvas.ToSvg());

        Assert.Equal("bell\uFFFD and lone \uFFFD surrogate, emoji 🔬", doc.Descendants(Svg + "text").Single().Value);
    }

    [Fact]
    public void Text_SeveralLines_BecomeTspans()
    {
        var canvas = new SvgCanvas(100, 100);
        canvas.Text(5, 5, "one\ntwo", new TextStyle { Baseline = TextBaseline.Top });

        XDocument doc = SvgAssert.Valid(canvas.ToSvg());

        Assert.Equal(["one", "two"], doc.Descendants(Svg + "tspan").Select(t => t.Value));
    }

    [Theory]
    [InlineData(1.0 / 3, "0.33")]
    [InlineData(2.005, "2.01")]
    [InlineData(-0.001, "0")]
    [InlineData(1e6, "1000000")]
    [InlineData(-12.5, "-12.5")]
    public void Number_AnyValue_InvariantTwoDecimals(double value, string expected)
    {
        Assert.Equal(expected, SvgCanvas.Number(value));
    }

    [Fact]
    public void Rect_NaNCoordinate_ThrowsInsteadOfWritingNaN()
    {
        var canvas = new SvgCanvas(100, 100);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => canvas.Rect(double.NaN, 0, 1, 1, SvgStyle.Filled("red")));
        Assert.Equal("x", e.ParamName);
    }

    [Fact]
    public void ToSvg_GroupLeftOpen_Throws()
    {
        var canvas = new SvgCanvas(100, 100);
        canvas.Group();

        Assert.Throws<InvalidOperationException>(canvas.ToSvg);
    }

    [Fact]
    public void Save_WritesUtf8WithoutBom()
    {
        string path = Path.Combine(Path.GetTempPath(), $"simseg-canvas-{Guid.NewGuid():N}.svg");
        try
        {
            var canvas = new SvgCanvas(100, 100);
            canvas.Text(0, 0, "µm", new TextStyle());
            canvas.Save(path);

            byte[] bytes = File.ReadAllBytes(path);
            Assert.Equal((byte)'<', bytes[0]);
            SvgAssert.Valid(File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
