namespace SimSeg.Neural.Layers;

/// <summary>
/// Max pooling with kernel = stride = k and no padding: NCHW [N, C, H, W] → [N, C, ⌊H/k⌋, ⌊W/k⌋] (trailing rows and
/// columns dropped, as PyTorch's floor mode). The position of each maximum (the first on ties) is kept, and
/// <see cref="Backward"/> routes each output gradient to it. The U-Net's pooling: the k = s, p = 0 case of
/// <see cref="PaddedMaxPool2d"/>, which does the work. Output and gradient tensors are reused buffers.
/// </summary>
public sealed class MaxPool2d : ILayer, IPooledLayer
{
    private readonly PaddedMaxPool2d _pool;

    /// <summary>A max pool with kernel and stride <paramref name="kernelSize"/> (2 in a U-Net).</summary>
    public MaxPool2d(int kernelSize = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        KernelSize = kernelSize;
        _pool = new PaddedMaxPool2d(kernelSize, kernelSize, 0);
    }

    /// <summary>Kernel size and stride, in pixels.</summary>
    public int KernelSize { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => [];

    /// <inheritdoc/>
    public TensorPool? Pool { get => _pool.Pool; set => _pool.Pool = value; }

    /// <inheritdoc/>
    public void ReleaseBuffers() => _pool.ReleaseBuffers();

    /// <inheritdoc/>
    public Tensor Forward(Tensor input, bool training) => _pool.Forward(input, training);

    /// <inheritdoc/>
    public Tensor Backward(Tensor outputGradient) => _pool.Backward(outputGradient);
}
