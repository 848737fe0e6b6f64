using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SimSeg.Core;

namespace SimSeg.Simulation.Optics;

/// <summary>
/// Renders point emitters through a PSF into a 2D image: each emitter adds photons × (PSF integrated over each
/// pixel's area) to the pixels within <see cref="RenderOptions.KernelRadiusNm"/> of it (the PSF is truncated to
/// zero beyond that radius). This is the image model of PhySeg (Sekh et al. 2021): a sum of PSFs at the emitters'
/// 3D positions relative to the focal plane, not a convolution of a 2D mask.
/// <para>
/// Coordinates: pixel (i, j) of a row-major width×height image covers x ∈ [i·p, (i+1)·p), y ∈ [j·p, (j+1)·p)
/// with p = <see cref="RenderOptions.PixelSizeNm"/>; defocus = z − focal plane z, clamped to
/// [<see cref="RenderOptions.ZRangeMinNm"/>, <see cref="RenderOptions.ZRangeMaxNm"/>] (emitters further out are
/// drawn as at the nearest covered defocus). Emitters outside the image still add their tails inside it.
/// </para>
/// <para>
/// Fast path (<see cref="Render"/>): the PSF is tabulated once (<see cref="RadialPsfTable"/>, planes every
/// ≤ <see cref="RenderOptions.KernelZStepNm"/>); a bank of pixel-integrated kernels, one per (defocus plane,
/// sub-pixel phase x, phase y), is built lazily plane by plane (thread-safe; a plane's content does not depend
/// on which thread builds it). An emitter uses the kernel of its nearest sub-pixel phase and blends the two
/// nearest planes linearly. No allocation once the planes it needs exist and the calling thread has rendered
/// a field at least as large (per-thread scratch for the emitter order is reused).
/// </para>
/// <para>
/// Bank storage (the render is bound by reading the bank, so it is kept small): each kernel stores only the
/// conservative non-zero span of each row (rows of a radially truncated kernel near its top and bottom are
/// short), padded to whole 8-float vectors with zeros, as unsigned 16-bit values with one scale per kernel
/// (value = q · scale, scale = kernel maximum / 65535). The rounding error of a pixel is at most 1/131070 ≈
/// 7.6·10⁻⁶ of that kernel's peak and unbiased, far below the sub-pixel phase error (≈ 2.7 % of the peak at
/// the default 8 phases, see <see cref="RenderOptions.Oversampling"/>); PSF values are assumed non-negative
/// (negative pixel integrals are stored as 0). Emitters are visited grouped by defocus plane (a stable counting
/// sort), so the two planes in use stay in the core's cache; the output therefore depends on the input order
/// only through float rounding, and the same input always gives bit-identical output, whatever the thread.
/// The naive twin <see cref="RenderDirect"/> integrates the PSF itself at the exact position.
/// </para>
/// </summary>
public sealed class EmitterRenderer
{
    /// <summary>Floats per row-padding unit: rows are stored and added in whole blocks of this many values.</summary>
    private const int Lanes = 8;

    private static readonly bool s_avx2 = Avx2.IsSupported && Fma.IsSupported;

    /// <summary>Marks a kernel index whose kernel is read bottom-up.</summary>
    private const int FlipBit = 1 << 30;

    [ThreadStatic] private static Scratch? t_scratch;

    private readonly RadialPsfTable _table;
    private readonly KernelPlane?[] _planes;
    private readonly int[] _rowStart;
    private readonly int[] _rowEnd;
    private readonly int[] _rowOffset;
    private readonly int[] _rowSpan;
    private readonly double _pixel, _radius, _zMin, _zMax, _inverseZStep;
    private readonly int _half, _oversampling, _kernelLength, _vectorCount, _storedPhasesY;
    private VectorOffsets? _offsets;

    /// <summary>One bank plane: quantised kernels, [kernel · kernelLength + row offset + column − row start], and their scales.</summary>
    private sealed class KernelPlane(ushort[] values, float[] scales)
    {
        public readonly ushort[] Values = values;
        public readonly float[] Scales = scales;
    }

    /// <summary>A visible emitter in <see cref="Render"/>: canvas offset of its kernel's corner, kernel (| <see cref="FlipBit"/>), plane, and photons for the plane and the next.</summary>
    private struct Emitter
    {
        public int Canvas, Kernel, Plane;
        public float Near, Far;
    }

    /// <summary>Per-thread working memory of <see cref="Render"/>, grown as needed and reused (no allocation once large enough).</summary>
    private sealed class Scratch
    {
        public Emitter[] Emitters = [];
        public int[] Order = [], Bright = [], Counts = [];
        public float[] Canvas = [];

        public void Reserve(int emitters, int counts, int canvas)
        {
            if (Emitters.Length < emitters)
            {
                Emitters = new Emitter[Math.Max(emitters, 2 * Emitters.Length)];
                Order = new int[Emitters.Length];
                Bright = new int[Emitters.Length];
            }
            if (Counts.Length < counts) Counts = new int[counts];
            if (Canvas.Length < canvas) Canvas = new float[canvas];
        }
    }

    /// <summary>
    /// Canvas offset of each stored kernel vector relative to the kernel's top-left corner, for one canvas width:
    /// upright, and for kernels read bottom-up (stored row r lands on row K − 1 − r).
    /// </summary>
    private sealed class VectorOffsets(int canvasWidth, int[] upright, int[] flipped)
    {
        public readonly int CanvasWidth = canvasWidth;
        public readonly int[] Upright = upright;
        public readonly int[] Flipped = flipped;
    }

    /// <summary>Prepares a renderer; tabulates <paramref name="psf"/> over the kernel radius and defocus range.</summary>
    /// <exception cref="ArgumentException">An option is out of range (see <see cref="RenderOptions.Validate"/>).</exception>
    public EmitterRenderer(IPointSpreadFunction psf, RenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(psf);
        ArgumentNullException.ThrowIfNull(options);
        Psf = psf;
        Options = options.Validate();
        _pixel = options.PixelSizeNm;
        _radius = options.KernelRadiusNm;
        _oversampling = options.Oversampling;
        _half = (int)Math.Ceiling(_radius / _pixel - 1e-9);
        KernelSize = 2 * _half + 1;
        _storedPhasesY = (_oversampling + 1) / 2;
        _table = new RadialPsfTable(psf, _radius, options.ZRangeMinNm, options.ZRangeMaxNm, 0, options.KernelZStepNm);
        _zMin = options.ZRangeMinNm;
        _zMax = options.ZRangeMaxNm;
        _inverseZStep = _table.AxialCount > 1 ? 1 / _table.AxialStepNm : 0;
        _planes = new KernelPlane?[_table.AxialCount];

        // Conservative non-zero extent of each kernel row: a point of pixel offset d is at least (|d| − 1)·p away.
        // Row j is stored as [rowStart, rowStart + span) with span a whole number of vectors, zero past rowEnd.
        int k = KernelSize;
        _rowStart = new int[k];
        _rowEnd = new int[k];
        _rowOffset = new int[k];
        _rowSpan = new int[k];
        int length = 0;
        for (int j = 0; j < k; j++)
        {
            double gap = Math.Max(0, Math.Abs(j - _half) - 1) * _pixel;
            double room = _radius * _radius - gap * gap;
            int reach = room < 0 ? -1 : Math.Min(_half, (int)Math.Floor(Math.Sqrt(room) / _pixel) + 1);
            _rowStart[j] = _half - reach;
            _rowEnd[j] = _half + reach + 1;
            _rowOffset[j] = length;
            _rowSpan[j] = (Math.Max(0, _rowEnd[j] - _rowStart[j]) + Lanes - 1) / Lanes * Lanes;
            length += _rowSpan[j];
        }
        _vectorCount = length / Lanes;
        _kernelLength = (length + 2 * Lanes - 1) / (2 * Lanes) * (2 * Lanes); // 32-byte aligned kernels within a plane
    }

    /// <summary>The PSF rendered.</summary>
    public IPointSpreadFunction Psf { get; }

    /// <summary>The (validated) options.</summary>
    public RenderOptions Options { get; }

    /// <summary>Kernel side, pixels: 2·⌈KernelRadius/pixel⌉ + 1.</summary>
    public int KernelSize { get; }

    /// <summary>Number of defocus planes in the bank.</summary>
    public int PlaneCount => _planes.Length;

    /// <summary>Number of planes built so far.</summary>
    public int BuiltPlaneCount
    {
        get
        {
            int built = 0;
            for (int i = 0; i < _planes.Length; i++)
                if (Volatile.Read(ref _planes[i]) is not null) built++;
            return built;
        }
    }

    /// <summary>Builds every bank plane needed for defocus in [<paramref name="defocusMinNm"/>, <paramref name="defocusMaxNm"/>].</summary>
    public void WarmUp(double defocusMinNm, double defocusMaxNm)
    {
        Guard.OrderedRange(defocusMinNm, defocusMaxNm, nameof(defocusMinNm));
        (int first, _) = PlaneOf(defocusMinNm);
        (int last, double w) = PlaneOf(defocusMaxNm);
        if (w > 0) last++;
        for (int i = first; i <= last; i++) Plane(i);
    }

    /// <summary>
    /// Adds the emitters to <paramref name="destination"/> (fast path, see the class remarks).
    /// </summary>
    /// <param name="xNm">Emitter x, nm.</param>
    /// <param name="yNm">Emitter y, nm (same length).</param>
    /// <param name="zNm">Emitter z, nm (same length).</param>
    /// <param name="photons">Photons per emitter (same length); emitters with photons ≤ 0 are skipped.</param>
    /// <param name="focalPlaneZNm">z of the focal plane, nm.</param>
    /// <param name="destination">Row-major width×height image, added to.</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <exception cref="ArgumentException">Lengths differ, a coordinate is not finite, or the image size is wrong.</exception>
    public void Render(ReadOnlySpan<float> xNm, ReadOnlySpan<float> yNm, ReadOnlySpan<float> zNm, ReadOnlySpan<float> photons,
        double focalPlaneZNm, Span<float> destination, int width, int height)
    {
        Check(xNm, yNm, zNm, photons, focalPlaneZNm, destination, width, height);
        int count = xNm.Length;
        if (count == 0) return;
        double inversePixel = 1 / _pixel;
        int o = _oversampling, planeCount = _planes.Length;

        // The canvas: the image with a margin of 2·half (+ one vector on the right) on every side, so no kernel
        // is ever clipped; its part under the image is added to the destination at the end.
        int margin = 2 * _half, canvasWidth = width + 2 * margin + Lanes, canvasHeight = height + 2 * margin;
        Scratch scratch = t_scratch ??= new Scratch();
        scratch.Reserve(count, planeCount + 1, canvasWidth * canvasHeight);
        Emitter[] emitters = scratch.Emitters;
        int[] order = scratch.Order, counts = scratch.Counts;
        counts.AsSpan(0, planeCount + 1).Clear();

        // Pass 1: where each visible emitter lands; counting sort by plane, so that consecutive emitters share
        // bank planes (stable: the order, hence the output, depends only on the input). Typically most emitters
        // are dark (blinking): find the bright ones a vector at a time, without a branch per emitter.
        int visible = 0, e0 = 0, brightCount = 0;
        int[] brightList = scratch.Bright;
        ref float photonsRef = ref MemoryMarshal.GetReference(photons);
        if (Vector256.IsHardwareAccelerated)
        {
            for (; e0 <= count - Vector256<float>.Count; e0 += Vector256<float>.Count)
            {
                uint bright = Vector256.GreaterThan(Vector256.LoadUnsafe(ref photonsRef, (nuint)e0), Vector256<float>.Zero).ExtractMostSignificantBits();
                for (; bright != 0; bright &= bright - 1)
                    brightList[brightCount++] = e0 + System.Numerics.BitOperations.TrailingZeroCount(bright);
            }
        }
        for (; e0 < count; e0++)
            if (photons[e0] > 0) brightList[brightCount++] = e0;

        for (int b = 0; b < brightCount; b++)
        {
            int e = brightList[b];
            float photonCount = photons[e];
            double xs = xNm[e] * inversePixel, ys = yNm[e] * inversePixel;
            double fx = Math.Floor(xs), fy = Math.Floor(ys);
            if (fx + _half < 0 || fx - _half >= width || fy + _half < 0 || fy - _half >= height) continue;
            int phaseX = Math.Min((int)((xs - fx) * o), o - 1), phaseY = Math.Min((int)((ys - fy) * o), o - 1);
            (int plane, double w) = PlaneOf(zNm[e] - focalPlaneZNm);
            // Phases in the lower half of the pixel are the upper-half kernels read bottom-up (exact mirror in y).
            bool flipY = phaseY >= _storedPhasesY;
            emitters[visible] = new Emitter
            {
                Canvas = ((int)fy + margin - _half) * canvasWidth + (int)fx + margin - _half,
                Kernel = ((flipY ? o - 1 - phaseY : phaseY) * o + phaseX) | (flipY ? FlipBit : 0),
                Plane = plane,
                Near = (float)(photonCount * (1 - w)),
                Far = (float)(photonCount * w),
            };
            counts[plane + 1]++;
            visible++;
        }

        for (int p = 0; p < planeCount; p++) counts[p + 1] += counts[p];
        for (int v = 0; v < visible; v++) order[counts[emitters[v].Plane]++] = v;

        // Pass 2: add the kernels.
        float[] canvas = scratch.Canvas;
        canvas.AsSpan(0, canvasWidth * canvasHeight).Clear();
        VectorOffsets offsets = Offsets(canvasWidth);
        ref float origin = ref MemoryMarshal.GetArrayDataReference(canvas);
        KernelPlane? p0 = null, p1 = null;
        int loaded = -1;
        for (int v = 0; v < visible; v++)
        {
            ref readonly Emitter item = ref emitters[order[v]];
            if (item.Plane != loaded)
            {
                loaded = item.Plane;
                p0 = Plane(loaded);
                p1 = loaded + 1 < planeCount ? Plane(loaded + 1) : p0;
            }
            int kernel = item.Kernel & ~FlipBit;
            ref int offset = ref MemoryMarshal.GetArrayDataReference((item.Kernel & FlipBit) != 0 ? offsets.Flipped : offsets.Upright);
            ref float target = ref Unsafe.Add(ref origin, item.Canvas);
            ref ushort k0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(p0!.Values), kernel * _kernelLength);
            if (item.Far > 0)
            {
                ref ushort k1 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(p1!.Values), kernel * _kernelLength);
                AddBlend(ref target, ref offset, ref k0, item.Near * p0.Scales[kernel], ref k1, item.Far * p1.Scales[kernel], _vectorCount);
            }
            else
            {
                AddScaled(ref target, ref offset, ref k0, item.Near * p0.Scales[kernel], _vectorCount);
            }
        }

        for (int j = 0; j < height; j++)
        {
            Span<float> row = destination.Slice(j * width, width);
            ReadOnlySpan<float> source = canvas.AsSpan((j + margin) * canvasWidth + margin, width);
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
                for (; i <= width - Vector256<float>.Count; i += Vector256<float>.Count)
                    (Vector256.Create(row.Slice(i)) + Vector256.Create(source.Slice(i))).CopyTo(row.Slice(i));
            for (; i < width; i++) row[i] += source[i];
        }

    }

    /// <summary>
    /// The naive twin of <see cref="Render"/>: same arguments and conventions, but each pixel within the kernel
    /// window is integrated directly from <see cref="Psf"/> at the exact emitter position and (clamped) defocus,
    /// with <see cref="RenderOptions.QuadraturePoints"/>² Gauss–Legendre nodes, keeping nodes within the kernel radius.
    /// Slow; for tests and reference images.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, a coordinate is not finite, or the image size is wrong.</exception>
    public void RenderDirect(ReadOnlySpan<float> xNm, ReadOnlySpan<float> yNm, ReadOnlySpan<float> zNm, ReadOnlySpan<float> photons,
        double focalPlaneZNm, Span<float> destination, int width, int height)
    {
        Check(xNm, yNm, zNm, photons, focalPlaneZNm, destination, width, height);
        (double[] nodes, double[] weights) = Optics.Psf.PixelQuadrature(Options.QuadraturePoints, _pixel);
        double radius2 = _radius * _radius;
        for (int e = 0; e < xNm.Length; e++)
        {
            float count = photons[e];
            if (!(count > 0)) continue;
            double x = xNm[e], y = yNm[e];
            double fx = Math.Floor(x / _pixel), fy = Math.Floor(y / _pixel);
            if (fx + _half < 0 || fx - _half >= width || fy + _half < 0 || fy - _half >= height) continue;
            double defocus = Math.Clamp(zNm[e] - focalPlaneZNm, _zMin, _zMax);
            int i0 = Math.Max(0, (int)fx - _half), i1 = Math.Min(width - 1, (int)fx + _half);
            int j0 = Math.Max(0, (int)fy - _half), j1 = Math.Min(height - 1, (int)fy + _half);
            for (int j = j0; j <= j1; j++)
            {
                for (int i = i0; i <= i1; i++)
                {
                    double sum = 0;
                    for (int qb = 0; qb < nodes.Length; qb++)
                    {
                        double dy = j * _pixel + nodes[qb] - y;
                        for (int qa = 0; qa < nodes.Length; qa++)
                        {
                            double dx = i * _pixel + nodes[qa] - x;
                            double r2 = dx * dx + dy * dy;
                            if (r2 <= radius2) sum += weights[qa] * weights[qb] * Psf.Evaluate(Math.Sqrt(r2), defocus);
                        }
                    }
                    destination[j * width + i] += (float)(count * sum);
                }
            }
        }
    }

    private static void Check(ReadOnlySpan<float> xNm, ReadOnlySpan<float> yNm, ReadOnlySpan<float> zNm, ReadOnlySpan<float> photons,
        double focalPlaneZNm, Span<float> destination, int width, int height)
    {
        Guard.Positive(width);
        Guard.Positive(height);
        Guard.Finite(focalPlaneZNm);
        SameLength(yNm.Length, xNm.Length, nameof(yNm));
        SameLength(zNm.Length, xNm.Length, nameof(zNm));
        SameLength(photons.Length, xNm.Length, nameof(photons));
        if ((long)width * height != destination.Length)
            throw new ArgumentException($"{nameof(destination)} has {destination.Length} pixels; a {width}x{height} image needs {(long)width * height}.", nameof(destination));
        Finite(xNm, nameof(xNm));
        Finite(yNm, nameof(yNm));
        Finite(zNm, nameof(zNm));
        Finite(photons, nameof(photons));
    }

    private static void SameLength(int length, int expected, string name)
    {
        if (length != expected)
            throw new ArgumentException($"{name} has {length} elements; it must match xNm ({expected}).", name);
    }

    private static void Finite(ReadOnlySpan<float> values, string name)
    {
        // x − x is 0 for every finite x and NaN otherwise: one vector pass, then a scalar search only on failure.
        if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<float>.Count)
        {
            Vector256<float> sum = Vector256<float>.Zero;
            ref float first = ref MemoryMarshal.GetReference(values);
            int i = 0;
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref first, (nuint)i);
                sum += v - v;
            }
            for (; i < values.Length; i++) sum += Vector256.Create(values[i] - values[i]);
            if (Vector256.EqualsAll(sum, Vector256<float>.Zero)) return;
        }
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new ArgumentException($"{name}[{i}] must be a finite number, got {values[i]}.", name);
    }

    /// <summary>The vector offsets for a canvas width (cached; rebuilt only when the width changes).</summary>
    private VectorOffsets Offsets(int canvasWidth)
    {
        VectorOffsets? cached = Volatile.Read(ref _offsets);
        if (cached is not null && cached.CanvasWidth == canvasWidth) return cached;
        int k = KernelSize;
        var upright = new int[_vectorCount];
        var flipped = new int[_vectorCount];
        for (int j = 0, v = 0; j < k; j++)
        {
            for (int i = 0; i < _rowSpan[j]; i += Lanes, v++)
            {
                upright[v] = j * canvasWidth + _rowStart[j] + i;
                flipped[v] = (k - 1 - j) * canvasWidth + _rowStart[j] + i;
            }
        }
        var built = new VectorOffsets(canvasWidth, upright, flipped);
        Volatile.Write(ref _offsets, built);
        return built;
    }

    /// <summary>Plane index and blend weight toward the next plane for a defocus (clamped to the range).</summary>
    private (int Plane, double Weight) PlaneOf(double defocusNm)
    {
        if (_planes.Length == 1) return (0, 0);
        double t = (Math.Clamp(defocusNm, _zMin, _zMax) - _zMin) * _inverseZStep;
        int plane = Math.Min((int)t, _planes.Length - 2);
        return (plane, Math.Min(t - plane, 1));
    }

    private KernelPlane Plane(int index)
    {
        KernelPlane? plane = Volatile.Read(ref _planes[index]);
        if (plane is not null) return plane;
        KernelPlane built = BuildPlane(index);
        return Interlocked.CompareExchange(ref _planes[index], built, null) ?? built;
    }

    /// <summary>
    /// The kernels of one plane for phase y in the upper half of the pixel (the lower half are the same kernels
    /// read bottom-up) and every phase x. Only phases with px ≤ py in the upper half are integrated; the rest are
    /// exact mirror images and transposes (phase centres (p + ½)/O are symmetric about the pixel centre).
    /// Each kernel is then quantised to 16 bits with its own scale (see the class remarks).
    /// </summary>
    private KernelPlane BuildPlane(int index)
    {
        int k = KernelSize, o = _oversampling, q = Options.QuadraturePoints;
        (double[] nodes, double[] weights) = Optics.Psf.PixelQuadrature(q, _pixel);
        // offsets[(phase·K + i)·Q + a]: distance from the emitter to node a of pixel offset i − half, nm.
        var offsets = new double[o * k * q];
        for (int phase = 0; phase < o; phase++)
            for (int i = 0; i < k; i++)
                for (int a = 0; a < q; a++)
                    offsets[(phase * k + i) * q + a] = (i - _half) * _pixel + nodes[a] - (phase + 0.5) / o * _pixel;

        int halfPhases = (o + 1) / 2;
        double radius2 = _radius * _radius;
        var bases = new double[halfPhases * halfPhases][];
        for (int by = 0; by < halfPhases; by++)
        {
            for (int bx = 0; bx <= by; bx++)
            {
                var kernel = new double[k * k];
                for (int j = 0; j < k; j++)
                {
                    for (int i = _rowStart[j]; i < _rowEnd[j]; i++)
                    {
                        double sum = 0;
                        for (int b = 0; b < q; b++)
                        {
                            double dy = offsets[(by * k + j) * q + b];
                            for (int a = 0; a < q; a++)
                            {
                                double dx = offsets[(bx * k + i) * q + a];
                                double r2 = dx * dx + dy * dy;
                                if (r2 <= radius2) sum += weights[a] * weights[b] * _table.EvaluatePlane(index, Math.Sqrt(r2));
                            }
                        }
                        kernel[j * k + i] = Math.Max(0, sum);
                    }
                }
                bases[by * halfPhases + bx] = kernel;
            }
        }

        int kernels = _storedPhasesY * o;
        var values = new ushort[kernels * _kernelLength];
        var scales = new float[kernels];
        var full = new double[k * k];
        for (int ty = 0; ty < _storedPhasesY; ty++)
        {
            for (int tx = 0; tx < o; tx++)
            {
                int sx = Math.Min(tx, o - 1 - tx);
                bool flipX = sx != tx, transpose = sx > ty;
                double[] source = bases[Math.Max(sx, ty) * halfPhases + Math.Min(sx, ty)];
                double peak = 0;
                for (int j = 0; j < k; j++)
                {
                    for (int i = 0; i < k; i++)
                    {
                        int ii = flipX ? k - 1 - i : i;
                        double value = transpose ? source[ii * k + j] : source[j * k + ii];
                        full[j * k + i] = value;
                        peak = Math.Max(peak, value);
                    }
                }
                int kernel = ty * o + tx;
                float scale = (float)(peak / ushort.MaxValue);
                scales[kernel] = scale;
                if (!(scale > 0)) continue;
                double inverse = 1 / (double)scale;
                Span<ushort> target = values.AsSpan(kernel * _kernelLength, _kernelLength);
                for (int j = 0; j < k; j++)
                    for (int i = _rowStart[j]; i < _rowEnd[j]; i++)
                        target[_rowOffset[j] + i - _rowStart[j]] = (ushort)Math.Min(ushort.MaxValue, Math.Round(full[j * k + i] * inverse));
            }
        }
        return new KernelPlane(values, scales);
    }

    /// <summary>Adds a · kernel vector v at destination + offset[v] for each of the <paramref name="vectors"/> vectors.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // own register allocation: inlined into Render, the loop spills
    private static void AddScaled(ref float destination, ref int offset, ref ushort kernel, float a, int vectors)
    {
        if (s_avx2)
        {
            AddScaledAvx2(ref destination, ref offset, ref kernel, a, vectors);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Vector128<float> va = Vector128.Create(a);
            for (int v = 0; v < vectors; v++)
            {
                ref float d = ref Unsafe.Add(ref destination, Unsafe.Add(ref offset, v));
                (Vector128<uint> lo, Vector128<uint> hi) = Vector128.Widen(Vector128.LoadUnsafe(ref kernel, (nuint)(v * Lanes)));
                (Vector128.LoadUnsafe(ref d) + Vector128.ConvertToSingle(lo.AsInt32()) * va).StoreUnsafe(ref d);
                (Vector128.LoadUnsafe(ref d, 4) + Vector128.ConvertToSingle(hi.AsInt32()) * va).StoreUnsafe(ref d, 4);
            }
        }
        else
        {
            for (int v = 0; v < vectors; v++)
            {
                ref float d = ref Unsafe.Add(ref destination, Unsafe.Add(ref offset, v));
                for (int i = 0; i < Lanes; i++) Unsafe.Add(ref d, i) += Unsafe.Add(ref kernel, v * Lanes + i) * a;
            }
        }
    }

    /// <summary>Adds a · kernel0 vector v + b · kernel1 vector v at destination + offset[v] for each vector.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddBlend(ref float destination, ref int offset, ref ushort kernel0, float a, ref ushort kernel1, float b, int vectors)
    {
        if (s_avx2)
        {
            AddBlendAvx2(ref destination, ref offset, ref kernel0, a, ref kernel1, b, vectors);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Vector128<float> va = Vector128.Create(a), vb = Vector128.Create(b);
            for (int v = 0; v < vectors; v++)
            {
                ref float d = ref Unsafe.Add(ref destination, Unsafe.Add(ref offset, v));
                (Vector128<uint> lo0, Vector128<uint> hi0) = Vector128.Widen(Vector128.LoadUnsafe(ref kernel0, (nuint)(v * Lanes)));
                (Vector128<uint> lo1, Vector128<uint> hi1) = Vector128.Widen(Vector128.LoadUnsafe(ref kernel1, (nuint)(v * Lanes)));
                (Vector128.LoadUnsafe(ref d) + Vector128.ConvertToSingle(lo0.AsInt32()) * va + Vector128.ConvertToSingle(lo1.AsInt32()) * vb).StoreUnsafe(ref d);
                (Vector128.LoadUnsafe(ref d, 4) + Vector128.ConvertToSingle(hi0.AsInt32()) * va + Vector128.ConvertToSingle(hi1.AsInt32()) * vb).StoreUnsafe(ref d, 4);
            }
        }
        else
        {
            for (int v = 0; v < vectors; v++)
            {
                ref float d = ref Unsafe.Add(ref destination, Unsafe.Add(ref offset, v));
                for (int i = 0; i < Lanes; i++)
                    Unsafe.Add(ref d, i) += Unsafe.Add(ref kernel0, v * Lanes + i) * a + Unsafe.Add(ref kernel1, v * Lanes + i) * b;
            }
        }
    }

    /// <summary><see cref="AddScaled"/> with AVX2 and FMA: pointer walk, two vectors per step.</summary>
    private static unsafe void AddScaledAvx2(ref float destination, ref int offset, ref ushort kernel, float a, int vectors)
    {
        Vector256<float> va = Vector256.Create(a);
        fixed (float* target = &destination)
        fixed (int* first = &offset)
        fixed (ushort* source = &kernel)
        {
            int* at = first, end = first + vectors;
            ushort* k = source;
            for (; at + 1 < end; at += 2, k += 2 * Lanes)
            {
                float* d0 = target + at[0], d1 = target + at[1];
                Vector256<float> x0 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(k));
                Vector256<float> x1 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(k + Lanes));
                Avx.Store(d0, Fma.MultiplyAdd(x0, va, Avx.LoadVector256(d0)));
                Avx.Store(d1, Fma.MultiplyAdd(x1, va, Avx.LoadVector256(d1)));
            }
            if (at < end)
            {
                float* d0 = target + at[0];
                Avx.Store(d0, Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(k)), va, Avx.LoadVector256(d0)));
            }
        }
    }

    /// <summary><see cref="AddBlend"/> with AVX2 and FMA: pointer walk, two vectors per step.</summary>
    private static unsafe void AddBlendAvx2(ref float destination, ref int offset, ref ushort kernel0, float a, ref ushort kernel1, float b, int vectors)
    {
        Vector256<float> va = Vector256.Create(a), vb = Vector256.Create(b);
        fixed (float* target = &destination)
        fixed (int* first = &offset)
        fixed (ushort* source0 = &kernel0)
        fixed (ushort* source1 = &kernel1)
        {
            int* at = first, end = first + vectors;
            ushort* k = source0;
            nint delta = (nint)(source1 - source0);
            for (; at + 1 < end; at += 2, k += 2 * Lanes)
            {
                float* d0 = target + at[0], d1 = target + at[1];
                Vector256<float> x0 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(k));
                Vector256<float> y0 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(k + delta));
                Vector256<float> x1 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(k + Lanes));
                Vector256<float> y1 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(k + delta + Lanes));
                Avx.Store(d0, Fma.MultiplyAdd(y0, vb, Fma.MultiplyAdd(x0, va, Avx.LoadVector256(d0))));
                Avx.Store(d1, Fma.MultiplyAdd(y1, vb, Fma.MultiplyAdd(x1, va, Avx.LoadVector256(d1))));
            }
            if (at < end)
            {
                float* d0 = target + at[0];
                Vector256<float> x0 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(k));
                Vector256<float> y0 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(k + delta));
                Avx.Store(d0, Fma.MultiplyAdd(y0, vb, Fma.MultiplyAdd(x0, va, Avx.LoadVector256(d0))));
            }
        }
    }
}
