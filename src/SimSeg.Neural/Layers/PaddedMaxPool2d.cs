namespace SimSeg.Neural.Layers;

/// <summary>
/// Max pooling with any kernel k, stride s and padding p, as PyTorch's MaxPool2d(k, s, p) in floor mode (ResNet's stem
/// uses k = 3, s = 2, p = 1): NCHW [N, C, H, W] → [N, C, ⌊(H + 2p − k)/s⌋ + 1, ⌊(W + 2p − k)/s⌋ + 1]. Padding counts as
/// −∞, so every window's maximum is an input pixel; the first maximum of a window (row-major) wins ties and
/// <see cref="Backward"/> routes the window's gradient to it. <see cref="MaxPool2d"/> is the k = s, p = 0 special case.
/// Output and gradient tensors are reused buffers.
/// </summary>
public sealed class PaddedMaxPool2d : ILayer, IPooledLayer
{
    private Tensor? _output;
    private Tensor? _inputGradient;
    private int[] _argmax = [];
    private int[]? _inputShape;

    /// <summary>A max pool with the given window.</summary>
    /// <param name="kernelSize">Window side k in pixels.</param>
    /// <param name="stride">Step s between windows in pixels.</param>
    /// <param name="padding">−∞ padding p on each side in pixels, at most k/2 (PyTorch's limit).</param>
    public PaddedMaxPool2d(int kernelSize, int stride, int padding)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        if (2 * padding > kernelSize)
            throw new ArgumentOutOfRangeException(nameof(padding), padding, $"padding must be at most half the kernel size ({kernelSize}).");
        (KernelSize, Stride, Padding) = (kernelSize, stride, padding);
    }

    /// <summary>Window side k in pixels.</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows in pixels.</summary>
    public int Stride { get; }

    /// <summary>Padding on each side in pixels.</summary>
    public int Padding { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => [];

    /// <inheritdoc/>
    public TensorPool? Pool { get; set; }

    /// <inheritdoc/>
    public void ReleaseBuffers()
    {
        _output = _inputGradient = null;
        _argmax = [];
    }

    /// <inheritdoc/>
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.RequireNchw(nameof(input));
        int k = KernelSize, s = Stride, pad = Padding, h = input.H, w = input.W;
        int ho = (h + 2 * pad - k) / s + 1, wo = (w + 2 * pad - k) / s + 1;
        if (h + 2 * pad < k || w + 2 * pad < k)
            throw new ArgumentException($"input is {h}x{w}, smaller than the {k}x{k} pooling window with padding {pad}.", nameof(input));
        Tensor output = TensorBuffers.Acquire(Pool, ref _output, [input.N, input.C, ho, wo]);
        if (_argmax.Length != output.Length) _argmax = new int[output.Length];
        _inputShape = input.Shape;
        float[] x = input.Data, y = output.Data;
        int[] arg = _argmax;
        for (int p = 0; p < input.N * input.C; p++)
        {
            int inPlane = p * h * w, outPlane = p * ho * wo;
            for (int oy = 0; oy < ho; oy++)
            {
                int y0 = Math.Max(oy * s - pad, 0), y1 = Math.Min(oy * s - pad + k, h);
                for (int ox = 0; ox < wo; ox++)
                {
                    int x0 = Math.Max(ox * s - pad, 0), x1 = Math.Min(ox * s - pad + k, w);
                    int best = inPlane + y0 * w + x0;
                    float bestValue = x[best];
                    for (int iy = y0; iy < y1; iy++)
                    {
                        int row = inPlane + iy * w;
                        for (int ix = x0; ix < x1; ix++)
                        {
                            float v = x[row + ix];
                            if (v > bestValue || float.IsNaN(v)) { bestValue = v; best = row + ix; }
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
        Tensor dx = TensorBuffers.Acquire(Pool, ref _inputGradient, _inputShape!);
        Array.Clear(dx.Data);
        float[] g = outputGradient.Data, d = dx.Data;
        for (int i = 0; i < g.Length; i++) d[_argmax[i]] += g[i];
        return dx;
    }
}
