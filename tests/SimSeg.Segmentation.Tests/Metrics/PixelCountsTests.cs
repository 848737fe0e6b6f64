using SimSeg.Core.Imaging;
using SimSeg.Segmentation.Metrics;

namespace SimSeg.Segmentation.Tests.Metrics;

public class PixelCountsTests
{
    [Fact]
    public void Of_RandomMasks_AgreesWithSegmentationScore()
    {
        var rng = new Random(12);
        for (int trial = 0; trial < 5; trial++)
        {
            var predicted = new Image<byte>(20, 15);
            var truth = new Image<byte>(20, 15);
            var p = new float[300];
            var t = new float[300];
            for (int i = 0; i < 300; i++)
            {
                p[i] = (float)rng.NextDouble();
                predicted.Data[i] = p[i] > 0.5f ? (byte)1 : (byte)0;
                truth.Data[i] = rng.NextDouble() < 0.2 * trial ? (byte)1 : (byte)0;
                t[i] = truth.Data[i];
            }
            var score = SegmentationScore.Compute(predicted, truth);
            var counts = PixelCounts.Of(p, t);
            Assert.Equal((score.TruePositives, score.FalsePositives, score.FalseNegatives, score.TrueNegatives),
                (counts.TruePositives, counts.FalsePositives, counts.FalseNegatives, counts.TrueNegatives));
            Assert.Equal(score.IoU, counts.IoU, 12);
            Assert.Equal(score.MeanIoU, counts.MeanIoU, 12);
            Assert.Equal(score.Dice, counts.Dice, 12);
        }
    }

    [Fact]
    public void Of_EmptyPredictionOfEmptyTruth_IsPerfect()
    {
        var counts = PixelCounts.Of(new float[10], new float[10]);
        Assert.Equal(1, counts.MeanIoU);
        Assert.Equal(1, counts.Dice);
    }
}
