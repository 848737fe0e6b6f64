using SimSeg.Core.Randomness;
using SimSeg.Neural.Layers;

namespace SimSeg.Neural.Models;

/// <summary>
/// Two (3×3 convolution without bias → batch norm → ReLU) in sequence, the stage of the plain U-Net
/// (Ronneberger et al. 2015, as in the reference PyTorch benchmark). PyTorch names: 0 and 3 are the
/// convolutions, 1 and 4 the batch norms.
/// </summary>
public sealed class ConvBlock : ILayer, IPooledLayer
{
    private readonly Conv2d _conv1, _conv2;
    private readonly BatchNorm2d _norm1, _norm2;
    private TensorPool? _pool;
    private Tensor[]? _activations;

    /// <summary>Creates the block from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public ConvBlock(int inChannels, int outChannels, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        // Batch norm and ReLU run as one fused layer (the PyTorch module's 1/2 and 4/5): one buffer where two would do.
        _conv1 = new Conv2d(inChannels, outChannels, 3, rng, padding: 1, bias: false);
        _norm1 = new BatchNorm2d(outChannels, fuseReLU: true);
        _conv2 = new Conv2d(outChannels, outChannels, 3, rng, padding: 1, bias: false);
        _norm2 = new BatchNorm2d(outChannels, fuseReLU: true);
    }

    /// <inheritdoc/>
    public TensorPool? Pool
    {
        get => _pool;
        set
        {
            _pool = value;
            _conv1.Pool = _conv2.Pool = value;
            _norm1.Pool = _norm2.Pool = value;
            _activations = null;
        }
    }

    /// <inheritdoc/>
    public void ReleaseBuffers()
    {
        _conv1.ReleaseBuffers();
        _norm1.ReleaseBuffers();
        _conv2.ReleaseBuffers();
        _norm2.ReleaseBuffers();
        _activations = null;
    }

    /// <summary>
    /// The block's output. In evaluation the batch norms and ReLUs run in place on the convolutions' outputs, so the
    /// result is the second convolution's buffer (with a pool, the first convolution's output goes back as soon as the
    /// second has read it); in training every intermediate is kept for <see cref="Backward"/>.
    /// </summary>
    public Tensor Forward(Tensor input, bool training)
    {
        _activations = null;
        if (!training)
        {
            var y = _conv1.Forward(input, training: false);
            _norm1.ForwardInPlace(y);
            var z = _conv2.Forward(y, training: false);
            _pool?.Return(y);
            _norm2.ForwardInPlace(z);
            return z;
        }
        var a = _conv1.Forward(input, training: true);
        var b = _norm1.Forward(a, training: true);
        var c = _conv2.Forward(b, training: true);
        var d = _norm2.Forward(c, training: true);
        if (_pool != null) _activations = [a, b, c, d];
        return d;
    }

    /// <summary>
    /// d loss / d input of the last training <see cref="Forward"/>. With a pool, each intermediate gradient goes back as
    /// soon as it is read and, at the end, the four activations of the forward pass, the output included (the block
    /// is the last to need it): one backward per forward.
    /// </summary>
    /// <exception cref="InvalidOperationException">With a pool: no training forward since the last backward.</exception>
    public Tensor Backward(Tensor outputGradient)
    {
        var activations = _activations;
        if (_pool != null && activations is null)
            throw new InvalidOperationException("Backward needs a training Forward first (with a pool, one Backward per Forward).");
        _activations = null;
        var g1 = _norm2.Backward(outputGradient);
        var g2 = _conv2.Backward(g1);
        _pool?.Return(g1);
        var g3 = _norm1.Backward(g2);
        _pool?.Return(g2);
        var dx = _conv1.Backward(g3);
        _pool?.Return(g3);
        foreach (var t in activations ?? []) _pool!.Return(t);
        return dx;
    }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => NamedParameters().Select(p => p.Parameter).ToArray();

    /// <summary>Parameters with their PyTorch names inside the block ("0.weight", "1.running_mean", …).</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters()
    {
        foreach (var p in _conv1.Parameters) yield return ($"0.{p.Name}", p);
        foreach (var p in _norm1.Parameters) yield return ($"1.{p.Name}", p);
        foreach (var p in _conv2.Parameters) yield return ($"3.{p.Name}", p);
        foreach (var p in _norm2.Parameters) yield return ($"4.{p.Name}", p);
    }
}
