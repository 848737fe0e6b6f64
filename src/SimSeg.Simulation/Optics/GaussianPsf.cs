namespace SimSeg.Simulation.Optics;

/// <summary>
/// 3D Gaussian approximation of the widefield PSF (Zhang, Zerubia &amp; Olivo-Marin, "Gaussian approximations of
/// fluorescence microscope point-spread function models", Appl. Opt. 46(10), 2007):
/// PSF(r, z) = exp(−r²/(2σ_xy²)) / (2πσ_xy²) · exp(−z²/(2σ_z²)). The in-focus plane integrates to exactly 1; as
/// a separable 3D Gaussian, defocused planes carry less energy (unlike the physical widefield PSF).
/// </summary>
public sealed class GaussianPsf : IPointSpreadFunction, IRadialProfileSource
{
    private readonly double _lateral, _axial, _peak;

    /// <summary>A Gaussian PSF with the given standard deviations (nm, &gt; 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A sigma is not a finite positive number.</exception>
    public GaussianPsf(double sigmaLateralNm, double sigmaAxialNm)
    {
        SimSeg.Core.Guard.Positive(sigmaLateralNm);
        SimSeg.Core.Guard.Positive(sigmaAxialNm);
        SigmaLateralNm = sigmaLateralNm;
        SigmaAxialNm = sigmaAxialNm;
        _lateral = -0.5 / (sigmaLateralNm * sigmaLateralNm);
        _axial = -0.5 / (sigmaAxialNm * sigmaAxialNm);
        _peak = 1.0 / (2 * Math.PI * sigmaLateralNm * sigmaLateralNm);
    }

    /// <summary>
    /// The widefield widths of Zhang et al. (2007): σ_xy = 0.21 λ_em/NA, σ_z = 0.66 λ_em·n_i/NA².
    /// </summary>
    public static GaussianPsf FromOptics(OpticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        double lambda = options.EmissionWavelengthNm, na = options.NumericalAperture;
        return new GaussianPsf(0.21 * lambda / na, 0.66 * lambda * options.ImmersionIndex / (na * na));
    }

    /// <summary>Lateral standard deviation σ_xy, nm.</summary>
    public double SigmaLateralNm { get; }

    /// <summary>Axial standard deviation σ_z, nm.</summary>
    public double SigmaAxialNm { get; }

    /// <inheritdoc />
    public double Evaluate(double rNm, double zNm) => _peak * Math.Exp(_lateral * rNm * rNm + _axial * zNm * zNm);

    double IRadialProfileSource.ResolutionNm => SigmaLateralNm / 0.21;

    void IRadialProfileSource.EvaluateProfiles(ReadOnlySpan<double> rNm, ReadOnlySpan<double> zNm, Span<double> destination)
    {
        for (int iz = 0; iz < zNm.Length; iz++)
            for (int i = 0; i < rNm.Length; i++)
                destination[iz * rNm.Length + i] = Evaluate(rNm[i], zNm[iz]);
    }
}
