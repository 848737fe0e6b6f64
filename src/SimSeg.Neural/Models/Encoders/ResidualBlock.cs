using SimSeg.Core.Randomness;
using SimSeg.Neural.Layers;

namespace SimSeg.Neural.Models.Encoders;

/// <summary>
/// A residual unit y = post(main(x) + shortcut(x)) (He et al., CVPR 2016): the shortcut is a projection layer, the
/// identity, or absent (then y = main(x), an EfficientNet block whose shapes change); post is an optional activation.
/// Parameters are named as in the reference module: the main path's names at the top level and the projection's
/// under "downsample". Output and gradient are reused buffers.
/// </summary>
public abstract class ResidualBlock : INamedLayer
{
    private readonly Sequential _main;
    private readonly ILayer? _projection;
    private readonly ILayer? _post;
    private readonly bool _skip;
    private Tensor? _sum, _inputGradient;

    /// <summary>Wires the block.</summary>
    /// <param name="main">The residual branch.</param>
    /// <param name="projection">The shortcut's projection (named "downsample"), or null for the identity.</param>
    /// <param name="skip">False for a block without shortcut (projection must then be null).</param>
    /// <param name="post">Activation after the sum, or null.</param>
    private protected ResidualBlock(Sequential main, ILayer? projection, bool skip, ILayer? post)
    {
        ArgumentNullException.ThrowIfNull(main);
        if (!skip && projection is not null) throw new ArgumentException("a block without shortcut has no projection.", nameof(projection));
        (_main, _projection, _skip, _post) = (main, projection, skip, post);
    }

    /// <summary>True when the block adds a shortcut (identity or projection) to its main branch.</summary>
    public bool HasShortcut => _skip;

    /// <summary>True when the shortcut is a projection (a strided 1×1 convolution and batch norm).</summary>
    public bool HasProjection => _projection is not null;

    /// <summary>The main branch.</summary>
    public Sequential Main => _main;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => NamedParameters().Select(p => p.Parameter).ToArray();

    /// <inheritdoc/>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters() =>
        _projection is null ? _main.NamedParameters() : _main.NamedParameters().Concat(NamedLayers.Of(_projection, "downsample"));

    /// <inheritdoc/>
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor m = _main.Forward(input, training);
        if (!_skip) return _post?.Forward(m, training) ?? m;
        Tensor shortcut = _projection?.Forward(input, training) ?? input;
        if (!shortcut.SameShape(m))
            throw new InvalidOperationException($"the shortcut gives {shortcut.ShapeText} but the main branch {m.ShapeText}.");
        Tensor sum = TensorBuffers.EnsureLike(ref _sum, m);
        VectorMath.Add(m.Data, shortcut.Data, sum.Data);
        return _post?.Forward(sum, training) ?? sum;
    }

    /// <inheritdoc/>
    public Tensor Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        Tensor g = _post?.Backward(outputGradient) ?? outputGradient;
        Tensor dm = _main.Backward(g);
        if (!_skip) return dm;
        Tensor ds = _projection?.Backward(g) ?? g;
        Tensor dx = TensorBuffers.EnsureLike(ref _inputGradient, dm);
        VectorMath.Add(dm.Data, ds.Data, dx.Data);
        return dx;
    }

    /// <summary>Conv 1×1 (stride s, no bias) + batch norm, torchvision's "downsample", or null when not needed.</summary>
    private protected static Sequential? Projection(int inChannels, int outChannels, int stride, Rng rng) =>
        stride == 1 && inChannels == outChannels
            ? null
            : Sequential.Indexed(
                WeightInit.KaimingNormalFanOut(new Conv2d(inChannels, outChannels, 1, rng, stride: stride, bias: false), rng),
                new BatchNorm2d(outChannels));

    /// <summary>A k×k convolution without bias, padding k/2, initialised as torchvision's ResNet.</summary>
    private protected static Conv2d ResNetConv(int inChannels, int outChannels, int kernel, int stride, Rng rng) =>
        WeightInit.KaimingNormalFanOut(new Conv2d(inChannels, outChannels, kernel, rng, stride: stride, padding: kernel / 2, bias: false), rng);
}

/// <summary>
/// ResNet-18/34's basic block (torchvision BasicBlock): conv 3×3 (stride s) → BN → ReLU → conv 3×3 → BN, plus the
/// input (or its 1×1 stride-s projection when the shape changes), then ReLU. NCHW [N, in, H, W] →
/// [N, out, H/s, W/s]. Names: conv1, bn1, conv2, bn2, downsample.0, downsample.1.
/// </summary>
public sealed class BasicBlock : ResidualBlock
{
    /// <summary>Output channels per "planes" channel (1).</summary>
    public const int Expansion = 1;

    /// <summary>A block from <paramref name="inChannels"/> to <paramref name="planes"/> channels with stride <paramref name="stride"/>.</summary>
    public BasicBlock(int inChannels, int planes, int stride, Rng rng)
        : base(Build(inChannels, planes, stride, rng, out var projection), projection, skip: true, new ReLU())
    {
        (InChannels, OutChannels, Stride) = (inChannels, planes, stride);
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Stride of the first convolution and of the projection.</summary>
    public int Stride { get; }

    private static Sequential Build(int inChannels, int planes, int stride, Rng rng, out Sequential? projection)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var main = new Sequential(
            ("conv1", ResNetConv(inChannels, planes, 3, stride, rng)), ("bn1", new BatchNorm2d(planes)), ("relu", new ReLU()),
            ("conv2", ResNetConv(planes, planes, 3, 1, rng)), ("bn2", new BatchNorm2d(planes)));
        projection = Projection(inChannels, planes * Expansion, stride, rng);
        return main;
    }
}

/// <summary>
/// ResNet-50's bottleneck block (torchvision Bottleneck, "ResNet v1.5": the stride sits on the 3×3 convolution):
/// conv 1×1 → BN → ReLU → conv 3×3 (stride s) → BN → ReLU → conv 1×1 to 4·planes → BN, plus the input (or its 1×1
/// stride-s projection), then ReLU. NCHW [N, in, H, W] → [N, 4·planes, H/s, W/s]. Names: conv1, bn1, conv2, bn2,
/// conv3, bn3, downsample.0, downsample.1.
/// </summary>
public sealed class Bottleneck : ResidualBlock
{
    /// <summary>Output channels per "planes" channel (4).</summary>
    public const int Expansion = 4;

    /// <summary>A block from <paramref name="inChannels"/> through <paramref name="planes"/> to 4·planes channels.</summary>
    public Bottleneck(int inChannels, int planes, int stride, Rng rng)
        : base(Build(inChannels, planes, stride, rng, out var projection), projection, skip: true, new ReLU())
    {
        (InChannels, OutChannels, Stride) = (inChannels, planes * Expansion, stride);
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels (4·planes).</summary>
    public int OutChannels { get; }

    /// <summary>Stride of the 3×3 convolution and of the projection.</summary>
    public int Stride { get; }

    private static Sequential Build(int inChannels, int planes, int stride, Rng rng, out Sequential? projection)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var main = new Sequential(
            ("conv1", ResNetConv(inChannels, planes, 1, 1, rng)), ("bn1", new BatchNorm2d(planes)), ("relu1", new ReLU()),
            ("conv2", ResNetConv(planes, planes, 3, stride, rng)), ("bn2", new BatchNorm2d(planes)), ("relu2", new ReLU()),
            ("conv3", ResNetConv(planes, planes * Expansion, 1, 1, rng)), ("bn3", new BatchNorm2d(planes * Expansion)));
        projection = Projection(inChannels, planes * Expansion, stride, rng);
        return main;
    }
}
