using SimSeg.Core.Imaging;
using SimSeg.Segmentation.Metrics;

namespace SimSeg.Segmentation.Tests;

public class SegmentationScoreTests
{
    private static Image<byte> Mask(int w, int h, params (int X0, int Y0, int X1, int Y1)[] boxes)
    {
        var m = new Image<byte>(w, h);
        foreach (var (x0, y0, x1, y1) in boxes)
            for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) m[x, y] = 1;
        return m;
    }

    [Fact]
    public void Compute_HandCountedOverlap_KnownValues()
    {
        // Truth 4x4 = 16 px; prediction shifted by 2 columns: TP 8, FP 8, FN 8, TN 100 - 24 = 76.
        var truth = Mask(10, 10, (2, 2, 6, 6));
        var predicted = Mask(10, 10, (4, 2, 8, 6));
        var s = SegmentationScore.Compute(predicted, truth);
        Assert.Equal((8L, 8L, 8L, 76L), (s.TruePositives, s.FalsePositives, s.FalseNegatives, s.TrueNegatives));
        Assert.Equal(8.0 / 24, s.IoU, 12);
        Assert.Equal(0.5 * (8.0 / 24 + 76.0 / 92), s.MeanIoU, 12);
        Assert.Equal(16.0 / 32, s.Dice, 12);
        Assert.Equal(0.5 * (0.5 + 152.0 / 168), s.MacroF1, 12);
        Assert.Equal(0.5, s.Precision, 12);
        Assert.Equal(0.5, s.Recall, 12);
        Assert.Equal(0, s.ObjectF1); // IoU 1/3 < 0.5: no object match
    }

    [Fact]
    public void Compute_Identical_IsPerfect()
    {
        var truth = Mask(12, 12, (1, 1, 4, 4), (6, 6, 10, 9));
        var s = SegmentationScore.Compute(truth, truth);
        Assert.Equal(1, s.IoU);
        Assert.Equal(1, s.MeanIoU);
        Assert.Equal(1, s.ObjectF1);
        Assert.Equal(0, s.BettiZeroError);
        Assert.Equal(0, s.BettiOneError);
    }

    [Fact]
    public void Compute_EmptyBoth_IsPerfectAndEmptyPredictionScoresZero()
    {
        var empty = new Image<byte>(8, 8);
        var both = SegmentationScore.Compute(empty, empty);
        Assert.Equal((1.0, 1.0, 1.0, 1.0), (both.IoU, both.Dice, both.ObjectF1, both.MeanIoU));
        var truth = Mask(8, 8, (2, 2, 4, 4));
        var missed = SegmentationScore.Compute(empty, truth);
        Assert.Equal(0, missed.IoU);
        Assert.Equal(0, missed.Recall);
        Assert.Equal(1, missed.Precision); // nothing predicted, nothing wrong predicted
        Assert.Equal(0, missed.ObjectF1);
        Assert.Equal(1, missed.BettiZeroError);
        var alarm = SegmentationScore.Compute(truth, empty);
        Assert.Equal(0, alarm.IoU);
        Assert.Equal(0, alarm.Precision);
    }

    [Fact]
    public void Compute_RingAgainstDisc_CountsTheHole()
    {
        var disc = Mask(11, 11, (2, 2, 9, 9));
        var ring = Mask(11, 11, (2, 2, 9, 9));
        ring[5, 5] = 0;
        var s = SegmentationScore.Compute(ring, disc);
        Assert.Equal(1, s.BettiOneError);
        Assert.Equal(0, s.BettiZeroError);
        Assert.Equal(1, s.ObjectF1); // IoU 48/49
    }

    [Fact]
    public void Compute_SplitObject_ObjectF1AndBetti()
    {
        var truth = Mask(20, 10, (2, 2, 18, 6));                 // one 16x4 object
        var predicted = Mask(20, 10, (2, 2, 9, 6), (11, 2, 18, 6)); // cut in two halves of 7x4
        var s = SegmentationScore.Compute(predicted, truth);
        Assert.Equal(1, s.BettiZeroError);
        Assert.Equal(0, s.ObjectF1); // each half has IoU 28/64 < 0.5
    }

    [Fact]
    public void Compute_ObjectIoUExactlyOneHalf_CountsAsAMatch()
    {
        // Truth 4x4 = 16 px; the prediction is its top half (8 px): IoU = 8/16 = 0.5 exactly, a match at IoU >= 0.5.
        var truth = Mask(10, 10, (2, 2, 6, 6));
        var predicted = Mask(10, 10, (2, 2, 6, 4));
        Assert.Equal(0.5, SegmentationScore.Compute(predicted, truth).IoU, 12);
        Assert.Equal(1, SegmentationScore.Compute(predicted, truth).ObjectF1);
        // One pixel less (7/16) is not a match; the other way round (16 px prediction, 8 px truth) is.
        var smaller = Mask(10, 10, (2, 2, 6, 4));
        smaller[5, 3] = 0;
        Assert.Equal(0, SegmentationScore.Compute(smaller, truth).ObjectF1);
        Assert.Equal(1, SegmentationScore.Compute(truth, predicted).ObjectF1);
    }

    [Fact]
    public void Compute_TwoObjectsOneMatched_ObjectF1CountsEachSide()
    {
        // Truth: two objects; prediction: one exact copy of the first and one false alarm. F1 = 2·1 / (2 + 2).
        var truth = Mask(20, 10, (1, 1, 4, 4), (10, 1, 13, 4));
        var predicted = Mask(20, 10, (1, 1, 4, 4), (15, 6, 18, 9));
        var s = SegmentationScore.Compute(predicted, truth);
        Assert.Equal(0.5, s.ObjectF1, 12);
        Assert.Equal(0, s.BettiZeroError);
    }

    [Fact]
    public void Compute_SizeMismatch_Throws() =>
        Assert.Contains("predicted", Assert.Throws<ArgumentException>(() => SegmentationScore.Compute(new Image<byte>(4, 4), new Image<byte>(5, 4))).Message);
}
