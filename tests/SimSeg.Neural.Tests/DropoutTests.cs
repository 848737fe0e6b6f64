using SimSeg.Core.Randomness;
using SimSeg.Neural.Layers;

namespace SimSeg.Neural.Tests;

public class DropoutTests
{
    [Fact]
    public void Forward_Training_DropsAboutPAndScalesSurvivors()
    {
        var x = new Tensor(4, 8, 50, 50);
        Array.Fill(x.Data, 2f);
        Tensor y = new Dropout(0.3, new Rng(1)).Forward(x, training: true);
        int dropped = y.Data.Count(v => v == 0);
        Assert.InRange(dropped / (double)y.Length, 0.29, 0.31);
        Assert.All(y.Data, v => Assert.True(v == 0 || Math.Abs(v - 2 / 0.7f) < 1e-6, $"{v}"));
        Assert.InRange(y.Data.Average(v => (double)v), 1.97, 2.03); // inverted dropout keeps the mean
    }

    [Fact]
    public void Forward_Eval_IsIdentityAndBackwardPassesThrough()
    {
        var rng = new Random(2);
        var x = GradientCheck.Random(rng, 2, 3, 4, 5);
        var layer = new Dropout(0.5, new Rng(2));
        Assert.Equal(x.Data, layer.Forward(x, training: false).Data);
        var dy = GradientCheck.Random(rng, 2, 3, 4, 5);
        Assert.Equal(dy.Data, layer.Backward(dy).Data);
        Assert.Equal(x.Data, new Dropout(0, new Rng(2)).Forward(x, training: true).Data);
        Assert.All(new Dropout(1, new Rng(2)).Forward(x, training: true).Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Forward_SameSeed_SameMask_NextCallNewMask()
    {
        var x = new Tensor(1, 1, 10, 10);
        Array.Fill(x.Data, 1f);
        var a = new Dropout(0.5, new Rng(3));
        var b = new Dropout(0.5, new Rng(3));
        float[] first = a.Forward(x, true).Data.ToArray();
        Assert.Equal(first, b.Forward(x, true).Data);
        Assert.NotEqual(first, a.Forward(x, true).Data);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Backward_MatchesFiniteDifferences(bool channelWise)
    {
        // A fresh layer with the same seed draws the same mask, so the objective is a fixed function of x.
        var rng = new Random(4);
        Tensor x = GradientCheck.Random(rng, 2, 3, 4, 5);
        Tensor upstream = GradientCheck.Random(rng, 2, 3, 4, 5);
        DropoutBase Make() => channelWise ? new Dropout2d(0.4, new Rng(5)) : new Dropout(0.4, new Rng(5));
        var layer = Make();
        layer.Forward(x, training: true);
        Tensor dx = layer.Backward(upstream).Clone();
        GradientCheck.CheckOne(x.Data, dx.Data, "input", () =>
        {
            Tensor y = Make().Forward(x, training: true);
            double sum = 0;
            for (int i = 0; i < y.Length; i++) sum += (double)upstream.Data[i] * y.Data[i];
            return sum;
        });
        Assert.Contains(0f, dx.Data);
    }

    [Fact]
    public void Dropout2d_ZeroesWholeChannels()
    {
        var x = new Tensor(8, 16, 3, 3);
        Array.Fill(x.Data, 1f);
        Tensor y = new Dropout2d(0.5, new Rng(6)).Forward(x, training: true);
        int droppedPlanes = 0;
        for (int p = 0; p < 8 * 16; p++)
        {
            var plane = y.Data.AsSpan(p * 9, 9).ToArray();
            Assert.True(plane.All(v => v == 0) || plane.All(v => v == 2f), $"plane {p} is mixed");
            if (plane[0] == 0) droppedPlanes++;
        }
        Assert.InRange(droppedPlanes, 40, 88);
    }

    [Fact]
    public void BadInput_NamesTheArgument()
    {
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => new Dropout2d(0.5, new Rng(7)).Forward(new Tensor(2, 3, 4), true)).ParamName);
        Assert.Equal("p", Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1.5, new Rng(7))).ParamName);
        Assert.Equal("p", Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout2d(double.NaN, new Rng(7))).ParamName);
        var layer = new Dropout(0.5, new Rng(7));
        Assert.Throws<InvalidOperationException>(() => layer.Backward(new Tensor(2)));
        layer.Forward(new Tensor(2, 2), true);
        Assert.Equal("outputGradient", Assert.Throws<ArgumentException>(() => layer.Backward(new Tensor(4))).ParamName);
        Assert.Empty(layer.Parameters);
    }
}
