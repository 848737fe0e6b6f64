using SimSeg.Analysis.Plots;

namespace SimSeg.Analysis.Tests.Plots;

/// <summary>Realistic example data for each chart, shared by the tests and the gallery.</summary>
internal static class Examples
{
    public static string Bar() => Plot.Bar(
        ["Tubular", "Fragmented", "Swollen", "Branched <2>"],
        [
            new BarSeries("Control", [0.52, 0.18, 0.08, 0.22], [0.05, 0.03, 0.02, 0.04]),
            new BarSeries("CCCP 10 µM", [0.21, 0.47, 0.24, 0.08], [0.04, 0.06, 0.05, 0.02]),
            new BarSeries("Oligomycin", [0.35, 0.30, 0.15, 0.20], [0.05, 0.05, 0.03, 0.03]),
        ],
        "Mitochondrial morphology per condition", "Fraction of cells");

    public static string Violin()
    {
        var random = new Random(20240611);
        double[] Normal(int n, double mean, double sd) =>
            Enumerable.Range(0, n).Select(_ => mean + sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())).ToArray();
        return Plot.Violin(
            [
                new NamedValues("Control", Normal(120, 1.4, 0.35)),
                new NamedValues("CCCP", Normal(80, 0.8, 0.25).Concat(Normal(40, 1.6, 0.2)).ToArray()),
                new NamedValues("One cell", [1.1]),
                new NamedValues("Saturated", [2.0, 2.0, 2.0]),
                new NamedValues("Empty", []),
            ],
            "Branch length per cell", Plot.AxisLabel("Mean branch length", "µm"));
    }

    public static string Histogram(HistogramLayout layout = HistogramLayout.Overlaid, bool density = false)
    {
        var random = new Random(7);
        double[] endpoint = Enumerable.Range(0, 400).Select(_ => -0.6 * Math.Log(1 - random.NextDouble())).ToArray();
        double[] junction = Enumerable.Range(0, 250).Select(_ => 0.3 + 1.2 * random.NextDouble() * random.NextDouble() * 2).ToArray();
        return Plot.Histogram(
            [new NamedValues("Endpoint–junction", endpoint), new NamedValues("Junction–junction", junction)],
            "Branch lengths", Plot.AxisLabel("Branch length", "µm"), density ? "Density (1/µm)" : "Branches",
            new HistogramOptions { BinWidth = 0.2, Layout = layout, Density = density });
    }

    public static string Line()
    {
        int[] epochs = Enumerable.Range(1, 60).ToArray();
        double[] x = epochs.Select(e => (double)e).ToArray();
        double[] train = epochs.Select(e => 0.9 * Math.Exp(-e / 12.0) + 0.08).ToArray();
        double[] validation = epochs.Select(e => 0.95 * Math.Exp(-e / 14.0) + 0.12 + 0.002 * Math.Max(0, e - 40)).ToArray();
        double[] miou = epochs.Select(e => 0.82 * (1 - Math.Exp(-e / 10.0))).ToArray();
        return Plot.Line(
            [
                new XYSeries("Training loss", x, train),
                new XYSeries("Validation loss", x, validation),
                new XYSeries("Validation mIoU", x, miou, SecondaryAxis: true),
            ],
            "U-Net training", "Epoch", "Loss", new LineOptions { SecondaryYLabel = "mIoU", Markers = false });
    }

    public static string Scatter()
    {
        var random = new Random(3);
        double[] area = Enumerable.Range(0, 150).Select(_ => Math.Exp(random.NextDouble() * 4)).ToArray();
        double[] length = area.Select(a => 0.8 * Math.Sqrt(a) * (0.8 + 0.4 * random.NextDouble())).ToArray();
        return Plot.Scatter([new XYSeries("Objects", area, length)], "Size against length",
            Plot.AxisLabel("Area", "µm²"), Plot.AxisLabel("Skeleton length", "µm"), new ScatterOptions { XScale = AxisScaleKind.Log });
    }
}

public class Gallery
{
    /// <summary>Writes every example to the folder named by SIMSEG_PLOT_GALLERY, for looking at; does nothing otherwise.</summary>
    [Fact]
    public void WriteExamples_WhenAFolderIsGiven()
    {
        string? folder = Environment.GetEnvironmentVariable("SIMSEG_PLOT_GALLERY");
        if (string.IsNullOrEmpty(folder)) return;
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "bar.svg"), Examples.Bar());
        File.WriteAllText(Path.Combine(folder, "violin.svg"), Examples.Violin());
        File.WriteAllText(Path.Combine(folder, "histogram.svg"), Examples.Histogram());
        File.WriteAllText(Path.Combine(folder, "histogram-side.svg"), Examples.Histogram(HistogramLayout.SideBySide, density: true));
        File.WriteAllText(Path.Combine(folder, "line.svg"), Examples.Line());
        File.WriteAllText(Path.Combine(folder, "scatter.svg"), Examples.Scatter());
        string[] names = Enumerable.Range(0, 8).Select(i => $"Condition with a long name {i}").ToArray();
        File.WriteAllText(Path.Combine(folder, "bar-rotated.svg"), Plot.Bar(names,
            [new BarSeries("Mean", names.Select((_, i) => 1000.0 * i).ToArray())], "Long category names", "Objects"));
        File.WriteAllText(Path.Combine(folder, "empty.svg"), Plot.Line([new XYSeries("s", [], [])], "Empty", "x", "y"));
    }
}
