using System.Globalization;
using System.Xml.Linq;
using SimSeg.Analysis.Plots;

namespace SimSeg.Analysis.Tests.Plots;

public class PlotTests
{
    private static readonly XNamespace Svg = SvgAssert.Svg;

    private static double[] Numbers(IEnumerable<string> labels) =>
        labels.Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public void Bar_ThreeSeriesFourCategories_TwelveBarsLegendAndErrorBars()
    {
        XDocument doc = SvgAssert.Valid(Examples.Bar());

        var series = SvgAssert.Groups(doc, "bars");
        Assert.Equal(3, series.Count);
        Assert.All(series, g => Assert.Equal(4, g.Elements(Svg + "rect").Count()));
        Assert.All(series, g => Assert.Equal(4, g.Elements(Svg + "path").Count())); // one error bar per bar
        Assert.Equal(["Control", "CCCP 10 µM", "Oligomycin"], series.Select(g => g.Element(Svg + "title")!.Value));
        var legend = SvgAssert.Groups(doc, "legend").Single();
        Assert.Equal(["Control", "CCCP 10 µM", "Oligomycin"], legend.Elements(Svg + "text").Select(t => t.Value));
        Assert.Contains("Branched <2>", SvgAssert.TickLabels(doc, "x-axis"));
    }

    [Fact]
    public void Bar_ValueTicks_AreNiceAndCoverZeroToValuePlusError()
    {
        XDocument doc = SvgAssert.Valid(Examples.Bar());

        double[] ticks = Numbers(SvgAssert.TickLabels(doc, "y-axis"));
        Assert.Equal(0, ticks[0]);
        Assert.True(ticks[^1] >= 0.52 + 0.05);
    }

    [Fact]
    public void Bar_MissingValues_SkippedWithoutNaN()
    {
        string svg = Plot.Bar(["a", "b", "c"],
            [new BarSeries("s", [1, double.NaN, double.PositiveInfinity], [double.NaN, 0.5, 0.1])], "t", "y");

        XDocument doc = SvgAssert.Valid(svg);

        Assert.Single(SvgAssert.Groups(doc, "bars").Single().Elements(Svg + "rect"));
    }

    [Fact]
    public void Bar_AllMissing_SaysNoData()
    {
        XDocument doc = SvgAssert.Valid(Plot.Bar(["a"], [new BarSeries("s", [double.NaN])], "", ""));

        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "No data");
    }

    [Fact]
    public void Bar_NegativeValues_AxisCoversThem()
    {
        XDocument doc = SvgAssert.Valid(Plot.Bar(["a", "b"], [new BarSeries("change", [-3.2, 1.5])], "", "Δ"));

        double[] ticks = Numbers(SvgAssert.TickLabels(doc, "y-axis"));
        Assert.True(ticks[0] <= -3.2 && ticks[^1] >= 1.5);
    }

    [Fact]
    public void Bar_WrongValueCount_ThrowsNamingSeries()
    {
        var e = Assert.Throws<ArgumentException>(() => Plot.Bar(["a", "b"], [new BarSeries("s", [1.0])], "", ""));

        Assert.Equal("series", e.ParamName);
        Assert.Contains("series[0].Values", e.Message);
    }

    [Fact]
    public void Bar_NegativeError_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Plot.Bar(["a"], [new BarSeries("s", [1.0], [-1.0])], "", ""));

        Assert.Contains("series[0].Errors[0]", e.Message);
    }

    [Fact]
    public void Bar_NoCategories_ThrowsNamingCategories()
    {
        var e = Assert.Throws<ArgumentException>(() => Plot.Bar([], [new BarSeries("s", [])], "", ""));

        Assert.Equal("categories", e.ParamName);
    }

    [Fact]
    public void Violin_FiveGroups_OutlinesForSpreadGroupsDotsForDegenerate()
    {
        XDocument doc = SvgAssert.Valid(Examples.Violin());

        var violins = SvgAssert.Groups(doc, "violin");
        Assert.Equal(5, violins.Count);
        // Control and CCCP: outline + quartile bar, median dot.
        Assert.All(violins.Take(2), g => Assert.Equal(2, g.Elements(Svg + "path").Count()));
        Assert.All(violins.Take(2), g => Assert.Single(g.Elements(Svg + "circle")));
        // One value: a dot. Identical values: a line and a dot. Empty: nothing.
        Assert.Empty(violins[2].Elements(Svg + "path"));
        Assert.Single(violins[2].Elements(Svg + "circle"));
        Assert.Single(violins[3].Elements(Svg + "path"));
        Assert.Single(violins[3].Elements(Svg + "circle"));
        Assert.DoesNotContain(violins[4].Elements(), e => e.Name != Svg + "title");
        var labels = SvgAssert.TickLabels(doc, "x-axis");
        Assert.Equal(["Controln = 120", "CCCPn = 120", "One celln = 1", "Saturatedn = 3", "Emptyn = 0"], labels);
    }

    [Fact]
    public void Violin_NaNAndInfinity_SkippedAndNotCounted()
    {
        XDocument doc = SvgAssert.Valid(Plot.Violin([new NamedValues("g", [1, 2, double.NaN, 3, double.NegativeInfinity])], "", ""));

        Assert.Equal("gn = 3", SvgAssert.TickLabels(doc, "x-axis").Single());
    }

    [Fact]
    public void Violin_OnlyEmptyGroups_SaysNoData()
    {
        XDocument doc = SvgAssert.Valid(Plot.Violin([new NamedValues("a", []), new NamedValues("b", [double.NaN])], "", ""));

        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "No data");
    }

    [Fact]
    public void Histogram_Overlaid_OnePathPerSeriesTicksCoverTheData()
    {
        XDocument doc = SvgAssert.Valid(Examples.Histogram());

        var series = SvgAssert.Groups(doc, "histogram");
        Assert.Equal(2, series.Count);
        Assert.All(series, g => Assert.Single(g.Elements(Svg + "path")));
        double[] yTicks = Numbers(SvgAssert.TickLabels(doc, "y-axis"));
        Assert.Equal(0, yTicks[0]);
        Assert.All(yTicks, t => Assert.Equal(Math.Round(t), t)); // counts: whole-number ticks
    }

    [Fact]
    public void Histogram_SideBySide_OneRectPerNonEmptyBin()
    {
        string svg = Plot.Histogram([new NamedValues("a", [0.1, 0.2, 0.9]), new NamedValues("b", [0.5])], "", "x", "n",
            new HistogramOptions { BinWidth = 0.25, Layout = HistogramLayout.SideBySide });

        XDocument doc = SvgAssert.Valid(svg);

        var series = SvgAssert.Groups(doc, "histogram");
        Assert.Equal(2, series[0].Elements(Svg + "rect").Count()); // 0.1 and 0.2 share [0, 0.25); 0.9 in [0.75, 1)
        Assert.Single(series[1].Elements(Svg + "rect"));
    }

    [Fact]
    public void HistogramEdges_BinWidth_EdgesOnMultiplesAndCoverTheData()
    {
        double[] edges = HistogramChart.Edges([0.13, 0.9, 1.0], new HistogramOptions { BinWidth = 0.25 });

        Assert.Equal(0, edges[0]);
        Assert.True(edges[^1] >= 1.0);
        Assert.Equal(0.25, edges[1] - edges[0], 12);
    }

    [Fact]
    public void HistogramEdges_BinCount_NumpyConvention()
    {
        Assert.Equal([1, 2, 3], HistogramChart.Edges([1, 3, 2], new HistogramOptions { Bins = 2 }));
        Assert.Equal([4.5, 5.5], HistogramChart.Edges([5, 5], new HistogramOptions { Bins = 1 }));
    }

    [Fact]
    public void Histogram_Density_BarAreasSumToOne()
    {
        double[] values = [0.1, 0.2, 0.3, 0.7, 1.4, 1.5];
        var options = new HistogramOptions { BinWidth = 0.5, Density = true, Layout = HistogramLayout.SideBySide };
        XDocument doc = SvgAssert.Valid(Plot.Histogram([new NamedValues("a", values)], "", "", "", options));

        double[] heights = SvgAssert.Groups(doc, "histogram").Single().Elements(Svg + "rect")
            .Select(r => double.Parse(r.Element(Svg + "title")!.Value.Split(": ")[^1], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(1.0, heights.Sum() * 0.5, 9);
    }

    [Fact]
    public void Histogram_BinsAndBinWidth_ThrowsNamingOptions()
    {
        var e = Assert.Throws<ArgumentException>(() => Plot.Histogram([new NamedValues("a", [1.0])], "", "", "",
            new HistogramOptions { Bins = 3, BinWidth = 1 }));

        Assert.Equal("options", e.ParamName);
    }

    [Fact]
    public void Histogram_TinyBinWidth_ThrowsInsteadOfMillionsOfBins()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Plot.Histogram([new NamedValues("a", [0.0, 1000])], "", "", "",
            new HistogramOptions { BinWidth = 1e-6 }));
    }

    [Fact]
    public void Histogram_EmptyAndNaNSeries_NoNaNInOutput()
    {
        SvgAssert.Valid(Plot.Histogram([new NamedValues("a", []), new NamedValues("b", [double.NaN, double.PositiveInfinity])], "", "", ""));
    }

    [Fact]
    public void Line_SecondaryAxis_RightAxisDashedSeriesAndLegend()
    {
        XDocument doc = SvgAssert.Valid(Examples.Line());

        var series = SvgAssert.Groups(doc, "line");
        Assert.Equal(3, series.Count);
        Assert.All(series, g => Assert.Single(g.Elements(Svg + "path")));
        Assert.Equal("6 3", (string?)series[2].Element(Svg + "path")!.Attribute("stroke-dasharray"));
        Assert.Single(SvgAssert.Groups(doc, "y2-axis"));
        Assert.Contains("mIoU", SvgAssert.Groups(doc, "axis-labels").Single().Elements(Svg + "text").Select(t => t.Value));
        Assert.Equal(3, SvgAssert.Groups(doc, "legend").Single().Elements(Svg + "text").Count());
        double[] xTicks = Numbers(SvgAssert.TickLabels(doc, "x-axis"));
        Assert.True(xTicks[0] <= 1 && xTicks[^1] >= 60);
    }

    [Fact]
    public void Line_NaNPoint_BreaksTheLineIntoTwoPieces()
    {
        string svg = Plot.Line([new XYSeries("s", [1, 2, 3, 4, 5], [1, 2, double.NaN, 4, 5])], "", "", "",
            new LineOptions { Markers = true });

        XDocument doc = SvgAssert.Valid(svg);

        var group = SvgAssert.Groups(doc, "line").Single();
        string d = (string)group.Element(Svg + "path")!.Attribute("d")!;
        Assert.Equal(2, d.Count(c => c == 'M'));
        Assert.Equal(4, group.Elements(Svg + "circle").Count());
    }

    [Fact]
    public void Line_LogScale_SkipsNonPositiveValues()
    {
        string svg = Plot.Line([new XYSeries("loss", [1, 2, 3], [0.5, 0, 0.05])], "", "", "", new LineOptions { YScale = AxisScaleKind.Log });

        XDocument doc = SvgAssert.Valid(svg);

        double[] ticks = Numbers(SvgAssert.TickLabels(doc, "y-axis"));
        Assert.True(ticks[0] <= 0.05 && ticks[^1] >= 0.5);
    }

    [Fact]
    public void Line_MismatchedLengths_ThrowsNamingSeries()
    {
        var e = Assert.Throws<ArgumentException>(() => Plot.Line([new XYSeries("s", [1, 2], [1.0])], "", "", ""));

        Assert.Equal("series", e.ParamName);
        Assert.Contains("series[0].Y", e.Message);
    }

    [Fact]
    public void Line_SinglePoint_AxesWidenedWithoutNaN()
    {
        SvgAssert.Valid(Plot.Line([new XYSeries("s", [3], [7])], "", "", ""));
    }

    [Fact]
    public void Scatter_LogX_OneDotPerPointNoLegendForOneSeries()
    {
        XDocument doc = SvgAssert.Valid(Examples.Scatter());

        Assert.Equal(150, SvgAssert.Groups(doc, "scatter").Single().Elements(Svg + "circle").Count());
        Assert.Empty(SvgAssert.Groups(doc, "legend"));
    }

    [Fact]
    public void Plot_MarkupInLabels_IsEscaped()
    {
        string svg = Plot.Bar(["<b>", "a&b"], [new BarSeries("x < y", [1, 2])], "Title <script>", "y \"quoted\"",
            new BarOptions { Legend = LegendPlacement.TopRight });

        XDocument doc = SvgAssert.Valid(svg);

        Assert.DoesNotContain("<script>", svg);
        Assert.DoesNotContain("<b>", svg);
        var texts = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("Title <script>", texts);
        Assert.Contains("x < y", texts);
        Assert.Contains("<b>", texts);
        Assert.Contains("y \"quoted\"", texts);
    }

    [Fact]
    public void Plot_LongCategoryNames_RotatedLabels()
    {
        string[] names = Enumerable.Range(0, 8).Select(i => $"Condition with a long name {i}").ToArray();
        string svg = Plot.Bar(names, [new BarSeries("s", names.Select((_, i) => (double)i).ToArray())], "", "");

        XDocument doc = SvgAssert.Valid(svg);

        Assert.All(SvgAssert.Groups(doc, "x-axis").Single().Elements(Svg + "text"),
            t => Assert.StartsWith("rotate(-35", (string?)t.Attribute("transform")));
    }

    [Fact]
    public void Plot_WritesFileAtomically()
    {
        string path = Path.Combine(Path.GetTempPath(), $"simseg-plot-{Guid.NewGuid():N}.svg");
        try
        {
            Plot.Violin(path, [new NamedValues("a", [1, 2, 3])], "t", "y");

            SvgAssert.Valid(File.ReadAllText(path));
            Assert.Empty(Directory.GetFiles(Path.GetTempPath(), $".{Path.GetFileName(path)}.*.tmp"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Plot_SameInput_SameBytes()
    {
        Assert.Equal(Examples.Violin(), Examples.Violin());
    }

    [Fact]
    public void Plot_TooSmallFigure_ThrowsNamingOptions()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Plot.Violin([new NamedValues("a", [1.0])], "", "",
            new ViolinOptions { Width = 10 }));

        Assert.Equal("options", e.ParamName);
    }
}
