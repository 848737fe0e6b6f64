using SimSeg.Core.Randomness;
using SimSeg.Neural.Layers;

namespace SimSeg.Neural.Models.Encoders;

/// <summary>
/// EfficientNet's mobile inverted bottleneck block, MBConv (Sandler et al. 2018; Tan &amp; Le, ICML 2019), laid out
/// as efficientnet-pytorch's MBConvBlock: expansion 1×1 conv to e·in channels + BN + swish (omitted when e = 1),
/// depthwise k×k conv with stride s and padding k/2 (<see cref="DepthwiseConv2d"/>) + BN + swish, squeeze-excitation with max(1, ⌊in·0.25⌋) hidden
/// channels, projection 1×1 conv to out channels + BN, and the input added when s = 1 and in = out. No convolution
/// except the squeeze-excitation's has a bias; batch norms use ε = 1e-3 and momentum 0.01 (TensorFlow's 0.99 decay).
/// Names: _expand_conv, _bn0, _depthwise_conv, _bn1, _se_reduce, _se_expand, _project_conv, _bn2.
/// Differences from efficientnet-pytorch: symmetric zero padding k/2, as torchvision's EfficientNet, instead of
/// TensorFlow "same" padding (equal output sizes for even inputs; at stride 2 the window sits one pixel earlier), and
/// no drop-connect (stochastic depth) on the shortcut, so a training step is deterministic given the data.
/// </summary>
public sealed class MBConvBlock : ResidualBlock
{
    /// <summary>Squeeze-excitation hidden channels per input channel.</summary>
    public const double SqueezeRatio = 0.25;

    /// <summary>A block from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">Depthwise kernel size (3 or 5 in EfficientNet).</param>
    /// <param name="stride">Depthwise stride (1 or 2).</param>
    /// <param name="expandRatio">Expansion e of the hidden channels (1 or 6 in EfficientNet).</param>
    /// <param name="rng">Source of the initial weights (PyTorch's default initialisation, as efficientnet-pytorch).</param>
    public MBConvBlock(int inChannels, int outChannels, int kernelSize, int stride, int expandRatio, Rng rng)
        : base(Build(inChannels, outChannels, kernelSize, stride, expandRatio, rng), projection: null,
            skip: stride == 1 && inChannels == outChannels, post: null)
    {
        (InChannels, OutChannels, KernelSize, Stride, ExpandRatio) = (inChannels, outChannels, kernelSize, stride, expandRatio);
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Depthwise kernel size.</summary>
    public int KernelSize { get; }

    /// <summary>Depthwise stride.</summary>
    public int Stride { get; }

    /// <summary>Expansion ratio of the hidden channels.</summary>
    public int ExpandRatio { get; }

    /// <summary>Batch norm as efficientnet-pytorch builds it (ε = 1e-3, momentum 0.01).</summary>
    internal static BatchNorm2d Norm(int channels) => new(channels, epsilon: 1e-3, momentum: 0.01);

    private static Sequential Build(int inChannels, int outChannels, int kernelSize, int stride, int expandRatio, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Core.Guard.Positive(inChannels);
        Core.Guard.Positive(outChannels);
        Core.Guard.Positive(expandRatio);
        if (kernelSize < 1 || kernelSize % 2 == 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "kernelSize must be odd and positive.");
        int hidden = inChannels * expandRatio;
        var layers = new List<(string, ILayer)>();
        if (expandRatio != 1)
        {
            layers.Add(("_expand_conv", new Conv2d(inChannels, hidden, 1, rng, bias: false)));
            layers.Add(("_bn0", Norm(hidden)));
            layers.Add(("swish0", new SiLU()));
        }
        layers.Add(("_depthwise_conv", new DepthwiseConv2d(hidden, kernelSize, rng, stride: stride, padding: kernelSize / 2)));
        layers.Add(("_bn1", Norm(hidden)));
        layers.Add(("swish1", new SiLU()));
        int squeeze = Math.Max(1, (int)(inChannels * SqueezeRatio));
        layers.Add(("", new SqueezeExcitation(hidden, squeeze, rng, "_se_reduce", "_se_expand")));
        layers.Add(("_project_conv", new Conv2d(hidden, outChannels, 1, rng, bias: false)));
        layers.Add(("_bn2", Norm(outChannels)));
        return new Sequential([.. layers]);
    }
}
