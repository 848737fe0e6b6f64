using SimSeg.Neural.Losses;

namespace SimSeg.Neural.Tests;

public class KlDivergenceTests
{
    [Fact]
    public void Compute_KnownValues()
    {
        // N(0, 1) against itself is 0; per element, μ = 1 with logvar = 0 gives ½; logvar = ln 2 with μ = 0 gives ½(1 − ln 2).
        Assert.Equal(0, KlDivergence.Compute(new Tensor(3, 4), new Tensor(3, 4)), 12);
        var mu = new Tensor([1f, 0f], 1, 2);
        var logvar = new Tensor([0f, (float)Math.Log(2)], 1, 2);
        Assert.Equal(0.5 + 0.5 * (1 - Math.Log(2)), KlDivergence.Compute(mu, logvar), 6);
    }

    [Fact]
    public void Compute_Reductions_ScaleTheSum()
    {
        var rng = new Random(60);
        Tensor mu = GradientCheck.Random(rng, 4, 5), logvar = GradientCheck.Random(rng, 4, 5);
        double sum = KlDivergence.Compute(mu, logvar, reduction: KlReduction.Sum);
        double manual = 0;
        for (int i = 0; i < mu.Length; i++) manual += -0.5 * (1 + logvar.Data[i] - mu.Data[i] * (double)mu.Data[i] - Math.Exp(logvar.Data[i]));
        Assert.Equal(manual, sum, 9);
        Assert.Equal(sum / 4, KlDivergence.Compute(mu, logvar), 9);
        Assert.Equal(sum / 20, KlDivergence.Compute(mu, logvar, reduction: KlReduction.Mean), 9);
    }

    [Theory]
    [InlineData(KlReduction.BatchMean)]
    [InlineData(KlReduction.Sum)]
    [InlineData(KlReduction.Mean)]
    public void Compute_Gradients_MatchFiniteDifferences(KlReduction reduction)
    {
        var rng = new Random(61);
        Tensor mu = GradientCheck.Random(rng, 3, 4), logvar = GradientCheck.Random(rng, 3, 4);
        var (_, dmu, dlogvar) = KlDivergence.ComputeWithGradients(mu, logvar, reduction);
        GradientCheck.CheckOne(mu.Data, dmu.Data, "mu", () => KlDivergence.Compute(mu, logvar, reduction: reduction), atol: 1e-5);
        GradientCheck.CheckOne(logvar.Data, dlogvar.Data, "logvar", () => KlDivergence.Compute(mu, logvar, reduction: reduction), atol: 1e-5);
    }

    [Fact]
    public void Compute_BadShapes_NameTheArgument()
    {
        var mu = new Tensor(2, 3);
        Assert.Equal("logvar", Assert.Throws<ArgumentException>(() => KlDivergence.Compute(mu, new Tensor(3, 2))).ParamName);
        Assert.Equal("muGradient", Assert.Throws<ArgumentException>(() => KlDivergence.Compute(mu, mu, new Tensor(6))).ParamName);
        Assert.Equal("logvarGradient", Assert.Throws<ArgumentException>(() => KlDivergence.Compute(mu, mu, null, new Tensor(2, 2))).ParamName);
        Assert.Equal("mu", Assert.Throws<ArgumentException>(() => KlDivergence.Compute(new Tensor(), new Tensor())).ParamName);
    }
}
