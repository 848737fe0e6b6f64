using SimSeg.Core.Randomness;
using SimSeg.Neural.Kernels;

namespace SimSeg.Neural.Layers;

/// <summary>
/// 2-D convolution as PyTorch's nn.Conv2d (cross-correlation, zero padding, square kernel): NCHW input with
/// InChannels channels to NCHW output with OutChannels channels, weight OIHW [out, in/groups, k, k] named "weight",
/// optional bias [out] named "bias". Forward and backward run per image as im2col + <see cref="Gemm"/> per group
/// (1×1 stride-1 unpadded convolutions skip im2col). The output and input-gradient tensors are owned by the
/// layer and reused while shapes stay the same (a returned tensor is valid until the next call of the same
/// method); the im2col workspace is shared by all convolutions of a thread (<see cref="ConvWorkspace"/>).
/// </summary>
public sealed class Conv2d : ILayer
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

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => _parameters;

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
        var output = TensorBuffers.Ensure(ref _output, [input.N, OutChannels, g.OutHeight, g.OutWidth]);
        int spatial = g.ColumnCols, imageIn = InChannels * input.H * input.W, imageOut = OutChannels * spatial;
        int outG = OutChannels / Groups, kG = g.ColumnRows / Groups;
        float[] w = Weight.Value.Data;
        for (int n = 0; n < input.N; n++)
        {
            ReadOnlySpan<float> columns = Columns(input.Data.AsSpan(n * imageIn, imageIn), g);
            Span<float> y = output.Data.AsSpan(n * imageOut, imageOut);
            for (int gi = 0; gi < Groups; gi++)
                Gemm.Multiply(w.AsSpan(gi * outG * kG, outG * kG), columns.Slice(gi * kG * spatial, kG * spatial),
                    y.Slice(gi * outG * spatial, outG * spatial), outG, kG, spatial);
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
        var dx = TensorBuffers.EnsureLike(ref _inputGradient, input);
        int spatial = g.ColumnCols, imageIn = InChannels * input.H * input.W, imageOut = OutChannels * spatial;
        int outG = OutChannels / Groups, kG = g.ColumnRows / Groups;
        float[] w = Weight.Value.Data, dw = Weight.Gradient.Data;
        for (int n = 0; n < input.N; n++)
        {
            ReadOnlySpan<float> dy = outputGradient.Data.AsSpan(n * imageOut, imageOut);
            Span<float> dxn = dx.Data.AsSpan(n * imageIn, imageIn);
            // d weight += dY · colᵀ
            ReadOnlySpan<float> columns = Columns(input.Data.AsSpan(n * imageIn, imageIn), g);
            for (int gi = 0; gi < Groups; gi++)
                Gemm.Multiply(dy.Slice(gi * outG * spatial, outG * spatial), columns.Slice(gi * kG * spatial, kG * spatial),
                    dw.AsSpan(gi * outG * kG, outG * kG), outG, spatial, kG, transposeB: true, accumulate: true);
            // d col = Wᵀ · dY, then col2im into d input (straight into d input for identity geometry).
            Span<float> dcol = g.IsIdentity ? dxn : Workspace(g);
            for (int gi = 0; gi < Groups; gi++)
                Gemm.Multiply(w.AsSpan(gi * outG * kG, outG * kG), dy.Slice(gi * outG * spatial, outG * spatial),
                    dcol.Slice(gi * kG * spatial, kG * spatial), kG, outG, spatial, transposeA: true);
            if (!g.IsIdentity)
            {
                dxn.Clear();
                Im2Col.Accumulate(dcol, dxn, g);
            }
            if (Bias != null)
                for (int o = 0; o < OutChannels; o++) Bias.Gradient.Data[o] += Sum(dy.Slice(o * spatial, spatial));
        }
        return dx;
    }

    private ReadOnlySpan<float> Columns(ReadOnlySpan<float> image, ConvGeometry g)
    {
        if (g.IsIdentity) return image;
        Span<float> columns = Workspace(g);
        Im2Col.Pack(image, columns, g);
        return columns;
    }

    private Span<float> Workspace(ConvGeometry g)
    {
        return ConvWorkspace.Get(g.ColumnRows * g.ColumnCols);
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
