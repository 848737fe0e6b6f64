using SimSeg.Core;

namespace SimSeg.Simulation.Optics;

/// <summary>
/// A PSF sampled on a regular (r, z) grid and interpolated bilinearly: the fast path for rendering. The grid
/// spans r ∈ [0, <see cref="MaxRadiusNm"/>] and z ∈ [<see cref="ZMinNm"/>, <see cref="ZMaxNm"/>], with steps
/// shrunk slightly so the end points are nodes. Beyond <see cref="MaxRadiusNm"/> the table returns 0 (the tail is
/// truncated); z outside the range is clamped to the nearest plane. Immutable and thread-safe once built.
/// </summary>
public sealed class RadialPsfTable : IPointSpreadFunction
{
    private readonly double[] _values; // [iz * RadialCount + ir]
    private readonly double _inverseRadialStep;
    private readonly double _inverseAxialStep;

    /// <summary>Samples <paramref name="psf"/> on the grid.</summary>
    /// <param name="psf">The PSF to tabulate.</param>
    /// <param name="maxRadiusNm">Largest tabulated r, nm (&gt; 0).</param>
    /// <param name="zMinNm">First plane, nm.</param>
    /// <param name="zMaxNm">Last plane, nm (≥ <paramref name="zMinNm"/>; equal for a single plane).</param>
    /// <param name="radialStepNm">r step, nm; 0 picks λ/(40·NA) for the built-in models and 5 nm otherwise.</param>
    /// <param name="axialStepNm">Largest z step, nm (&gt; 0); default 20 nm.</param>
    /// <exception cref="ArgumentException">An argument is out of range.</exception>
    public RadialPsfTable(IPointSpreadFunction psf, double maxRadiusNm, double zMinNm, double zMaxNm, double radialStepNm = 0, double axialStepNm = 20)
    {
        ArgumentNullException.ThrowIfNull(psf);
        Guard.Positive(maxRadiusNm);
        Guard.OrderedRange(zMinNm, zMaxNm, nameof(zMinNm));
        Guard.NonNegative(radialStepNm);
        Guard.Positive(axialStepNm);
        var source = psf as IRadialProfileSource;
        if (radialStepNm == 0) radialStepNm = source is null ? 5 : source.ResolutionNm / 40;

        RadialCount = (int)Math.Ceiling(maxRadiusNm / radialStepNm - 1e-9) + 1;
        AxialCount = zMaxNm > zMinNm ? (int)Math.Ceiling((zMaxNm - zMinNm) / axialStepNm - 1e-9) + 1 : 1;
        MaxRadiusNm = maxRadiusNm;
        ZMinNm = zMinNm;
        ZMaxNm = zMaxNm;
        RadialStepNm = maxRadiusNm / (RadialCount - 1);
        AxialStepNm = AxialCount > 1 ? (zMaxNm - zMinNm) / (AxialCount - 1) : 0;
        _inverseRadialStep = 1 / RadialStepNm;
        _inverseAxialStep = AxialCount > 1 ? 1 / AxialStepNm : 0;

        var r = new double[RadialCount];
        for (int i = 0; i < r.Length; i++) r[i] = i * RadialStepNm;
        var z = new double[AxialCount];
        for (int i = 0; i < z.Length; i++) z[i] = PlaneZ(i);
        _values = new double[RadialCount * AxialCount];
        if (source is not null)
        {
            source.EvaluateProfiles(r, z, _values);
        }
        else
        {
            for (int iz = 0; iz < z.Length; iz++)
                for (int ir = 0; ir < r.Length; ir++)
                    _values[iz * RadialCount + ir] = psf.Evaluate(r[ir], z[iz]);
        }
    }

    /// <summary>Largest tabulated radius, nm.</summary>
    public double MaxRadiusNm { get; }

    /// <summary>First plane, nm.</summary>
    public double ZMinNm { get; }

    /// <summary>Last plane, nm.</summary>
    public double ZMaxNm { get; }

    /// <summary>Actual r step, nm.</summary>
    public double RadialStepNm { get; }

    /// <summary>Actual z step, nm (0 for a single plane).</summary>
    public double AxialStepNm { get; }

    /// <summary>Radial samples per plane.</summary>
    public int RadialCount { get; }

    /// <summary>Number of planes.</summary>
    public int AxialCount { get; }

    /// <summary>Defocus of plane <paramref name="index"/>, nm.</summary>
    public double PlaneZ(int index) => index == AxialCount - 1 ? ZMaxNm : ZMinNm + index * AxialStepNm;

    /// <inheritdoc />
    /// <remarks>Bilinear in (r, z); 0 beyond <see cref="MaxRadiusNm"/>; z clamped to the tabulated range.</remarks>
    public double Evaluate(double rNm, double zNm)
    {
        if (AxialCount == 1) return EvaluatePlane(0, rNm);
        double t = (Math.Clamp(zNm, ZMinNm, ZMaxNm) - ZMinNm) * _inverseAxialStep;
        int iz = Math.Min((int)t, AxialCount - 2);
        double w = t - iz;
        return EvaluatePlane(iz, rNm) * (1 - w) + EvaluatePlane(iz + 1, rNm) * w;
    }

    /// <summary>PSF on plane <paramref name="index"/> at radius <paramref name="rNm"/>, linear in r; 0 beyond the table.</summary>
    internal double EvaluatePlane(int index, double rNm)
    {
        double t = Math.Abs(rNm) * _inverseRadialStep;
        if (!(t < RadialCount - 1)) return t <= RadialCount - 1 + 1e-9 ? _values[index * RadialCount + RadialCount - 1] : 0;
        int i = (int)t;
        double w = t - i;
        int o = index * RadialCount + i;
        return _values[o] * (1 - w) + _values[o + 1] * w;
    }
}
