using SimSeg.Segmentation.Benchmark;
using SimSeg.Segmentation.Metrics;

namespace SimSeg.Segmentation.Tests.Benchmark;

public class BenchmarkMetricsTests
{
    /// <summary>A hand-made score: only mIoU and Dice vary; the other measures are fixed.</summary>
    internal static SegmentationScore Score(double miou, double dice) =>
        new(1, 0, 1, 2, IoU: 0.5, MeanIoU: miou, Dice: dice, MacroF1: 0.5, Precision: 1, Recall: 0.5, BettiZeroError: 1, BettiOneError: 0, ObjectF1: 1);

    [Fact]
    public void MeanStd_FourValues_SampleStandardDeviation()
    {
        var (mean, std, n) = BenchmarkMetrics.MeanStd([1, 2, 3, 4]);
        Assert.Equal(2.5, mean, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3), std, 12); // squares 2.25 + 0.25 + 0.25 + 2.25 = 5, over n - 1 = 3
        Assert.Equal(4, n);
    }

    [Fact]
    public void MeanStd_OneValue_StdUndefined()
    {
        var (mean, std, n) = BenchmarkMetrics.MeanStd([0.7]);
        Assert.Equal(0.7, mean);
        Assert.True(double.IsNaN(std));
        Assert.Equal(1, n);
    }

    [Fact]
    public void MeanStd_NoValues_NaN()
    {
        var (mean, std, n) = BenchmarkMetrics.MeanStd([]);
        Assert.True(double.IsNaN(mean) && double.IsNaN(std));
        Assert.Equal(0, n);
    }

    [Fact]
    public void MeanStd_EqualValues_ZeroStd()
    {
        Assert.Equal(0, BenchmarkMetrics.MeanStd([0.3, 0.3, 0.3]).Std, 15);
    }

    [Fact]
    public void Summarize_HandMadeScores_MeanStdAndCountPerPairInOrder()
    {
        ImageScore[] scores =
        [
            new("unet", "A", "i0", Score(0.75, 0.875)),
            new("otsu", "A", "i0", Score(0.25, 0.5)),
            new("otsu", "A", "i1", Score(0.5, 0.625)),
            new("otsu", "B", "i0", Score(0.875, 0.75)),
            new("otsu", "A", "i2", Score(0.75, 0.75)),
            new("unet", "A", "i1", Score(0.75, 0.875)),
        ];
        var rows = BenchmarkMetrics.Summarize(scores, ["otsu", "unet"], ["A", "B"]);
        // otsu on A, otsu on B, unet on A (unet has no B scores: left out), 8 metrics each, in metric order.
        Assert.Equal(3 * BenchmarkMetrics.All.Count, rows.Count);
        Assert.Equal(["otsu", "otsu", "unet"], rows.Where(r => r.Metric == "miou").Select(r => r.Method));
        Assert.Equal(BenchmarkMetrics.All.Select(m => m.Name), rows.Take(BenchmarkMetrics.All.Count).Select(r => r.Metric));

        var miou = rows.Single(r => r is { Method: "otsu", TestSet: "A", Metric: "miou" });
        Assert.Equal((0.5, 0.25, 3), (miou.Mean, miou.Std, miou.N));
        var f1 = rows.Single(r => r is { Method: "otsu", TestSet: "A", Metric: "f1" });
        Assert.Equal((0.625, 0.125, 3), (f1.Mean, f1.Std, f1.N));
        var single = rows.Single(r => r is { Method: "otsu", TestSet: "B", Metric: "miou" });
        Assert.Equal((0.875, 1), (single.Mean, single.N));
        Assert.True(double.IsNaN(single.Std));
        var unet = rows.Single(r => r is { Method: "unet", TestSet: "A", Metric: "f1" });
        Assert.Equal((0.875, 0.0, 2), (unet.Mean, unet.Std, unet.N));
        var betti = rows.Single(r => r is { Method: "otsu", TestSet: "A", Metric: "beta0_error" });
        Assert.Equal((1.0, 0.0), (betti.Mean, betti.Std));
    }
}
