using SimSeg.Core.Randomness;
using SimSeg.Neural.Layers;
using SimSeg.Neural.Models.Encoders;

namespace SimSeg.Neural.Models;

/// <summary>
/// A U-Net on a classification backbone, laid out as segmentation_models_pytorch's Unet (Ronneberger et al. 2015 with
/// the encoders of He et al. 2016, Simonyan &amp; Zisserman 2015 and Tan &amp; Le 2019; PhySeg compares such encoders for
/// simulation-supervised segmentation). The <see cref="UNetEncoder"/> gives features at strides 2, 4, 8, 16 and 32;
/// five <see cref="UNetDecoderBlock"/>s each upsample ×2, concatenate the feature of the same stride (none for the
/// last) and apply two conv 3×3–BN–ReLU, with <see cref="DecoderChannels"/> channels (256, 128, 64, 32, 16 by
/// default); a 3×3 convolution with bias gives <see cref="OutChannels"/> logits at full resolution. Inputs are NCHW
/// with height and width divisible by 32. Parameter names are the library's: "encoder." + the backbone's reference
/// names (see <see cref="UNetEncoder"/>), "decoder.blocks.i.conv1.0.weight", "decoder.blocks.i.conv1.1.running_mean",
/// …, "segmentation_head.0.weight" and ".bias". Weights start from scratch (no pretrained weights are bundled).
/// </summary>
public sealed class EncoderUNet : ISegmentationModel
{
    /// <summary>
    /// Name prefix of every encoder parameter, for freezing the backbone (give the optimiser only the other trainable
    /// parameters; batch-norm running statistics still move in training mode, as in PyTorch) or loading it alone.
    /// </summary>
    public const string EncoderPrefix = "encoder.";

    /// <summary>The decoder channels of segmentation_models_pytorch: 256, 128, 64, 32, 16.</summary>
    public static IReadOnlyList<int> DefaultDecoderChannels { get; } = [256, 128, 64, 32, 16];

    /// <summary>Half-width decoder channels for CPU training: 128, 64, 32, 16, 8.</summary>
    public static IReadOnlyList<int> SmallDecoderChannels { get; } = [128, 64, 32, 16, 8];

    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Architectures { get; } =
    [
        "unet-resnet18", "unet-resnet34", "unet-resnet50", "unet-vgg16",
        "unet-efficientnet-b0", "unet-efficientnet-b1", "unet-efficientnet-b2", "unet-efficientnet-b3",
    ];

    private readonly UNetDecoderBlock[] _decoder;
    private readonly Conv2d _head;
    private readonly Tensor?[] _featureGradients = new Tensor?[UNetEncoder.Depth];

    /// <summary>A U-Net on <paramref name="encoder"/> with a freshly initialised decoder and head.</summary>
    /// <param name="encoder">The backbone; its input channels are the model's.</param>
    /// <param name="outChannels">Logits per pixel (1 for a sigmoid head, K for K classes).</param>
    /// <param name="rng">Source of the decoder's and head's initial weights.</param>
    /// <param name="decoderChannels">Output channels of the five decoder stages, deepest first; null for <see cref="DefaultDecoderChannels"/>.</param>
    /// <param name="architecture">Name reported by <see cref="Architecture"/>; null for "unet-" + the encoder's name.</param>
    /// <exception cref="ArgumentException">decoderChannels does not hold five positive numbers.</exception>
    public EncoderUNet(UNetEncoder encoder, int outChannels, Rng rng, IReadOnlyList<int>? decoderChannels = null, string? architecture = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(rng);
        Core.Guard.Positive(outChannels);
        decoderChannels ??= DefaultDecoderChannels;
        if (decoderChannels.Count != UNetEncoder.Depth || decoderChannels.Any(c => c <= 0))
            throw new ArgumentException($"decoderChannels must hold {UNetEncoder.Depth} positive channel counts (deepest first), got [{string.Join(", ", decoderChannels)}].", nameof(decoderChannels));
        Encoder = encoder;
        OutChannels = outChannels;
        DecoderChannels = decoderChannels.ToArray();
        Architecture = architecture ?? "unet-" + encoder.Name;
        var features = encoder.FeatureChannels;
        _decoder = new UNetDecoderBlock[UNetEncoder.Depth];
        int inChannels = features[^1];
        for (int i = 0; i < _decoder.Length; i++)
        {
            int skip = i < _decoder.Length - 1 ? features[features.Count - 2 - i] : 0;
            _decoder[i] = new UNetDecoderBlock(inChannels, skip, DecoderChannels[i], rng);
            inChannels = DecoderChannels[i];
        }
        _head = WeightInit.XavierUniform(new Conv2d(inChannels, outChannels, 3, rng, padding: 1), rng);
    }

    /// <summary>
    /// Builds a U-Net by name: "unet-resnet18", "unet-resnet34", "unet-resnet50" (torchvision ResNets),
    /// "unet-vgg16" (VGG-16 with batch norm, torchvision's vgg16_bn) or "unet-efficientnet-b0" to "-b3"
    /// (efficientnet-pytorch); case is ignored.
    /// </summary>
    /// <param name="architecture">One of <see cref="Architectures"/>.</param>
    /// <param name="inChannels">Image channels (1 for fluorescence).</param>
    /// <param name="outChannels">Logits per pixel (1 for a sigmoid head, K for K classes).</param>
    /// <param name="rng">Source of every initial weight; the same seed gives the same network.</param>
    /// <param name="decoderChannels">Five decoder channel counts, deepest first: null for smp's (256, 128, 64, 32, 16),
    /// <see cref="SmallDecoderChannels"/> (128, 64, 32, 16, 8) or any other for smaller or larger decoders.</param>
    /// <exception cref="ArgumentException">An unknown architecture (the message lists the accepted names) or bad decoder channels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">inChannels or outChannels is not positive.</exception>
    public static EncoderUNet Create(string architecture, int inChannels, int outChannels, Rng rng, IReadOnlyList<int>? decoderChannels = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(rng);
        Core.Guard.Positive(inChannels);
        Core.Guard.Positive(outChannels);
        string name = architecture.Trim().ToLowerInvariant();
        UNetEncoder encoder = name switch
        {
            "unet-resnet18" => UNetEncoder.ResNet(18, inChannels, rng),
            "unet-resnet34" => UNetEncoder.ResNet(34, inChannels, rng),
            "unet-resnet50" => UNetEncoder.ResNet(50, inChannels, rng),
            "unet-vgg16" => UNetEncoder.Vgg16(inChannels, rng, batchNorm: true),
            "unet-efficientnet-b0" => UNetEncoder.EfficientNet(0, inChannels, rng),
            "unet-efficientnet-b1" => UNetEncoder.EfficientNet(1, inChannels, rng),
            "unet-efficientnet-b2" => UNetEncoder.EfficientNet(2, inChannels, rng),
            "unet-efficientnet-b3" => UNetEncoder.EfficientNet(3, inChannels, rng),
            _ => throw new ArgumentException($"unknown architecture '{architecture}'; accepted: {string.Join(", ", Architectures)}.", nameof(architecture)),
        };
        return new EncoderUNet(encoder, outChannels, rng, decoderChannels, name);
    }

    /// <summary>The architecture's name ("unet-resnet34", …).</summary>
    public string Architecture { get; }

    /// <summary>The backbone.</summary>
    public UNetEncoder Encoder { get; }

    /// <summary>Output channels of the five decoder stages, deepest first.</summary>
    public IReadOnlyList<int> DecoderChannels { get; }

    /// <inheritdoc/>
    public int InChannels => Encoder.InChannels;

    /// <inheritdoc/>
    public int OutChannels { get; }

    /// <summary>32: five stride-2 stages.</summary>
    public int SizeMultiple => 1 << UNetEncoder.Depth;

    /// <summary>Logits [N, OutChannels, H, W] for NCHW <paramref name="input"/> [N, InChannels, H, W]; the result is overwritten by the next call.</summary>
    /// <exception cref="ArgumentException">Wrong rank or channels, or a side not divisible by 32.</exception>
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.RequireNchw(nameof(input), InChannels);
        if (input.H % SizeMultiple != 0 || input.W % SizeMultiple != 0)
            throw new ArgumentException($"input height and width must be multiples of {SizeMultiple}, got {input.H}x{input.W}.", nameof(input));
        var features = Encoder.Forward(input, training);
        Tensor x = features[^1];
        for (int i = 0; i < _decoder.Length; i++)
            x = _decoder[i].Forward(x, i < _decoder.Length - 1 ? features[features.Count - 2 - i] : null, training);
        return _head.Forward(x, training);
    }

    /// <summary>Back-propagates d loss / d logits of the last Forward, accumulating every parameter's gradient; returns d loss / d input.</summary>
    public Tensor Backward(Tensor logitsGradient)
    {
        ArgumentNullException.ThrowIfNull(logitsGradient);
        Tensor g = _head.Backward(logitsGradient);
        for (int i = _decoder.Length - 1; i >= 0; i--)
        {
            var (inputGradient, skipGradient) = _decoder[i].Backward(g);
            if (i < _decoder.Length - 1) _featureGradients[_featureGradients.Length - 2 - i] = skipGradient;
            g = inputGradient;
        }
        _featureGradients[^1] = g;
        return Encoder.Backward(_featureGradients);
    }

    /// <summary>Every parameter and buffer with its segmentation_models_pytorch name.</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> NamedParameters()
    {
        var result = new List<(string, Parameter)>();
        result.AddRange(Encoder.NamedParameters().Select(p => (EncoderPrefix + p.Name, p.Parameter)));
        for (int i = 0; i < _decoder.Length; i++)
            result.AddRange(_decoder[i].NamedParameters().Select(p => ($"decoder.blocks.{i}.{p.Name}", p.Parameter)));
        result.AddRange(NamedLayers.Of(_head, "segmentation_head.0"));
        return result;
    }

    /// <summary>All parameters and buffers (optimisers skip the buffers).</summary>
    public IReadOnlyList<Parameter> Parameters => NamedParameters().Select(p => p.Parameter).ToArray();

    /// <summary>Number of trainable values.</summary>
    public long TrainableCount => CountTrainable(NamedParameters());

    /// <summary>Number of trainable values in the encoder (names starting with <see cref="EncoderPrefix"/>).</summary>
    public long EncoderTrainableCount => CountTrainable(NamedParameters().Where(p => p.Name.StartsWith(EncoderPrefix, StringComparison.Ordinal)));

    private static long CountTrainable(IEnumerable<(string Name, Parameter Parameter)> parameters) =>
        parameters.Where(p => p.Parameter.Trainable).Sum(p => (long)p.Parameter.Value.Length);
}
