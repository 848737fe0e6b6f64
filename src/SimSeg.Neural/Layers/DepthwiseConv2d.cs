using SimSeg.Core.Randomness;

namespace SimSeg.Neural.Layers;

/// <summary>
/// Depthwise 2-D convolution, PyTorch's nn.Conv2d(C, C, k, stride, padding, groups=C) (cross-correlation, zero padding,
/// square kernel, no dilation): every channel is filtered by its own k×k kernel. NCHW [N, C, H, W] →
/// [N, C, H', W'] with H' = ⌊(H + 2P − k)/S⌋ + 1; weight [C, 1, k, k] named "weight", optional bias [C] named "bias",
/// so parameters and checkpoints are those of the grouped <see cref="Conv2d"/>. A grouped GEMM is a poor fit for one
/// input channel per group, so this layer runs direct tap-by-tap loops (vectorised along rows at stride 1), parallel
/// over channels, each channel's sums in a fixed order: results do not depend on the thread count.
/// <see cref="Conv2dNaive"/> is its reference twin. Output and input gradient are reused buffers.
/// </summary>
public sealed class DepthwiseConv2d : ILayer
{
    private const int ParallelElements = 1 << 14;
    private readonly Parameter[] _parameters;
    private Tensor? _input, _output, _inputGradient;

    /// <summary>Creates the layer with PyTorch's default initialisation (uniform in ±1/√(k·k), weight then bias), as <see cref="Conv2d"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive or padding is negative.</exception>
    public DepthwiseConv2d(int channels, int kernelSize, Rng rng, int stride = 1, int padding = 0, bool bias = false)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        (Channels, KernelSize, Stride, Padding) = (channels, kernelSize, stride, padding);
        (Weight, Bias, _parameters) = Conv2d.CreateParameters(new Tensor(channels, 1, kernelSize, kernelSize), channels, kernelSize * kernelSize, bias, rng);
    }

    /// <summary>Channels (input and output).</summary>
    public int Channels { get; }

    /// <summary>Kernel size k (k×k).</summary>
    public int KernelSize { get; }

    /// <summary>Stride in pixels.</summary>
    public int Stride { get; }

    /// <summary>Zero padding on each side in pixels.</summary>
    public int Padding { get; }

    /// <summary>The weight [C, 1, k, k].</summary>
    public Parameter Weight { get; }

    /// <summary>The bias [C], or null.</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Output [N, C, H', W'] of NCHW <paramref name="input"/> [N, C, H, W].</summary>
    /// <exception cref="ArgumentException">Not NCHW with <see cref="Channels"/> channels, or smaller than the padded kernel.</exception>
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.RequireNchw(nameof(input), Channels);
        var p = Plane(input.H, input.W);
        if (p.OutHeight <= 0 || p.OutWidth <= 0)
            throw new ArgumentException($"input {input.ShapeText} is smaller than the {KernelSize}×{KernelSize} kernel with padding {Padding}.", nameof(input));
        _input = input;
        Tensor output = TensorBuffers.Ensure(ref _output, [input.N, Channels, p.OutHeight, p.OutWidth]);
        int n = input.N;
        float[] x = input.Data, y = output.Data, w = Weight.Value.Data;
        float[]? b = Bias?.Value.Data;
        void Channel(int c)
        {
            ReadOnlySpan<float> kernel = w.AsSpan(c * p.Taps, p.Taps);
            for (int i = 0; i < n; i++)
            {
                int plane = i * Channels + c;
                Span<float> dst = y.AsSpan(plane * p.OutSize, p.OutSize);
                dst.Fill(b is null ? 0f : b[c]);
                p.Correlate(x.AsSpan(plane * p.InSize, p.InSize), kernel, dst);
            }
        }
        Run(input.Length, Channel);
        return output;
    }

    /// <summary>Returns d loss / d input and adds d loss / d weight (and d loss / d bias) into the gradients.</summary>
    /// <exception cref="InvalidOperationException">Forward has not been called.</exception>
    /// <exception cref="ArgumentException">The gradient's shape differs from the last output's.</exception>
    public Tensor Backward(Tensor outputGradient)
    {
        TensorBuffers.RequireGradient(outputGradient, _output, "output");
        Tensor input = _input!;
        var p = Plane(input.H, input.W);
        Tensor dx = TensorBuffers.EnsureLike(ref _inputGradient, input);
        int n = input.N;
        float[] x = input.Data, dy = outputGradient.Data, d = dx.Data, w = Weight.Value.Data, dw = Weight.Gradient.Data;
        float[]? db = Bias?.Gradient.Data;
        void Channel(int c)
        {
            ReadOnlySpan<float> kernel = w.AsSpan(c * p.Taps, p.Taps);
            Span<float> kernelGradient = dw.AsSpan(c * p.Taps, p.Taps);
            for (int i = 0; i < n; i++)
            {
                int plane = i * Channels + c;
                ReadOnlySpan<float> g = dy.AsSpan(plane * p.OutSize, p.OutSize);
                Span<float> dxPlane = d.AsSpan(plane * p.InSize, p.InSize);
                dxPlane.Clear();
                p.Scatter(g, kernel, dxPlane);
                p.AccumulateKernelGradient(x.AsSpan(plane * p.InSize, p.InSize), g, kernelGradient);
                if (db is not null) db[c] += Conv2d.Sum(g);
            }
        }
        Run(input.Length, Channel);
        return dx;
    }

    private PlaneGeometry Plane(int h, int w) => new(h, w, KernelSize, Stride, Padding);

    private void Run(int elements, Action<int> channel)
    {
        if (elements >= ParallelElements && Channels > 1 && Environment.ProcessorCount > 1) Parallel.For(0, Channels, channel);
        else for (int c = 0; c < Channels; c++) channel(c);
    }

    /// <summary>One H×W plane filtered by one k×k kernel with stride S and zero padding P.</summary>
    private readonly record struct PlaneGeometry(int Height, int Width, int Kernel, int Stride, int Padding)
    {
        public int OutHeight => (Height + 2 * Padding - Kernel) / Stride + 1;

        public int OutWidth => (Width + 2 * Padding - Kernel) / Stride + 1;

        public int InSize => Height * Width;

        public int OutSize => OutHeight * OutWidth;

        public int Taps => Kernel * Kernel;

        /// <summary>Output columns ox whose input column ox·S − P + kx lies inside the image: [first, last).</summary>
        private (int First, int Last) Columns(int kx)
        {
            int offset = kx - Padding;
            int first = offset >= 0 ? 0 : (-offset + Stride - 1) / Stride;
            int last = Math.Min(OutWidth, (Width - 1 - offset) / Stride + 1);
            if (Width - 1 - offset < 0) last = 0;
            return (first, Math.Max(first, last));
        }

        /// <summary>dst[oy, ox] += Σ_taps kernel[ky, kx]·src[oy·S − P + ky, ox·S − P + kx].</summary>
        public void Correlate(ReadOnlySpan<float> src, ReadOnlySpan<float> kernel, Span<float> dst)
        {
            for (int oy = 0; oy < OutHeight; oy++)
            {
                Span<float> row = dst.Slice(oy * OutWidth, OutWidth);
                for (int ky = 0; ky < Kernel; ky++)
                {
                    int iy = oy * Stride - Padding + ky;
                    if ((uint)iy >= (uint)Height) continue;
                    ReadOnlySpan<float> inRow = src.Slice(iy * Width, Width);
                    for (int kx = 0; kx < Kernel; kx++)
                    {
                        var (first, last) = Columns(kx);
                        if (first >= last) continue; // the tap falls outside the image for every output column (tiny maps)
                        float wk = kernel[ky * Kernel + kx];
                        int ix = first * Stride - Padding + kx;
                        if (Stride == 1) VectorMath.MultiplyAdd(inRow.Slice(ix, last - first), wk, row[first..last]);
                        else for (int ox = first; ox < last; ox++, ix += Stride) row[ox] += wk * inRow[ix];
                    }
                }
            }
        }

        /// <summary>dst[oy·S − P + ky, ox·S − P + kx] += kernel[ky, kx]·g[oy, ox], the adjoint of <see cref="Correlate"/>.</summary>
        public void Scatter(ReadOnlySpan<float> g, ReadOnlySpan<float> kernel, Span<float> dst)
        {
            for (int oy = 0; oy < OutHeight; oy++)
            {
                ReadOnlySpan<float> gRow = g.Slice(oy * OutWidth, OutWidth);
                for (int ky = 0; ky < Kernel; ky++)
                {
                    int iy = oy * Stride - Padding + ky;
                    if ((uint)iy >= (uint)Height) continue;
                    Span<float> inRow = dst.Slice(iy * Width, Width);
                    for (int kx = 0; kx < Kernel; kx++)
                    {
                        var (first, last) = Columns(kx);
                        if (first >= last) continue; // the tap falls outside the image for every output column (tiny maps)
                        float wk = kernel[ky * Kernel + kx];
                        int ix = first * Stride - Padding + kx;
                        if (Stride == 1) VectorMath.MultiplyAdd(gRow[first..last], wk, inRow.Slice(ix, last - first));
                        else for (int ox = first; ox < last; ox++, ix += Stride) inRow[ix] += wk * gRow[ox];
                    }
                }
            }
        }

        /// <summary>kernelGradient[ky, kx] += Σ_{oy, ox} g[oy, ox]·src[oy·S − P + ky, ox·S − P + kx].</summary>
        public void AccumulateKernelGradient(ReadOnlySpan<float> src, ReadOnlySpan<float> g, Span<float> kernelGradient)
        {
            for (int ky = 0; ky < Kernel; ky++)
            {
                for (int kx = 0; kx < Kernel; kx++)
                {
                    var (first, last) = Columns(kx);
                    if (first >= last) continue; // the tap falls outside the image for every output column (tiny maps)
                    float sum = 0;
                    for (int oy = 0; oy < OutHeight; oy++)
                    {
                        int iy = oy * Stride - Padding + ky;
                        if ((uint)iy >= (uint)Height) continue;
                        ReadOnlySpan<float> inRow = src.Slice(iy * Width, Width), gRow = g.Slice(oy * OutWidth, OutWidth);
                        int ix = first * Stride - Padding + kx;
                        if (Stride == 1) sum += VectorMath.Dot(gRow[first..last], inRow.Slice(ix, last - first));
                        else for (int ox = first; ox < last; ox++, ix += Stride) sum += gRow[ox] * inRow[ix];
                    }
                    kernelGradient[ky * Kernel + kx] += sum;
                }
            }
        }
    }
}
