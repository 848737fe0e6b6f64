namespace SimSeg.Neural;

/// <summary>
/// A dense float32 tensor in row-major order; image tensors are NCHW (batch, channels, height, width), as in
/// PyTorch, so checkpoints keep PyTorch's layouts (convolution weights OIHW).
/// </summary>
public sealed class Tensor
{
    /// <summary>A zero tensor of the given shape.</summary>
    public Tensor(params int[] shape)
    {
        Shape = CheckedShape(shape, out int length);
        Data = new float[length];
    }

    /// <summary>Wraps <paramref name="data"/> (not copied) with the given shape.</summary>
    public Tensor(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        Shape = CheckedShape(shape, out int length);
        if (data.Length != length)
            throw new ArgumentException($"data has {data.Length} elements; shape [{string.Join(", ", shape)}] needs {length}.", nameof(data));
        Data = data;
    }

    /// <summary>A copy of <paramref name="shape"/> and its number of elements, after checking every dimension is positive and the count fits an array.</summary>
    private static int[] CheckedShape(int[] shape, out int length)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long n = 1;
        foreach (int d in shape)
        {
            if (d <= 0) throw new ArgumentOutOfRangeException(nameof(shape), $"every dimension must be positive, got [{string.Join(", ", shape)}].");
            n *= d;
            if (n > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(shape), $"[{string.Join(", ", shape)}] holds more elements than one array can.");
        }
        length = (int)n;
        return (int[])shape.Clone();
    }

    /// <summary>The dimensions.</summary>
    public int[] Shape { get; }

    /// <summary>The elements, row-major.</summary>
    public float[] Data { get; }

    /// <summary>Number of elements.</summary>
    public int Length => Data.Length;

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>Batch size of an NCHW tensor.</summary>
    public int N => Shape[0];

    /// <summary>Channels of an NCHW tensor.</summary>
    public int C => Shape[1];

    /// <summary>Height of an NCHW tensor.</summary>
    public int H => Shape[2];

    /// <summary>Width of an NCHW tensor.</summary>
    public int W => Shape[3];

    /// <summary>The element at NCHW index (n, c, y, x).</summary>
    public ref float At(int n, int c, int y, int x) => ref Data[((n * Shape[1] + c) * Shape[2] + y) * Shape[3] + x];

    /// <summary>A zero tensor with the same shape.</summary>
    public Tensor ZerosLike() => new(Shape);

    /// <summary>A deep copy.</summary>
    public Tensor Clone() => new((float[])Data.Clone(), Shape);

    /// <summary>True when both shapes are equal.</summary>
    public bool SameShape(Tensor other) => Shape.AsSpan().SequenceEqual(other.Shape);

    /// <summary>The shape as "[a, b, c]".</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="name"/> unless the tensor is NCHW with <paramref name="channels"/> channels (any when negative).</summary>
    public void RequireNchw(string name, int channels = -1)
    {
        if (Rank != 4) throw new ArgumentException($"{name} must be an NCHW tensor of rank 4, got shape {ShapeText}.", name);
        if (channels >= 0 && C != channels) throw new ArgumentException($"{name} must have {channels} channels, got {C} (shape {ShapeText}).", name);
    }
}

/// <summary>A learnable tensor and the gradient accumulated into it by backward passes.</summary>
/// <param name="Name">PyTorch-style name within its layer (e.g. "weight", "bias", "running_mean").</param>
/// <param name="Value">The values.</param>
/// <param name="Gradient">d loss / d value, same shape (zeroed by the optimiser's ZeroGrad).</param>
/// <param name="Trainable">False for buffers such as batch-norm running statistics (saved, never optimised).</param>
public sealed record Parameter(string Name, Tensor Value, Tensor Gradient, bool Trainable = true)
{
    /// <summary>A trainable parameter with a zero gradient of the same shape.</summary>
    public static Parameter Create(string name, Tensor value) => new(name, value, value.ZerosLike());

    /// <summary>A buffer: saved with the model, not trained.</summary>
    public static Parameter Buffer(string name, Tensor value) => new(name, value, value.ZerosLike(), Trainable: false);
}

/// <summary>
/// A layer with one input and one output, in the style of llm.c: <see cref="Forward"/> keeps what
/// <see cref="Backward"/> needs; <see cref="Backward"/> returns d loss / d input and ADDS d loss / d parameter
/// into each parameter's gradient.
/// </summary>
public interface ILayer
{
    /// <summary>Computes the output; <paramref name="training"/> selects training behaviour (batch statistics, dropout).</summary>
    Tensor Forward(Tensor input, bool training);

    /// <summary>Given d loss / d output of the last Forward, returns d loss / d input and accumulates parameter gradients.</summary>
    Tensor Backward(Tensor outputGradient);

    /// <summary>Learnable parameters and buffers, with PyTorch names.</summary>
    IReadOnlyList<Parameter> Parameters { get; }
}
