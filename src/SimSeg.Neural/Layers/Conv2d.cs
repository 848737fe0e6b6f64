using SimSeg.Core.Randomness;
using SimSeg.Neural.Kernels;

namespace SimSeg.Neural.Layers;

/// <summary>
/// 2-D convolution as PyTorch's nn.Conv2d (cross-correlation, zero padding, square kernel): NCHW input with
/// InChannels channels to NCHW output with OutChannels channels, weight OIHW [out, in/groups, k, k] named "weight",
/// optional bias [out] named "bias". Forward and backward run per image as im2col + <see cref="Gemm"/> per group
/// (1×1 stride-1 unpadded convolutions skip im2col). The output and input-gradient tensors are owned by the
/// layer and reused while shapes stay the same (a returned tensor is valid until the next call of the same
/// method); the im2col workspace is shared by all convolutions of a thread (<see cref="ConvWorkspace"/>) and
/// bounded by <see cref="WorkspaceLimit"/>: large images are processed in bands of output rows, each packed and
/// multiplied on its own. Banding leaves the output bit-identical to one pass; the gradients regroup their sums by
/// band, so they agree with one pass up to float rounding.
/// </summary>
public sealed class Conv2d : ILayer, IPooledLayer
{
    private readonly Parameter[] _parameters;
    private Tensor? _input, _output, _inputGradient;

    /// <summary>
    /// Creates the layer with PyTorch's default initialisation: weight and bias uniform in ±1/√fan_in with
    /// fan_in = in/groups·k·k (Kaiming-uniform with a = √5), drawn from <paramref name="rng"/> in weight-then-bias order.
    /// </summary>
    /// <exception cref="ArgumentException">A size is not positive, padding is negative, or groups does not divide both channel counts.</exception>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0, int dilation = 1, int groups = 1, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfLessThan(dilation, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"groups ({groups}) must divide inChannels ({inChannels}) and outChannels ({outChannels}).", nameof(groups));
        (InChannels, OutChannels, KernelSize, Stride, Padding, Dilation, Groups) = (inChannels, outChannels, kernelSize, stride, padding, dilation, groups);
        (Weight, Bias, _parameters) = CreateParameters(new Tensor(outChannels, inChannels / groups, kernelSize, kernelSize),
            outChannels, inChannels / groups * kernelSize * kernelSize, bias, rng);
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel size k (k×k).</summary>
    public int KernelSize { get; }

    /// <summary>Stride in pixels.</summary>
    public int Stride { get; }

    /// <summary>Zero padding on each side in pixels.</summary>
    public int Padding { get; }

    /// <summary>Spacing between kernel taps in pixels.</summary>
    public int Dilation { get; }

    /// <summary>Channel groups (InChannels = groups gives a depthwise convolution).</summary>
    public int Groups { get; }

    /// <summary>The weight, OIHW [out, in/groups, k, k].</summary>
    public Parameter Weight { get; }

    /// <summary>The bias [out], or null when created without one.</summary>
    public Parameter? Bias { get; }

    /// <summary>
    /// Upper bound on the im2col workspace in floats (default 8 Mi floats, 32 MiB): the output is processed in bands
    /// of rows whose column matrix fits it. A band is at least one output row, so a row wider than the bound still runs.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int WorkspaceLimit
    {
        get => _workspaceLimit;
        init => _workspaceLimit = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(WorkspaceLimit), value, "WorkspaceLimit must be a positive number of floats.");
    }

    private readonly int _workspaceLimit = ConvWorkspace.DefaultLimit;

    /// <summary>
    /// Whether small feature maps of a batch go through one GEMM with the images' columns side by side (default);
    /// off, every image has its own GEMMs. Tests hold the two paths equal.
    /// </summary>
    internal bool BatchSmallMaps { get; init; } = true;

    /// <summary>Output maps with fewer pixels than this are batched: one image's GEMM would be too narrow to keep the cores busy.</summary>
    internal const int SmallMapPixels = 1024;

    private bool Batched(int n, ConvGeometry g) =>
        BatchSmallMaps && n > 1 && Groups == 1 && !g.IsIdentity && g.ColumnCols < SmallMapPixels
        && (long)(g.ColumnRows + OutChannels) * n * g.ColumnCols <= WorkspaceLimit;

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc />
    public TensorPool? Pool { get; set; }

    /// <inheritdoc />
    public void ReleaseBuffers() => _input = _output = _inputGradient = null;

    private ConvGeometry Geometry(Tensor input) => new(InChannels, input.H, input.W, KernelSize, Stride, Padding, Dilation);

    /// <summary>Output of NCHW <paramref name="input"/> [N, InChannels, H, W]: [N, OutChannels, H', W'] with H' = floor((H + 2P − D(k−1) − 1)/S) + 1.</summary>
    /// <exception cref="ArgumentException">The input is not NCHW with InChannels channels, or is smaller than the dilated kernel.</exception>
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.RequireNchw(nameof(input), InChannels);
        var g = Geometry(input);
        if (g.OutHeight <= 0 || g.OutWidth <= 0)
            throw new ArgumentException($"input {input.ShapeText} is smaller than the dilated {KernelSize}×{KernelSize} kernel with padding {Padding}.", nameof(input));
        _input = input;
        var output = TensorBuffers.Acquire(Pool, ref _output, [input.N, OutChannels, g.OutHeight, g.OutWidth]);
        if (Batched(input.N, g))
        {
            ForwardBatched(input, output, g);
            return output;
        }
        int spatial = g.ColumnCols, imageIn = InChannels * input.H * input.W, imageOut = OutChannels * spatial;
        int outG = OutChannels / Groups, kG = g.ColumnRows / Groups, ow = g.OutWidth;
        int bandRows = g.IsIdentity ? g.OutHeight : ConvWorkspace.BandRows(g.ColumnRows, g.OutHeight, ow, WorkspaceLimit);
        float[] w = Weight.Value.Data;
        for (int n = 0; n < input.N; n++)
        {
            ReadOnlySpan<float> x = input.Data.AsSpan(n * imageIn, imageIn);
            Span<float> y = output.Data.AsSpan(n * imageOut, imageOut);
            for (int r0 = 0; r0 < g.OutHeight; r0 += bandRows)
            {
                // y[:, band] = W · col(x)[:, band], per group; the band's outputs are columns of y (row stride = spatial).
                int rows = Math.Min(bandRows, g.OutHeight - r0), cols = rows * ow;
                ReadOnlySpan<float> columns = g.IsIdentity ? x : PackBand(x, g, r0, rows);
                int ldb = g.IsIdentity ? spatial : cols;
                for (int gi = 0; gi < Groups; gi++)
                    Gemm.Multiply(w.AsSpan(gi * outG * kG, outG * kG), kG, columns[(gi * kG * ldb)..], ldb,
                        y[(gi * outG * spatial + r0 * ow)..], spatial, outG, kG, cols);
            }
            if (Bias != null)
                for (int o = 0; o < OutChannels; o++) AddScalar(y.Slice(o * spatial, spatial), Bias.Value.Data[o]);
        }
        return output;
    }

    /// <summary>Returns d loss / d input [N, InChannels, H, W] and adds d loss / d weight and d loss / d bias into the gradients.</summary>
    /// <exception cref="InvalidOperationException">Forward has not been called.</exception>
    /// <exception cref="ArgumentException">The gradient's shape differs from the last output's.</exception>
    public Tensor Backward(Tensor outputGradient)
    {
        TensorBuffers.RequireGradient(outputGradient, _output, "output");
        var input = _input!;
        var g = Geometry(input);
        var dx = TensorBuffers.Acquire(Pool, ref _inputGradient, input.Shape);
        if (Batched(input.N, g))
        {
            BackwardBatched(input, outputGradient, dx, g);
            return dx;
        }
        int spatial = g.ColumnCols, imageIn = InChannels * input.H * input.W, imageOut = OutChannels * spatial;
        int outG = OutChannels / Groups, kG = g.ColumnRows / Groups, ow = g.OutWidth;
        int bandRows = g.IsIdentity ? g.OutHeight : ConvWorkspace.BandRows(g.ColumnRows, g.OutHeight, ow, WorkspaceLimit);
        float[] w = Weight.Value.Data, dw = Weight.Gradient.Data;
        for (int n = 0; n < input.N; n++)
        {
            ReadOnlySpan<float> dy = outputGradient.Data.AsSpan(n * imageOut, imageOut);
            ReadOnlySpan<float> x = input.Data.AsSpan(n * imageIn, imageIn);
            Span<float> dxn = dx.Data.AsSpan(n * imageIn, imageIn);
            if (!g.IsIdentity) dxn.Clear();
            for (int r0 = 0; r0 < g.OutHeight; r0 += bandRows)
            {
                int rows = Math.Min(bandRows, g.OutHeight - r0), cols = rows * ow;
                // d weight += dY[:, band] · col[:, band]ᵀ
                Span<float> columns = g.IsIdentity ? default : PackBand(x, g, r0, rows);
                ReadOnlySpan<float> packed = g.IsIdentity ? x : columns;
                int ldCol = g.IsIdentity ? spatial : cols;
                for (int gi = 0; gi < Groups; gi++)
                    Gemm.Multiply(dy[(gi * outG * spatial + r0 * ow)..], spatial, packed[(gi * kG * ldCol)..], ldCol,
                        dw.AsSpan(gi * outG * kG, outG * kG), kG, outG, cols, kG, transposeB: true, accumulate: true);
                // d col[:, band] = Wᵀ · dY[:, band] (over the packed columns, no longer needed), then col2im into d input;
                // for identity geometry d col is d input itself.
                Span<float> dcol = g.IsIdentity ? dxn : columns;
                for (int gi = 0; gi < Groups; gi++)
                    Gemm.Multiply(w.AsSpan(gi * outG * kG, outG * kG), kG, dy[(gi * outG * spatial + r0 * ow)..], spatial,
                        dcol[(gi * kG * ldCol)..], ldCol, kG, outG, cols, transposeA: true);
                if (!g.IsIdentity) Im2Col.Accumulate(dcol, dxn, g, r0, rows);
            }
            if (Bias != null)
                for (int o = 0; o < OutChannels; o++) Bias.Gradient.Data[o] += Sum(dy.Slice(o * spatial, spatial));
        }
        return dx;
    }

    // Small maps: the columns of all N images side by side, K × (N·S), so Y = W · col is one GEMM wide enough to split
    // across cores; Y comes out as Cout × (N·S) and is scattered into NCHW.
    private void ForwardBatched(Tensor input, Tensor output, ConvGeometry g)
    {
        int n = input.N, s = g.ColumnCols, ns = n * s, k = g.ColumnRows, imageIn = InChannels * input.H * input.W, imageOut = OutChannels * s;
        Span<float> workspace = ConvWorkspace.Get((k + OutChannels) * ns);
        Span<float> columns = workspace[..(k * ns)], y = workspace.Slice(k * ns, OutChannels * ns);
        for (int i = 0; i < n; i++) Im2Col.Pack(input.Data.AsSpan(i * imageIn, imageIn), columns[(i * s)..], g, 0, g.OutHeight, ns);
        Gemm.Multiply(Weight.Value.Data, k, columns, ns, y, ns, OutChannels, k, ns);
        for (int i = 0; i < n; i++)
            for (int o = 0; o < OutChannels; o++)
            {
                var target = output.Data.AsSpan(i * imageOut + o * s, s);
                y.Slice(o * ns + i * s, s).CopyTo(target);
                if (Bias != null) AddScalar(target, Bias.Value.Data[o]);
            }
    }

    private void BackwardBatched(Tensor input, Tensor outputGradient, Tensor dx, ConvGeometry g)
    {
        int n = input.N, s = g.ColumnCols, ns = n * s, k = g.ColumnRows, imageIn = InChannels * input.H * input.W, imageOut = OutChannels * s;
        Span<float> workspace = ConvWorkspace.Get((k + OutChannels) * ns);
        Span<float> columns = workspace[..(k * ns)], dy = workspace.Slice(k * ns, OutChannels * ns);
        for (int i = 0; i < n; i++)
        {
            for (int o = 0; o < OutChannels; o++) outputGradient.Data.AsSpan(i * imageOut + o * s, s).CopyTo(dy.Slice(o * ns + i * s, s));
            Im2Col.Pack(input.Data.AsSpan(i * imageIn, imageIn), columns[(i * s)..], g, 0, g.OutHeight, ns);
        }
        // d weight += dY · colᵀ; d col = Wᵀ · dY (over the columns, no longer needed); col2im per image.
        Gemm.Multiply(dy, ns, columns, ns, Weight.Gradient.Data, k, OutChannels, ns, k, transposeB: true, accumulate: true);
        Gemm.Multiply(Weight.Value.Data, k, dy, ns, columns, ns, k, OutChannels, ns, transposeA: true);
        Array.Clear(dx.Data);
        for (int i = 0; i < n; i++) Im2Col.Accumulate(columns[(i * s)..], dx.Data.AsSpan(i * imageIn, imageIn), g, 0, g.OutHeight, ns);
        if (Bias != null)
            for (int o = 0; o < OutChannels; o++) Bias.Gradient.Data[o] += Sum(dy.Slice(o * ns, ns));
    }

    /// <summary>The columns of output rows [r0, r0 + rows) of <paramref name="image"/>, packed into this thread's workspace.</summary>
    private static Span<float> PackBand(ReadOnlySpan<float> image, ConvGeometry g, int r0, int rows)
    {
        Span<float> columns = ConvWorkspace.Get(g.ColumnRows * rows * g.OutWidth);
        Im2Col.Pack(image, columns, g, r0, rows);
        return columns;
    }

    /// <summary>
    /// Fills <paramref name="weight"/> and an optional bias of <paramref name="outChannels"/> uniformly in ±1/√fan_in,
    /// weight first, as PyTorch initialises convolutions; shared by <see cref="Conv2d"/> and <see cref="ConvTranspose2d"/>.
    /// </summary>
    internal static (Parameter Weight, Parameter? Bias, Parameter[] All) CreateParameters(Tensor weight, int outChannels, int fanIn, bool bias, Rng rng)
    {
        double bound = 1 / Math.Sqrt(fanIn);
        for (int i = 0; i < weight.Length; i++) weight.Data[i] = (float)rng.Uniform(-bound, bound);
        var w = Parameter.Create("weight", weight);
        if (!bias) return (w, null, [w]);
        var b = new Tensor(outChannels);
        for (int i = 0; i < b.Length; i++) b.Data[i] = (float)rng.Uniform(-bound, bound);
        var bp = Parameter.Create("bias", b);
        return (w, bp, [w, bp]);
    }

    internal static void AddScalar(Span<float> x, float value)
    {
        var v = new System.Numerics.Vector<float>(value);
        int i = 0, width = System.Numerics.Vector<float>.Count;
        for (; i <= x.Length - width; i += width) (new System.Numerics.Vector<float>(x.Slice(i)) + v).CopyTo(x.Slice(i));
        for (; i < x.Length; i++) x[i] += value;
    }

    internal static float Sum(ReadOnlySpan<float> x)
    {
        var acc = System.Numerics.Vector<float>.Zero;
        int i = 0, width = System.Numerics.Vector<float>.Count;
        for (; i <= x.Length - width; i += width) acc += new System.Numerics.Vector<float>(x.Slice(i));
        float s = System.Numerics.Vector.Sum(acc);
        for (; i < x.Length; i++) s += x[i];
        return s;
    }
}
