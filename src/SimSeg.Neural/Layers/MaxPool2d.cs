namespace SimSeg.Neural.Layers;

/// <summary>
/// Max pooling with kernel = stride = k and no padding: NCHW [N, C, H, W] → [N, C, ⌊H/k⌋, ⌊W/k⌋] (trailing rows and
/// columns dropped, as PyTorch's floor mode). The position of each maximum (the first on ties) is kept, and
/// <see cref="Backward"/> routes each output gradient to it. Output and gradient tensors are reused buffers.
/// </summary>
public sealed class MaxPool2d : ILayer
{
    private Tensor? _output;
    private Tensor? _inputGradient;
    private int[] _argmax = [];
    private int[]? _inputShape;

    /// <summary>A max pool with kernel and stride <paramref name="kernelSize"/> (2 in a U-Net).</summary>
    public MaxPool2d(int kernelSize = 2)
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
        int planes = input.N * input.C;
        Tensor output = TensorBuffers.Ensure(ref _output, [input.N, input.C, ho, wo]);
        if (_argmax.Length != output.Length) _argmax = new int[output.Length];
        _inputShape = input.Shape;
        float[] x = input.Data, y = output.Data;
        int[] arg = _argmax;
        for (int p = 0; p < planes; p++)
        {
            int inPlane = p * h * w, outPlane = p * ho * wo;
            for (int oy = 0; oy < ho; oy++)
            {
                for (int ox = 0; ox < wo; ox++)
                {
                    int best = inPlane + oy * k * w + ox * k;
                    float bestValue = x[best];
                    for (int dy = 0; dy < k; dy++)
                    {
                        int row = inPlane + (oy * k + dy) * w + ox * k;
                        for (int dx = 0; dx < k; dx++)
                        {
                            float v = x[row + dx];
                            if (v > bestValue || float.IsNaN(v)) { bestValue = v; best = row + dx; }
                        }
                    }
                    y[outPlane + oy * wo + ox] = bestValue;
                    arg[outPlane + oy * wo + ox] = best;
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
        float[] g = outputGradient.Data, d = dx.Data;
        for (int i = 0; i < g.Length; i++) d[_argmax[i]] += g[i];
        return dx;
    }
}
