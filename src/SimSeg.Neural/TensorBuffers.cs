namespace SimSeg.Neural;

/// <summary>Reuse of per-layer buffers: a buffer is allocated on first use and again only when the shape changes.</summary>
internal static class TensorBuffers
{
    /// <summary>Returns <paramref name="buffer"/> when it already has <paramref name="shape"/>, otherwise a new zero tensor stored into it. Contents are not cleared.</summary>
    public static Tensor Ensure(ref Tensor? buffer, ReadOnlySpan<int> shape)
    {
        if (buffer is null || !buffer.Shape.AsSpan().SequenceEqual(shape)) buffer = new Tensor(shape.ToArray());
        return buffer;
    }

    /// <summary>
    /// A layer's output or gradient tensor: rented from <paramref name="pool"/> when the layer has one (the network then
    /// owns it and returns it when it is dead), otherwise the layer's own reused <paramref name="buffer"/>. Either way
    /// <paramref name="buffer"/> refers to the result afterwards, for the backward pass. Contents are not cleared.
    /// </summary>
    public static Tensor Acquire(TensorPool? pool, ref Tensor? buffer, ReadOnlySpan<int> shape) =>
        pool is null ? Ensure(ref buffer, shape) : buffer = pool.Rent(shape);

    /// <summary>Like <see cref="Ensure"/> with the shape of <paramref name="like"/>.</summary>
    public static Tensor EnsureLike(ref Tensor? buffer, Tensor like) => Ensure(ref buffer, like.Shape);

    /// <summary>Throws when <paramref name="forward"/> is null (Backward before Forward) or its shape differs from <paramref name="gradient"/>.</summary>
    public static void RequireGradient(Tensor gradient, Tensor? forward, string forwardWhat)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        if (forward is null) throw new InvalidOperationException("Backward called before Forward.");
        if (!gradient.SameShape(forward))
            throw new ArgumentException($"outputGradient has shape {gradient.ShapeText}; the {forwardWhat} of the last Forward has {forward.ShapeText}.", "outputGradient");
    }
}
