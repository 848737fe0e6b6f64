using SimSeg.Core.Imaging;

namespace SimSeg.Core.Tests.Imaging;

public class SeparableFilterTests
{
    private static float[] RandomPlane(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble()).ToArray();
    }

    [Theory]
    [InlineData(0, 2, 1.3)]
    [InlineData(1, 0, 0.8)]
    [InlineData(2, 1, 2.0)]
    public void Apply_RandomImage_MatchesNaive2DConvolution(int orderX, int orderY, double sigma)
    {
        const int w = 29, h = 13; // 29 columns: both the vector loop and the scalar tail run
        var source = RandomPlane(w * h, 5);
        float[] kx = SeparableFilter.GaussianKernel(sigma, orderX), ky = SeparableFilter.GaussianKernel(sigma, orderY);
        var fast = new float[w * h];
        SeparableFilter.Apply(source, w, h, kx, ky, fast);
        int rx = kx.Length / 2, ry = ky.Length / 2;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double sum = 0;
                for (int t = -ry; t <= ry; t++)
                    for (int s = -rx; s <= rx; s++)
                        sum += kx[s + rx] * ky[t + ry] * source[GaussianBlur.Reflect(y - t, h) * w + GaussianBlur.Reflect(x - s, w)];
                Assert.Equal(sum, fast[y * w + x], 4);
            }
    }

    [Fact]
    public void Apply_GaussianKernel_EqualsGaussianBlur()
    {
        const int w = 20, h = 18;
        var source = RandomPlane(w * h, 2);
        var a = new float[w * h];
        var b = new float[w * h];
        var k = SeparableFilter.GaussianKernel(1.7);
        SeparableFilter.Apply(source, w, h, k, k, a);
        GaussianBlur.Apply(source, w, h, 1.7, b);
        for (int i = 0; i < a.Length; i++) Assert.Equal(b[i], a[i], 5);
    }

    [Fact]
    public void Apply_DerivativeKernels_GiveSignedDerivativesOfAParabola()
    {
        // f = 0.5·x² − 3·x·y/… on a plane far from the borders: d/dx f = x, d²/dx² f = 1, d²/dxdy of x·y = 1.
        const int w = 64, h = 64;
        var parabola = new float[w * h];
        var product = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                parabola[y * w + x] = 0.5f * (x - 32) * (x - 32);
                product[y * w + x] = (x - 32) * (y - 32);
            }
        var d = new float[w * h];
        SeparableFilter.Apply(parabola, w, h, SeparableFilter.GaussianKernel(2, 1), SeparableFilter.GaussianKernel(2, 0), d);
        Assert.Equal(5, d[32 * w + 37], 2);
        SeparableFilter.Apply(parabola, w, h, SeparableFilter.GaussianKernel(2, 2), SeparableFilter.GaussianKernel(2, 0), d);
        Assert.Equal(1, d[32 * w + 30], 2);
        SeparableFilter.Apply(product, w, h, SeparableFilter.GaussianKernel(2, 1), SeparableFilter.GaussianKernel(2, 1), d);
        Assert.Equal(1, d[30 * w + 34], 2);
    }

    [Fact]
    public void Apply_EvenKernel_Throws() =>
        Assert.Throws<ArgumentException>(() => SeparableFilter.Apply(new float[4], 2, 2, new float[2], new float[1], new float[4]));
}

public class BoxFilterTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(21)] // larger than the plane: the mirror keeps reflecting
    public void Mean_RandomImage_MatchesNaiveWindowMean(int size)
    {
        const int w = 17, h = 11;
        var rng = new Random(size);
        var source = Enumerable.Range(0, w * h).Select(_ => (float)(100 * rng.NextDouble())).ToArray();
        var fast = new float[w * h];
        BoxFilter.Mean(source, w, h, size, fast);
        int r = size / 2;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double sum = 0;
                for (int dy = -r; dy <= r; dy++)
                    for (int dx = -r; dx <= r; dx++)
                        sum += source[GaussianBlur.Reflect(y + dy, h) * w + GaussianBlur.Reflect(x + dx, w)];
                Assert.Equal(sum / (size * size), fast[y * w + x], 3);
            }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Mean_BadSize_ThrowsNamingIt(int size) =>
        Assert.Contains("size", Assert.Throws<ArgumentOutOfRangeException>(() => BoxFilter.Mean(new float[9], 3, 3, size, new float[9])).Message);
}

public class MedianFilterTests
{
    private static ushort NaiveMedian(ushort[] source, int w, int h, int x, int y, int r)
    {
        var values = new List<ushort>();
        for (int dy = -r; dy <= r; dy++)
            for (int dx = -r; dx <= r; dx++)
                if (dx * dx + dy * dy <= r * r)
                    values.Add(source[GaussianBlur.Reflect(y + dy, h) * w + GaussianBlur.Reflect(x + dx, w)]);
        values.Sort();
        Assert.Equal(1, values.Count % 2);
        return values[values.Count / 2];
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(3, 256)]
    [InlineData(6, 40)]
    [InlineData(12, 3)] // radius larger than the plane
    public void Disc_RandomLevels_MatchesNaiveSortedFootprint(int radius, int levels)
    {
        const int w = 19, h = 9;
        var rng = new Random(radius * 100 + levels);
        var source = Enumerable.Range(0, w * h).Select(_ => (ushort)rng.Next(levels)).ToArray();
        var fast = new ushort[w * h];
        MedianFilter.Disc(source, w, h, radius, levels, fast);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                Assert.Equal(NaiveMedian(source, w, h, x, y, radius), fast[y * w + x]);
    }

    [Fact]
    public void Disc_Float_IsTheMedianOfTheQuantisedPlaneWithinHalfAStep()
    {
        const int w = 24, h = 20, levels = 64;
        var rng = new Random(11);
        var source = Enumerable.Range(0, w * h).Select(_ => (float)(50 + 30 * rng.NextDouble())).ToArray();
        var result = new float[w * h];
        MedianFilter.Disc(source, w, h, 2, result, levels);
        var q = new ushort[w * h];
        var (min, step) = MedianFilter.Quantize(source, levels, q);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                Assert.Equal(min + NaiveMedian(q, w, h, x, y, 2) * step, result[y * w + x], 3);
                var exact = new List<float>();
                for (int dy = -2; dy <= 2; dy++)
                    for (int dx = -2; dx <= 2; dx++)
                        if (dx * dx + dy * dy <= 4) exact.Add(source[GaussianBlur.Reflect(y + dy, h) * w + GaussianBlur.Reflect(x + dx, w)]);
                exact.Sort();
                Assert.True(Math.Abs(exact[exact.Count / 2] - result[y * w + x]) <= 0.5 * step + 1e-4);
            }
    }

    [Fact]
    public void Disc_ConstantPlane_Unchanged()
    {
        var source = Enumerable.Repeat(7.5f, 30).ToArray();
        var result = new float[30];
        MedianFilter.Disc(source, 6, 5, 3, result);
        Assert.All(result, v => Assert.Equal(7.5f, v));
    }

    [Fact]
    public void Disc_SaltNoise_Removed()
    {
        var source = new float[15 * 15];
        source[7 * 15 + 7] = 1000;
        var result = new float[source.Length];
        MedianFilter.Disc(source, 15, 15, 1, result);
        Assert.All(result, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Disc_NaN_ThrowsNamingSource() =>
        Assert.Contains("source", Assert.Throws<ArgumentException>(() => MedianFilter.Disc([1f, float.NaN, 2f, 3f], 2, 2, 1, new float[4])).Message);
}
