using SimSeg.Core.Randomness;

namespace SimSeg.Neural.Layers;

/// <summary>
/// Squeeze-and-excitation (Hu et al., CVPR 2018) as in EfficientNet (Tan &amp; Le, ICML 2019): a per-channel gate
/// g = σ(W₂·swish(W₁·avgpool(x) + b₁) + b₂) rescales the input, y = x·g. NCHW [N, C, H, W] in and out; the squeeze
/// is global average pooling to [N, C, 1, 1], the reduction and expansion are 1×1 convolutions with bias (C → S → C),
/// the inner activation is SiLU (swish) and the gate a sigmoid. Parameters are named after the two convolutions,
/// "fc1"/"fc2" by default (torchvision's SqueezeExcitation); EfficientNet blocks pass "_se_reduce"/"_se_expand"
/// (efficientnet-pytorch). Output and gradient are reused buffers.
/// </summary>
public sealed class SqueezeExcitation : INamedLayer
{
    private readonly GlobalAvgPool _squeeze = new();
    private readonly SiLU _activation = new();
    private readonly Sigmoid _gate = new();
    private readonly ChannelMultiply _scale = new();
    private readonly string _reduceName, _expandName;
    private Tensor? _inputGradient;

    /// <summary>A gate over <paramref name="channels"/> channels through <paramref name="squeezeChannels"/> hidden channels.</summary>
    /// <param name="channels">Channels C of the input.</param>
    /// <param name="squeezeChannels">Hidden channels S (EfficientNet: max(1, ⌊block input channels / 4⌋)).</param>
    /// <param name="rng">Source of the initial weights (PyTorch's default convolution initialisation).</param>
    /// <param name="reduceName">Name of the C → S convolution's parameters.</param>
    /// <param name="expandName">Name of the S → C convolution's parameters.</param>
    public SqueezeExcitation(int channels, int squeezeChannels, Rng rng, string reduceName = "fc1", string expandName = "fc2")
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentException.ThrowIfNullOrEmpty(reduceName);
        ArgumentException.ThrowIfNullOrEmpty(expandName);
        Reduce = new Conv2d(channels, squeezeChannels, 1, rng);
        Expand = new Conv2d(squeezeChannels, channels, 1, rng);
        (_reduceName, _expandName) = (reduceName, expandName);
    }

    /// <summary>Channels C.</summary>
    public int Channels => Reduce.InChannels;

    /// <summary>Hidden channels S.</summary>
    public int SqueezeChannels => Reduce.OutChannels;

    /// <summary>The C → S 1×1 convolution with bias.</summary>
    public Conv2d Reduce { get; }

    /// <summary>The S → C 1×1 convolution with bias.</summary>
    public Conv2d Expand { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => [.. Reduce.Parameters, .. Expand.Parameters];

    /// <inheritdoc/>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters() =>
        NamedLayers.Of(Reduce, _reduceName).Concat(NamedLayers.Of(Expand, _expandName));

    /// <inheritdoc/>
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.RequireNchw(nameof(input), Channels);
        Tensor s = _squeeze.Forward(input, training);
        Tensor g = _gate.Forward(Expand.Forward(_activation.Forward(Reduce.Forward(s, training), training), training), training);
        return _scale.Forward(input, g);
    }

    /// <inheritdoc/>
    public Tensor Backward(Tensor outputGradient)
    {
        var (direct, gateGradient) = _scale.Backward(outputGradient);
        Tensor g = Reduce.Backward(_activation.Backward(Expand.Backward(_gate.Backward(gateGradient))));
        Tensor throughGate = _squeeze.Backward(g);
        Tensor dx = TensorBuffers.EnsureLike(ref _inputGradient, direct);
        VectorMath.Add(direct.Data, throughGate.Data, dx.Data);
        return dx;
    }
}
