using SimSeg.Neural.Losses;

namespace SimSeg.Neural.Tests;

public class MultiClassDiceLossTests
{
    private static (Tensor Logits, int[] Targets) Batch(int seed, int n = 2, int k = 3, int h = 3, int w = 4)
    {
        var rng = new Random(seed);
        var z = GradientCheck.Random(rng, n, k, h, w);
        for (int i = 0; i < z.Length; i++) z.Data[i] *= 2;
        var t = Enumerable.Range(0, n * h * w).Select(_ => rng.Next(k)).ToArray();
        return (z, t);
    }

    [Theory]
    [InlineData(1, 31)]
    [InlineData(0, 32)]
    [InlineData(2, 33)]
    public void Compute_Gradient_MatchesFiniteDifferences(int firstClass, int seed)
    {
        var (z, t) = Batch(seed);
        var g = z.ZerosLike();
        MultiClassDiceLoss.Compute(z, t, g, firstClass);
        GradientCheck.CheckOne(z.Data, g.Data, "logits", () => MultiClassDiceLoss.Compute(z, t, null, firstClass), rtol: 1e-2, atol: 1e-4);
        // Shifting every logit of a position leaves the softmax unchanged, so each position's gradient sums to zero.
        for (int i = 0; i < t.Length; i++)
        {
            int o = i / 12 * 3 * 12 + i % 12;
            Assert.Equal(0, g.Data[o] + g.Data[o + 12] + g.Data[o + 24], 1e-6);
        }
    }

    [Fact]
    public void Compute_HandWorkedExample()
    {
        // One image, two positions, K = 2: p(class 1) = [0.75, 0.5], targets [1, 0]. Class 1: I = 0.75, Σp = 1.25,
        // Σt = 1, so L = 1 − (2·0.75 + 1)/(1.25 + 1 + 1) = 1 − 2.5/3.25.
        var z = new Tensor([0f, 0f, (float)Math.Log(3), 0f], 1, 2, 2);
        Assert.Equal(1 - 2.5 / 3.25, MultiClassDiceLoss.Compute(z, [1, 0]), 6);
        // Both classes: class 0 has p = [0.25, 0.5], target [0, 1]: (2·0.5 + 1)/(0.75 + 1 + 1); the loss is 1 − the mean.
        Assert.Equal(1 - (2.5 / 3.25 + 2 / 2.75) / 2, MultiClassDiceLoss.Compute(z, [1, 0], firstClass: 0), 6);
    }

    [Fact]
    public void Compute_TwoClasses_EqualsSigmoidDiceOnTheLogitDifference()
    {
        // softmax([0, x])₁ = σ(x): the two-class loss over class 1 is DiceLoss on x, and its gradient splits into ±.
        var rng = new Random(40);
        int positions = 10;
        var z = new Tensor(1, 2, positions);
        var x = new Tensor(positions);
        var targets = new int[positions];
        var mask = new Tensor(positions);
        for (int i = 0; i < positions; i++)
        {
            x.Data[i] = z.Data[positions + i] = (float)(rng.NextDouble() * 6 - 3);
            targets[i] = rng.Next(2);
            mask.Data[i] = targets[i];
        }
        var g = z.ZerosLike();
        var gx = x.ZerosLike();
        Assert.Equal(DiceLoss.Compute(x, mask, gx), MultiClassDiceLoss.Compute(z, targets, g), 9);
        for (int i = 0; i < positions; i++)
        {
            Assert.Equal(gx.Data[i], g.Data[positions + i], 6);
            Assert.Equal(-gx.Data[i], g.Data[i], 6);
        }
    }

    [Fact]
    public void Compute_PerfectAndAbsentClasses()
    {
        // Confident and right: loss near 0; a class absent from both targets and predictions scores 0 loss (smoothing).
        var z = new Tensor([40f, -40f, 40f, -40f, 40f, -40f, -40f, -40f, -40f], 1, 3, 3);
        Assert.Equal(0, MultiClassDiceLoss.Compute(z, [0, 1, 0]), 6);
        // Confident and wrong on the only vesicle pixel: class 2's Dice is s / (0 + 1 + s) = 1/2 and class 1 stays perfect.
        Assert.Equal(0.25, MultiClassDiceLoss.Compute(z, [0, 1, 2]), 6);
        var huge = new Tensor([1000f, -1000f, 0f, 0f], 1, 2, 2);
        var g = huge.ZerosLike();
        MultiClassDiceLoss.Compute(huge, [0, 1], g);
        Assert.All(g.Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Compute_BadInput_NamesTheArgument()
    {
        var (z, t) = Batch(1);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => MultiClassDiceLoss.Compute(z, new int[5])).ParamName);
        var wrong = (int[])t.Clone();
        wrong[3] = 3;
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => MultiClassDiceLoss.Compute(z, wrong)).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => MultiClassDiceLoss.Compute(z, t, new Tensor(2, 3))).ParamName);
        Assert.Equal("firstClass", Assert.Throws<ArgumentOutOfRangeException>(() => MultiClassDiceLoss.Compute(z, t, firstClass: 3)).ParamName);
        Assert.Equal("smooth", Assert.Throws<ArgumentOutOfRangeException>(() => MultiClassDiceLoss.Compute(z, t, smooth: -1)).ParamName);
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => MultiClassDiceLoss.Compute(new Tensor(1, 1, 4), new int[4])).ParamName);
    }
}
