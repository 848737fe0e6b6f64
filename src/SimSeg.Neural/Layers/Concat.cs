namespace SimSeg.Neural.Layers;

/// <summary>
/// Concatenation of two NCHW tensors along channels, [N, Ca, H, W] ++ [N, Cb, H, W] → [N, Ca + Cb, H, W]
/// (PyTorch's torch.cat([a, b], 1), the U-Net skip connection). The backward pass splits the gradient.
/// </summary>
public static class Concat
{
    /// <summary>Returns a new tensor holding a's channels followed by b's.</summary>
    public static Tensor Forward(Tensor a, Tensor b)
    {
        RequireCompatible(a, b);
        var output = new Tensor(a.N, a.C + b.C, a.H, a.W);
        Forward(a, b, output);
        return output;
    }

    /// <summary>Writes a's channels followed by b's into <paramref name="destination"/> ([N, Ca + Cb, H, W]).</summary>
    public static void Forward(Tensor a, Tensor b, Tensor destination)
    {
        RequireCompatible(a, b);
        ArgumentNullException.ThrowIfNull(destination);
        RequireShape(destination, nameof(destination), a.N, a.C + b.C, a.H, a.W);
        int sa = a.C * a.H * a.W, sb = b.C * b.H * b.W;
        for (int n = 0; n < a.N; n++)
        {
            a.Data.AsSpan(n * sa, sa).CopyTo(destination.Data.AsSpan(n * (sa + sb), sa));
            b.Data.AsSpan(n * sb, sb).CopyTo(destination.Data.AsSpan(n * (sa + sb) + sa, sb));
        }
    }

    /// <summary>Splits <paramref name="outputGradient"/> [N, C, H, W] into new tensors for the first <paramref name="channelsA"/> channels and the rest.</summary>
    public static (Tensor GradientA, Tensor GradientB) Backward(Tensor outputGradient, int channelsA)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        outputGradient.RequireNchw(nameof(outputGradient));
        if (channelsA <= 0 || channelsA >= outputGradient.C)
            throw new ArgumentOutOfRangeException(nameof(channelsA), channelsA, $"must lie in 1..{outputGradient.C - 1} for a gradient with {outputGradient.C} channels.");
        var ga = new Tensor(outputGradient.N, channelsA, outputGradient.H, outputGradient.W);
        var gb = new Tensor(outputGradient.N, outputGradient.C - channelsA, outputGradient.H, outputGradient.W);
        Backward(outputGradient, ga, gb);
        return (ga, gb);
    }

    /// <summary>Splits <paramref name="outputGradient"/> into <paramref name="gradientA"/> and <paramref name="gradientB"/> (overwritten), whose channel counts say where to split.</summary>
    public static void Backward(Tensor outputGradient, Tensor gradientA, Tensor gradientB)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        outputGradient.RequireNchw(nameof(outputGradient));
        ArgumentNullException.ThrowIfNull(gradientA);
        ArgumentNullException.ThrowIfNull(gradientB);
        gradientA.RequireNchw(nameof(gradientA));
        RequireShape(gradientA, nameof(gradientA), outputGradient.N, gradientA.C, outputGradient.H, outputGradient.W);
        RequireShape(gradientB, nameof(gradientB), outputGradient.N, outputGradient.C - gradientA.C, outputGradient.H, outputGradient.W);
        int sa = gradientA.C * gradientA.H * gradientA.W, sb = gradientB.C * gradientB.H * gradientB.W;
        for (int n = 0; n < outputGradient.N; n++)
        {
            outputGradient.Data.AsSpan(n * (sa + sb), sa).CopyTo(gradientA.Data.AsSpan(n * sa, sa));
            outputGradient.Data.AsSpan(n * (sa + sb) + sa, sb).CopyTo(gradientB.Data.AsSpan(n * sb, sb));
        }
    }

    private static void RequireCompatible(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        a.RequireNchw(nameof(a));
        b.RequireNchw(nameof(b));
        if (a.N != b.N || a.H != b.H || a.W != b.W)
            throw new ArgumentException($"b has shape {b.ShapeText}; concatenation along channels needs the batch, height and width of a {a.ShapeText}.", nameof(b));
    }

    internal static void RequireShape(Tensor t, string name, params int[] shape)
    {
        if (!t.Shape.AsSpan().SequenceEqual(shape))
            throw new ArgumentException($"{name} has shape {t.ShapeText}; expected [{string.Join(", ", shape)}].", name);
    }
}

/// <summary>Elementwise sum of two tensors of the same shape (a residual connection); the backward pass gives the output gradient to both inputs.</summary>
public static class Add
{
    /// <summary>Returns a new tensor a + b.</summary>
    public static Tensor Forward(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        var output = a.ZerosLike();
        Forward(a, b, output);
        return output;
    }

    /// <summary>Writes a + b into <paramref name="destination"/> (which may be a or b).</summary>
    public static void Forward(Tensor a, Tensor b, Tensor destination)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(destination);
        if (!b.SameShape(a)) throw new ArgumentException($"b has shape {b.ShapeText}; a has {a.ShapeText}.", nameof(b));
        if (!destination.SameShape(a)) throw new ArgumentException($"destination has shape {destination.ShapeText}; a has {a.ShapeText}.", nameof(destination));
        VectorMath.Add(a.Data, b.Data, destination.Data);
    }

    /// <summary>
    /// The gradients with respect to a and b, both equal to <paramref name="outputGradient"/>: the same tensor is
    /// returned twice (not copied), so a caller that modifies one must clone it first.
    /// </summary>
    public static (Tensor GradientA, Tensor GradientB) Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        return (outputGradient, outputGradient);
    }
}
