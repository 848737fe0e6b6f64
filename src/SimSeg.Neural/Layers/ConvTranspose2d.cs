using SimSeg.Core.Randomness;
using SimSeg.Neural.Kernels;

namespace SimSeg.Neural.Layers;

/// <summary>
/// 2-D transposed convolution as PyTorch's nn.ConvTranspose2d (square kernel): the adjoint of <see cref="Conv2d"/>
/// with the same stride, padding and dilation. Weight IOHW [in, out/groups, k, k] named "weight", optional bias
/// [out] named "bias". Output size (H−1)·S − 2P + D(k−1) + outputPadding + 1 (for k = S = 2, P = 0: 2H).
/// Forward per image is one <see cref="Gemm"/> per group (col = Wᵀ·x) then col2im; backward is im2col of the
/// output gradient and two GEMMs. Output and input-gradient tensors are owned by the layer and reused while
/// shapes stay the same (a returned tensor is valid until the next call of the same method); the column
/// workspace is shared by all convolutions of a thread (<see cref="ConvWorkspace"/>) and bounded by
/// <see cref="WorkspaceLimit"/>: large inputs are processed in bands of input rows.
/// </summary>
public sealed class ConvTranspose2d : ILayer, IPooledLayer
{
    private readonly Parameter[] _parameters;
    private Tensor? _input, _output, _inputGradient;

    /// <summary>
    /// Creates the layer with PyTorch's default initialisation: weight and bias uniform in ±1/√fan_in with
    /// fan_in = out/groups·k·k (PyTorch computes it from the weight's second dimension), drawn from
    /// <paramref name="rng"/> in weight-then-bias order.
    /// </summary>
    /// <exception cref="ArgumentException">A size is not positive, padding is negative, groups does not divide both channel counts, or outputPadding is not below the stride.</exception>
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0,
        int outputPadding = 0, int dilation = 1, int groups = 1, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfNegative(outputPadding);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(outputPadding, stride);
        ArgumentOutOfRangeException.ThrowIfLessThan(dilation, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"groups ({groups}) must divide inChannels ({inChannels}) and outChannels ({outChannels}).", nameof(groups));
        (InChannels, OutChannels, KernelSize, Stride, Padding, OutputPadding, Dilation, Groups) =
            (inChannels, outChannels, kernelSize, stride, padding, outputPadding, dilation, groups);
        // PyTorch's fan_in for a transposed convolution is out/groups·k·k (weight dimension 1).
        (Weight, Bias, _parameters) = Conv2d.CreateParameters(new Tensor(inChannels, outChannels / groups, kernelSize, kernelSize),
            outChannels, outChannels / groups * kernelSize * kernelSize, bias, rng);
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel size k (k×k).</summary>
    public int KernelSize { get; }

    /// <summary>Stride in pixels.</summary>
    public int Stride { get; }

    /// <summary>Padding removed from each side of the full output, in pixels.</summary>
    public int Padding { get; }

    /// <summary>Extra rows and columns added at the bottom and right of the output (below the stride).</summary>
    public int OutputPadding { get; }

    /// <summary>Spacing between kernel taps in pixels.</summary>
    public int Dilation { get; }

    /// <summary>Channel groups.</summary>
    public int Groups { get; }

    /// <summary>The weight, IOHW [in, out/groups, k, k].</summary>
    public Parameter Weight { get; }

    /// <summary>The bias [out], or null when created without one.</summary>
    public Parameter? Bias { get; }

    /// <summary>
    /// Upper bound on the column workspace in floats (default 8 Mi floats, 32 MiB): the input is processed in bands of
    /// rows whose column matrix fits it. A band is at least one input row, so a row wider than the bound still runs.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int WorkspaceLimit
    {
        get => _workspaceLimit;
        init => _workspaceLimit = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(WorkspaceLimit), value, "WorkspaceLimit must be a positive number of floats.");
    }

    private readonly int _workspaceLimit = ConvWorkspace.DefaultLimit;

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc />
    public TensorPool? Pool { get; set; }

    /// <inheritdoc />
    public void ReleaseBuffers() => _input = _output = _inputGradient = null;

    /// <summary>The geometry of the adjoint convolution: from the output image back to the input's size.</summary>
    private ConvGeometry Geometry(Tensor input)
    {
        int oh = (input.H - 1) * Stride - 2 * Padding + Dilation * (KernelSize - 1) + OutputPadding + 1;
        int ow = (input.W - 1) * Stride - 2 * Padding + Dilation * (KernelSize - 1) + OutputPadding + 1;
        if (oh <= 0 || ow <= 0) throw new ArgumentException($"input {input.ShapeText} gives an empty output with padding {Padding}.", nameof(input));
        return new ConvGeometry(OutChannels, oh, ow, KernelSize, Stride, Padding, Dilation);
    }

    /// <summary>Output of NCHW <paramref name="input"/> [N, InChannels, H, W]: [N, OutChannels, H', W'] with H' = (H−1)·S − 2P + D(k−1) + outputPadding + 1.</summary>
    /// <exception cref="ArgumentException">The input is not NCHW with InChannels channels, or the output would be empty.</exception>
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.RequireNchw(nameof(input), InChannels);
        var g = Geometry(input);
        _input = input;
        var output = TensorBuffers.Acquire(Pool, ref _output, [input.N, OutChannels, g.Height, g.Width]);
        int spatial = input.H * input.W, imageIn = InChannels * spatial, imageOut = OutChannels * g.Height * g.Width;
        int inG = InChannels / Groups, kG = g.ColumnRows / Groups, iw = input.W;
        int bandRows = ConvWorkspace.BandRows(g.ColumnRows, input.H, iw, WorkspaceLimit);
        float[] w = Weight.Value.Data;
        for (int n = 0; n < input.N; n++)
        {
            ReadOnlySpan<float> x = input.Data.AsSpan(n * imageIn, imageIn);
            Span<float> y = output.Data.AsSpan(n * imageOut, imageOut);
            y.Clear();
            for (int r0 = 0; r0 < input.H; r0 += bandRows)
            {
                // col[:, band] = Wᵀ · x[:, band] per group (x's band has row stride = spatial), then col2im into y.
                int rows = Math.Min(bandRows, input.H - r0), cols = rows * iw;
                Span<float> columns = ConvWorkspace.Get(g.ColumnRows * cols);
                for (int gi = 0; gi < Groups; gi++)
                    Gemm.Multiply(w.AsSpan(gi * inG * kG, inG * kG), kG, x[(gi * inG * spatial + r0 * iw)..], spatial,
                        columns[(gi * kG * cols)..], cols, kG, inG, cols, transposeA: true);
                Im2Col.Accumulate(columns, y, g, r0, rows);
            }
            if (Bias != null)
            {
                int plane = g.Height * g.Width;
                for (int o = 0; o < OutChannels; o++) Conv2d.AddScalar(y.Slice(o * plane, plane), Bias.Value.Data[o]);
            }
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
        int spatial = input.H * input.W, imageIn = InChannels * spatial, plane = g.Height * g.Width, imageOut = OutChannels * plane;
        int inG = InChannels / Groups, kG = g.ColumnRows / Groups, iw = input.W;
        int bandRows = ConvWorkspace.BandRows(g.ColumnRows, input.H, iw, WorkspaceLimit);
        float[] w = Weight.Value.Data, dw = Weight.Gradient.Data;
        for (int n = 0; n < input.N; n++)
        {
            ReadOnlySpan<float> dy = outputGradient.Data.AsSpan(n * imageOut, imageOut);
            ReadOnlySpan<float> x = input.Data.AsSpan(n * imageIn, imageIn);
            Span<float> dxn = dx.Data.AsSpan(n * imageIn, imageIn);
            for (int r0 = 0; r0 < input.H; r0 += bandRows)
            {
                int rows = Math.Min(bandRows, input.H - r0), cols = rows * iw;
                Span<float> columns = ConvWorkspace.Get(g.ColumnRows * cols);
                Im2Col.Pack(dy, columns, g, r0, rows);
                for (int gi = 0; gi < Groups; gi++)
                {
                    ReadOnlySpan<float> cg = columns[(gi * kG * cols)..];
                    // d input[:, band] = W · col(dY)[:, band]; d weight += x[:, band] · col(dY)[:, band]ᵀ
                    Gemm.Multiply(w.AsSpan(gi * inG * kG, inG * kG), kG, cg, cols, dxn[(gi * inG * spatial + r0 * iw)..], spatial, inG, kG, cols);
                    Gemm.Multiply(x[(gi * inG * spatial + r0 * iw)..], spatial, cg, cols, dw.AsSpan(gi * inG * kG, inG * kG), kG,
                        inG, cols, kG, transposeB: true, accumulate: true);
                }
            }
            if (Bias != null)
                for (int o = 0; o < OutChannels; o++) Bias.Gradient.Data[o] += Conv2d.Sum(dy.Slice(o * plane, plane));
        }
        return dx;
    }
}
