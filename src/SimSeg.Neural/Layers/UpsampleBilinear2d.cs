namespace SimSeg.Neural.Layers;

/// <summary>
/// Bilinear upsampling by an integer factor s: NCHW [N, C, H, W] → [N, C, sH, sW], as PyTorch's
/// nn.Upsample(scale_factor=s, mode="bilinear", align_corners=…). Output pixel (oy, ox) reads the input at
/// source coordinates computed per axis: with align_corners = false (PyTorch's default) src = (o + 0.5)/s − 0.5,
/// clamped below at 0 (pixel centres line up, edge pixels are repeated); with align_corners = true
/// src = o·(in − 1)/(out − 1) (the corner pixels of input and output line up). The two neighbours ⌊src⌋ and
/// ⌊src⌋ + 1 (the last pixel on the far edge) are weighted 1 − λ and λ, λ = src − ⌊src⌋, in float as PyTorch does.
/// The backward pass scatters each output gradient back with the same weights. Output and gradient tensors are
/// reused buffers.
/// </summary>
public sealed class UpsampleBilinear2d : ILayer
{
    private const int ParallelThreshold = 1 << 15;
    private Tensor? _output;
    private Tensor? _inputGradient;
    private int[]? _inputShape;
    private AxisWeights _rows, _cols;

    /// <summary>Upsampling by <paramref name="scale"/>.</summary>
    /// <param name="scale">Integer scale factor s ≥ 1 (2 in a decoder).</param>
    /// <param name="alignCorners">PyTorch's align_corners: false (the default) aligns pixel centres, true aligns the corner pixels.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is below 1.</exception>
    public UpsampleBilinear2d(int scale = 2, bool alignCorners = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        Scale = scale;
        AlignCorners = alignCorners;
    }

    /// <summary>The integer scale factor.</summary>
    public int Scale { get; }

    /// <summary>True when the corner pixels of input and output are aligned (PyTorch's align_corners).</summary>
    public bool AlignCorners { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => [];

    /// <summary>The upsampled image [N, C, sH, sW] of NCHW <paramref name="input"/> [N, C, H, W].</summary>
    /// <exception cref="ArgumentException">The input is not of rank 4.</exception>
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.RequireNchw(nameof(input));
        int h = input.H, w = input.W, ho = h * Scale, wo = w * Scale;
        Tensor output = TensorBuffers.Ensure(ref _output, [input.N, input.C, ho, wo]);
        _inputShape = input.Shape;
        _rows = AxisWeights.For(h, ho, Scale, AlignCorners);
        _cols = AxisWeights.For(w, wo, Scale, AlignCorners);
        var rows = _rows;
        var cols = _cols;
        float[] x = input.Data, y = output.Data;
        void Plane(int p)
        {
            int inPlane = p * h * w, outPlane = p * ho * wo;
            for (int oy = 0; oy < ho; oy++)
            {
                int r0 = inPlane + rows.Index0[oy] * w, r1 = inPlane + rows.Index1[oy] * w, o = outPlane + oy * wo;
                float a0 = rows.Lambda0[oy], a1 = rows.Lambda1[oy];
                for (int ox = 0; ox < wo; ox++)
                {
                    int c0 = cols.Index0[ox], c1 = cols.Index1[ox];
                    float b0 = cols.Lambda0[ox], b1 = cols.Lambda1[ox];
                    y[o + ox] = (x[r0 + c0] * b0 + x[r0 + c1] * b1) * a0 + (x[r1 + c0] * b0 + x[r1 + c1] * b1) * a1;
                }
            }
        }
        int planes = input.N * input.C;
        if (output.Length >= ParallelThreshold && planes > 1) Parallel.For(0, planes, Plane);
        else for (int p = 0; p < planes; p++) Plane(p);
        return output;
    }

    /// <summary>d loss / d input [N, C, H, W]: every output gradient added back to its four source pixels with the forward weights.</summary>
    /// <exception cref="InvalidOperationException">Forward has not been called.</exception>
    /// <exception cref="ArgumentException">The gradient's shape differs from the last output's.</exception>
    public Tensor Backward(Tensor outputGradient)
    {
        TensorBuffers.RequireGradient(outputGradient, _output, "output");
        Tensor dx = TensorBuffers.Ensure(ref _inputGradient, _inputShape!);
        int h = dx.H, w = dx.W, ho = outputGradient.H, wo = outputGradient.W;
        var rows = _rows;
        var cols = _cols;
        float[] g = outputGradient.Data, d = dx.Data;
        void Plane(int p)
        {
            int inPlane = p * h * w, outPlane = p * ho * wo;
            d.AsSpan(inPlane, h * w).Clear();
            for (int oy = 0; oy < ho; oy++)
            {
                int r0 = inPlane + rows.Index0[oy] * w, r1 = inPlane + rows.Index1[oy] * w, o = outPlane + oy * wo;
                float a0 = rows.Lambda0[oy], a1 = rows.Lambda1[oy];
                for (int ox = 0; ox < wo; ox++)
                {
                    int c0 = cols.Index0[ox], c1 = cols.Index1[ox];
                    float b0 = cols.Lambda0[ox], b1 = cols.Lambda1[ox], v = g[o + ox];
                    d[r0 + c0] += a0 * b0 * v;
                    d[r0 + c1] += a0 * b1 * v;
                    d[r1 + c0] += a1 * b0 * v;
                    d[r1 + c1] += a1 * b1 * v;
                }
            }
        }
        int planes = dx.N * dx.C;
        if (outputGradient.Length >= ParallelThreshold && planes > 1) Parallel.For(0, planes, Plane);
        else for (int p = 0; p < planes; p++) Plane(p);
        return dx;
    }

    /// <summary>Source neighbours and weights of every output position along one axis.</summary>
    private readonly record struct AxisWeights(int[] Index0, int[] Index1, float[] Lambda0, float[] Lambda1)
    {
        // PyTorch's area_pixel_compute_scale / area_pixel_compute_source_index / compute_source_index_and_lambda,
        // in float (the accumulation type of a float32 tensor).
        public static AxisWeights For(int inSize, int outSize, int scale, bool alignCorners)
        {
            var result = new AxisWeights(new int[outSize], new int[outSize], new float[outSize], new float[outSize]);
            float ratio = alignCorners ? (outSize > 1 ? (float)(inSize - 1) / (outSize - 1) : 0f) : (float)(1.0 / scale);
            for (int o = 0; o < outSize; o++)
            {
                if (inSize == outSize)
                {
                    result.Index0[o] = result.Index1[o] = o;
                    result.Lambda0[o] = 1;
                    continue;
                }
                float src = alignCorners ? ratio * o : Math.Max(ratio * (o + 0.5f) - 0.5f, 0f);
                int i0 = (int)src;
                float lambda = Math.Clamp(src - i0, 0f, 1f);
                result.Index0[o] = i0;
                result.Index1[o] = i0 < inSize - 1 ? i0 + 1 : i0;
                result.Lambda0[o] = 1f - lambda;
                result.Lambda1[o] = lambda;
            }
            return result;
        }
    }
}
