using SimSeg.Neural.Layers;

namespace SimSeg.Neural.Tests;

public class LayerTests
{
    public static TheoryData<string> Activations => ["relu", "leaky", "sigmoid", "tanh", "silu"];

    private static Activation Make(string name) => name switch
    {
        "relu" => new ReLU(),
        "leaky" => new LeakyReLU(0.1f),
        "sigmoid" => new Sigmoid(),
        "tanh" => new Tanh(),
        _ => new SiLU(),
    };

    [Theory]
    [MemberData(nameof(Activations))]
    public void Activation_Backward_MatchesFiniteDifferences(string name)
    {
        var rng = new Random(20240601);
        // 2·3·3·5 = 90 elements: SIMD body and scalar tail both run.
        GradientCheck.Check(Make(name), GradientCheck.AwayFromZero(rng, 2, 3, 3, 5), seed: 1);
    }

    [Fact]
    public void Activations_Forward_KnownValues()
    {
        var x = new Tensor([-2f, -0.5f, 0f, 0.5f, 2f, -1f, 1f, 3f, -3f, 0.25f], 10);
        Assert.Equal([0f, 0f, 0f, 0.5f, 2f, 0f, 1f, 3f, 0f, 0.25f], new ReLU().Forward(x, true).Data);
        Assert.Equal(-0.2f, new LeakyReLU(0.1f).Forward(x, true).Data[0], 6);
        Assert.Equal(0.5f, new Sigmoid().Forward(x, true).Data[2]);
        Assert.Equal(MathF.Tanh(2f), new Tanh().Forward(x, true).Data[4], 6);
        Assert.Equal(2f / (1f + MathF.Exp(-2f)), new SiLU().Forward(x, true).Data[4], 6);
        var extreme = new Tensor([-1000f, 1000f], 2);
        Assert.Equal([0f, 1f], new Sigmoid().Forward(extreme, true).Data);
    }

    [Fact]
    public void MaxPool2d_OddSize_FloorsAndRoutesGradientToArgmax()
    {
        var x = new Tensor(1, 1, 5, 5);
        for (int i = 0; i < 25; i++) x.Data[i] = i;
        var pool = new MaxPool2d(2);
        Tensor y = pool.Forward(x, true);
        Assert.Equal([1, 1, 2, 2], y.Shape);
        Assert.Equal([6f, 8f, 16f, 18f], y.Data);
        Tensor dx = pool.Backward(new Tensor([1f, 2f, 3f, 4f], 1, 1, 2, 2));
        Assert.Equal(1f, dx.Data[6]);
        Assert.Equal(4f, dx.Data[18]);
        Assert.Equal(10f, dx.Data.Sum());
    }

    [Fact]
    public void MaxPool2d_Backward_MatchesFiniteDifferences() =>
        GradientCheck.Check(new MaxPool2d(2), GradientCheck.Distinct(new Random(7), 2, 2, 5, 6), seed: 2);

    [Fact]
    public void AvgPool2d_ForwardAndBackward()
    {
        var x = new Tensor(1, 1, 3, 4);
        for (int i = 0; i < 12; i++) x.Data[i] = i;
        var pool = new AvgPool2d(2);
        Assert.Equal([2.5f, 4.5f], pool.Forward(x, true).Data);
        GradientCheck.Check(pool, GradientCheck.Random(new Random(8), 2, 3, 5, 4), seed: 3);
    }

    [Fact]
    public void GlobalAvgPool_ForwardAndBackward()
    {
        var pool = new GlobalAvgPool();
        var x = new Tensor([1f, 2f, 3f, 6f, 0f, 0f, 0f, 4f], 1, 2, 2, 2);
        Assert.Equal([3f, 1f], pool.Forward(x, true).Data);
        GradientCheck.Check(pool, GradientCheck.Random(new Random(9), 2, 3, 3, 4), seed: 4);
    }

    [Fact]
    public void UpsampleNearest2d_ForwardAndBackward()
    {
        var up = new UpsampleNearest2d(2);
        Tensor y = up.Forward(new Tensor([1f, 2f, 3f, 4f], 1, 1, 2, 2), true);
        Assert.Equal([1, 1, 4, 4], y.Shape);
        Assert.Equal([1f, 1f, 2f, 2f, 1f, 1f, 2f, 2f, 3f, 3f, 4f, 4f, 3f, 3f, 4f, 4f], y.Data);
        GradientCheck.Check(up, GradientCheck.Random(new Random(10), 2, 2, 3, 2), seed: 5);
    }

    [Fact]
    public void BatchNorm2d_Training_NormalisesAndUpdatesRunningStats()
    {
        var bn = new BatchNorm2d(2);
        // Channel 0 holds 1..4 over two images; channel 1 is constant 5.
        var x = new Tensor([1f, 2f, 5f, 5f, 3f, 4f, 5f, 5f], 2, 2, 1, 2);
        Tensor y = bn.Forward(x, training: true);
        double invStd = 1 / Math.Sqrt(1.25 + 1e-5);
        Assert.Equal(-1.5 * invStd, y.Data[0], 5);
        Assert.Equal(1.5 * invStd, y.Data[5], 5);
        Assert.Equal(0f, y.Data[2], 5);
        // Running mean 0.9·0 + 0.1·2.5; running variance 0.9·1 + 0.1·(5/3), the unbiased variance.
        Assert.Equal(0.25f, bn.RunningMean.Value.Data[0], 6);
        Assert.Equal(0.5f, bn.RunningMean.Value.Data[1], 6);
        Assert.Equal(0.9f + 0.1f * 5f / 3f, bn.RunningVar.Value.Data[0], 6);
        Assert.Equal(0.9f, bn.RunningVar.Value.Data[1], 6);
        Assert.Equal(1f, bn.NumBatchesTracked.Value.Data[0]);
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], bn.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void BatchNorm2d_Eval_UsesRunningStats()
    {
        var bn = new BatchNorm2d(1);
        bn.RunningMean.Value.Data[0] = 2;
        bn.RunningVar.Value.Data[0] = 4;
        bn.Weight.Value.Data[0] = 3;
        bn.Bias.Value.Data[0] = 1;
        Tensor y = bn.Forward(new Tensor([4f, 0f], 1, 1, 1, 2), training: false);
        double s = 3 / Math.Sqrt(4 + 1e-5);
        Assert.Equal(1 + 2 * s, y.Data[0], 5);
        Assert.Equal(1 - 2 * s, y.Data[1], 5);
        Assert.Equal(0f, bn.NumBatchesTracked.Value.Data[0]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchNorm2d_Backward_MatchesFiniteDifferences(bool training)
    {
        var rng = new Random(11);
        var bn = new BatchNorm2d(3);
        for (int c = 0; c < 3; c++)
        {
            bn.Weight.Value.Data[c] = 0.5f + (float)rng.NextDouble();
            bn.Bias.Value.Data[c] = (float)rng.NextDouble() - 0.5f;
            bn.RunningMean.Value.Data[c] = 0.2f * c;
            bn.RunningVar.Value.Data[c] = 1 + 0.5f * c;
        }
        GradientCheck.Check(bn, GradientCheck.Random(rng, 2, 3, 4, 3), seed: 6, training);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchNorm2d_FusedReLU_EqualsBatchNormThenReLU(bool training)
    {
        var rng = new Random(14);
        Tensor x = GradientCheck.Random(rng, 2, 4, 40, 30);
        var fused = new BatchNorm2d(4, fuseReLU: true);
        var plain = new BatchNorm2d(4);
        foreach (var bn in new[] { fused, plain })
            for (int c = 0; c < 4; c++)
            {
                bn.Weight.Value.Data[c] = 0.5f + 0.25f * c;
                bn.Bias.Value.Data[c] = 0.1f * c - 0.2f;
                bn.RunningMean.Value.Data[c] = 0.05f * c;
                bn.RunningVar.Value.Data[c] = 0.8f + 0.1f * c;
            }
        var relu = new ReLU();
        float[] expected = relu.Forward(plain.Forward(x, training), training).Data;
        Assert.Equal(expected, fused.Forward(x, training).Data);
        // Backward: the fused gradient is exactly batch norm's backward of ReLU's backward (each checked against
        // finite differences on its own; a direct check would straddle ReLU's kink at zero).
        Tensor upstream = GradientCheck.Random(rng, x.Shape);
        float[] expectedGradient = plain.Backward(relu.Backward(upstream)).Data;
        Assert.Equal(expectedGradient, fused.Backward(upstream).Data);
        Assert.Equal(plain.Weight.Gradient.Data, fused.Weight.Gradient.Data);
        Assert.Equal(plain.Bias.Gradient.Data, fused.Bias.Gradient.Data);
        if (!training)
        {
            Tensor inPlace = x.Clone();
            fused.ForwardInPlace(inPlace);
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], inPlace.Data[i], 5);
            Assert.Throws<InvalidOperationException>(() => fused.Backward(x.ZerosLike()));
        }
    }

    [Fact]
    public void BatchNorm2d_LargeInput_ParallelPathNormalises()
    {
        // 2·4·64·64 = 32768 elements takes the parallel path: each channel comes out with mean 0 and variance 1.
        var rng = new Random(12);
        var bn = new BatchNorm2d(4);
        Tensor x = GradientCheck.Random(rng, 2, 4, 64, 64);
        Tensor y = bn.Forward(x, true);
        for (int c = 0; c < 4; c++)
        {
            double sum = 0, sq = 0;
            for (int n = 0; n < 2; n++)
                for (int i = 0; i < 4096; i++) { double v = y.Data[(n * 4 + c) * 4096 + i]; sum += v; sq += v * v; }
            Assert.Equal(0, sum / 8192, 4);
            Assert.Equal(1, sq / 8192, 3);
        }
    }

    [Fact]
    public void BatchNorm2d_WrongChannels_NamesInput()
    {
        var ex = Assert.Throws<ArgumentException>(() => new BatchNorm2d(3).Forward(new Tensor(1, 2, 2, 2), true));
        Assert.Equal("input", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => new BatchNorm2d(1).Forward(new Tensor(1, 1, 1, 1), true));
        Assert.Equal("input", ex.ParamName);
    }

    [Fact]
    public void Layers_WrongRank_NameInput()
    {
        ILayer[] layers = [new MaxPool2d(), new AvgPool2d(), new GlobalAvgPool(), new UpsampleNearest2d(), new BatchNorm2d(2)];
        foreach (var layer in layers)
            Assert.Equal("input", Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(2, 2, 2), true)).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => new MaxPool2d(2).Forward(new Tensor(1, 1, 1, 4), true)).ParamName);
    }

    [Fact]
    public void Backward_WrongGradientShape_Throws()
    {
        var relu = new ReLU();
        relu.Forward(new Tensor(1, 1, 2, 2), true);
        Assert.Throws<ArgumentException>(() => relu.Backward(new Tensor(1, 1, 2, 3)));
        Assert.Throws<InvalidOperationException>(() => new MaxPool2d().Backward(new Tensor(1, 1, 1, 1)));
    }

    [Fact]
    public void Forward_SameShape_ReusesOutputBuffer()
    {
        var pool = new MaxPool2d();
        var x = new Tensor(1, 2, 4, 4);
        Assert.Same(pool.Forward(x, true), pool.Forward(x, true));
        var bn = new BatchNorm2d(2);
        Assert.Same(bn.Forward(GradientCheck.Random(new Random(1), 1, 2, 4, 4), true), bn.Forward(GradientCheck.Random(new Random(2), 1, 2, 4, 4), true));
    }

    [Fact]
    public void Concat_ForwardBackward_RoundTrips()
    {
        var rng = new Random(13);
        Tensor a = GradientCheck.Random(rng, 2, 1, 2, 3), b = GradientCheck.Random(rng, 2, 3, 2, 3);
        Tensor y = Concat.Forward(a, b);
        Assert.Equal([2, 4, 2, 3], y.Shape);
        Assert.Equal(a.At(1, 0, 1, 2), y.At(1, 0, 1, 2));
        Assert.Equal(b.At(1, 2, 0, 1), y.At(1, 3, 0, 1));
        var (ga, gb) = Concat.Backward(y, 1);
        Assert.Equal(a.Data, ga.Data);
        Assert.Equal(b.Data, gb.Data);
    }

    [Fact]
    public void Concat_MismatchedShapes_NameTheArgument()
    {
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => Concat.Forward(new Tensor(1, 1, 2, 2), new Tensor(1, 1, 2, 3))).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => Concat.Forward(new Tensor(1, 2, 2), new Tensor(1, 1, 2, 3))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Concat.Forward(new Tensor(1, 1, 2, 2), new Tensor(1, 1, 2, 2), new Tensor(1, 3, 2, 2))).ParamName);
        Assert.Equal("channelsA", Assert.Throws<ArgumentOutOfRangeException>(() => Concat.Backward(new Tensor(1, 2, 2, 2), 2)).ParamName);
    }

    [Fact]
    public void Add_SumsAndSharesGradient()
    {
        var a = new Tensor([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f], 10);
        Tensor y = Add.Forward(a, a);
        Assert.Equal(20f, y.Data[9]);
        var (ga, gb) = Add.Backward(y);
        Assert.Same(ga, gb);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => Add.Forward(a, new Tensor(2, 5))).ParamName);
    }
}
