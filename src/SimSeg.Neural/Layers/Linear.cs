using SimSeg.Core.Randomness;
using SimSeg.Neural.Kernels;

namespace SimSeg.Neural.Layers;

/// <summary>
/// Fully connected layer as PyTorch's nn.Linear: y = x·Wᵀ + b over the last dimension, so an input [..., in]
/// (typically N × in) gives [..., out]. Weight [out, in] named "weight", optional bias [out] named "bias".
/// Forward and backward are one <see cref="Gemm"/> each (two for the gradients). The output and input-gradient
/// tensors are owned by the layer and reused while shapes stay the same; the input must stay unchanged until
/// <see cref="Backward"/>.
/// </summary>
public sealed class Linear : ILayer
{
    private readonly Parameter[] _parameters;
    private Tensor? _input, _output, _inputGradient;

    /// <summary>
    /// Creates the layer with PyTorch's default initialisation: weight and bias uniform in ±1/√in (Kaiming-uniform
    /// with a = √5), drawn from <paramref name="rng"/> in weight-then-bias order.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A feature count is not positive.</exception>
    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        (InFeatures, OutFeatures) = (inFeatures, outFeatures);
        (Weight, Bias, _parameters) = Conv2d.CreateParameters(new Tensor(outFeatures, inFeatures), outFeatures, inFeatures, bias, rng);
    }

    /// <summary>Input features (the input's last dimension).</summary>
    public int InFeatures { get; }

    /// <summary>Output features (the output's last dimension).</summary>
    public int OutFeatures { get; }

    /// <summary>The weight [out, in].</summary>
    public Parameter Weight { get; }

    /// <summary>The bias [out], or null when created without one.</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>y = x·Wᵀ + b for <paramref name="input"/> [..., InFeatures] (usually N × InFeatures): [..., OutFeatures].</summary>
    /// <exception cref="ArgumentException">The input has rank 0 or its last dimension is not InFeatures.</exception>
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 1 || input.Shape[^1] != InFeatures)
            throw new ArgumentException($"input must have {InFeatures} features in its last dimension ([N, {InFeatures}]), got shape {input.ShapeText}.", nameof(input));
        int rows = input.Length / InFeatures;
        int[] shape = (int[])input.Shape.Clone();
        shape[^1] = OutFeatures;
        _input = input;
        Tensor output = TensorBuffers.Ensure(ref _output, shape);
        Gemm.Multiply(input.Data, Weight.Value.Data, output.Data, rows, InFeatures, OutFeatures, transposeB: true);
        if (Bias != null)
        {
            float[] b = Bias.Value.Data;
            for (int r = 0; r < rows; r++) VectorMath.Add(output.Data.AsSpan(r * OutFeatures, OutFeatures), b, output.Data.AsSpan(r * OutFeatures, OutFeatures));
        }
        return output;
    }

    /// <summary>Returns d loss / d input = dY·W and adds d loss / d weight = dYᵀ·x and d loss / d bias = Σ dY into the gradients.</summary>
    /// <exception cref="InvalidOperationException">Forward has not been called.</exception>
    /// <exception cref="ArgumentException">The gradient's shape differs from the last output's.</exception>
    public Tensor Backward(Tensor outputGradient)
    {
        TensorBuffers.RequireGradient(outputGradient, _output, "output");
        Tensor input = _input!;
        int rows = input.Length / InFeatures;
        Tensor dx = TensorBuffers.EnsureLike(ref _inputGradient, input);
        float[] dy = outputGradient.Data;
        Gemm.Multiply(dy, Weight.Value.Data, dx.Data, rows, OutFeatures, InFeatures);
        Gemm.Multiply(dy, input.Data, Weight.Gradient.Data, OutFeatures, rows, InFeatures, transposeA: true, accumulate: true);
        if (Bias != null)
        {
            float[] db = Bias.Gradient.Data;
            for (int r = 0; r < rows; r++) VectorMath.Add(db, dy.AsSpan(r * OutFeatures, OutFeatures), db);
        }
        return dx;
    }
}
