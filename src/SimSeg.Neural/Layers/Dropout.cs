using System.Numerics;
using SimSeg.Core.Randomness;

namespace SimSeg.Neural.Layers;

/// <summary>
/// Inverted dropout (Srivastava et al. 2014, as PyTorch): in training each group of elements is zeroed with
/// probability p and the survivors are scaled by 1/(1 − p), so evaluation is the identity and needs no rescaling.
/// The groups are single elements (<see cref="Dropout"/>) or whole channels (<see cref="Dropout2d"/>). Decisions are
/// drawn from the <see cref="Rng"/> given at construction, one uniform number per group in row-major order, so the
/// same seed gives the same masks. The output and input-gradient tensors are owned by the layer and reused.
/// </summary>
public abstract class DropoutBase : ILayer
{
    private readonly Rng _rng;
    private Tensor? _output;
    private Tensor? _inputGradient;
    private float[] _scales = [];
    private int _groupSize;
    private bool _identity = true;

    /// <summary>Dropout with probability <paramref name="p"/>, masks drawn from <paramref name="rng"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not in [0, 1].</exception>
    private protected DropoutBase(double p, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "p, the probability of dropping, must lie in [0, 1].");
        P = p;
        _rng = rng;
    }

    /// <summary>The probability that a group is zeroed in training.</summary>
    public double P { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => [];

    /// <summary>
    /// In training, the input with each group zeroed with probability p and the rest scaled by 1/(1 − p) (all zeros
    /// when p = 1); in evaluation, or for p = 0, a copy of the input.
    /// </summary>
    /// <exception cref="ArgumentException">The input's shape is not accepted by the variant (see <see cref="Dropout2d"/>).</exception>
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        int groupSize = GroupSize(input);
        Tensor output = TensorBuffers.EnsureLike(ref _output, input);
        _identity = !training || P == 0;
        if (_identity)
        {
            input.Data.CopyTo(output.Data, 0);
            return output;
        }
        int groups = input.Length / groupSize;
        if (_scales.Length != groups) _scales = new float[groups];
        _groupSize = groupSize;
        float keep = P >= 1 ? 0f : (float)(1.0 / (1.0 - P));
        for (int i = 0; i < groups; i++) _scales[i] = _rng.NextDouble() < P ? 0f : keep;
        Mask(input.Data, output.Data);
        return output;
    }

    /// <summary>d loss / d input: the output gradient through the same mask and scale (unchanged after an identity forward).</summary>
    /// <exception cref="InvalidOperationException">Forward has not been called.</exception>
    /// <exception cref="ArgumentException">The gradient's shape differs from the last output's.</exception>
    public Tensor Backward(Tensor outputGradient)
    {
        TensorBuffers.RequireGradient(outputGradient, _output, "output");
        Tensor dx = TensorBuffers.EnsureLike(ref _inputGradient, outputGradient);
        if (_identity) outputGradient.Data.CopyTo(dx.Data, 0);
        else Mask(outputGradient.Data, dx.Data);
        return dx;
    }

    /// <summary>Elements that share one keep-or-drop decision (validating the input's shape, naming "input").</summary>
    private protected abstract int GroupSize(Tensor input);

    private void Mask(ReadOnlySpan<float> x, Span<float> y)
    {
        if (_groupSize == 1)
        {
            ReadOnlySpan<float> s = _scales;
            int i = 0;
            if (Vector.IsHardwareAccelerated)
                for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                    (new Vector<float>(x[i..]) * new Vector<float>(s[i..])).CopyTo(y[i..]);
            for (; i < x.Length; i++) y[i] = x[i] * s[i];
            return;
        }
        for (int g = 0; g < _scales.Length; g++)
        {
            var src = x.Slice(g * _groupSize, _groupSize);
            var dst = y.Slice(g * _groupSize, _groupSize);
            float scale = _scales[g];
            if (scale == 0) dst.Clear();
            else for (int i = 0; i < src.Length; i++) dst[i] = src[i] * scale;
        }
    }
}

/// <summary>Element-wise inverted dropout on a tensor of any shape, as PyTorch's nn.Dropout(p).</summary>
/// <param name="p">Probability of zeroing an element in training (PyTorch's default 0.5).</param>
/// <param name="rng">Source of the masks.</param>
public sealed class Dropout(double p, Rng rng) : DropoutBase(p, rng)
{
    private protected override int GroupSize(Tensor input) => 1;
}

/// <summary>
/// Channel-wise inverted dropout on NCHW tensors, as PyTorch's nn.Dropout2d(p): each (image, channel) plane is zeroed
/// as a whole, which suits convolutional features whose neighbouring pixels are strongly correlated.
/// </summary>
/// <param name="p">Probability of zeroing a channel in training (PyTorch's default 0.5).</param>
/// <param name="rng">Source of the masks.</param>
public sealed class Dropout2d(double p, Rng rng) : DropoutBase(p, rng)
{
    private protected override int GroupSize(Tensor input)
    {
        input.RequireNchw(nameof(input));
        return input.H * input.W;
    }
}
