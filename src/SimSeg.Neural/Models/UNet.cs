using SimSeg.Core.Randomness;
using SimSeg.Neural.Layers;

namespace SimSeg.Neural.Models;

/// <summary>
/// The plain U-Net of the reference PyTorch benchmark (Ronneberger et al., MICCAI 2015): encoder stages of
/// <see cref="ConvBlock"/> with channels c, 2c, …, 2^depth·c and 2×2 max-pooling between them; decoder stages of a
/// 2×2 stride-2 transposed convolution (with bias) halving the channels, concatenation with the skip connection and a
/// <see cref="ConvBlock"/>; a 1×1 convolution head to <c>outChannels</c> logits. Inputs are NCHW with height and width
/// divisible by 2^depth. Parameter names follow the PyTorch module (enc.i.*, up.i.*, dec.i.*, head.*), so
/// checkpoints can be shared with it.
/// </summary>
public sealed class UNet : ISegmentationModel
{
    private readonly ConvBlock[] _encoder;
    private readonly MaxPool2d[] _pools;
    private readonly ConvTranspose2d[] _up;
    private readonly ConvBlock[] _decoder;
    private readonly Conv2d _head;
    private readonly int[] _channels;
    private readonly Tensor[] _skips;
    private readonly Tensor?[] _concat, _upGradients, _skipGradients;

    /// <summary>Builds the network with weights drawn from <paramref name="rng"/>.</summary>
    /// <param name="inChannels">Input channels (1 for fluorescence images).</param>
    /// <param name="outChannels">Logits per pixel (1 for a sigmoid head).</param>
    /// <param name="baseChannels">Channels of the first stage, c.</param>
    /// <param name="depth">Number of down-sampling steps.</param>
    /// <param name="rng">Source of the initial weights.</param>
    public UNet(int inChannels, int outChannels, int baseChannels, int depth, Rng rng)
    {
        Core.Guard.Positive(inChannels);
        Core.Guard.Positive(outChannels);
        Core.Guard.Positive(baseChannels);
        Core.Guard.Positive(depth);
        ArgumentNullException.ThrowIfNull(rng);
        InChannels = inChannels;
        OutChannels = outChannels;
        Depth = depth;
        _channels = Enumerable.Range(0, depth + 1).Select(i => baseChannels << i).ToArray();
        _encoder = Enumerable.Range(0, depth + 1).Select(i => new ConvBlock(i == 0 ? inChannels : _channels[i - 1], _channels[i], rng)).ToArray();
        _pools = Enumerable.Range(0, depth).Select(_ => new MaxPool2d(2)).ToArray();
        _up = Enumerable.Range(0, depth).Select(i => new ConvTranspose2d(_channels[i + 1], _channels[i], 2, rng, stride: 2)).ToArray();
        _decoder = Enumerable.Range(0, depth).Select(i => new ConvBlock(2 * _channels[i], _channels[i], rng)).ToArray();
        _head = new Conv2d(_channels[0], outChannels, 1, rng);
        _skips = new Tensor[depth];
        _concat = new Tensor?[depth];
        _upGradients = new Tensor?[depth];
        _skipGradients = new Tensor?[depth];
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Logit channels.</summary>
    public int OutChannels { get; }

    /// <summary>Down-sampling steps; input sides must be divisible by 2^Depth.</summary>
    public int Depth { get; }

    /// <inheritdoc/>
    public int SizeMultiple => 1 << Depth;

    /// <summary>Logits for <paramref name="input"/> (N × inChannels × H × W); the result is overwritten by the next call.</summary>
    /// <exception cref="ArgumentException">Wrong rank or channels, or sides not divisible by 2^depth.</exception>
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.RequireNchw(nameof(input), InChannels);
        int factor = 1 << Depth;
        if (input.H % factor != 0 || input.W % factor != 0)
            throw new ArgumentException($"input height and width must be divisible by 2^depth = {factor}, got {input.H}x{input.W}.", nameof(input));
        Tensor x = input;
        for (int i = 0; i <= Depth; i++)
        {
            x = _encoder[i].Forward(x, training);
            if (i < Depth)
            {
                _skips[i] = x;
                x = _pools[i].Forward(x, training);
            }
        }
        for (int i = Depth - 1; i >= 0; i--)
        {
            Tensor up = _up[i].Forward(x, training);
            // Reused per level: a fresh 2c×H×W tensor per call costs more in page faults than the copy itself.
            var joined = TensorBuffers.Ensure(ref _concat[i], [up.N, up.C + _skips[i].C, up.H, up.W]);
            Concat.Forward(up, _skips[i], joined);
            x = _decoder[i].Forward(joined, training);
        }
        return _head.Forward(x, training);
    }

    /// <summary>
    /// Back-propagates d loss / d logits of the last <see cref="Forward"/>, accumulating every parameter's gradient,
    /// and returns d loss / d input.
    /// </summary>
    public Tensor Backward(Tensor logitsGradient)
    {
        ArgumentNullException.ThrowIfNull(logitsGradient);
        Tensor g = _head.Backward(logitsGradient);
        for (int i = 0; i < Depth; i++)
        {
            g = _decoder[i].Backward(g);
            var upGradient = TensorBuffers.Ensure(ref _upGradients[i], [g.N, _channels[i], g.H, g.W]);
            var skipGradient = TensorBuffers.Ensure(ref _skipGradients[i], [g.N, g.C - _channels[i], g.H, g.W]);
            Concat.Backward(g, upGradient, skipGradient);
            g = _up[i].Backward(upGradient);
        }
        for (int i = Depth; i >= 0; i--)
        {
            if (i < Depth)
            {
                // The stage's output fed both the pooling and the skip connection: the gradients add.
                g = _pools[i].Backward(g);
                var gs = _skipGradients[i]!.Data;
                var gd = g.Data;
                for (int k = 0; k < gd.Length; k++) gd[k] += gs[k];
            }
            g = _encoder[i].Backward(g);
        }
        return g;
    }

    /// <summary>Every parameter and buffer with its PyTorch name.</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> NamedParameters()
    {
        var result = new List<(string, Parameter)>();
        for (int i = 0; i <= Depth; i++) result.AddRange(_encoder[i].NamedParameters().Select(p => ($"enc.{i}.{p.Name}", p.Parameter)));
        for (int i = 0; i < Depth; i++) result.AddRange(_up[i].Parameters.Select(p => ($"up.{i}.{p.Name}", p)));
        for (int i = 0; i < Depth; i++) result.AddRange(_decoder[i].NamedParameters().Select(p => ($"dec.{i}.{p.Name}", p.Parameter)));
        result.AddRange(_head.Parameters.Select(p => ($"head.{p.Name}", p)));
        return result;
    }

    /// <summary>All parameters and buffers (optimisers skip the buffers).</summary>
    public IReadOnlyList<Parameter> Parameters => NamedParameters().Select(p => p.Parameter).ToArray();

    /// <summary>Number of trainable values.</summary>
    public long TrainableCount => Parameters.Where(p => p.Trainable).Sum(p => (long)p.Value.Length);
}
