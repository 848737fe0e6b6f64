using SimSeg.Core.Imaging;
using SimSeg.Segmentation.Baselines;
using SimSeg.Segmentation.Metrics;

namespace SimSeg.Segmentation.Tests;

public class OracleThresholdSegmenterTests
{
    // Brute force: every distinct value and "below the minimum" as a threshold, the mask scored by SegmentationScore.
    private static double BruteForceBest(float[] values, byte[] truth, int w, int h, OracleCriterion criterion)
    {
        var truthImage = new Image<byte>(w, h, 1, truth);
        double best = double.NegativeInfinity;
        foreach (double t in values.Distinct().Select(v => (double)v).Append(values.Min() - 1.0))
        {
            var mask = new Image<byte>(w, h);
            for (int i = 0; i < values.Length; i++) mask.Data[i] = values[i] > t ? (byte)1 : (byte)0;
            var s = SegmentationScore.Compute(mask, truthImage);
            best = Math.Max(best, criterion == OracleCriterion.MeanIoU ? s.MeanIoU : s.IoU);
        }
        return best;
    }

    [Theory]
    [InlineData(OracleCriterion.MeanIoU, 1)]
    [InlineData(OracleCriterion.ForegroundIoU, 2)]
    [InlineData(OracleCriterion.MeanIoU, 3)]
    public void Best_RandomPlaneWithTies_MatchesBruteForce(OracleCriterion criterion, int seed)
    {
        const int w = 13, h = 11;
        var rng = new Random(seed);
        var truth = new byte[w * h];
        var values = new float[w * h];
        for (int i = 0; i < values.Length; i++)
        {
            truth[i] = rng.NextDouble() < 0.3 ? (byte)1 : (byte)0;
            values[i] = rng.Next(12) + (truth[i] == 1 ? 4 : 0); // integers: many ties, overlapping classes
        }
        var best = OracleThresholdSegmenter.Best(values, truth, criterion);
        Assert.Equal(BruteForceBest(values, truth, w, h, criterion), best.Score, 12);
        // The mask at the reported threshold has the reported score.
        var mask = new Image<byte>(w, h);
        for (int i = 0; i < values.Length; i++) mask.Data[i] = values[i] > best.Value ? (byte)1 : (byte)0;
        var s = SegmentationScore.Compute(mask, new Image<byte>(w, h, 1, truth));
        Assert.Equal(best.Score, criterion == OracleCriterion.MeanIoU ? s.MeanIoU : s.IoU, 12);
    }

    [Fact]
    public void Best_SeparableClasses_PerfectScore()
    {
        float[] values = [1, 2, 3, 10, 11, 12];
        byte[] truth = [0, 0, 0, 1, 1, 1];
        var best = OracleThresholdSegmenter.Best(values, truth);
        Assert.Equal(1, best.Score);
        Assert.Equal(3, best.Value);
    }

    [Fact]
    public void Best_EveryPixelForeground_ThresholdBelowTheMinimum()
    {
        float[] values = [5, 5, 7];
        var best = OracleThresholdSegmenter.Best(values, [1, 1, 1], OracleCriterion.ForegroundIoU);
        Assert.Equal(1, best.Score);
        Assert.True(best.Value < 5);
    }

    [Fact]
    public void Segment_SimulatedEpi1Mito_BeatsOtsuOnEveryFieldAndAboveMeasuredLevel()
    {
        foreach (var field in SimulatedFields.Epi1Mito)
        {
            double oracle = SegmentationScore.Compute(OracleThresholdSegmenter.Segment(field.Image, field.Truth.Mask), field.Truth.Mask).MeanIoU;
            double otsu = SegmentationScore.Compute(OtsuSegmenter.Segment(field.Image), field.Truth.Mask).MeanIoU;
            Assert.True(oracle >= otsu, $"oracle {oracle:0.000} < otsu {otsu:0.000}");
        }
        // Measured 0.922 (Otsu 0.860 on the same fields).
        Assert.True(SimulatedFields.MeanIoU((image, truth) => OracleThresholdSegmenter.Segment(image, truth)) > 0.89);
    }

    [Fact]
    public void Run_StackWithPerPlaneTruth_ThresholdsEachPlaneOnItsOwn()
    {
        var image = new Image<float>(10, 10, 2);
        var truth = new Image<byte>(10, 10, 2);
        for (int i = 0; i < 100; i++)
        {
            image.Data[i] = i;            // plane 0: truth is the top half, values 50..99
            truth.Data[i] = i >= 50 ? (byte)1 : (byte)0;
            image.Data[100 + i] = i;      // plane 1: truth is the top fifth, values 80..99
            truth.Data[100 + i] = i >= 80 ? (byte)1 : (byte)0;
        }
        var (mask, thresholds) = OracleThresholdSegmenter.Run(image, truth, new OracleThresholdOptions { SmoothingSigma = 0 });
        Assert.Equal(truth.Data, mask.Data);
        Assert.Equal((49.0, 79.0), (thresholds[0].Value, thresholds[1].Value));
    }

    [Fact]
    public void Segment_ConstantPlane_EmptyMaskUnlessTheTruthIsFull()
    {
        var image = new Image<float>(8, 8);
        Array.Fill(image.Data, 3f);
        var truth = SimulatedFields.Disc(8, 8, 4, 4, 2);
        Assert.All(OracleThresholdSegmenter.Segment(image, truth).Data, v => Assert.Equal(0, v));
        Array.Fill(truth.Data, (byte)1);
        Assert.All(OracleThresholdSegmenter.Segment(image, truth).Data, v => Assert.Equal(1, v));
    }

    [Fact]
    public void Segment_TruthOfAnotherSize_ThrowsNamingTruth() =>
        Assert.Contains("truth", Assert.Throws<ArgumentException>(() => OracleThresholdSegmenter.Segment(new Image<float>(8, 8), new Image<byte>(8, 9))).Message);
}
