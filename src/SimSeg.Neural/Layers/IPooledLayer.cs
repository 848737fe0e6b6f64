namespace SimSeg.Neural.Layers;

/// <summary>
/// A layer that can take its output and gradient tensors from a <see cref="TensorPool"/> instead of keeping buffers of
/// its own. With a pool, the tensors it returns belong to the network, which gives them back when they are dead; the
/// layer keeps references to its last input and output only for its backward pass.
/// </summary>
internal interface IPooledLayer
{
    /// <summary>Where outputs and input gradients come from; null (the default): the layer's own reused buffers.</summary>
    TensorPool? Pool { get; set; }

    /// <summary>Forgets every tensor the layer refers to (its own buffers too), so their memory can be reclaimed; the next call is a Forward.</summary>
    void ReleaseBuffers();
}
