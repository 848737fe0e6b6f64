using SimSeg.Core.Randomness;
using SimSeg.Neural.Layers;

namespace SimSeg.Neural.Models;

/// <summary>
/// Two (3×3 convolution without bias → batch norm → ReLU) in sequence, the stage of the plain U-Net
/// (Ronneberger et al. 2015, as in the reference PyTorch benchmark). PyTorch names: 0 and 3 are the
/// convolutions, 1 and 4 the batch norms.
/// </summary>
public sealed class ConvBlock : ILayer
{
    private readonly Conv2d _conv1, _conv2;
    private readonly BatchNorm2d _norm1, _norm2;

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

    /// <summary>
    /// The block's output. In evaluation the batch norms and ReLUs run in place on the convolutions' outputs, so the
    /// result is the second convolution's buffer; in training every intermediate is kept for <see cref="Backward"/>.
    /// </summary>
    public Tensor Forward(Tensor input, bool training)
    {
        if (!training)
        {
            var y = _conv1.Forward(input, training: false);
            _norm1.ForwardInPlace(y);
            y = _conv2.Forward(y, training: false);
            _norm2.ForwardInPlace(y);
            return y;
        }
        var x = _norm1.Forward(_conv1.Forward(input, training: true), training: true);
        return _norm2.Forward(_conv2.Forward(x, training: true), training: true);
    }

    /// <inheritdoc/>
    public Tensor Backward(Tensor outputGradient)
    {
        var g = _conv2.Backward(_norm2.Backward(outputGradient));
        return _conv1.Backward(_norm1.Backward(g));
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
