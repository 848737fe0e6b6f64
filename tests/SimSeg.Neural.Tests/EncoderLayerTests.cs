using SimSeg.Core.Randomness;
using SimSeg.Neural.Layers;
using SimSeg.Neural.Models.Encoders;

namespace SimSeg.Neural.Tests;

public class EncoderLayerTests
{
    [Fact]
    public void ChannelMultiply_Forward_ScalesEachPlaneByItsGate()
    {
        var x = new Tensor([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], 2, 2, 1, 2);
        var gate = new Tensor([10f, -1f, 0.5f, 0f], 2, 2, 1, 1);
        var y = new ChannelMultiply().Forward(x, gate);
        Assert.Equal([10f, 20f, -3f, -4f, 2.5f, 3f, 0f, 0f], y.Data);
    }

    [Fact]
    public void ChannelMultiply_Backward_MatchesFiniteDifferences()
    {
        var rng = new Random(20240701);
        // 5·7 = 35 pixels per plane: SIMD body and scalar tail both run.
        var x = GradientCheck.Random(rng, 2, 3, 5, 7);
        var gate = GradientCheck.Random(rng, 2, 3, 1, 1);
        var upstream = GradientCheck.Random(rng, 2, 3, 5, 7);
        var layer = new ChannelMultiply();
        layer.Forward(x, gate);
        var (dx, dgate) = layer.Backward(upstream);
        dx = dx.Clone();
        dgate = dgate.Clone();
        double Objective()
        {
            var y = layer.Forward(x, gate);
            double sum = 0;
            for (int i = 0; i < y.Length; i++) sum += (double)upstream.Data[i] * y.Data[i];
            return sum;
        }
        GradientCheck.CheckOne(x.Data, dx.Data, "input", Objective);
        GradientCheck.CheckOne(gate.Data, dgate.Data, "gate", Objective);
    }

    [Fact]
    public void ChannelMultiply_GateOfWrongShape_Throws()
    {
        var layer = new ChannelMultiply();
        var x = new Tensor(2, 3, 4, 4);
        Assert.Equal("gate", Assert.Throws<ArgumentException>(() => layer.Forward(x, new Tensor(2, 3, 2, 1))).ParamName);
        Assert.Equal("gate", Assert.Throws<ArgumentException>(() => layer.Forward(x, new Tensor(1, 3, 1, 1))).ParamName);
        Assert.Throws<InvalidOperationException>(() => new ChannelMultiply().Backward(x));
    }

    [Fact]
    public void SqueezeExcitation_Forward_EqualsTheFormula()
    {
        var rng = new Random(3);
        var se = new SqueezeExcitation(4, 2, new Rng(4));
        var x = GradientCheck.Random(rng, 2, 4, 3, 3);
        var y = se.Forward(x, training: true);
        float[] w1 = se.Reduce.Weight.Value.Data, b1 = se.Reduce.Bias!.Value.Data, w2 = se.Expand.Weight.Value.Data, b2 = se.Expand.Bias!.Value.Data;
        for (int n = 0; n < 2; n++)
        {
            double[] mean = Enumerable.Range(0, 4).Select(c => Enumerable.Range(0, 9).Average(i => (double)x.Data[(n * 4 + c) * 9 + i])).ToArray();
            double[] hidden = Enumerable.Range(0, 2).Select(s =>
            {
                double z = b1[s] + Enumerable.Range(0, 4).Sum(c => w1[s * 4 + c] * mean[c]);
                return z / (1 + Math.Exp(-z));
            }).ToArray();
            for (int c = 0; c < 4; c++)
            {
                double gate = 1 / (1 + Math.Exp(-(b2[c] + w2[c * 2] * hidden[0] + w2[c * 2 + 1] * hidden[1])));
                for (int i = 0; i < 9; i++)
                    Assert.Equal(x.Data[(n * 4 + c) * 9 + i] * gate, y.Data[(n * 4 + c) * 9 + i], 5);
            }
        }
    }

    [Fact]
    public void SqueezeExcitation_Backward_MatchesFiniteDifferences()
    {
        var se = new SqueezeExcitation(6, 3, new Rng(11));
        GradientCheck.Check(se, GradientCheck.Random(new Random(12), 2, 6, 3, 5), seed: 13);
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], se.NamedParameters().Select(p => p.Name));
        Assert.Equal([3, 6, 1, 1], se.Reduce.Weight.Value.Shape);
    }

    // channels, kernel, stride, padding, height, width
    public static TheoryData<int, int, int, int, int, int> DepthwiseCases => new()
    {
        { 3, 3, 1, 1, 9, 11 },  // EfficientNet's 3×3, rows longer than a SIMD vector plus a tail
        { 4, 5, 2, 2, 10, 7 },  // 5×5 stride 2
        { 2, 3, 2, 1, 7, 8 },   // odd height at stride 2
        { 5, 5, 1, 2, 4, 4 },   // kernel larger than the image
        { 2, 1, 1, 0, 5, 6 },   // 1×1
        { 3, 3, 1, 0, 20, 37 }, // no padding
        { 4, 3, 2, 0, 6, 6 },
        { 3, 5, 1, 2, 1, 1 },   // 1×1 map (EfficientNet's deepest stage on 32² tiles): most taps miss every column
        { 2, 5, 2, 2, 2, 2 },   // 2×2 map at stride 2
        { 2, 3, 2, 1, 1, 2 },
    };

    [Theory]
    [MemberData(nameof(DepthwiseCases))]
    public void DepthwiseConv2d_ForwardBackward_MatchNaive(int channels, int k, int stride, int padding, int h, int w)
    {
        var rng = new Rng(41);
        var layer = new DepthwiseConv2d(channels, k, rng, stride, padding, bias: true);
        var x = GradientCheck.Random(new Random(42), 2, channels, h, w);
        var y = layer.Forward(x, training: true);
        AssertClose(Conv2dNaive.Forward(x, layer.Weight.Value, layer.Bias!.Value, stride, padding, 1, channels), y);
        var dy = GradientCheck.Random(new Random(43), y.Shape);
        var dx = layer.Backward(dy);
        var (ex, ew, eb) = Conv2dNaive.Backward(x, layer.Weight.Value, dy, stride, padding, 1, channels);
        AssertClose(ex, dx);
        AssertClose(ew, layer.Weight.Gradient);
        AssertClose(eb, layer.Bias.Gradient);
    }

    [Fact]
    public void DepthwiseConv2d_Backward_MatchesFiniteDifferences() =>
        GradientCheck.Check(new DepthwiseConv2d(3, 3, new Rng(44), stride: 2, padding: 1, bias: true), GradientCheck.Random(new Random(45), 2, 3, 7, 6), seed: 46);

    [Fact]
    public void DepthwiseConv2d_SameWeights_EqualsTheGroupedConv2d()
    {
        var depthwise = new DepthwiseConv2d(6, 5, new Rng(47), stride: 2, padding: 2);
        var grouped = new Conv2d(6, 6, 5, new Rng(47), stride: 2, padding: 2, groups: 6, bias: false);
        Assert.Equal(grouped.Weight.Value.Shape, depthwise.Weight.Value.Shape);
        Assert.Equal(grouped.Weight.Value.Data, depthwise.Weight.Value.Data);
        Assert.Equal(["weight"], depthwise.Parameters.Select(p => p.Name));
        var x = GradientCheck.Random(new Random(48), 2, 6, 17, 16);
        AssertClose(grouped.Forward(x, true), depthwise.Forward(x, true));
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => depthwise.Forward(new Tensor(1, 5, 8, 8), true)).ParamName);
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tol = 1e-4)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected.Data[i] - actual.Data[i]) <= tol * (1 + Math.Abs(expected.Data[i])),
                $"element {i} of {expected.ShapeText}: expected {expected.Data[i]}, got {actual.Data[i]}");
    }

    [Fact]
    public void PaddedMaxPool2d_Kernel3Stride2Pad1_MatchesPyTorch()
    {
        // torch.nn.MaxPool2d(3, 2, 1)(torch.arange(25.).view(1, 1, 5, 5)) = [[6, 8, 9], [16, 18, 19], [21, 23, 24]].
        var x = new Tensor(1, 1, 5, 5);
        for (int i = 0; i < 25; i++) x.Data[i] = i;
        var pool = new PaddedMaxPool2d(3, 2, 1);
        var y = pool.Forward(x, true);
        Assert.Equal([1, 1, 3, 3], y.Shape);
        Assert.Equal([6f, 8f, 9f, 16f, 18f, 19f, 21f, 23f, 24f], y.Data);
        var dx = pool.Backward(new Tensor(Enumerable.Range(1, 9).Select(i => (float)i).ToArray(), 1, 1, 3, 3));
        Assert.Equal(1f, dx.Data[6]);
        Assert.Equal(9f, dx.Data[24]);
        Assert.Equal(45f, dx.Data.Sum());
    }

    [Fact]
    public void PaddedMaxPool2d_Backward_MatchesFiniteDifferences() =>
        GradientCheck.Check(new PaddedMaxPool2d(3, 2, 1), GradientCheck.Distinct(new Random(14), 2, 2, 6, 7), seed: 15);

    [Fact]
    public void PaddedMaxPool2d_NoPaddingKernelEqualsStride_EqualsMaxPool2d()
    {
        var x = GradientCheck.Random(new Random(16), 2, 3, 7, 6);
        Assert.Equal(new MaxPool2d(2).Forward(x, true).Data, new PaddedMaxPool2d(2, 2, 0).Forward(x, true).Data);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PaddedMaxPool2d(3, 2, 2));
    }

    public static TheoryData<int, int, int> BasicBlockCases => new()
    {
        { 4, 4, 1 }, // identity shortcut
        { 3, 4, 2 }, // strided projection
    };

    [Theory]
    [MemberData(nameof(BasicBlockCases))]
    public void BasicBlock_Backward_MatchesFiniteDifferences(int inChannels, int planes, int stride)
    {
        var block = new BasicBlock(inChannels, planes, stride, new Rng(21));
        Assert.Equal(stride != 1 || inChannels != planes, block.HasProjection);
        CheckBlock(block, GradientCheck.Random(new Random(22), 2, inChannels, 6, 6), seed: 23);
    }

    public static TheoryData<int, int, int> BottleneckCases => new()
    {
        { 8, 2, 1 }, // identity shortcut: in = 4·planes
        { 3, 2, 2 }, // strided projection
    };

    [Theory]
    [MemberData(nameof(BottleneckCases))]
    public void Bottleneck_Backward_MatchesFiniteDifferences(int inChannels, int planes, int stride)
    {
        var block = new Bottleneck(inChannels, planes, stride, new Rng(24));
        Assert.Equal(stride != 1 || inChannels != 4 * planes, block.HasProjection);
        CheckBlock(block, GradientCheck.Random(new Random(25), 2, inChannels, 6, 6), seed: 26);
    }

    [Fact]
    public void ResidualBlocks_Names_FollowTorchvision()
    {
        var basic = new BasicBlock(3, 4, 2, new Rng(1));
        Assert.Equal(
            ["conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked",
             "conv2.weight", "bn2.weight", "bn2.bias", "bn2.running_mean", "bn2.running_var", "bn2.num_batches_tracked",
             "downsample.0.weight", "downsample.1.weight", "downsample.1.bias", "downsample.1.running_mean", "downsample.1.running_var", "downsample.1.num_batches_tracked"],
            basic.NamedParameters().Select(p => p.Name));
        var bottleneck = new Bottleneck(16, 4, 1, new Rng(1));
        Assert.False(bottleneck.HasProjection);
        Assert.Equal(["conv1.weight", "conv2.weight", "conv3.weight"], bottleneck.NamedParameters().Select(p => p.Name).Where(n => n.StartsWith("conv", StringComparison.Ordinal)));
        Assert.Equal([16, 4, 1, 1], bottleneck.NamedParameters().Single(p => p.Name == "conv3.weight").Parameter.Value.Shape);
    }

    public static TheoryData<int, int, int, int, int> MBConvCases => new()
    {
        { 4, 4, 3, 1, 6 }, // expansion, identity shortcut
        { 4, 6, 5, 2, 6 }, // expansion, stride 2, 5×5 kernel, no shortcut
        { 4, 3, 3, 1, 1 }, // no expansion (EfficientNet's first block), no shortcut
    };

    [Theory]
    [MemberData(nameof(MBConvCases))]
    public void MBConvBlock_Backward_MatchesFiniteDifferences(int inChannels, int outChannels, int kernel, int stride, int expand)
    {
        var block = new MBConvBlock(inChannels, outChannels, kernel, stride, expand, new Rng(31));
        Assert.Equal(stride == 1 && inChannels == outChannels, block.HasShortcut);
        CheckBlock(block, GradientCheck.Random(new Random(32), 2, inChannels, 6, 6), seed: 33);
    }

    [Fact]
    public void MBConvBlock_Names_FollowEfficientNetPyTorch()
    {
        var block = new MBConvBlock(16, 24, 3, 2, 6, new Rng(1));
        var shapes = block.NamedParameters().Where(p => p.Parameter.Trainable).ToDictionary(p => p.Name, p => p.Parameter.Value.Shape);
        Assert.Equal(
            ["_expand_conv.weight", "_bn0.weight", "_bn0.bias", "_depthwise_conv.weight", "_bn1.weight", "_bn1.bias",
             "_se_reduce.weight", "_se_reduce.bias", "_se_expand.weight", "_se_expand.bias", "_project_conv.weight", "_bn2.weight", "_bn2.bias"],
            shapes.Keys);
        Assert.Equal([96, 16, 1, 1], shapes["_expand_conv.weight"]);
        Assert.Equal([96, 1, 3, 3], shapes["_depthwise_conv.weight"]);
        Assert.Equal([4, 96, 1, 1], shapes["_se_reduce.weight"]);
        Assert.Equal([96, 4, 1, 1], shapes["_se_expand.weight"]);
        Assert.Equal([24, 96, 1, 1], shapes["_project_conv.weight"]);
        Assert.DoesNotContain(new MBConvBlock(32, 16, 3, 1, 1, new Rng(1)).NamedParameters(), p => p.Name.StartsWith("_expand_conv", StringComparison.Ordinal));
    }

    [Fact]
    public void EfficientNetScaling_RoundsLikeTheReference()
    {
        // Channels of B3 (width 1.2): 32 → 40, 16 → 24 (19.2 would round to 16, more than 10 % down), 112 → 136, 320 → 384.
        Assert.Equal(40, EfficientNetScaling.RoundFilters(32, 1.2));
        Assert.Equal(24, EfficientNetScaling.RoundFilters(16, 1.2));
        Assert.Equal(136, EfficientNetScaling.RoundFilters(112, 1.2));
        Assert.Equal(384, EfficientNetScaling.RoundFilters(320, 1.2));
        Assert.Equal(88, EfficientNetScaling.RoundFilters(80, 1.1));
        Assert.Equal([1, 2, 2, 3, 3, 4, 1], EfficientNetScaling.Stages(0).Select(s => s.Repeats));
        Assert.Equal([2, 3, 3, 4, 4, 5, 2], EfficientNetScaling.Stages(1).Select(s => s.Repeats));
        Assert.Equal([2, 3, 3, 5, 5, 6, 2], EfficientNetScaling.Stages(3).Select(s => s.Repeats));
        Assert.Throws<ArgumentOutOfRangeException>(() => EfficientNetScaling.Stages(4));
    }

    /// <summary>
    /// Checks d(Σ g·y)/dx and d/dθ for every trainable parameter of a block with <see cref="FiniteDifferences.Compare"/>:
    /// the shared helper's single step of 1e-2 is too coarse for ReLU kinks and for batch norm over a handful of values
    /// (measured on a bottleneck: the central difference at 1e-2 is 0.011 against an exact −0.185, at 3e-4 it is −0.185).
    /// </summary>
    private static void CheckBlock(ILayer layer, Tensor x, int seed)
    {
        var upstream = GradientCheck.Random(new Random(seed), layer.Forward(x, true).Shape);
        foreach (var p in layer.Parameters) Array.Clear(p.Gradient.Data);
        layer.Forward(x, true);
        var dx = layer.Backward(upstream).Clone();
        double Objective() => FiniteDifferences.Dot(upstream, layer.Forward(x, true));
        var misses = new List<string>();
        int count = FiniteDifferences.Compare(x.Data, dx.Data, "input", Objective, misses);
        foreach (var p in layer.Parameters.Where(p => p.Trainable).ToArray())
            count += FiniteDifferences.Compare(p.Value.Data, p.Gradient.Clone().Data, p.Name, Objective, misses);
        FiniteDifferences.AssertFewMisses(misses, count);
    }
}
