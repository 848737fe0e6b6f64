using SimSeg.Core.Imaging;

namespace SimSeg.Core.Tests.Imaging;

public class ThresholdTests
{
    [Fact]
    public void Otsu_TwoLevels_SplitsBetweenThem()
    {
        var values = new float[1000];
        for (int i = 0; i < values.Length; i++) values[i] = i < 700 ? 10 : 50;
        double t = Threshold.Otsu(values);
        Assert.InRange(t, 10, 50);
        Assert.Equal(300, values.Count(v => v > t));
    }

    [Fact]
    public void Otsu_Bimodal_MatchesExhaustiveSearch()
    {
        var rng = new Random(20261121);
        var values = new float[4000];
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)(i % 3 == 0 ? 120 + 15 * Gaussian(rng) : 40 + 10 * Gaussian(rng));
        double t = Threshold.Otsu(values, 256);

        // Naive twin: try every bin edge and keep the one that maximises the between-class variance.
        float min = values.Min(), max = values.Max();
        double bestT = 0, bestVar = -1, width = (max - min) / 256.0;
        for (int b = 0; b < 255; b++)
        {
            double thr = min + (b + 0.5) * width;
            var lower = values.Where(v => (int)Math.Min(255, (v - min) / width) <= b).ToArray();
            var upper = values.Where(v => (int)Math.Min(255, (v - min) / width) > b).ToArray();
            if (lower.Length == 0 || upper.Length == 0) continue;
            double ml = lower.Average(v => min + ((int)Math.Min(255, (v - min) / width) + 0.5) * width);
            double mu = upper.Average(v => min + ((int)Math.Min(255, (v - min) / width) + 0.5) * width);
            double var = (double)lower.Length * upper.Length * (ml - mu) * (ml - mu);
            if (var > bestVar) { bestVar = var; bestT = thr; }
        }
        Assert.Equal(bestT, t, 4);
        Assert.InRange(t, 55, 105);
    }

    [Fact]
    public void Otsu_ConstantImage_ReturnsTheValueSoNothingIsForeground()
    {
        var values = Enumerable.Repeat(7f, 50).ToArray();
        double t = Threshold.Otsu(values);
        Assert.Equal(7, t);
        Assert.DoesNotContain(values, v => v > t);
    }

    [Fact]
    public void Otsu_Empty_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Threshold.Otsu(ReadOnlySpan<float>.Empty));
        Assert.Contains("values", ex.Message);
    }

    private static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}
