using SimSeg.Analysis.Plots;
using SimSeg.Analysis.Reports;

namespace SimSeg.Analysis.Tests.Reports;

public class HtmlTests
{
    private static byte[] TinyPng() => ReportImages.Png([0, 128, 255, 0, 128, 255], 2, 1, 3);

    [Fact]
    public void Escape_MarkupCharacters_BecomeEntities()
    {
        Assert.Equal("&lt;b class=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/b&gt;", Html.Escape("<b class=\"x\">Tom & Jerry's</b>"));
    }

    [Fact]
    public void Escape_UnicodeAndPlainText_AreKept()
    {
        Assert.Equal("Area (µm²) – 0.5 nm", Html.Escape("Area (µm²) – 0.5 nm"));
        Assert.Equal("", Html.Escape(null));
        Assert.Equal("", Html.Escape(""));
    }

    [Fact]
    public void Element_TextAndAttributes_AreEscapedAndNullAttributesLeftOut()
    {
        var p = Html.Element("p", "a < b", ("class", "note \"x\""), ("id", null));
        Assert.Equal("<p class=\"note &quot;x&quot;\">a &lt; b</p>", p.Markup);
    }

    [Theory]
    [InlineData("p onclick")]
    [InlineData("")]
    [InlineData("1p")]
    [InlineData("p>")]
    public void Element_NotAPlainTagName_Throws(string tag)
    {
        Assert.Throws<ArgumentException>(() => Html.Element(tag, "text"));
    }

    [Fact]
    public void Element_AttributeNameWithMarkup_Throws()
    {
        Assert.Throws<ArgumentException>(() => Html.Element("p", "text", ("onclick=\"x\"", "y")));
    }

    [Fact]
    public void PngImage_Png_WritesBase64DataUriTag()
    {
        byte[] png = TinyPng();
        string tag = Html.PngImage(png, 2, 1, "a \"tiny\" <picture>", "pixelated").Markup;
        string expected = "<img src=\"data:image/png;base64," + Convert.ToBase64String(png) +
            "\" width=\"2\" height=\"1\" alt=\"a &quot;tiny&quot; &lt;picture&gt;\" class=\"pixelated\">";
        Assert.Equal(expected, tag);
        Assert.StartsWith("<img src=\"data:image/png;base64,iVBORw0KGgo", tag); // the PNG signature, base64-encoded
        string base64 = tag["<img src=\"data:image/png;base64,".Length..tag.IndexOf('"', 33)];
        Assert.Equal(png, Convert.FromBase64String(base64));
    }

    [Fact]
    public void PngImage_NotAPng_Throws()
    {
        Assert.Throws<ArgumentException>(() => Html.PngImage("GIF89a"u8, 1, 1, "x"));
        Assert.Throws<ArgumentException>(() => Html.PngImage(TinyPng(), 0, 1, "x"));
    }

    [Fact]
    public void Svg_ChartDocument_IsInlinedWithoutXmlDeclaration()
    {
        string chart = Plot.Bar(["dot", "rod"], [new BarSeries("U-Net", [3, 4])], "Objects <per> class", "Objects");
        Assert.StartsWith("<?xml", chart);
        string inline = Html.Svg(chart).Markup;
        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", inline);
        Assert.EndsWith("</svg>", inline);
        Assert.DoesNotContain("<?xml", inline);
        Assert.Contains("Objects &lt;per&gt; class", inline);
    }

    [Theory]
    [InlineData("<svg><script>alert(1)</script></svg>")]
    [InlineData("<svg><rect onload=\"x()\"/></svg>")]
    [InlineData("<svg><image href=\"http://example.org/a.png\"/></svg>")]
    [InlineData("<svg><foreignObject><p>x</p></foreignObject></svg>")]
    [InlineData("<p>not svg</p>")]
    [InlineData("<html><svg></svg></html>")]
    [InlineData("<svg>")]
    public void Svg_ScriptsLinksOrNotSvg_Throws(string svg)
    {
        Assert.Throws<ArgumentException>(() => Html.Svg(svg));
    }

    [Fact]
    public void Svg_CommentBeforeRoot_IsDropped()
    {
        Assert.Equal("<svg></svg>", Html.Svg("<?xml version=\"1.0\"?>\n<!-- made by a test -->\n<svg></svg>\n").Markup);
    }

    [Fact]
    public void CssColor_Rgb_IsHexTriplet()
    {
        Assert.Equal("#0072b2", Html.CssColor([0, 114, 178]));
        Assert.Throws<ArgumentException>(() => Html.CssColor([1, 2]));
    }
}

public class HtmlTableTests
{
    [Fact]
    public void ToHtml_Table_GoldenLayout()
    {
        var table = new HtmlTable
        {
            Columns = ["Method", "mIoU <all>"],
            Rows = [["U-Net", new HtmlCell("0.912", Bold: true)], ["Otsu & co", "0.846"]],
            Caption = "Scores",
            NumericColumns = new HashSet<int> { 1 },
        };
        const string expected =
            "<table>\n" +
            "<caption>Scores</caption>\n" +
            "<thead><tr><th scope=\"col\">Method</th><th scope=\"col\" class=\"num\">mIoU &lt;all&gt;</th></tr></thead>\n" +
            "<tbody>\n" +
            "<tr><th scope=\"row\">U-Net</th><td class=\"num\"><strong>0.912</strong></td></tr>\n" +
            "<tr><th scope=\"row\">Otsu &amp; co</th><td class=\"num\">0.846</td></tr>\n" +
            "</tbody>\n" +
            "</table>";
        Assert.Equal(expected, table.ToHtml().Markup);
    }

    [Fact]
    public void ToHtml_MarkupCell_WrittenAsIs()
    {
        var table = new HtmlTable { Columns = ["image", "picture"], Rows = [["a & b", HtmlCell.Of(Html.Element("code", "x < y"))]] };
        Assert.Contains("<tr><th scope=\"row\">a &amp; b</th><td><code>x &lt; y</code></td></tr>", table.ToHtml().Markup);
    }

    [Fact]
    public void ToHtml_NoRowHeaders_WritesDataCells()
    {
        var table = new HtmlTable { Columns = ["a"], Rows = [["1"]], RowHeaders = false };
        Assert.Contains("<tr><td>1</td></tr>", table.ToHtml().Markup);
    }

    [Fact]
    public void ToHtml_RowWithWrongCellCount_Throws()
    {
        var table = new HtmlTable { Columns = ["a", "b"], Rows = [["1"]] };
        Assert.Throws<ArgumentException>(() => table.ToHtml());
    }

    [Fact]
    public void WithBestInBold_BestOfEachColumn_IsBoldIncludingTies()
    {
        var table = HtmlTable.WithBestInBold(["Method", "mIoU", "Errors", "Time"], ["A", "B", "C"],
            [[0.9, 3, 1.5], [0.9004, 1, 0.2], [double.NaN, 1, 9]], lowerIsBetter: [false, true, true], boldColumns: [true, true, false],
            formats: ["0.000", "0", "0.0"]);
        var bold = table.Rows.Select(r => r.Skip(1).Select(c => c.Bold).ToArray()).ToArray();
        Assert.Equal([true, false, false], bold[0]);  // 0.900 ties 0.900 (as written)
        Assert.Equal([true, true, false], bold[1]);   // fewest errors; time not marked
        Assert.Equal([false, true, false], bold[2]);  // NaN is never best
        Assert.Equal("–", table.Rows[2][1].Text);
        Assert.Equal("0.2", table.Rows[1][3].Text);
        Assert.Equal(new HashSet<int> { 1, 2, 3 }, table.NumericColumns);
    }

    [Fact]
    public void WithBestInBold_SizesDisagree_Throws()
    {
        Assert.Throws<ArgumentException>(() => HtmlTable.WithBestInBold(["Method", "mIoU"], ["A", "B"], [[0.5]]));
        Assert.Throws<ArgumentException>(() => HtmlTable.WithBestInBold(["Method", "mIoU"], ["A"], [[0.5, 0.6]]));
        Assert.Throws<ArgumentException>(() => HtmlTable.WithBestInBold(["Method"], ["A"], [[]]));
    }
}

public class HtmlReportTests
{
    [Fact]
    public void ToHtml_Report_IsOneSelfContainedDocument()
    {
        var report = new HtmlReport("Cells & <vesicles>");
        report.Paragraph("Summary: mIoU 0.91 > 0.85", "summary")
            .Section("Images")
            .Figures([new HtmlFigure(Html.PngImage(ReportImages.Png([10, 20, 30, 40], 2, 2, 1), 2, 2, "gray"), "A 2 × 2 picture")], wide: true)
            .Legend([("true positive", [0, 114, 178])])
            .Section("Chart", 3)
            .Figures([new HtmlFigure(Html.Svg(Plot.Bar(["dot"], [new BarSeries("a", [1])], "t", "n")), null)])
            .Figure(new HtmlFigure(Html.Svg("<svg width=\"2\"></svg>"), "Alone & wide"))
            .Table(new HtmlTable { Columns = ["a"], Rows = [["1"]] }, scroll: true)
            .Preformatted("simseg demo --out 'a b'")
            .List([Html.Text("x < y")]);
        string html = report.ToHtml();
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">", html);
        Assert.Contains("<title>Cells &amp; &lt;vesicles&gt;</title>", html);
        Assert.Contains("<h1>Cells &amp; &lt;vesicles&gt;</h1>", html);
        Assert.Contains("<style>", html);
        Assert.Contains("@media print", html);
        Assert.Contains("<p class=\"summary\">Summary: mIoU 0.91 &gt; 0.85</p>", html);
        Assert.Contains("<h2>Images</h2>", html);
        Assert.Contains("<h3>Chart</h3>", html);
        Assert.Contains("<div class=\"grid wide\"><figure><img src=\"data:image/png;base64,", html);
        Assert.Contains("<figcaption>A 2 × 2 picture</figcaption></figure></div>", html);
        Assert.Contains("<ul class=\"legend\"><li><span class=\"swatch\" style=\"background:#0072b2\"></span>true positive</li></ul>", html);
        Assert.Contains("<figure><svg ", html);
        Assert.Contains("\n<figure><svg width=\"2\"></svg><figcaption>Alone &amp; wide</figcaption></figure>\n", html);
        Assert.Contains("\n<div class=\"scroll\"><table>\n", html);
        Assert.Contains("<pre>simseg demo --out &#39;a b&#39;</pre>", html);
        Assert.Contains("<ul><li>x &lt; y</li></ul>", html);
        Assert.EndsWith("</main>\n</body>\n</html>\n", html);
        // Nothing outside the file: no scripts, links, external sources or fonts.
        foreach (string forbidden in new[] { "<script", "<link", "src=\"http", "href=", "@import", "@font-face", "url(" })
            Assert.DoesNotContain(forbidden, html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Section_LevelOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HtmlReport("t").Section("h", 1));
    }

    [Fact]
    public void Save_WritesUtf8WithoutBom()
    {
        string path = Path.Combine(Path.GetTempPath(), "simseg-report-" + Guid.NewGuid().ToString("N") + ".html");
        try
        {
            new HtmlReport("µm²").Save(path);
            byte[] bytes = File.ReadAllBytes(path);
            Assert.Equal((byte)'<', bytes[0]);
            Assert.Contains("<h1>µm²</h1>", System.Text.Encoding.UTF8.GetString(bytes));
        }
        finally
        {
            File.Delete(path);
        }
    }
}

public class ReportImagesTests
{
    [Fact]
    public void Png_Pixels_StartsWithSignature()
    {
        byte[] png = ReportImages.Png(new byte[12], 2, 2, 3);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Throws<ArgumentException>(() => ReportImages.Png(new byte[8], 2, 2, 2));
    }

    [Fact]
    public void Downscale_BlocksAreAveragedAndEdgesCut()
    {
        // 3 x 2 gray: blocks of 2 give 2 x 1: mean(0, 10, 20, 30) = 15 and mean(100, 200) = 150.
        byte[] gray = [0, 10, 100, 20, 30, 200];
        var (pixels, w, h) = ReportImages.Downscale(gray, 3, 2, 1, 2);
        Assert.Equal((2, 1), (w, h));
        Assert.Equal(new byte[] { 15, 150 }, pixels);
        Assert.Equal(gray, ReportImages.Downscale(gray, 3, 2, 1, 1).Pixels);
    }

    [Theory]
    [InlineData(1024, 1024, 512, 2)]
    [InlineData(1000, 300, 512, 2)]
    [InlineData(256, 256, 512, 1)]
    [InlineData(1537, 10, 512, 4)]
    public void FactorToFit_LongerSide_FitsMaxSide(int width, int height, int maxSide, int expected)
    {
        Assert.Equal(expected, ReportImages.FactorToFit(width, height, maxSide));
    }

    [Fact]
    public void Paint_Labels_BlendPaletteOverGray()
    {
        byte[] rgb = ReportImages.Paint([100, 100, 100], [0, 1, 5], [[200, 0, 0], [0, 0, 200]], alpha: 0.5);
        Assert.Equal(new byte[] { 100, 100, 100, 150, 50, 50, 50, 50, 150 }, rgb); // label 5 takes the last colour
        Assert.Throws<ArgumentException>(() => ReportImages.Paint([1], [1, 1], [[0, 0, 0]]));
        Assert.Throws<ArgumentException>(() => ReportImages.Paint([1], [1], []));
    }

    [Fact]
    public void Crop_Block_IsCopiedAndOutsideThrows()
    {
        byte[] gray = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        Assert.Equal(new byte[] { 5, 6, 8, 9 }, ReportImages.Crop(gray, 3, 3, 1, 1, 1, 2, 2));
        Assert.Throws<ArgumentException>(() => ReportImages.Crop(gray, 3, 3, 1, 2, 2, 2, 2));
    }
}
