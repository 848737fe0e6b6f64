using SimSeg.Analysis.Plots;

namespace SimSeg.Analysis.Tests.Plots;

public class KernelDensityTests
{
    [Fact]
    public void Gaussian_RandomSample_IntegratesToOne()
    {
        var random = new Random(20240611);
        double[] samples = Enumerable.Range(0, 200).Select(_ => random.NextDouble() * 3 + (random.NextDouble() < 0.3 ? 10 : 0)).ToArray();
        double h = KernelDensity.SilvermanBandwidth(samples);
        double lo = samples.Min() - 8 * h, hi = samples.Max() + 8 * h;
        const int n = 4001;
        double[] at = Enumerable.Range(0, n).Select(i => lo + (hi - lo) * i / (n - 1)).ToArray();

        double[] density = KernelDensity.Gaussian(samples, h, at);

        double dx = (hi - lo) / (n - 1), integral = 0;
        for (int i = 1; i < n; i++) integral += 0.5 * (density[i] + density[i - 1]) * dx;
        Assert.Equal(1.0, integral, 1e-4);
        Assert.All(density, d => Assert.True(d >= 0));
    }

    [Fact]
    public void Gaussian_OneSample_IsTheNormalDensity()
    {
        double[] d = KernelDensity.Gaussian([2.0], 0.5, [2.0, 2.5]);

        Assert.Equal(1 / (0.5 * Math.Sqrt(2 * Math.PI)), d[0], 1e-12);
        Assert.Equal(Math.Exp(-0.5) / (0.5 * Math.Sqrt(2 * Math.PI)), d[1], 1e-12);
    }

    [Fact]
    public void SilvermanBandwidth_KnownSample_MatchesTheFormula()
    {
        double[] samples = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        double sigma = Math.Sqrt(samples.Select(v => (v - 5.5) * (v - 5.5)).Sum() / 9);
        double iqr = 7.75 - 3.25; // numpy's default (linear) quantiles
        double expected = 0.9 * Math.Min(sigma, iqr / 1.34) * Math.Pow(10, -0.2);

        Assert.Equal(expected, KernelDensity.SilvermanBandwidth(samples), 1e-12);
    }

    [Theory]
    [InlineData(new double[0])]
    [InlineData(new[] { 3.0 })]
    [InlineData(new[] { 3.0, 3.0, 3.0 })]
    public void SilvermanBandwidth_NoSpread_IsZero(double[] samples)
    {
        Assert.Equal(0, KernelDensity.SilvermanBandwidth(samples));
    }

    [Fact]
    public void SilvermanBandwidth_ManyTies_FallsBackToStandardDeviation()
    {
        double[] samples = [0, 0, 0, 0, 0, 0, 0, 0, 1, 5];

        Assert.True(KernelDensity.SilvermanBandwidth(samples) > 0);
    }

    [Fact]
    public void Gaussian_NaNSample_ThrowsNamingSamples()
    {
        var e = Assert.Throws<ArgumentException>(() => KernelDensity.Gaussian([1, double.NaN], 1, [0.0]));
        Assert.Equal("samples", e.ParamName);
    }

    [Fact]
    public void Gaussian_ZeroBandwidth_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => KernelDensity.Gaussian([1.0], 0, [0.0]));
        Assert.Equal("bandwidth", e.ParamName);
    }

    [Fact]
    public void Gaussian_DestinationOfWrongLength_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => KernelDensity.Gaussian([1.0], 1, [0.0, 1.0], new double[1]));
        Assert.Equal("destination", e.ParamName);
    }
}
