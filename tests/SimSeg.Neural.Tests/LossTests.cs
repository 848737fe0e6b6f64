using SimSeg.Neural.Losses;

namespace SimSeg.Neural.Tests;

public class LossTests
{
    private static (Tensor Logits, Tensor Targets) Sample(int seed)
    {
        var rng = new Random(seed);
        Tensor logits = GradientCheck.Random(rng, 2, 1, 3, 4);
        for (int i = 0; i < logits.Length; i++) logits.Data[i] *= 3;
        var targets = new Tensor(2, 1, 3, 4);
        for (int i = 0; i < targets.Length; i++) targets.Data[i] = rng.NextDouble() < 0.4 ? 1f : 0f;
        targets.Data[0] = 0.3f; // a soft target
        return (logits, targets);
    }

    private static void CheckGradient(Func<Tensor, Tensor, Tensor?, double> loss, int seed)
    {
        var (logits, targets) = Sample(seed);
        Tensor gradient = logits.ZerosLike();
        loss(logits, targets, gradient);
        GradientCheck.CheckOne(logits.Data, gradient.Data, "logits", () => loss(logits, targets, null), rtol: 1e-2, atol: 1e-4);
    }

    [Fact]
    public void BceWithLogits_KnownValues_StableForLargeLogits()
    {
        var logits = new Tensor([0f, 100f, -100f, 2f], 4);
        var targets = new Tensor([1f, 0f, 0f, 1f], 4);
        double expected = (Math.Log(2) + 100 + 0 + Math.Log(1 + Math.Exp(-2))) / 4;
        Assert.Equal(expected, BceWithLogits.Compute(logits, targets, null), 9);
    }

    [Fact]
    public void BceWithLogits_Gradient_MatchesFiniteDifferences() => CheckGradient(BceWithLogits.Compute, 21);

    [Fact]
    public void DiceLoss_Gradient_MatchesFiniteDifferences() => CheckGradient((x, t, g) => DiceLoss.Compute(x, t, g), 22);

    [Fact]
    public void DiceLoss_PerfectAndEmpty()
    {
        var logits = new Tensor([-40f, -40f, 40f, 40f], 4);
        Assert.Equal(0, DiceLoss.Compute(logits, new Tensor([0f, 0f, 1f, 1f], 4)), 6);
        Assert.Equal(0, DiceLoss.Compute(new Tensor([-40f, -40f], 2), new Tensor(2)), 6);
        Assert.Equal(1 - 1.0 / 3, DiceLoss.Compute(new Tensor([40f, -40f], 2), new Tensor([0f, 1f], 2)), 6);
    }

    [Fact]
    public void FocalLoss_Gradient_MatchesFiniteDifferences() => CheckGradient((x, t, g) => FocalLoss.Compute(x, t, g), 23);

    [Fact]
    public void FocalLoss_GammaZeroNoAlpha_EqualsBce()
    {
        var (logits, targets) = Sample(24);
        Tensor gf = logits.ZerosLike(), gb = logits.ZerosLike();
        Assert.Equal(BceWithLogits.Compute(logits, targets, gb), FocalLoss.Compute(logits, targets, gf, alpha: -1, gamma: 0), 9);
        for (int i = 0; i < gf.Length; i++) Assert.Equal(gb.Data[i], gf.Data[i], 6);
    }

    [Fact]
    public void FocalLoss_KnownValue()
    {
        // x = 0, t = 1: p = 0.5, ce = ln 2, loss = 0.25·0.5²·ln 2.
        Assert.Equal(0.25 * 0.25 * Math.Log(2), FocalLoss.Compute(new Tensor(1), new Tensor([1f], 1)), 9);
    }

    [Fact]
    public void Losses_MismatchedShapes_NameTheArgument()
    {
        var x = new Tensor(1, 1, 2, 2);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => BceWithLogits.Compute(x, new Tensor(1, 1, 2, 3), null)).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => DiceLoss.Compute(x, x.ZerosLike(), new Tensor(4))).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => FocalLoss.Compute(x, new Tensor(4))).ParamName);
    }
}
