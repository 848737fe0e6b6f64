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

    /// <summary>Logits (k + 0.3)/10 in random order: the hinge errors 1 ∓ x are all distinct by at least 0.04 and at least
    /// 0.03 from 0, so a finite-difference step of 0.01 crosses no kink of the piecewise-linear loss.</summary>
    private static (Tensor Logits, Tensor Targets) LovaszSample(int seed)
    {
        var rng = new Random(seed);
        var logits = new Tensor(3, 1, 4, 4);
        var values = Enumerable.Range(-24, 48).Select(k => (float)((k + 0.3) / 10)).OrderBy(_ => rng.Next()).ToArray();
        values.AsSpan(0, logits.Length).CopyTo(logits.Data);
        var targets = new Tensor(3, 1, 4, 4);
        for (int i = 0; i < targets.Length; i++) targets.Data[i] = rng.NextDouble() < 0.4 ? 1f : 0f;
        for (int i = 16; i < 32; i++) targets.Data[i] = 0; // the second image has no foreground
        return (logits, targets);
    }

    [Fact]
    public void LovaszHinge_Gradient_MatchesFiniteDifferences()
    {
        var (logits, targets) = LovaszSample(25);
        Tensor gradient = logits.ZerosLike();
        LovaszHingeLoss.Compute(logits, targets, gradient);
        Assert.Contains(gradient.Data, g => g != 0);
        GradientCheck.CheckOne(logits.Data, gradient.Data, "logits", () => LovaszHingeLoss.Compute(logits, targets), rtol: 1e-3, atol: 1e-5);
    }

    [Fact]
    public void LovaszHinge_EqualsNaiveLovaszExtension()
    {
        // The naive twin evaluates the Lovász extension by its other form, Σₖ (e₍ₖ₎ − e₍ₖ₊₁₎)·J(first k errors),
        // computing each Jaccard loss from the set of the first k elements directly.
        var (logits, targets) = LovaszSample(26);
        double expected = 0;
        for (int n = 0; n < 3; n++)
        {
            var e = Enumerable.Range(0, 16).Select(i => (Index: i, Error: 1 - logits.Data[n * 16 + i] * (2 * targets.Data[n * 16 + i] - 1)))
                .OrderByDescending(p => p.Error).ToArray();
            bool[] wrong = new bool[16];
            for (int k = 0; k < 16 && e[k].Error > 0; k++)
            {
                wrong[e[k].Index] = true;
                int intersection = 0, union = 0;
                for (int i = 0; i < 16; i++)
                {
                    bool truth = targets.Data[n * 16 + i] == 1, predicted = truth != wrong[i];
                    if (truth && predicted) intersection++;
                    if (truth || predicted) union++;
                }
                double next = k + 1 < 16 ? Math.Max(e[k + 1].Error, 0) : 0;
                expected += (e[k].Error - next) * (union == 0 ? 0 : 1 - (double)intersection / union);
            }
        }
        Assert.Equal(expected / 3, LovaszHingeLoss.Compute(logits, targets), 5);
    }

    [Fact]
    public void LovaszHinge_OnUnitErrors_IsTheJaccardLoss()
    {
        // Logits ±1 on the right side give error 0, logit 0 gives error 1: the loss is then exactly 1 − IoU of the
        // prediction that gets the zero-logit pixels wrong. Truth 1,1,1,0,0,0; pixels 2 (foreground) and 3 (background)
        // wrong: prediction 1,1,0,1,0,0, IoU 2/4.
        var targets = new Tensor([1f, 1f, 1f, 0f, 0f, 0f], 1, 6);
        var logits = new Tensor([1f, 1f, 0f, 0f, -1f, -1f], 1, 6);
        Assert.Equal(0.5, LovaszHingeLoss.Compute(logits, targets), 9);
        Assert.Equal(0, LovaszHingeLoss.Compute(new Tensor([3f, 2f, 1f, -1f, -2f, -3f], 1, 6), targets), 9);
        Assert.Equal(1, LovaszHingeLoss.Compute(new Tensor(1, 6), targets), 9); // all logits 0: everything uncertain
        Assert.Equal(0, LovaszHingeLoss.Compute(new Tensor([-1f, -5f], 1, 2), new Tensor(1, 2)), 9); // empty, predicted empty
    }

    [Fact]
    public void Losses_MismatchedShapes_NameTheArgument()
    {
        var x = new Tensor(1, 1, 2, 2);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => BceWithLogits.Compute(x, new Tensor(1, 1, 2, 3), null)).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => DiceLoss.Compute(x, x.ZerosLike(), new Tensor(4))).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => FocalLoss.Compute(x, new Tensor(4))).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => LovaszHingeLoss.Compute(x, new Tensor(4))).ParamName);
    }
}
