namespace SimSeg.Simulation.Optics;

/// <summary>
/// Scalar Born–Wolf PSF (Born &amp; Wolf, Principles of Optics, §8.8): the pupil integral with index-matched
/// layers and only the exact (non-paraxial) defocus phase,
/// PSF(r, z) ∝ |∫₀¹ J0(k·NA·r·ρ) exp(i·k·z·√(n_i² − NA²ρ²)) ρ dρ|². Symmetric in z; in focus it is the Airy
/// pattern. Normalised exactly (Parseval) so the in-focus plane integrates to 1 per nm².
/// </summary>
public sealed class BornWolfPsf : IPointSpreadFunction, IRadialProfileSource
{
    private readonly PupilIntegral _integral;

    /// <summary>A Born–Wolf PSF.</summary>
    /// <param name="wavelengthNm">Vacuum wavelength, nm (&gt; 0).</param>
    /// <param name="numericalAperture">NA, in (0, <paramref name="immersionIndex"/>).</param>
    /// <param name="immersionIndex">Refractive index of the (matched) immersion medium, ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public BornWolfPsf(double wavelengthNm = 600, double numericalAperture = 1.4, double immersionIndex = 1.515)
    {
        SimSeg.Core.Guard.Positive(wavelengthNm);
        if (!(immersionIndex >= 1) || double.IsInfinity(immersionIndex))
            throw new ArgumentOutOfRangeException(nameof(immersionIndex), immersionIndex, $"{nameof(immersionIndex)} must be a finite refractive index >= 1, got {immersionIndex}.");
        if (!(numericalAperture > 0 && numericalAperture < immersionIndex))
            throw new ArgumentOutOfRangeException(nameof(numericalAperture), numericalAperture, $"{nameof(numericalAperture)} must be > 0 and < {nameof(immersionIndex)} ({immersionIndex}), got {numericalAperture}.");
        WavelengthNm = wavelengthNm;
        NumericalAperture = numericalAperture;
        ImmersionIndex = immersionIndex;
        double na = numericalAperture, n = immersionIndex;
        _integral = new PupilIntegral(wavelengthNm, na, (rho, z) => (1.0, z * Math.Sqrt(n * n - na * na * rho * rho)));
    }

    /// <summary>Vacuum wavelength, nm.</summary>
    public double WavelengthNm { get; }

    /// <summary>Numerical aperture.</summary>
    public double NumericalAperture { get; }

    /// <summary>Immersion refractive index.</summary>
    public double ImmersionIndex { get; }

    /// <inheritdoc />
    public double Evaluate(double rNm, double zNm) => _integral.Evaluate(rNm, zNm);

    double IRadialProfileSource.ResolutionNm => _integral.ResolutionNm;

    void IRadialProfileSource.EvaluateProfiles(ReadOnlySpan<double> rNm, ReadOnlySpan<double> zNm, Span<double> destination) =>
        _integral.EvaluateProfiles(rNm, zNm, destination);
}
