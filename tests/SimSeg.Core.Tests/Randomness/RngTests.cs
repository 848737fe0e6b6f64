using SimSeg.Core.Randomness;

namespace SimSeg.Core.Tests.Randomness;

public class RngTests
{
    [Fact]
    public void NextUInt64_SameSeed_SameSequence()
    {
        var a = new Rng(42);
        var b = new Rng(42);
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
    }

    [Fact]
    public void ForStream_DifferentStreams_Differ()
    {
        Assert.NotEqual(Rng.ForStream(1, 0).NextUInt64(), Rng.ForStream(1, 1).NextUInt64());
        Assert.NotEqual(Rng.ForStream(1, 0).NextUInt64(), Rng.ForStream(2, 0).NextUInt64());
    }

    [Fact]
    public void NextUInt64_FixedSeed_GoldenValue()
    {
        // Pins the generator: datasets are reproducible only while this sequence never changes.
        var rng = new Rng(20261121);
        ulong first = rng.NextUInt64();
        Assert.Equal(first, new Rng(20261121).NextUInt64());
        Assert.Equal(Golden, first);
    }

    // First output of xoshiro256** seeded through SplitMix64 with 20261121, computed independently.
    private const ulong Golden = 15677486032317907337UL;

    [Theory]
    [InlineData(0.5)]
    [InlineData(4)]
    [InlineData(9.99)]
    [InlineData(10)]
    [InlineData(29.5)]
    [InlineData(30)]
    [InlineData(250)]
    [InlineData(10000)]
    public void NextPoisson_MeanAndVariance_MatchLambda(double lambda)
    {
        var rng = new Rng(9);
        const int n = 200_000;
        double sum = 0, sumSq = 0;
        for (int i = 0; i < n; i++)
        {
            double k = rng.NextPoisson(lambda);
            sum += k;
            sumSq += k * k;
        }
        double mean = sum / n, variance = sumSq / n - mean * mean;
        Assert.InRange(mean, lambda - 5 * Math.Sqrt(lambda / n), lambda + 5 * Math.Sqrt(lambda / n));
        Assert.InRange(variance / lambda, 0.97, 1.03);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(12.0)]
    [InlineData(35.0)]
    public void NextPoisson_Histogram_MatchesPmf(double lambda)
    {
        // Both samplers (inversion below 10, PTRS above) must reproduce the whole distribution, not only its moments.
        var rng = new Rng(3);
        const int n = 200_000;
        var counts = new int[200];
        for (int i = 0; i < n; i++)
        {
            long k = rng.NextPoisson(lambda);
            if (k < counts.Length) counts[k]++;
        }
        double p = Math.Exp(-lambda);
        for (int k = 0; k < counts.Length; k++)
        {
            double expected = n * p;
            if (expected > 50)
                Assert.InRange(counts[k], expected - 5 * Math.Sqrt(expected), expected + 5 * Math.Sqrt(expected));
            p *= lambda / (k + 1);
        }
    }

    [Fact]
    public void NextPoisson_NegativeLambda_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Rng(1).NextPoisson(-1));
        Assert.Equal("lambda", ex.ParamName);
    }

    [Fact]
    public void NextGaussian_MomentsAreStandardNormal()
    {
        var rng = new Rng(11);
        const int n = 200_000;
        double sum = 0, sumSq = 0;
        for (int i = 0; i < n; i++)
        {
            double g = rng.NextGaussian();
            sum += g;
            sumSq += g * g;
        }
        Assert.InRange(sum / n, -0.01, 0.01);
        Assert.InRange(sumSq / n, 0.98, 1.02);
    }

    [Fact]
    public void NextGaussian_Histogram_MatchesNormalCdfIncludingTails()
    {
        // The ziggurat's layers, wedges and tail must add up to the normal law: compare bin counts with the CDF.
        var rng = new Rng(12);
        const int n = 1_000_000;
        double[] edges = [-4, -3, -2.5, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3, 3.44, 4];
        var counts = new int[edges.Length + 1];
        for (int i = 0; i < n; i++)
        {
            double g = rng.NextGaussian();
            int b = 0;
            while (b < edges.Length && g >= edges[b]) b++;
            counts[b]++;
        }
        for (int b = 0; b <= edges.Length; b++)
        {
            double lo = b == 0 ? double.NegativeInfinity : edges[b - 1], hi = b == edges.Length ? double.PositiveInfinity : edges[b];
            double expected = n * (NormalCdf(hi) - NormalCdf(lo));
            double tolerance = 5 * Math.Sqrt(expected) + 2;
            Assert.InRange(counts[b], expected - tolerance, expected + tolerance);
        }
    }

    private static double NormalCdf(double x)
    {
        if (double.IsNegativeInfinity(x)) return 0;
        if (double.IsPositiveInfinity(x)) return 1;
        return 0.5 * Erfc(-x / Math.Sqrt(2));
    }

    // Complementary error function by its continued fraction / series (accurate to ~1e-12 here).
    private static double Erfc(double x)
    {
        if (x < 0) return 2 - Erfc(-x);
        if (x < 3)
        {
            double sum = x, term = x, x2 = x * x;
            for (int k = 1; k < 200; k++)
            {
                term *= -x2 / k;
                sum += term / (2 * k + 1);
            }
            return 1 - 2 / Math.Sqrt(Math.PI) * sum;
        }
        double f = 0;
        for (int k = 60; k >= 1; k--) f = k / 2.0 / (x + f);
        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / (x + f);
    }

    [Fact]
    public void NextInt_StaysInRangeAndCoversIt()
    {
        var rng = new Rng(5);
        var seen = new bool[7];
        for (int i = 0; i < 1000; i++)
        {
            int v = rng.NextInt(7);
            Assert.InRange(v, 0, 6);
            seen[v] = true;
        }
        Assert.All(seen, Assert.True);
    }
}
