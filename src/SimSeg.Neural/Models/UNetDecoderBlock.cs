using SimSeg.Core.Randomness;
using SimSeg.Neural.Layers;

namespace SimSeg.Neural.Models;

/// <summary>
/// One decoder stage of segmentation_models_pytorch's Unet: nearest-neighbour ×2 upsampling of x [N, in, H, W],
/// concatenation with the skip feature [N, skip, 2H, 2W] (upsampled channels first; no skip for the last stage), then
/// twice conv 3×3 (no bias) → BN → ReLU to <c>out</c> channels. Names: conv1.0 (conv), conv1.1 (batch norm), conv2.0,
/// conv2.1. Convolutions are initialised as that library's decoder (Kaiming uniform, fan-in). Output and gradients are
/// reused buffers.
/// </summary>
public sealed class UNetDecoderBlock
{
    private readonly UpsampleNearest2d _upsample = new(2);
    private readonly Sequential _conv1, _conv2;
    private Tensor? _concatenated, _upGradient, _skipGradient;

    /// <summary>A stage from <paramref name="inChannels"/> (+ <paramref name="skipChannels"/>) to <paramref name="outChannels"/> channels.</summary>
    /// <param name="inChannels">Channels of the deeper input.</param>
    /// <param name="skipChannels">Channels of the skip feature, 0 for none.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="rng">Source of the initial weights.</param>
    public UNetDecoderBlock(int inChannels, int skipChannels, int outChannels, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Core.Guard.Positive(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegative(skipChannels);
        Core.Guard.Positive(outChannels);
        (InChannels, SkipChannels, OutChannels) = (inChannels, skipChannels, outChannels);
        _conv1 = ConvBnRelu(inChannels + skipChannels, outChannels, rng);
        _conv2 = ConvBnRelu(outChannels, outChannels, rng);
    }

    /// <summary>Channels of the deeper input.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the skip feature (0: none).</summary>
    public int SkipChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>The stage's output [N, out, 2H, 2W].</summary>
    /// <exception cref="ArgumentException">Wrong channels, or a skip missing, superfluous or not of twice the input's size.</exception>
    public Tensor Forward(Tensor input, Tensor? skip, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.RequireNchw(nameof(input), InChannels);
        if ((skip is null) != (SkipChannels == 0))
            throw new ArgumentException(SkipChannels == 0 ? "this stage takes no skip feature." : $"this stage needs a skip feature of {SkipChannels} channels.", nameof(skip));
        Tensor x = _upsample.Forward(input, training);
        if (skip is not null)
        {
            skip.RequireNchw(nameof(skip), SkipChannels);
            if (skip.N != x.N || skip.H != x.H || skip.W != x.W)
                throw new ArgumentException($"skip has shape {skip.ShapeText}; the upsampled input has {x.ShapeText}.", nameof(skip));
            Tensor joined = TensorBuffers.Ensure(ref _concatenated, [x.N, InChannels + SkipChannels, x.H, x.W]);
            Concat.Forward(x, skip, joined);
            x = joined;
        }
        return _conv2.Forward(_conv1.Forward(x, training), training);
    }

    /// <summary>d loss / d input and d loss / d skip (null without skip) from d loss / d output of the last Forward.</summary>
    public (Tensor InputGradient, Tensor? SkipGradient) Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        Tensor g = _conv1.Backward(_conv2.Backward(outputGradient));
        if (SkipChannels == 0) return (_upsample.Backward(g), null);
        Tensor up = TensorBuffers.Ensure(ref _upGradient, [g.N, InChannels, g.H, g.W]);
        Tensor skip = TensorBuffers.Ensure(ref _skipGradient, [g.N, SkipChannels, g.H, g.W]);
        Concat.Backward(g, up, skip);
        return (_upsample.Backward(up), skip);
    }

    /// <summary>Every parameter and buffer with its name inside the stage.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters() =>
        NamedLayers.Of(_conv1, "conv1").Concat(NamedLayers.Of(_conv2, "conv2"));

    private static Sequential ConvBnRelu(int inChannels, int outChannels, Rng rng) => Sequential.Indexed(
        WeightInit.KaimingUniformFanIn(new Conv2d(inChannels, outChannels, 3, rng, padding: 1, bias: false), rng),
        new BatchNorm2d(outChannels), new ReLU());
}
