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
    private readonly ILayer[] _layers;

    /// <summary>Creates the block from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public ConvBlock(int inChannels, int outChannels, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        _layers =
        [
            new Conv2d(inChannels, outChannels, 3, rng, padding: 1, bias: false), new BatchNorm2d(outChannels), new ReLU(),
            new Conv2d(outChannels, outChannels, 3, rng, padding: 1, bias: false), new BatchNorm2d(outChannels), new ReLU(),
        ];
    }

    /// <inheritdoc/>
    public Tensor Forward(Tensor input, bool training)
    {
        Tensor x = input;
        foreach (var layer in _layers) x = layer.Forward(x, training);
        return x;
    }

    /// <inheritdoc/>
    public Tensor Backward(Tensor outputGradient)
    {
        Tensor g = outputGradient;
        for (int i = _layers.Length - 1; i >= 0; i--) g = _layers[i].Backward(g);
        return g;
    }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => _layers.SelectMany(l => l.Parameters).ToArray();

    /// <summary>Parameters with their PyTorch names inside the block ("0.weight", "1.running_mean", …).</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters()
    {
        for (int i = 0; i < _layers.Length; i++)
            foreach (var p in _layers[i].Parameters) yield return ($"{i}.{p.Name}", p);
    }
}
