using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
/// nearest planes linearly; rows are added with SIMD fused multiply–adds. No allocation once the planes it
/// needs exist. The naive twin <see cref="RenderDirect"/> integrates the PSF itself at the exact position.
/// </para>
/// </summary>
public sealed class EmitterRenderer
{
    private static readonly bool s_fusedMultiplyAdd = System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;

    private readonly RadialPsfTable _table;
    private readonly float[]?[] _planes;
    private readonly int[] _rowStart;
    private readonly int[] _rowEnd;
    private readonly double _pixel, _radius, _zMin, _zMax, _inverseZStep;
    private readonly int _half, _oversampling, _stride, _storedPhasesY;

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
        int lanes = Vector<float>.Count;
        _stride = (KernelSize + lanes - 1) / lanes * lanes;
        _storedPhasesY = (_oversampling + 1) / 2;
        _table = new RadialPsfTable(psf, _radius, options.ZRangeMinNm, options.ZRangeMaxNm, 0, options.KernelZStepNm);
        _zMin = options.ZRangeMinNm;
        _zMax = options.ZRangeMaxNm;
        _inverseZStep = _table.AxialCount > 1 ? 1 / _table.AxialStepNm : 0;
        _planes = new float[]?[_table.AxialCount];

        // Conservative non-zero extent of each kernel row: a point of pixel offset d is at least (|d| − 1)·p away.
        _rowStart = new int[KernelSize];
        _rowEnd = new int[KernelSize];
        for (int j = 0; j < KernelSize; j++)
        {
            double gap = Math.Max(0, Math.Abs(j - _half) - 1) * _pixel;
            double room = _radius * _radius - gap * gap;
            int reach = room < 0 ? -1 : Math.Min(_half, (int)Math.Floor(Math.Sqrt(room) / _pixel) + 1);
            _rowStart[j] = _half - reach;
            _rowEnd[j] = _half + reach + 1;
        }
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
        int k = KernelSize, o = _oversampling, kernelLength = k * _stride;
        double inversePixel = 1 / _pixel;
        ref float image = ref MemoryMarshal.GetReference(destination);
        for (int e = 0; e < xNm.Length; e++)
        {
            float count = photons[e];
            if (!(count > 0)) continue;
            double xs = xNm[e] * inversePixel, ys = yNm[e] * inversePixel;
            double fx = Math.Floor(xs), fy = Math.Floor(ys);
            if (fx + _half < 0 || fx - _half >= width || fy + _half < 0 || fy - _half >= height) continue;
            int x0 = (int)fx - _half, y0 = (int)fy - _half;
            int phaseX = Math.Min((int)((xs - fx) * o), o - 1), phaseY = Math.Min((int)((ys - fy) * o), o - 1);
            (int plane, double w) = PlaneOf(zNm[e] - focalPlaneZNm);
            float a = (float)(count * (1 - w)), b = (float)(count * w);
            // Phases in the lower half of the pixel are the upper-half kernels read bottom-up (exact mirror in y).
            bool flipY = phaseY >= _storedPhasesY;
            int offset = ((flipY ? o - 1 - phaseY : phaseY) * o + phaseX) * kernelLength;
            ref float k0 = ref MemoryMarshal.GetArrayDataReference(Plane(plane));
            ref float k1 = ref (w > 0 ? ref MemoryMarshal.GetArrayDataReference(Plane(plane + 1)) : ref k0);
            int rowLo = Math.Max(0, -y0), rowHi = Math.Min(k, height - y0);
            int colLo = Math.Max(0, -x0), colHi = Math.Min(k, width - x0), imageRoom = width - x0;
            for (int j = rowLo; j < rowHi; j++)
            {
                int s = Math.Max(_rowStart[j], colLo), end = Math.Min(_rowEnd[j], colHi);
                if (end <= s) continue;
                // Run whole vectors past the row's extent where the image allows: kernel entries there are 0.
                int n = end - s, padded = (n + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;
                if (s + padded <= _stride && s + padded <= imageRoom) n = padded;
                int src = offset + (flipY ? k - 1 - j : j) * _stride + s;
                ref float dst = ref Unsafe.Add(ref image, (y0 + j) * width + x0 + s);
                if (w > 0) AddBlend(ref dst, ref Unsafe.Add(ref k0, src), a, ref Unsafe.Add(ref k1, src), b, n);
                else AddScaled(ref dst, ref Unsafe.Add(ref k0, src), a, n);
            }
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
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new ArgumentException($"{name}[{i}] must be a finite number, got {values[i]}.", name);
    }

    /// <summary>Plane index and blend weight toward the next plane for a defocus (clamped to the range).</summary>
    private (int Plane, double Weight) PlaneOf(double defocusNm)
    {
        if (_planes.Length == 1) return (0, 0);
        double t = (Math.Clamp(defocusNm, _zMin, _zMax) - _zMin) * _inverseZStep;
        int plane = Math.Min((int)t, _planes.Length - 2);
        return (plane, Math.Min(t - plane, 1));
    }

    private float[] Plane(int index)
    {
        float[]? plane = Volatile.Read(ref _planes[index]);
        if (plane is not null) return plane;
        float[] built = BuildPlane(index);
        return Interlocked.CompareExchange(ref _planes[index], built, null) ?? built;
    }

    /// <summary>
    /// The kernels of one plane for phase y in the upper half of the pixel (the lower half are the same kernels
    /// read bottom-up) and every phase x. Only phases with px ≤ py in the upper half are integrated; the rest are
    /// exact mirror images and transposes (phase centres (p + ½)/O are symmetric about the pixel centre).
    /// </summary>
    private float[] BuildPlane(int index)
    {
        int k = KernelSize, o = _oversampling, q = Options.QuadraturePoints, kernelLength = k * _stride;
        (double[] nodes, double[] weights) = Optics.Psf.PixelQuadrature(q, _pixel);
        // offsets[(phase·K + i)·Q + a]: distance from the emitter to node a of pixel offset i − half, nm.
        var offsets = new double[o * k * q];
        for (int phase = 0; phase < o; phase++)
            for (int i = 0; i < k; i++)
                for (int a = 0; a < q; a++)
                    offsets[(phase * k + i) * q + a] = (i - _half) * _pixel + nodes[a] - (phase + 0.5) / o * _pixel;

        int halfPhases = (o + 1) / 2;
        double radius2 = _radius * _radius;
        var bases = new float[halfPhases * halfPhases][];
        for (int by = 0; by < halfPhases; by++)
        {
            for (int bx = 0; bx <= by; bx++)
            {
                var kernel = new float[k * k];
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
                        kernel[j * k + i] = (float)sum;
                    }
                }
                bases[by * halfPhases + bx] = kernel;
            }
        }

        var plane = new float[_storedPhasesY * o * kernelLength];
        for (int ty = 0; ty < _storedPhasesY; ty++)
        {
            for (int tx = 0; tx < o; tx++)
            {
                int sx = Math.Min(tx, o - 1 - tx);
                bool flipX = sx != tx, transpose = sx > ty;
                float[] source = bases[Math.Max(sx, ty) * halfPhases + Math.Min(sx, ty)];
                Span<float> target = plane.AsSpan((ty * o + tx) * kernelLength, kernelLength);
                for (int j = 0; j < k; j++)
                {
                    for (int i = 0; i < k; i++)
                    {
                        int ii = flipX ? k - 1 - i : i;
                        target[j * _stride + i] = transpose ? source[ii * k + j] : source[j * k + ii];
                    }
                }
            }
        }
        return plane;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaled(ref float destination, ref float kernel, float a, int n)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<float>(a);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector<float> d = Vector.LoadUnsafe(ref destination, (nuint)i);
                Vector<float> k0 = Vector.LoadUnsafe(ref kernel, (nuint)i);
                d = s_fusedMultiplyAdd ? Vector.FusedMultiplyAdd(k0, va, d) : d + k0 * va;
                d.StoreUnsafe(ref destination, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref destination, i) += Unsafe.Add(ref kernel, i) * a;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddBlend(ref float destination, ref float kernel0, float a, ref float kernel1, float b, int n)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<float>(a);
            var vb = new Vector<float>(b);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector<float> d = Vector.LoadUnsafe(ref destination, (nuint)i);
                Vector<float> k0 = Vector.LoadUnsafe(ref kernel0, (nuint)i);
                Vector<float> k1 = Vector.LoadUnsafe(ref kernel1, (nuint)i);
                d = s_fusedMultiplyAdd ? Vector.FusedMultiplyAdd(k1, vb, Vector.FusedMultiplyAdd(k0, va, d)) : d + k0 * va + k1 * vb;
                d.StoreUnsafe(ref destination, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref destination, i) += Unsafe.Add(ref kernel0, i) * a + Unsafe.Add(ref kernel1, i) * b;
    }
}
