namespace SimSeg.Neural.Layers;

/// <summary>
/// Nearest-neighbour upsampling by an integer factor s: NCHW [N, C, H, W] → [N, C, sH, sW], each pixel repeated in an
/// s×s block (PyTorch's Upsample(scale_factor=s, mode="nearest")); the backward pass sums each block.
/// </summary>
public sealed class UpsampleNearest2d : ILayer
{
    private Tensor? _output;
    private Tensor? _inputGradient;
    private int[]? _inputShape;

    /// <summary>Upsampling by <paramref name="scale"/> (2 in a U-Net).</summary>
    public UpsampleNearest2d(int scale = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        Scale = scale;
    }

    /// <summary>The integer scale factor.</summary>
    public int Scale { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => [];

    /// <inheritdoc/>
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.RequireNchw(nameof(input));
        int s = Scale, h = input.H, w = input.W, wo = w * s;
        Tensor output = TensorBuffers.Ensure(ref _output, [input.N, input.C, h * s, wo]);
        _inputShape = input.Shape;
        float[] x = input.Data, y = output.Data;
        for (int p = 0; p < input.N * input.C; p++)
        {
            for (int iy = 0; iy < h; iy++)
            {
                int src = (p * h + iy) * w;
                int dst = (p * h + iy) * s * wo;
                for (int ix = 0; ix < w; ix++) y.AsSpan(dst + ix * s, s).Fill(x[src + ix]);
                for (int r = 1; r < s; r++) y.AsSpan(dst, wo).CopyTo(y.AsSpan(dst + r * wo, wo));
            }
        }
        return output;
    }

    /// <inheritdoc/>
    public Tensor Backward(Tensor outputGradient)
    {
        TensorBuffers.RequireGradient(outputGradient, _output, "output");
        Tensor dx = TensorBuffers.Ensure(ref _inputGradient, _inputShape!);
        int s = Scale, h = dx.H, w = dx.W, wo = w * s;
        float[] g = outputGradient.Data, d = dx.Data;
        for (int p = 0; p < dx.N * dx.C; p++)
        {
            for (int iy = 0; iy < h; iy++)
            {
                int dst = (p * h + iy) * w;
                int src = (p * h + iy) * s * wo;
                for (int ix = 0; ix < w; ix++)
                {
                    float sum = 0;
                    for (int r = 0; r < s; r++)
                        for (int c = 0; c < s; c++) sum += g[src + r * wo + ix * s + c];
                    d[dst + ix] = sum;
                }
            }
        }
        return dx;
    }
}
