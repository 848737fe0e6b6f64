using SimSeg.Segmentation.Training;

namespace SimSeg.Segmentation.Tests.Training;

public class NormalizationTests
{
    [Fact]
    public void Normalize_Ramp_MapsPercentilesToZeroAndOne()
    {
        // 0..999: the 1st percentile is 9.99 and the 99.8th 997.002 (numpy's linear interpolation).
        var source = Enumerable.Range(0, 1000).Select(i => (float)i).ToArray();
        var result = new float[1000];
        ImageNormalizer.Normalize(source, result, new NormalizationOptions());
        foreach (int i in new[] { 0, 10, 500, 997, 999 })
            Assert.Equal((i - 9.99) / (997.002 - 9.99), result[i], 1e-5);
    }

    [Fact]
    public void Normalize_Outliers_AreClippedMildly()
    {
        var source = new float[1000];
        source[0] = -1e6f;
        source[1] = 1e6f;
        for (int i = 2; i < 1000; i++) source[i] = i;
        var result = new float[1000];
        ImageNormalizer.Normalize(source, result, new NormalizationOptions());
        Assert.Equal(-0.5f, result[0]);
        Assert.Equal(1.5f, result[1]);
    }

    [Fact]
    public void Normalize_ConstantOrNaN_GivesFiniteZeros()
    {
        var constant = Enumerable.Repeat(7f, 100).ToArray();
        var result = new float[100];
        ImageNormalizer.Normalize(constant, result, new NormalizationOptions());
        Assert.All(result, v => Assert.Equal(0f, v));
        var withNaN = Enumerable.Range(0, 100).Select(i => i == 5 ? float.NaN : (float)i).ToArray();
        ImageNormalizer.Normalize(withNaN, result, new NormalizationOptions());
        Assert.Equal(0f, result[5]);
        Assert.All(result, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Normalize_OffsetAndGain_DoNotChangeTheResult()
    {
        var rng = new Random(3);
        var a = Enumerable.Range(0, 4096).Select(_ => (float)rng.NextDouble()).ToArray();
        var b = a.Select(v => 100 + 40 * v).ToArray();
        var ra = new float[a.Length];
        var rb = new float[b.Length];
        ImageNormalizer.Normalize(a, ra, new NormalizationOptions());
        ImageNormalizer.Normalize(b, rb, new NormalizationOptions());
        for (int i = 0; i < a.Length; i++) Assert.Equal(ra[i], rb[i], 1e-4);
    }

    [Fact]
    public void Validate_BadPercentiles_Throws()
    {
        Assert.Throws<ArgumentException>(() => new NormalizationOptions { LowPercentile = 50, HighPercentile = 40 }.Validate());
        Assert.Throws<ArgumentException>(() => new NormalizationOptions { ClipLow = 2, ClipHigh = 1 }.Validate());
    }
}
