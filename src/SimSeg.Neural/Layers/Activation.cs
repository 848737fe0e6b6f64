using System.Numerics;

namespace SimSeg.Neural.Layers;

/// <summary>
/// Base of the elementwise activations: any shape in, same shape out, no parameters. The output tensor is a buffer
/// owned by the layer and reused by the next Forward; the input must stay unchanged until <see cref="Backward"/>.
/// </summary>
public abstract class Activation : ILayer
{
    private Tensor? _input;
    private Tensor? _output;
    private Tensor? _inputGradient;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => [];

    /// <inheritdoc/>
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        Tensor output = TensorBuffers.EnsureLike(ref _output, input);
        Apply(input.Data, output.Data);
        return output;
    }

    /// <inheritdoc/>
    public Tensor Backward(Tensor outputGradient)
    {
        TensorBuffers.RequireGradient(outputGradient, _output, "output");
        Tensor dx = TensorBuffers.EnsureLike(ref _inputGradient, outputGradient);
        Derive(_input!.Data, _output!.Data, outputGradient.Data, dx.Data);
        return dx;
    }

    /// <summary>y = f(x), elementwise.</summary>
    protected abstract void Apply(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>dx = f'(x)·dy, elementwise, given x and y = f(x).</summary>
    protected abstract void Derive(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);

    /// <summary>The logistic function 1 / (1 + e^-x), without overflow for large |x|.</summary>
    internal static float Logistic(float x)
    {
        if (x >= 0) return 1f / (1f + MathF.Exp(-x));
        float e = MathF.Exp(x);
        return e / (1f + e);
    }
}

/// <summary>Rectified linear unit, y = max(x, 0); the gradient at 0 is 0, as in PyTorch.</summary>
public sealed class ReLU : Activation
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                Vector.Max(new Vector<float>(x[i..]), Vector<float>.Zero).CopyTo(y[i..]);
        }
        for (; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : 0f;
    }

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var positive = Vector.GreaterThan(new Vector<float>(y[i..]), Vector<float>.Zero);
                Vector.ConditionalSelect(positive, new Vector<float>(dy[i..]), Vector<float>.Zero).CopyTo(dx[i..]);
            }
        }
        for (; i < x.Length; i++) dx[i] = y[i] > 0 ? dy[i] : 0f;
    }
}

/// <summary>Leaky ReLU, y = x for x &gt; 0 and slope·x otherwise (PyTorch's default slope is 0.01).</summary>
/// <param name="slope">Slope for negative inputs.</param>
public sealed class LeakyReLU(float slope = 0.01f) : Activation
{
    /// <summary>Slope for negative inputs.</summary>
    public float Slope { get; } = float.IsFinite(slope) ? slope : throw new ArgumentOutOfRangeException(nameof(slope), slope, "slope must be finite.");

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var s = new Vector<float>(Slope);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), v, v * s).CopyTo(y[i..]);
            }
        }
        for (; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : Slope * x[i];
    }

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var s = new Vector<float>(Slope);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var g = new Vector<float>(dy[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(new Vector<float>(x[i..]), Vector<float>.Zero), g, g * s).CopyTo(dx[i..]);
            }
        }
        for (; i < x.Length; i++) dx[i] = x[i] > 0 ? dy[i] : Slope * dy[i];
    }
}

/// <summary>Logistic sigmoid, y = 1 / (1 + e^-x); dy/dx = y(1 − y).</summary>
public sealed class Sigmoid : Activation
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = Logistic(x[i]);
    }

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < x.Length; i++) dx[i] = dy[i] * y[i] * (1f - y[i]);
    }
}

/// <summary>Hyperbolic tangent; dy/dx = 1 − y².</summary>
public sealed class Tanh : Activation
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = MathF.Tanh(x[i]);
    }

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < x.Length; i++) dx[i] = dy[i] * (1f - y[i] * y[i]);
    }
}

/// <summary>Sigmoid-weighted linear unit (swish), y = x·σ(x); dy/dx = σ(x)(1 + x(1 − σ(x))) (Elfwing et al. 2018).</summary>
public sealed class SiLU : Activation
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] * Logistic(x[i]);
    }

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float s = Logistic(x[i]);
            dx[i] = dy[i] * s * (1f + x[i] * (1f - s));
        }
    }
}
