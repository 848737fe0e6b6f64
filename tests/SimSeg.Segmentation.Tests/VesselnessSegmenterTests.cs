using SimSeg.Core.Imaging;
using SimSeg.Segmentation.Baselines;
using SimSeg.Segmentation.Metrics;

namespace SimSeg.Segmentation.Tests;

public class VesselnessSegmenterTests
{
    // A bright horizontal bar of the given width (rows centred on y = cy) on a dark plane.
    private static float[] Bar(int w, int h, int cy, int width, float amplitude = 100)
    {
        var plane = new float[w * h];
        for (int y = cy - width / 2; y < cy - width / 2 + width; y++)
            for (int x = 0; x < w; x++) plane[y * w + x] = amplitude;
        return plane;
    }

    [Fact]
    public void Vesselness_BrightLine_HighAlongItLowOffIt()
    {
        const int w = 64, h = 64;
        var plane = Bar(w, h, 32, 3);
        var v = new float[w * h];
        VesselnessSegmenter.Vesselness(plane, w, h, VesselnessOptions.Default, v);
        for (int x = 10; x < 54; x++)
        {
            Assert.True(v[32 * w + x] > 0.9, $"on the line at x={x}: {v[32 * w + x]}");
            Assert.True(v[10 * w + x] < 0.01, $"off the line at x={x}: {v[10 * w + x]}");
        }
        Assert.All(v, value => Assert.InRange(value, 0, 1));
    }

    [Fact]
    public void Vesselness_DarkLineOnBrightBackground_NoResponse()
    {
        const int w = 48, h = 48;
        var plane = Bar(w, h, 24, 3);
        for (int i = 0; i < plane.Length; i++) plane[i] = 100 - plane[i];
        var v = new float[w * h];
        VesselnessSegmenter.Vesselness(plane, w, h, VesselnessOptions.Default, v);
        for (int x = 8; x < 40; x++) Assert.True(v[24 * w + x] < 1e-3);
    }

    [Fact]
    public void Vesselness_BlobOfTheTubesWidth_RespondsLessThanTheTube()
    {
        const int w = 64, h = 64;
        var plane = Bar(w, h, 20, 5);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if ((x - 32) * (x - 32) + (y - 46) * (y - 46) <= 6.25) plane[y * w + x] = 100; // disc of diameter 5
        var v = new float[w * h];
        VesselnessSegmenter.Vesselness(plane, w, h, VesselnessOptions.Default, v);
        float tube = v[20 * w + 32], blob = v[46 * w + 32];
        Assert.True(tube > 0.9, $"tube {tube}");
        Assert.True(blob < 0.5 * tube, $"blob {blob}, tube {tube}");
    }

    [Fact]
    public void Eigenvalues_ScaleNormalised_BarsOfDifferentWidthsGiveTheSameResponseAtTheirOwnScale()
    {
        // With σ²-normalised derivatives, a bar of width 2σ has the same centre eigenvalue at scale σ whatever its
        // width; unnormalised, the wide bar's would be 4x smaller.
        const int w = 40, h = 80;
        var l1 = new float[w * h];
        var l2 = new float[w * h];
        VesselnessSegmenter.Eigenvalues(Bar(w, h, 40, 4), w, h, 2, l1, l2);
        float narrow = l2[40 * w + 20];
        VesselnessSegmenter.Eigenvalues(Bar(w, h, 40, 8), w, h, 4, l1, l2);
        float wide = l2[40 * w + 20];
        Assert.True(narrow < 0 && wide < 0);
        Assert.Equal(1, wide / narrow, 1);
        Assert.InRange(Math.Abs(l1[40 * w + 20]), 0, 1e-3 * Math.Abs(wide)); // along the bar: no curvature
    }

    [Fact]
    public void Segment_NoisyLines_MaskFollowsThem()
    {
        var image = SimulatedFields.Noise(96, 96, 100, 10, 7);
        var truth = new Image<byte>(96, 96);
        for (int x = 8; x < 88; x++)
            for (int dy = -1; dy <= 1; dy++)
            {
                image[x, 30 + dy] += 120;
                truth[x, 30 + dy] = 1;
                image[x, 30 + x / 2 + dy] += 120;                  // a slanted line
                truth[x, 30 + x / 2 + dy] = 1;
            }
        var score = SegmentationScore.Compute(VesselnessSegmenter.Segment(image), truth);
        Assert.True(score.MeanIoU > 0.9, $"mIoU {score.MeanIoU:0.000}"); // measured 0.975
        Assert.True(score.Recall > 0.8, $"recall {score.Recall:0.000}");
    }

    [Fact]
    public void Segment_SimulatedEpi1Mito_MeanIoUAboveMeasuredLevel()
    {
        // Measured 0.740 with σ 1–3 px (tubes here are 5–14 px wide at 42 nm pixels; σ up to 6 px gives 0.823).
        Assert.True(SimulatedFields.MeanIoU((image, _) => VesselnessSegmenter.Segment(image)) > 0.70);
    }

    [Fact]
    public void Segment_ConstantAndZeroPlanes_Empty()
    {
        var image = new Image<float>(32, 24, 2);
        image.Plane(0).Fill(77);
        Assert.All(VesselnessSegmenter.Segment(image).Data, v => Assert.Equal(0, v));
    }

    [Fact]
    public void Segment_BadSigmas_ThrowsNamingThem() =>
        Assert.Contains("Sigmas", Assert.ThrowsAny<ArgumentException>(() => VesselnessSegmenter.Segment(new Image<float>(8, 8), new VesselnessOptions { Sigmas = [1, -2] })).Message);
}
