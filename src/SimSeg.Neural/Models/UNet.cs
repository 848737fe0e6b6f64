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
    private readonly Tensor?[] _skips, _concat, _skipGradients;
    private readonly TensorPool _pool = new();
    private int[]? _lastShape;
    private bool _lastTraining, _trainedPass;

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
        _skips = new Tensor?[depth];
        _concat = new Tensor?[depth];
        _skipGradients = new Tensor?[depth];
        foreach (var layer in PooledLayers()) layer.Pool = _pool;
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Logit channels.</summary>
    public int OutChannels { get; }

    /// <summary>Down-sampling steps; input sides must be divisible by 2^Depth.</summary>
    public int Depth { get; }

    /// <inheritdoc/>
    public int SizeMultiple => 1 << Depth;

    /// <summary>
    /// Logits for <paramref name="input"/> (N × inChannels × H × W). The result, and the input gradient of the
    /// following <see cref="Backward"/>, stay valid until the next Forward, which takes their memory back.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong rank or channels, or sides not divisible by 2^depth.</exception>
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.RequireNchw(nameof(input), InChannels);
        int factor = 1 << Depth;
        if (input.H % factor != 0 || input.W % factor != 0)
            throw new ArgumentException($"input height and width must be divisible by 2^depth = {factor}, got {input.H}x{input.W}.", nameof(input));
        BeginPass(input, training);
        Tensor x = input;
        for (int i = 0; i <= Depth; i++)
        {
            var y = _encoder[i].Forward(x, training);
            // In evaluation a pooled map is dead once the next stage has read it (training keeps it for backward).
            if (!training && i > 0) _pool.Return(x);
            if (i < Depth)
            {
                _skips[i] = y;
                x = _pools[i].Forward(y, training);
            }
            else x = y;
        }
        for (int i = Depth - 1; i >= 0; i--)
        {
            Tensor up = _up[i].Forward(x, training);
            if (!training) _pool.Return(x);
            var skip = _skips[i]!;
            var joined = _pool.Rent(up.N, up.C + skip.C, up.H, up.W);
            Concat.Forward(up, skip, joined);
            // The transposed convolution's backward needs its input, not its output: the copy in joined suffices.
            _pool.Return(up);
            if (!training) _pool.Return(skip);
            _concat[i] = joined;
            x = _decoder[i].Forward(joined, training);
            if (!training) _pool.Return(joined);
        }
        var logits = _head.Forward(x, training);
        if (!training) _pool.Return(x);
        _trainedPass = training;
        return logits;
    }

    /// <summary>
    /// Back-propagates d loss / d logits of the last (training) <see cref="Forward"/>, accumulating every parameter's
    /// gradient, and returns d loss / d input. Every intermediate gradient, and every activation once its last reader
    /// is done, goes back to the network's pool on the way, so memory peaks at the start of the backward pass.
    /// </summary>
    /// <exception cref="InvalidOperationException">No training Forward since the last Backward.</exception>
    public Tensor Backward(Tensor logitsGradient)
    {
        ArgumentNullException.ThrowIfNull(logitsGradient);
        if (!_trainedPass) throw new InvalidOperationException("Backward needs a training Forward first (one Backward per Forward).");
        _trainedPass = false;
        Tensor g = _head.Backward(logitsGradient);
        for (int i = 0; i < Depth; i++)
        {
            var joinedGradient = _decoder[i].Backward(g);
            _pool.Return(g);
            _pool.Return(_concat[i]!);
            var upGradient = _pool.Rent(g.N, _channels[i], g.H, g.W);
            var skipGradient = _pool.Rent(g.N, joinedGradient.C - _channels[i], g.H, g.W);
            Concat.Backward(joinedGradient, upGradient, skipGradient);
            _pool.Return(joinedGradient);
            _skipGradients[i] = skipGradient;
            g = _up[i].Backward(upGradient);
            _pool.Return(upGradient);
        }
        for (int i = Depth; i >= 0; i--)
        {
            if (i < Depth)
            {
                // The stage's output fed both the pooling and the skip connection: the gradients add.
                var pooled = _pools[i].Backward(g);
                _pool.Return(g);
                g = pooled;
                var gs = _skipGradients[i]!.Data;
                var gd = g.Data;
                for (int k = 0; k < gd.Length; k++) gd[k] += gs[k];
                _pool.Return(_skipGradients[i]!);
            }
            var inputGradient = _encoder[i].Backward(g);
            _pool.Return(g);
            g = inputGradient;
        }
        return g;
    }

    /// <summary>
    /// Takes back every tensor of the last pass. When the input's shape or the mode changes, the free arrays are
    /// dropped as well (they fit the old shapes only) and the layers forget theirs, so training buffers do not stay
    /// allocated under an inference that follows, and the next pass allocates only what it needs.
    /// </summary>
    private void BeginPass(Tensor input, bool training)
    {
        _pool.ReturnAll();
        _trainedPass = false;
        if (_lastShape != null && training == _lastTraining && input.Shape.AsSpan().SequenceEqual(_lastShape)) return;
        long dropped = _pool.HeldFloats;
        bool modeChanged = _lastShape != null && training != _lastTraining;
        _pool.Trim();
        foreach (var layer in PooledLayers()) layer.ReleaseBuffers();
        Array.Clear(_skips);
        Array.Clear(_concat);
        Array.Clear(_skipGradients);
        // Between training and evaluation (validation, inference after training) hundreds of MiB of large arrays just
        // became garbage: collect them now, before the new shapes allocate, rather than hold both sets at once. A new
        // shape in the same mode (a short last batch of tiles) leaves it to the collector, as it comes often.
        if (modeChanged && dropped >= 1 << 24) GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _lastShape = (int[])input.Shape.Clone();
        _lastTraining = training;
    }

    private IEnumerable<IPooledLayer> PooledLayers() =>
        _encoder.Concat<IPooledLayer>(_pools).Concat(_up).Concat(_decoder).Append(_head);

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

    /// <summary>The pool of the network's activations and gradients (for tests and memory reports).</summary>
    internal TensorPool Pool => _pool;

    /// <summary>Number of trainable values.</summary>
    public long TrainableCount => Parameters.Where(p => p.Trainable).Sum(p => (long)p.Value.Length);
}
