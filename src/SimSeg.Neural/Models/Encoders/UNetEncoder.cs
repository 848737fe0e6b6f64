using System.Globalization;
using SimSeg.Core.Randomness;
using SimSeg.Neural.Layers;

namespace SimSeg.Neural.Models.Encoders;

/// <summary>
/// A classification backbone cut into five stages whose outputs are the U-Net's features at strides 2, 4, 8, 16 and
/// 32, in the layout of segmentation_models_pytorch's encoders (the classifier and final pooling removed). Parameter
/// names follow the reference implementation the encoder is named after, without the U-Net's "encoder." prefix:
/// torchvision's ResNet ("conv1.weight", "bn1.running_mean", "layer1.0.conv1.weight", "layer2.0.downsample.0.weight"),
/// torchvision's VGG ("features.0.weight", "features.1.bias", … with the indices of vgg16_bn or vgg16) and
/// efficientnet-pytorch ("_conv_stem.weight", "_bn0.weight", "_blocks.3._depthwise_conv.weight",
/// "_blocks.3._se_reduce.bias", …; its unused head "_conv_head"/"_bn1" and classifier "_fc" are left out). The
/// first convolution takes any number of input channels (1 for fluorescence). Feature tensors are buffers of the
/// stages, valid until the next <see cref="Forward"/>.
/// </summary>
public sealed class UNetEncoder
{
    /// <summary>Number of stages and of features (strides 2 to 32).</summary>
    public const int Depth = 5;

    private readonly Sequential[] _stages;
    private readonly Tensor[] _features = new Tensor[Depth];
    private readonly Tensor?[] _gradientSums = new Tensor?[Depth];

    private UNetEncoder(string name, int inChannels, Sequential[] stages, int[] featureChannels)
    {
        (Name, InChannels, _stages, FeatureChannels) = (name, inChannels, stages, featureChannels);
    }

    /// <summary>The encoder's name ("resnet34", "vgg16_bn", "efficientnet-b3", …).</summary>
    public string Name { get; }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the features at strides 2, 4, 8, 16 and 32.</summary>
    public IReadOnlyList<int> FeatureChannels { get; }

    /// <summary>The five stages (stage i maps the stride-2^i feature, or the input, to the stride-2^(i+1) feature).</summary>
    public IReadOnlyList<Sequential> Stages => _stages;

    /// <summary>The features at strides 2, 4, 8, 16 and 32 of NCHW <paramref name="input"/> [N, InChannels, H, W], H and W divisible by 32.</summary>
    /// <exception cref="ArgumentException">Wrong rank or channels.</exception>
    public IReadOnlyList<Tensor> Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.RequireNchw(nameof(input), InChannels);
        Tensor x = input;
        for (int i = 0; i < Depth; i++) _features[i] = x = _stages[i].Forward(x, training);
        return _features;
    }

    /// <summary>
    /// Back-propagates the gradients of the five features of the last <see cref="Forward"/> (null for a feature the
    /// decoder did not use; the deepest is required), accumulating every parameter's gradient; returns d loss / d input.
    /// </summary>
    /// <exception cref="ArgumentException">Not five gradients, the deepest missing, or a shape that differs from its feature.</exception>
    public Tensor Backward(IReadOnlyList<Tensor?> featureGradients)
    {
        ArgumentNullException.ThrowIfNull(featureGradients);
        if (featureGradients.Count != Depth) throw new ArgumentException($"expected {Depth} feature gradients, got {featureGradients.Count}.", nameof(featureGradients));
        Tensor g = featureGradients[Depth - 1] ?? throw new ArgumentException("the deepest feature's gradient is required.", nameof(featureGradients));
        for (int i = Depth - 1; i >= 0; i--)
        {
            if (i < Depth - 1 && featureGradients[i] is { } skip)
            {
                if (!skip.SameShape(g))
                    throw new ArgumentException($"feature {i} has shape {g.ShapeText}, its gradient {skip.ShapeText}.", nameof(featureGradients));
                // The feature fed the next stage and the decoder: the gradients add.
                Tensor sum = TensorBuffers.EnsureLike(ref _gradientSums[i], g);
                VectorMath.Add(g.Data, skip.Data, sum.Data);
                g = sum;
            }
            g = _stages[i].Backward(g);
        }
        return g;
    }

    /// <summary>Every parameter and buffer with its reference name (no "encoder." prefix).</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters() => _stages.SelectMany(s => s.NamedParameters());

    /// <summary>
    /// torchvision's ResNet-18, -34 (BasicBlock, [2, 2, 2, 2] and [3, 4, 6, 3] blocks) or -50 (Bottleneck, [3, 4, 6, 3]):
    /// stem conv 7×7 stride 2 (64 channels) + BN + ReLU, max pool 3×3 stride 2, layer1 to layer4 with 64, 128, 256, 512
    /// planes (strides 1, 2, 2, 2). Features: the stem (64) and layer1 to layer4 (64, 128, 256, 512; ×4 for ResNet-50).
    /// Convolutions are initialised as torchvision does (Kaiming normal, fan-out).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">depth is not 18, 34 or 50, or inChannels is not positive.</exception>
    public static UNetEncoder ResNet(int depth, int inChannels, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Core.Guard.Positive(inChannels);
        (int[] blocks, bool bottleneck) = depth switch
        {
            18 => (new[] { 2, 2, 2, 2 }, false),
            34 => ([3, 4, 6, 3], false),
            50 => ([3, 4, 6, 3], true),
            _ => throw new ArgumentOutOfRangeException(nameof(depth), depth, "ResNet depths 18, 34 and 50 are supported."),
        };
        int expansion = bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;
        var stem = new Sequential(
            ("conv1", WeightInit.KaimingNormalFanOut(new Conv2d(inChannels, 64, 7, rng, stride: 2, padding: 3, bias: false), rng)),
            ("bn1", new BatchNorm2d(64)), ("relu", new ReLU()));
        int channels = 64;
        Sequential Layer(int planes, int count, int stride)
        {
            var layer = new ILayer[count];
            for (int b = 0; b < count; b++)
            {
                int s = b == 0 ? stride : 1;
                layer[b] = bottleneck ? new Bottleneck(channels, planes, s, rng) : new BasicBlock(channels, planes, s, rng);
                channels = planes * expansion;
            }
            return Sequential.Indexed(layer);
        }
        var stages = new[]
        {
            stem,
            new Sequential(("maxpool", new PaddedMaxPool2d(3, 2, 1)), ("layer1", Layer(64, blocks[0], 1))),
            new Sequential(("layer2", Layer(128, blocks[1], 2))),
            new Sequential(("layer3", Layer(256, blocks[2], 2))),
            new Sequential(("layer4", Layer(512, blocks[3], 2))),
        };
        return new UNetEncoder($"resnet{depth}", inChannels, stages, [64, 64 * expansion, 128 * expansion, 256 * expansion, 512 * expansion]);
    }

    /// <summary>
    /// torchvision's VGG-16 feature extractor (configuration D: 2×64, M, 2×128, M, 3×256, M, 3×512, M, 3×512, M with 3×3
    /// convolutions with bias, each followed by BN when <paramref name="batchNorm"/>, and ReLU; M a 2×2 max pool), cut
    /// as segmentation_models_pytorch cuts it: the features at strides 2 to 32 are the outputs of the second to fifth
    /// convolution groups (128, 256, 512, 512 channels) and of the last max pool (512); the full-resolution first group
    /// is computed but not used as a skip. Names "features.i.*" with torchvision's indices (vgg16_bn: convolutions at
    /// 0, 3, 7, …, 40; vgg16: 0, 2, 5, …, 28).
    /// </summary>
    public static UNetEncoder Vgg16(int inChannels, Rng rng, bool batchNorm = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Core.Guard.Positive(inChannels);
        int[] configuration = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0];
        var stages = new List<Sequential>();
        var current = new List<(string, ILayer)>();
        int index = 0, channels = inChannels, pools = 0;
        string Next() => "features." + (index++).ToString(CultureInfo.InvariantCulture);
        foreach (int v in configuration)
        {
            if (v == 0)
            {
                // Every stage but the first starts at a max pool; the first holds the full-resolution group and the
                // first pool, so that every stage ends at a new stride.
                if (pools++ > 0)
                {
                    stages.Add(new Sequential([.. current]));
                    current.Clear();
                }
                current.Add((Next(), new MaxPool2d(2)));
                continue;
            }
            current.Add((Next(), WeightInit.KaimingNormalFanOut(new Conv2d(channels, v, 3, rng, padding: 1), rng)));
            if (batchNorm) current.Add((Next(), new BatchNorm2d(v)));
            current.Add((Next(), new ReLU()));
            channels = v;
        }
        stages.Add(new Sequential([.. current]));
        return new UNetEncoder(batchNorm ? "vgg16_bn" : "vgg16", inChannels, [.. stages], [128, 256, 512, 512, 512]);
    }

    /// <summary>
    /// EfficientNet-B<paramref name="variant"/> (0 to 3) as efficientnet-pytorch builds it: stem conv 3×3 stride 2 (no
    /// bias) + BN + swish, then the <see cref="MBConvBlock"/>s of <see cref="EfficientNetScaling.Stages"/>; the head
    /// (conv 1×1 to 1280·width channels) and classifier are not built. Features, as segmentation_models_pytorch cuts
    /// the blocks: the stem, then the outputs of blocks (3, 5, 9, 16) for B0, (5, 8, 16, 23) for B1 and B2 and
    /// (5, 8, 18, 26) for B3 counted from 1 (for B0 the stride-16 feature is the first 112-channel block, not the last,
    /// as in that library). Weights have PyTorch's default initialisation, as efficientnet-pytorch.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">variant outside 0..3, or inChannels not positive.</exception>
    public static UNetEncoder EfficientNet(int variant, int inChannels, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Core.Guard.Positive(inChannels);
        int[] cuts = variant switch
        {
            0 => [3, 5, 9, 16],
            1 or 2 => [5, 8, 16, 23],
            3 => [5, 8, 18, 26],
            _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "EfficientNet variants B0 to B3 are supported."),
        };
        var (width, _) = EfficientNetScaling.Coefficients(variant);
        int stemChannels = EfficientNetScaling.RoundFilters(EfficientNetScaling.BaseStemChannels, width);
        var stem = new Sequential(
            ("_conv_stem", new Conv2d(inChannels, stemChannels, 3, rng, stride: 2, padding: 1, bias: false)),
            ("_bn0", MBConvBlock.Norm(stemChannels)), ("swish", new SiLU()));
        var blocks = new List<MBConvBlock>();
        foreach (var s in EfficientNetScaling.Stages(variant))
            for (int r = 0; r < s.Repeats; r++)
                blocks.Add(new MBConvBlock(r == 0 ? s.InChannels : s.OutChannels, s.OutChannels, s.KernelSize, r == 0 ? s.Stride : 1, s.ExpandRatio, rng));
        if (cuts[^1] != blocks.Count) throw new InvalidOperationException($"EfficientNet-B{variant} has {blocks.Count} blocks, expected {cuts[^1]}.");
        var stages = new List<Sequential> { stem };
        var channels = new List<int> { stemChannels };
        int start = 0;
        foreach (int end in cuts)
        {
            stages.Add(new Sequential(Enumerable.Range(start, end - start)
                .Select(b => ("_blocks." + b.ToString(CultureInfo.InvariantCulture), (ILayer)blocks[b])).ToArray()));
            channels.Add(blocks[end - 1].OutChannels);
            start = end;
        }
        return new UNetEncoder($"efficientnet-b{variant}", inChannels, [.. stages], [.. channels]);
    }
}
