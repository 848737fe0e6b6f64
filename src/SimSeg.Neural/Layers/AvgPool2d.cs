namespace SimSeg.Neural.Layers;

/// <summary>
/// Average pooling with kernel = stride = k and no padding: NCHW [N, C, H, W] → [N, C, ⌊H/k⌋, ⌊W/k⌋] (trailing rows
/// and columns dropped, as PyTorch's floor mode). Output and gradient tensors are reused buffers.
/// </summary>
public sealed class AvgPool2d : ILayer
{
    private Tensor? _output;
    private Tensor? _inputGradient;
    private int[]? _inputShape;

    /// <summary>An average pool with kernel and stride <paramref name="kernelSize"/>.</summary>
    public AvgPool2d(int kernelSize = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        KernelSize = kernelSize;
    }

    /// <summary>Kernel size and stride, in pixels.</summary>
    public int KernelSize { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => [];

    /// <inheritdoc/>
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.RequireNchw(nameof(input));
        int k = KernelSize, h = input.H, w = input.W, ho = h / k, wo = w / k;
        if (ho == 0 || wo == 0) throw new ArgumentException($"input is {h}x{w}, smaller than the {k}x{k} pooling window.", nameof(input));
        Tensor output = TensorBuffers.Ensure(ref _output, [input.N, input.C, ho, wo]);
        _inputShape = input.Shape;
        float[] x = input.Data, y = output.Data;
        float scale = 1f / (k * k);
        for (int p = 0; p < input.N * input.C; p++)
        {
            int inPlane = p * h * w, outPlane = p * ho * wo;
            for (int oy = 0; oy < ho; oy++)
            {
                for (int ox = 0; ox < wo; ox++)
                {
                    float sum = 0;
                    for (int dy = 0; dy < k; dy++)
                    {
                        int row = inPlane + (oy * k + dy) * w + ox * k;
                        for (int dx = 0; dx < k; dx++) sum += x[row + dx];
                    }
                    y[outPlane + oy * wo + ox] = sum * scale;
                }
            }
        }
        return output;
    }

    /// <inheritdoc/>
    public Tensor Backward(Tensor outputGradient)
    {
        TensorBuffers.RequireGradient(outputGradient, _output, "output");
        Tensor dx = TensorBuffers.Ensure(ref _inputGradient, _inputShape!);
        Array.Clear(dx.Data);
        int k = KernelSize, h = dx.H, w = dx.W, ho = outputGradient.H, wo = outputGradient.W;
        float[] g = outputGradient.Data, d = dx.Data;
        float scale = 1f / (k * k);
        for (int p = 0; p < dx.N * dx.C; p++)
        {
            int inPlane = p * h * w, outPlane = p * ho * wo;
            for (int oy = 0; oy < ho; oy++)
            {
                for (int ox = 0; ox < wo; ox++)
                {
                    float share = g[outPlane + oy * wo + ox] * scale;
                    for (int dy = 0; dy < k; dy++)
                    {
                        int row = inPlane + (oy * k + dy) * w + ox * k;
                        for (int dx2 = 0; dx2 < k; dx2++) d[row + dx2] = share;
                    }
                }
            }
        }
        return dx;
    }
}
