using SimSeg.Core.Randomness;
using SimSeg.Neural.Layers;

namespace SimSeg.Neural.Tests;

public class LinearTests
{
    [Fact]
    public void Forward_KnownWeights_IsXWTransposePlusBias()
    {
        var layer = new Linear(3, 2, new Rng(1));
        new float[] { 1, 2, 3, -1, 0, 4 }.CopyTo(layer.Weight.Value.Data, 0);
        new float[] { 0.5f, -2 }.CopyTo(layer.Bias!.Value.Data, 0);
        Tensor y = layer.Forward(new Tensor([1f, 1f, 1f, 2f, 0f, -1f], 2, 3), training: false);
        Assert.Equal([2, 2], y.Shape);
        Assert.Equal([6.5f, 1f, -0.5f, -8f], y.Data);
    }

    [Fact]
    public void Backward_MatchesFiniteDifferences() =>
        GradientCheck.Check(new Linear(7, 5, new Rng(2)), GradientCheck.Random(new Random(40), 4, 7), seed: 41);

    [Fact]
    public void Backward_LeadingDimensions_MatchFiniteDifferences()
    {
        // PyTorch applies Linear over the last dimension of [..., in]; here [2, 3, 6] → [2, 3, 4], without bias.
        var layer = new Linear(6, 4, new Rng(3), bias: false);
        Assert.Equal([2, 3, 4], layer.Forward(new Tensor(2, 3, 6), true).Shape);
        GradientCheck.Check(layer, GradientCheck.Random(new Random(42), 2, 3, 6), seed: 43);
    }

    [Fact]
    public void Backward_Accumulates_AcrossCalls()
    {
        var layer = new Linear(3, 2, new Rng(4));
        var x = GradientCheck.Random(new Random(44), 5, 3);
        var dy = GradientCheck.Random(new Random(45), 5, 2);
        layer.Forward(x, true);
        layer.Backward(dy);
        float[] once = layer.Weight.Gradient.Data.ToArray();
        layer.Backward(dy);
        for (int i = 0; i < once.Length; i++) Assert.Equal(2 * once[i], layer.Weight.Gradient.Data[i], 5);
    }

    [Fact]
    public void Constructor_ParametersAndInit_FollowPyTorch()
    {
        var layer = new Linear(16, 3, new Rng(5));
        Assert.Equal(["weight", "bias"], layer.Parameters.Select(p => p.Name));
        Assert.Equal([3, 16], layer.Weight.Value.Shape);
        Assert.Equal([3], layer.Bias!.Value.Shape);
        Assert.All(layer.Weight.Value.Data, v => Assert.InRange(v, -0.25f, 0.25f));
        Assert.All(layer.Bias.Value.Data, v => Assert.InRange(v, -0.25f, 0.25f));
        Assert.Single(new Linear(16, 3, new Rng(5), bias: false).Parameters);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Linear(0, 3, new Rng(5)));
    }

    [Fact]
    public void Forward_WrongFeaturesOrRank_NamesInput()
    {
        var layer = new Linear(4, 2, new Rng(6));
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(3, 5), false)).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(), false)).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(2, 4, 1, 1), false)).ParamName);
        layer.Forward(new Tensor(3, 4), false);
        Assert.Equal("outputGradient", Assert.Throws<ArgumentException>(() => layer.Backward(new Tensor(3, 3))).ParamName);
    }
}
