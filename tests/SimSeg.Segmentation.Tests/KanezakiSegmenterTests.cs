using SimSeg.Core.Imaging;
using SimSeg.Core.Randomness;
using SimSeg.Neural;
using SimSeg.Segmentation.Baselines;
using SimSeg.Segmentation.Metrics;

namespace SimSeg.Segmentation.Tests;

public class KanezakiSegmenterTests
{
    private static readonly KanezakiOptions Small = new() { Channels = 16, MaxIterations = 20 };

    // Reference: the mean softmax cross-entropy of every pixel against a given label, in double precision.
    private static double CrossEntropy(float[] z, int[] labels, int channels, int n)
    {
        double loss = 0;
        for (int p = 0; p < n; p++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int c = 0; c < channels; c++) max = Math.Max(max, z[c * n + p]);
            for (int c = 0; c < channels; c++) sum += Math.Exp(z[c * n + p] - max);
            loss += Math.Log(sum) + max - z[labels[p] * n + p];
        }
        return loss / n;
    }

    [Fact]
    public void ArgmaxCrossEntropy_MatchesTheReferenceAndItsFiniteDifferences()
    {
        const int channels = 5, h = 3, w = 4, n = h * w;
        var rng = new Random(6);
        var scores = new Tensor(1, channels, h, w);
        for (int i = 0; i < scores.Length; i++) scores.Data[i] = (float)(4 * rng.NextDouble() - 2);
        var labels = new int[n];
        var gradient = scores.ZerosLike();
        double loss = KanezakiSegmenter.ArgmaxCrossEntropy(scores, labels, gradient);
        for (int p = 0; p < n; p++)
        {
            int argmax = Enumerable.Range(0, channels).MaxBy(c => scores.Data[c * n + p]);
            Assert.Equal(argmax, labels[p]);
        }
        Assert.Equal(CrossEntropy(scores.Data, labels, channels, n), loss, 6);
        var z = scores.Data.ToArray();
        const double eps = 1e-3;
        for (int i = 0; i < z.Length; i++)
        {
            float keep = z[i];
            z[i] = keep + (float)eps;
            double plus = CrossEntropy(z, labels, channels, n);
            z[i] = keep - (float)eps;
            double minus = CrossEntropy(z, labels, channels, n);
            z[i] = keep;
            Assert.Equal((plus - minus) / (2 * eps), gradient.Data[i], 3);
        }
    }

    [Fact]
    public void Segment_NoisyBrightDisc_FindsIt()
    {
        var image = SimulatedFields.Noise(40, 40, 100, 10, 2);
        SimulatedFields.AddDisc(image, 20, 18, 8, 150);
        var truth = SimulatedFields.Disc(40, 40, 20, 18, 8);
        var score = SegmentationScore.Compute(KanezakiSegmenter.Segment(image, Small), truth);
        Assert.True(score.MeanIoU > 0.85, $"mIoU {score.MeanIoU:0.000}");
    }

    [Fact]
    public void Cluster_SameSeed_SameLabels_AndTheSeedMatters()
    {
        var image = SimulatedFields.Noise(24, 24, 100, 20, 3);
        SimulatedFields.AddDisc(image, 12, 12, 5, 60);
        var a = KanezakiSegmenter.Cluster(image.Data, 24, 24, Small, Rng.ForStream(4, 0));
        var b = KanezakiSegmenter.Cluster(image.Data, 24, 24, Small, Rng.ForStream(4, 0));
        var c = KanezakiSegmenter.Cluster(image.Data, 24, 24, Small, Rng.ForStream(5, 0));
        Assert.Equal(a.Labels, b.Labels);
        Assert.Equal(a.Iterations, b.Iterations);
        Assert.NotEqual(a.Labels, c.Labels);
    }

    [Fact]
    public void Cluster_StopsOnceAtMostMinLabelsRemain()
    {
        var image = SimulatedFields.Noise(24, 24, 100, 20, 3);
        var (labels, iterations) = KanezakiSegmenter.Cluster(image.Data, 24, 24, Small with { MinLabels = 16 }, Rng.ForStream(1, 0));
        Assert.Equal(1, iterations); // 16 channels can never give more than 16 labels
        Assert.All(labels, l => Assert.InRange(l, 0, 15));
        Assert.Equal(0, KanezakiSegmenter.Cluster(image.Data, 24, 24, Small with { MaxIterations = 0 }, Rng.ForStream(1, 0)).Iterations);
    }

    [Fact]
    public void Segment_ConstantAndZeroPlanes_OneClusterEmptyMask()
    {
        var image = new Image<ushort>(16, 12, 2);
        image.Plane(0).Fill(900);
        Assert.All(KanezakiSegmenter.Segment(image, Small).Data, v => Assert.Equal(0, v));
        var (labels, iterations) = KanezakiSegmenter.Cluster(new float[16 * 12], 16, 12, Small, Rng.ForStream(1, 0));
        Assert.All(labels, l => Assert.Equal(0, l));
        Assert.Equal(0, iterations);
    }

    [Fact]
    public void BrightClusters_ClusterMeansAboveOtsu_AreForeground()
    {
        // Three clusters of means 10 (40 px), 20 (40 px) and 200 (20 px): Otsu separates the bright one.
        var plane = new float[100];
        var labels = new int[100];
        for (int i = 0; i < 100; i++)
        {
            labels[i] = i < 40 ? 7 : i < 80 ? 2 : 4;
            plane[i] = labels[i] switch { 7 => 10, 2 => 20, _ => 200 } + (i % 2 == 0 ? 1 : -1);
        }
        var mask = new byte[100];
        KanezakiSegmenter.BrightClusters(plane, labels, mask);
        for (int i = 0; i < 100; i++) Assert.Equal(i >= 80 ? 1 : 0, mask[i]);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Segment_SimulatedEpi1Mito_MeanIoUAboveMeasuredLevel()
    {
        // Few iterations and channels to keep the test short: measured 0.785 on two fields (Otsu: 0.86 on six).
        var options = new KanezakiOptions { Channels = 24, MaxIterations = 60 };
        double miou = SimulatedFields.Epi1Mito.Take(2).Average(f => SegmentationScore.Compute(KanezakiSegmenter.Segment(f.Image, options), f.Truth.Mask).MeanIoU);
        Assert.True(miou > 0.73, $"mIoU {miou:0.000}");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(16, 0)]
    public void Segment_BadOptions_ThrowNamingThem(int channels, int minLabels)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => KanezakiSegmenter.Segment(new Image<float>(4, 4), new KanezakiOptions { Channels = channels, MinLabels = minLabels }));
        Assert.Contains(channels < 2 ? "Channels" : "MinLabels", ex.Message);
    }
}
