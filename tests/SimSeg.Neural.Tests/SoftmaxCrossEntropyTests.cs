using SimSeg.Neural.Layers;
using SimSeg.Neural.Losses;

namespace SimSeg.Neural.Tests;

public class SoftmaxCrossEntropyTests
{
    // Logits 3·sin(1.7·i) as [2, 3, 2, 2]; targets [[0, 2], [1, ignore]], [[1, 1], [2, 0]]. Expected values from
    // PyTorch 1.13's nn.CrossEntropyLoss (mean reduction), without and with weight=[0.2, 1, 2.5].
    private static Tensor Logits()
    {
        var z = new Tensor(2, 3, 2, 2);
        for (int i = 0; i < z.Length; i++) z.Data[i] = (float)(Math.Sin(1.7 * i) * 3);
        return z;
    }

    private static readonly int[] Targets = [0, 2, 1, -100, 1, 1, 2, 0];

    [Fact]
    public void Compute_Unweighted_EqualsPyTorch()
    {
        float[] expected = [-0.1351631f, 0.0826722f, 0.1032198f, 0f, 0.0338787f, 0.0463096f, -0.1156396f, 0f, 0.1012844f, -0.1289818f, 0.0124198f, 0f,
            0.0736296f, 0.1074512f, 0.0133507f, -0.1298895f, -0.0915675f, -0.1171689f, 0.0277125f, 0.0449374f, 0.0179379f, 0.0097177f, -0.0410632f, 0.0849521f];
        var z = Logits();
        var g = z.ZerosLike();
        Assert.Equal(1.7699377536773682, SoftmaxCrossEntropy.Compute(z, Targets, g), 6);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], g.Data[i], 1e-6f);
    }

    [Fact]
    public void Compute_ClassWeights_EqualsPyTorch()
    {
        float[] expected = [-0.0225272f, 0.1722337f, 0.0860165f, 0f, 0.0056465f, 0.0964784f, -0.0963664f, 0f, 0.0168807f, -0.2687122f, 0.0103498f, 0f,
            0.061358f, 0.0895427f, 0.027814f, -0.0216482f, -0.0763063f, -0.0976407f, 0.0577344f, 0.0074896f, 0.0149483f, 0.0080981f, -0.0855484f, 0.0141587f];
        var z = Logits();
        var g = z.ZerosLike();
        Assert.Equal(1.4451051950454712, SoftmaxCrossEntropy.Compute(z, Targets, g, [0.2f, 1f, 2.5f]), 6);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], g.Data[i], 1e-6f);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Compute_Gradient_MatchesFiniteDifferences(bool weighted)
    {
        var z = Logits();
        float[] weights = weighted ? [0.2f, 1f, 2.5f] : [];
        var g = z.ZerosLike();
        SoftmaxCrossEntropy.Compute(z, Targets, g, weights);
        GradientCheck.CheckOne(z.Data, g.Data, "logits", () => SoftmaxCrossEntropy.Compute(z, Targets, null, weights), rtol: 1e-2, atol: 1e-4);
    }

    [Fact]
    public void Compute_RankTwoLogits_IsClassification()
    {
        // N×K logits: row 0 is [0, ln 3] with target 1, so ℓ = ln(1 + 3) − ln 3; row 1 is uniform over 2 classes.
        var z = new Tensor([0f, (float)Math.Log(3), 5f, 5f], 2, 2);
        double expected = (Math.Log(4) - Math.Log(3) + Math.Log(2)) / 2;
        Assert.Equal(expected, SoftmaxCrossEntropy.Compute(z, [1, 0]), 6);
    }

    [Fact]
    public void Compute_TensorTargets_EqualIntegerTargets()
    {
        var z = Logits();
        var asTensor = new Tensor(Targets.Select(t => (float)t).ToArray(), 2, 1, 2, 2);
        Assert.Equal(SoftmaxCrossEntropy.Compute(z, Targets), SoftmaxCrossEntropy.Compute(z, asTensor));
        var flat = new Tensor(Targets.Select(t => (float)t).ToArray(), 2, 2, 2);
        Assert.Equal(SoftmaxCrossEntropy.Compute(z, Targets), SoftmaxCrossEntropy.Compute(z, flat));
    }

    [Fact]
    public void Compute_HugeLogits_StayFinite_AllIgnoredIsNaN()
    {
        var z = new Tensor([1000f, -1000f, 0f, 1000f], 2, 2);
        Assert.Equal((2000 + 1000) / 2.0, SoftmaxCrossEntropy.Compute(z, [1, 0]), 6); // ℓ = 1000 − (−1000) and 1000 − 0
        var g = z.ZerosLike();
        Array.Fill(g.Data, 7f);
        Assert.True(double.IsNaN(SoftmaxCrossEntropy.Compute(z, [-1, -1], g, ignoreIndex: -1)));
        Assert.All(g.Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Compute_BadInput_NamesTheArgument()
    {
        var z = Logits();
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Compute(z, new int[7])).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Compute(z, [0, 1, 2, 3, 0, 0, 0, 0])).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Compute(z, new Tensor(2, 3, 2, 2))).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Compute(z, new Tensor([0.5f, 0, 0, 0, 0, 0, 0, 0], 2, 2, 2))).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Compute(z, Targets, new Tensor(2, 3, 2))).ParamName);
        Assert.Equal("classWeights", Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Compute(z, Targets, null, [1f, 1f])).ParamName);
        Assert.Equal("classWeights", Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Compute(z, Targets, null, [1f, -1f, 1f])).ParamName);
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Compute(new Tensor(4), new int[4])).ParamName);
    }

    [Fact]
    public void Softmax_KnownValues_SumToOne_InPlace()
    {
        var z = new Tensor([1f, 1000f, 2f, 1000f, 3f, 0f], 1, 3, 2); // two positions, classes on dimension 1
        Tensor p = Softmax.Forward(z);
        float[] expected = [0.09003057f, 0.5f, 0.24472848f, 0.5f, 0.66524094f, 0f];
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], p.Data[i], 6);
        var image = GradientCheck.Random(new Random(50), 2, 4, 3, 5);
        Softmax.Forward(image, image);
        for (int n = 0; n < 2; n++)
            for (int s = 0; s < 15; s++)
                Assert.Equal(1.0, Enumerable.Range(0, 4).Sum(c => (double)image.Data[(n * 4 + c) * 15 + s]), 5);
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => Softmax.Forward(new Tensor(3))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Softmax.Forward(z, new Tensor(3, 2))).ParamName);
    }
}
