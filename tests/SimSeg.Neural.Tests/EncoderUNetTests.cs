using SimSeg.Core.Randomness;
using SimSeg.Neural.Losses;
using SimSeg.Neural.Models;
using SimSeg.Neural.Models.Encoders;
using SimSeg.Neural.Optimizers;

namespace SimSeg.Neural.Tests;

public class EncoderUNetTests
{
    /// <summary>
    /// Trainable parameters of the encoders with three input channels: torchvision's resnet18/34/50 without fc
    /// (11,689,512 − 513,000 and so on), vgg16_bn.features and vgg16.features, and torchvision's efficientnet_b0…b3
    /// (5,288,548; 7,794,184; 9,109,994; 12,233,232) without the classifier and the unused 1×1 head conv + BN.
    /// </summary>
    public static TheoryData<string, long> EncoderCounts => new()
    {
        { "resnet18", 11_176_512 },
        { "resnet34", 21_284_672 },
        { "resnet50", 23_508_032 },
        { "vgg16_bn", 14_723_136 },
        { "vgg16", 14_714_688 },
        { "efficientnet-b0", 5_288_548 - 1_281_000 - 320 * 1280 - 2 * 1280 },
        { "efficientnet-b1", 7_794_184 - 1_281_000 - 320 * 1280 - 2 * 1280 },
        { "efficientnet-b2", 9_109_994 - 1_409_000 - 352 * 1408 - 2 * 1408 },
        { "efficientnet-b3", 12_233_232 - 1_537_000 - 384 * 1536 - 2 * 1536 },
    };

    [Theory]
    [MemberData(nameof(EncoderCounts))]
    [Trait("Category", "Slow")]
    public void Encoder_ThreeInputChannels_HasTheTorchvisionParameterCount(string name, long expected)
    {
        var rng = new Rng(1);
        var encoder = name switch
        {
            "resnet18" => UNetEncoder.ResNet(18, 3, rng),
            "resnet34" => UNetEncoder.ResNet(34, 3, rng),
            "resnet50" => UNetEncoder.ResNet(50, 3, rng),
            "vgg16_bn" => UNetEncoder.Vgg16(3, rng),
            "vgg16" => UNetEncoder.Vgg16(3, rng, batchNorm: false),
            _ => UNetEncoder.EfficientNet(name[^1] - '0', 3, rng),
        };
        Assert.Equal(name, encoder.Name);
        Assert.Equal(expected, encoder.NamedParameters().Where(p => p.Parameter.Trainable).Sum(p => (long)p.Parameter.Value.Length));
    }

    [Fact]
    public void Create_ResNet34ThreeChannelsOneClass_HasTheSmpParameterCount()
    {
        // segmentation_models_pytorch: sum(p.numel() for p in smp.Unet("resnet34", classes=1).parameters()) = 24,436,369.
        var net = EncoderUNet.Create("unet-resnet34", 3, 1, new Rng(2));
        Assert.Equal(24_436_369, net.TrainableCount);
        Assert.Equal(21_284_672, net.EncoderTrainableCount);
    }

    /// <summary>
    /// Golden values from Reference/encoder_unet_reference.py (PyTorch modules with the state_dict names and layouts of
    /// torchvision, efficientnet-pytorch and segmentation_models_pytorch): parameter counts with one input channel and one
    /// logit, and the eval-mode logits of a fixed 64×64 image when every tensor is filled by the same formula in
    /// state_dict order. Equal outputs need equal names, shapes, order and layer semantics (padding, pooling, skip order,
    /// squeeze-excitation, stage cuts).
    /// </summary>
    public static TheoryData<string, long, long, double, double[]> Golden => new()
    {
        { "unet-resnet18", 14_321_937, 11_170_240, 0.0228003, [0.104321, 0.130623, 0.084046, 0.0186138, 0.0223185, 0.0222923, 0.0223409, -0.0462742] },
        { "unet-resnet34", 24_430_097, 21_278_400, 0.0657279, [0.120237, 0.115071, 0.0728915, 0.0397467, 0.141195, 0.0388512, 0.0206786, -0.001673] },
        { "unet-resnet50", 32_514_833, 23_501_760, -0.0885965, [-0.0797315, -0.0547156, -0.0316621, -0.0815834, -0.0914425, -0.0893826, -0.0928981, -0.059161] },
        { "unet-vgg16", 19_034_897, 14_721_984, 0.0913878, [0.0621685, 0.0193987, 0.0241727, 0.0957695, 0.116488, 0.0975106, 0.0919562, 0.0721255] },
        { "unet-efficientnet-b0", 5_838_733, 3_594_812, 0.0428771, [-0.0263758, -0.0818022, -0.0911721, 0.0350806, 0.00905512, 0.0295624, 0.0592616, 0.0358595] },
        { "unet-efficientnet-b1", 8_344_369, 6_100_448, 0.100101, [0.237589, 0.326177, 0.11327, 0.146332, 0.116674, 0.100035, 0.10086, 0.0585839] },
        { "unet-efficientnet-b2", 9_547_283, 7_201_986, 0.100104, [0.237564, 0.326211, 0.113131, 0.146493, 0.11709, 0.099877, 0.101047, 0.0584151] },
        { "unet-efficientnet-b3", 12_565_417, 10_102_616, -0.107448, [-0.118506, -0.126148, -0.0548206, -0.116758, -0.0840675, -0.113615, -0.111277, -0.062327] },
    };

    private static readonly int[] GoldenIndices = [0, 1, 63, 64, 1000, 2080, 3001, 4095];

    [Theory]
    [MemberData(nameof(Golden))]
    [Trait("Category", "Slow")]
    public void Forward_DeterministicWeights_MatchesThePyTorchReference(string architecture, long parameters, long encoderParameters, double mean, double[] values)
    {
        var net = EncoderUNet.Create(architecture, 1, 1, new Rng(3));
        Assert.Equal(architecture, net.Architecture);
        Assert.Equal(parameters, net.TrainableCount);
        Assert.Equal(encoderParameters, net.EncoderTrainableCount);
        FillDeterministic(net);
        var x = new Tensor(1, 1, 64, 64);
        for (int i = 0; i < x.Length; i++) x.Data[i] = (float)(Math.Sin(0.05 * i) + 0.5 * Math.Cos(0.0137 * i * (double)i / 64));

        var y = net.Forward(x, training: false);

        Assert.Equal([1, 1, 64, 64], y.Shape);
        Assert.Equal(mean, y.Data.Average(v => (double)v), 5);
        for (int k = 0; k < GoldenIndices.Length; k++)
            Assert.True(Math.Abs(y.Data[GoldenIndices[k]] - values[k]) <= 2e-5 + 1e-4 * Math.Abs(values[k]),
                $"logit {GoldenIndices[k]}: {y.Data[GoldenIndices[k]]:G6}, reference {values[k]:G6}");
        var features = net.Encoder.Forward(x, training: false);
        for (int i = 0; i < UNetEncoder.Depth; i++)
            Assert.Equal([1, net.Encoder.FeatureChannels[i], 32 >> i, 32 >> i], features[i].Shape);
    }

    /// <summary>The formula of encoder_unet_reference.py's fill(), tensor k of the state_dict order, element i.</summary>
    private static void FillDeterministic(EncoderUNet net)
    {
        var named = net.NamedParameters();
        for (int k = 0; k < named.Count; k++)
        {
            var (name, p) = named[k];
            float[] v = p.Value.Data;
            for (int i = 0; i < v.Length; i++)
            {
                double s = Math.Sin(0.731 * i + 1.37 * k);
                v[i] = (float)(name.EndsWith("num_batches_tracked", StringComparison.Ordinal) ? 0
                    : p.Value.Rank == 4 ? Math.Sqrt(3.0 / (p.Value.Shape[1] * p.Value.Shape[2] * p.Value.Shape[3])) * s
                    : name.EndsWith("running_var", StringComparison.Ordinal) ? 1 + 0.5 * Math.Abs(s)
                    : name.EndsWith("weight", StringComparison.Ordinal) ? 1 + 0.2 * s
                    : 0.1 * s);
            }
        }
    }

    [Fact]
    public void NamedParameters_FollowTheReferenceNamesAndSplitAtTheEncoderPrefix()
    {
        var resnet = Shapes(EncoderUNet.Create("unet-resnet50", 1, 2, new Rng(4)));
        Assert.Equal([64, 1, 7, 7], resnet["encoder.conv1.weight"]);
        Assert.Equal([256, 64, 1, 1], resnet["encoder.layer1.0.downsample.0.weight"]);
        Assert.Equal([512, 128, 1, 1], resnet["encoder.layer2.3.conv3.weight"]);
        Assert.Equal([2048], resnet["encoder.layer4.2.bn3.running_var"]);
        Assert.Equal([256, 2048 + 1024, 3, 3], resnet["decoder.blocks.0.conv1.0.weight"]);
        Assert.Equal([16, 16 + 0, 3, 3], resnet["decoder.blocks.4.conv2.0.weight"]);
        Assert.Equal([2, 16, 3, 3], resnet["segmentation_head.0.weight"]);
        Assert.Equal([2], resnet["segmentation_head.0.bias"]);

        var vgg = Shapes(EncoderUNet.Create("unet-vgg16", 1, 1, new Rng(5)));
        Assert.Equal([64, 1, 3, 3], vgg["encoder.features.0.weight"]);
        Assert.Equal([64], vgg["encoder.features.0.bias"]);
        Assert.Equal([512, 512, 3, 3], vgg["encoder.features.40.weight"]);
        Assert.Equal([512], vgg["encoder.features.41.running_mean"]);

        var efficient = Shapes(EncoderUNet.Create("unet-efficientnet-b0", 1, 1, new Rng(6)));
        Assert.Equal([32, 1, 3, 3], efficient["encoder._conv_stem.weight"]);
        Assert.Equal([32, 1, 3, 3], efficient["encoder._blocks.0._depthwise_conv.weight"]);
        Assert.DoesNotContain("encoder._blocks.0._expand_conv.weight", efficient.Keys);
        Assert.Equal([4, 96, 1, 1], efficient["encoder._blocks.1._se_reduce.weight"]);
        Assert.Equal([320, 1152, 1, 1], efficient["encoder._blocks.15._project_conv.weight"]);
        Assert.Equal([256, 320 + 112, 3, 3], efficient["decoder.blocks.0.conv1.0.weight"]);
        Assert.DoesNotContain(efficient.Keys, k => k.Contains("_conv_head", StringComparison.Ordinal) || k.Contains("_fc", StringComparison.Ordinal));

        foreach (var shapes in new[] { resnet, vgg, efficient })
            Assert.All(shapes.Keys, k => Assert.True(k.StartsWith(EncoderUNet.EncoderPrefix, StringComparison.Ordinal)
                || k.StartsWith("decoder.blocks.", StringComparison.Ordinal) || k.StartsWith("segmentation_head.0.", StringComparison.Ordinal), k));
    }

    private static Dictionary<string, int[]> Shapes(EncoderUNet net) =>
        // ToDictionary also proves the names unique.
        net.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Value.Shape);

    [Fact]
    public void Create_SmallDecoder_UsesTheGivenChannels()
    {
        var net = EncoderUNet.Create("unet-resnet18", 1, 1, new Rng(7), EncoderUNet.SmallDecoderChannels);
        var shapes = Shapes(net);
        Assert.Equal([128, 512 + 256, 3, 3], shapes["decoder.blocks.0.conv1.0.weight"]);
        Assert.Equal([8, 16, 3, 3], shapes["decoder.blocks.4.conv1.0.weight"]);
        Assert.Equal([1, 8, 3, 3], shapes["segmentation_head.0.weight"]);
        Assert.Equal([128, 64, 32, 16, 8], net.DecoderChannels);
        Assert.Equal(32, net.SizeMultiple);
    }

    [Fact]
    public void Create_SameSeed_SameWeights()
    {
        var a = EncoderUNet.Create("unet-efficientnet-b0", 1, 1, new Rng(8), EncoderUNet.SmallDecoderChannels).NamedParameters();
        var b = EncoderUNet.Create("unet-efficientnet-b0", 1, 1, new Rng(8), EncoderUNet.SmallDecoderChannels).NamedParameters();
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++) Assert.Equal(a[i].Parameter.Value.Data, b[i].Parameter.Value.Data);
    }

    [Fact]
    public void Create_UnknownArchitecture_ThrowsListingTheAcceptedNames()
    {
        var e = Assert.Throws<ArgumentException>(() => EncoderUNet.Create("unet-resnet101", 1, 1, new Rng(1)));
        Assert.Equal("architecture", e.ParamName);
        foreach (string name in EncoderUNet.Architectures) Assert.Contains(name, e.Message, StringComparison.Ordinal);
        Assert.Equal("unet-resnet18", EncoderUNet.Create("UNet-ResNet18", 1, 1, new Rng(1), [8, 8, 8, 8, 8]).Architecture);
        Assert.Throws<ArgumentException>(() => EncoderUNet.Create("unet-resnet18", 1, 1, new Rng(1), [64, 32, 16, 8]));
        Assert.Throws<ArgumentException>(() => EncoderUNet.Create("unet-resnet18", 1, 1, new Rng(1), [64, 32, 0, 8, 8]));
        Assert.Throws<ArgumentOutOfRangeException>(() => EncoderUNet.Create("unet-resnet18", 0, 1, new Rng(1)));
    }

    [Fact]
    public void Forward_SizeNotAMultipleOf32OrWrongChannels_ThrowsNamingInput()
    {
        var net = EncoderUNet.Create("unet-efficientnet-b0", 1, 1, new Rng(9), [8, 8, 8, 8, 8]);
        var e = Assert.Throws<ArgumentException>(() => net.Forward(new Tensor(1, 1, 48, 64), training: false));
        Assert.Equal("input", e.ParamName);
        Assert.Contains("32", e.Message, StringComparison.Ordinal);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => net.Forward(new Tensor(1, 1, 64, 40), training: false)).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => net.Forward(new Tensor(1, 3, 64, 64), training: false)).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => net.Forward(new Tensor(1, 64, 64), training: false)).ParamName);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Backward_EfficientNetB0_MatchesFiniteDifferences()
    {
        // The smallest variant at 64×64 with a narrow decoder. Batch norm runs in evaluation mode with the golden test's
        // well-scaled weights: in training mode the stride-32 batch norms see 8 values per channel, and float32 rounding
        // through 16 such blocks makes single-coordinate differences scatter by 10 % (batch-norm training gradients are
        // checked layer by layer in the block tests). Every path the model wires (skips, concatenations, residual sums,
        // squeeze-excitation) is the same in both modes.
        var net = EncoderUNet.Create("unet-efficientnet-b0", 1, 1, new Rng(10), [16, 8, 8, 8, 8]);
        FillDeterministic(net);
        var random = new Random(11);
        var x = GradientCheck.Random(random, 1, 1, 64, 64);
        var upstream = GradientCheck.Random(random, 1, 1, 64, 64);
        double Objective() => FiniteDifferences.Dot(upstream, net.Forward(x, training: false));
        foreach (var p in net.NamedParameters()) Array.Clear(p.Parameter.Gradient.Data);
        net.Forward(x, training: false);
        var dx = net.Backward(upstream).Clone();
        var named = net.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        var analytic = named.ToDictionary(p => p.Key, p => p.Value.Gradient.Clone());

        var misses = new List<string>();
        int count = FiniteDifferences.Compare(x.Data, dx.Data, "input", Objective, misses, Pick(dx.Data, random));
        foreach (string name in new[]
        {
            "encoder._conv_stem.weight", "encoder._bn0.weight", "encoder._blocks.0._depthwise_conv.weight", "encoder._blocks.0._se_reduce.bias",
            "encoder._blocks.1._expand_conv.weight", "encoder._blocks.4._se_expand.weight", "encoder._blocks.6._bn1.bias",
            "encoder._blocks.12._depthwise_conv.weight", "encoder._blocks.15._project_conv.weight",
            "decoder.blocks.0.conv1.0.weight", "decoder.blocks.2.conv2.1.weight", "decoder.blocks.4.conv1.0.weight", "segmentation_head.0.bias",
        })
            count += FiniteDifferences.Compare(named[name].Value.Data, analytic[name].Data, name, Objective, misses, Pick(analytic[name].Data, random));
        // float32 rounding through 16 blocks scatters the differences of the weakest coordinates (|g| ~ 1e-3) by about
        // 1e-3 at every step, so up to one coordinate in 20 may miss; a wiring error shows in every coordinate of a tensor.
        FiniteDifferences.AssertFewMisses(misses, count, perMissAllowed: 20);
        Assert.All(misses.GroupBy(m => m[..m.IndexOf('[', StringComparison.Ordinal)]), g => Assert.True(g.Count() < 3, string.Join("\n", g)));
    }

    /// <summary>The coordinate with the largest |gradient| and two random ones.</summary>
    private static int[] Pick(float[] gradient, Random random)
    {
        int largest = 0;
        for (int i = 1; i < gradient.Length; i++) if (Math.Abs(gradient[i]) > Math.Abs(gradient[largest])) largest = i;
        return [largest, random.Next(gradient.Length), random.Next(gradient.Length)];
    }

    [Theory]
    [InlineData("unet-resnet18")]
    [InlineData("unet-efficientnet-b0")]
    [Trait("Category", "Slow")]
    public void Training_OneTinyBatch_AdamReducesTheLoss(string architecture)
    {
        // Measured: BCE falls steadily to 0.65 (EfficientNet-B0) and 0.68 (ResNet-18) of its first value in 8 steps.
        var net = EncoderUNet.Create(architecture, 1, 1, new Rng(12), EncoderUNet.SmallDecoderChannels);
        var adam = new Adam(net.Parameters, new AdamOptions(LearningRate: 1e-3));
        var rng = new Rng(13);
        var x = new Tensor(2, 1, 64, 64);
        var t = new Tensor(2, 1, 64, 64);
        for (int n = 0; n < 2; n++)
            for (int y = 0; y < 64; y++)
                for (int xx = 0; xx < 64; xx++)
                {
                    bool inside = (xx - 20 - 20 * n) * (xx - 20 - 20 * n) + (y - 30) * (y - 30) < 100;
                    t.At(n, 0, y, xx) = inside ? 1 : 0;
                    x.At(n, 0, y, xx) = (float)((inside ? 1 : 0) + 0.3 * rng.NextGaussian());
                }
        var gradient = new Tensor(x.Shape);
        var losses = new List<double>();
        for (int step = 0; step < 8; step++)
        {
            double loss = BceWithLogits.Compute(net.Forward(x, training: true), t, gradient);
            adam.ZeroGrad();
            net.Backward(gradient);
            adam.Step();
            losses.Add(loss);
        }
        Assert.True(losses[^1] < 0.8 * losses[0], $"losses: {string.Join(", ", losses.Select(l => l.ToString("0.0000")))}");
    }
}
