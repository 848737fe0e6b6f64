namespace SimSeg.Simulation.Optics;

/// <summary>
/// Scalar Gibson–Lanni PSF (Gibson &amp; Lanni, JOSA A 8(10), 1991; evaluated as in Li, Xue &amp; Blu, JOSA A 34(6),
/// 2017): PSF(r, z) ∝ |∫₀¹ J0(k·NA·r·ρ) exp(i·k·OPD(ρ)) ρ dρ|² with the optical path difference of the three
/// layers,
/// OPD = z_p·√(n_s² − NA²ρ²) + t_i·√(n_i² − NA²ρ²) − t_i0·√(n_i0² − NA²ρ²) + t_g·√(n_g² − NA²ρ²) − t_g0·√(n_g0² − NA²ρ²),
/// where z_p is <see cref="OpticsOptions.ParticleDepthNm"/> and the actual immersion thickness is
/// t_i = t_i0 + z − z_p: z = 0 is the nominal focus on the emitter (the stage position that would focus on it in
/// index-matched media), positive z means the emitter lies deeper than the focal plane. With n_s ≠ n_i the true
/// best focus shifts away from z = 0 (the focal shift of refractive-index mismatch). Rays with NA·ρ &gt; n_s are
/// evanescent in the sample: their amplitude is exp(−k·z_p·√(NA²ρ² − n_s²)). Normalised exactly (Parseval) so
/// the in-focus plane integrates to 1 per nm².
/// </summary>
public sealed class GibsonLanniPsf : IPointSpreadFunction, IRadialProfileSource
{
    private readonly PupilIntegral _integral;

    /// <summary>A Gibson–Lanni PSF at the emission wavelength of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range (see <see cref="OpticsOptions.Validate"/>).</exception>
    public GibsonLanniPsf(OpticsOptions options)
        : this(options, (options ?? throw new ArgumentNullException(nameof(options))).EmissionWavelengthNm)
    {
    }

    internal GibsonLanniPsf(OpticsOptions options, double wavelengthNm)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validate();
        WavelengthNm = wavelengthNm;
        double na = options.NumericalAperture, ns = options.SampleIndex, ni = options.ImmersionIndex, ni0 = options.ImmersionIndexDesign;
        double ng = options.CoverslipIndex, ng0 = options.CoverslipIndexDesign, zp = options.ParticleDepthNm;
        double ti0 = options.WorkingDistanceDesignUm * 1000, tg = options.CoverslipThicknessUm * 1000, tg0 = options.CoverslipThicknessDesignUm * 1000;
        double k = 2 * Math.PI / wavelengthNm;
        double branch = zp > 0 && ns < na ? ns / na : double.NaN;

        _integral = new PupilIntegral(wavelengthNm, na, (rho, z) =>
        {
            double s2 = na * na * rho * rho;
            double amplitude = 1, opd = 0;
            double sample = ns * ns - s2;
            if (sample >= 0) opd += zp * Math.Sqrt(sample);
            else amplitude = Math.Exp(-k * zp * Math.Sqrt(-sample));
            double ti = ti0 + z - zp;
            opd += ti * Math.Sqrt(ni * ni - s2) - ti0 * Math.Sqrt(ni0 * ni0 - s2);
            opd += tg * Math.Sqrt(ng * ng - s2) - tg0 * Math.Sqrt(ng0 * ng0 - s2);
            return (amplitude, opd);
        }, branch, zSpanNm: 3000 + zp);
    }

    /// <summary>The (validated) options this PSF was built from.</summary>
    public OpticsOptions Options { get; }

    /// <summary>Vacuum wavelength used, nm.</summary>
    public double WavelengthNm { get; }

    /// <inheritdoc />
    public double Evaluate(double rNm, double zNm) => _integral.Evaluate(rNm, zNm);

    double IRadialProfileSource.ResolutionNm => _integral.ResolutionNm;

    void IRadialProfileSource.EvaluateProfiles(ReadOnlySpan<double> rNm, ReadOnlySpan<double> zNm, Span<double> destination) =>
        _integral.EvaluateProfiles(rNm, zNm, destination);
}
