namespace SimSeg.Simulation.Optics;

/// <summary>Which point spread function model the optics stage uses.</summary>
public enum PsfModel
{
    /// <summary>Scalar Gibson–Lanni model with immersion, coverslip and sample layers (Gibson &amp; Lanni 1991).</summary>
    GibsonLanni,

    /// <summary>Scalar Born–Wolf model: matched layers, defocus phase only.</summary>
    BornWolf,

    /// <summary>3D Gaussian approximation of the widefield PSF (Zhang, Zerubia &amp; Olivo-Marin, Appl. Opt. 2007).</summary>
    Gaussian,

    /// <summary>Confocal PSF: excitation PSF times detection PSF (see <see cref="ConfocalDetection"/>).</summary>
    Confocal,
}

/// <summary>How a confocal PSF combines excitation and detection.</summary>
public enum ConfocalDetection
{
    /// <summary>
    /// PSF_ex · PSF_em with both at the emission wavelength, i.e. the widefield PSF squared. This is what
    /// PhySeg's public code uses to simulate its "Airyscan" microscope.
    /// </summary>
    Squared,

    /// <summary>
    /// PSF_ex(λ_ex) · (PSF_em(λ_em) convolved with a disc pinhole of <see cref="OpticsOptions.PinholeAiryUnits"/>
    /// Airy units, back-projected into the sample).
    /// </summary>
    Pinhole,
}

/// <summary>
/// Optical parameters of the microscope, in the notation of Gibson &amp; Lanni (1991) and Li, Xue &amp; Blu
/// (JOSA A 34(6), 2017). The defaults are the values of PhySeg (Sekh et al., Nat. Mach. Intell. 2021): NA 1.4,
/// n_i = n_i0 = n_g = n_g0 = 1.515, n_s = 1.33, t_i0 = 150 µm, t_g = t_g0 = 170 µm, magnification 100,
/// emission 600 nm, excitation 488 nm, particle depth 0 nm. "Design" values are those the objective is
/// corrected for; the others are the actual experimental values. Change fields with <c>with</c>, then call
/// <see cref="Validate"/> (the PSF factories call it for you).
/// </summary>
public sealed record OpticsOptions
{
    /// <summary>PSF model used by <see cref="Psf.Create"/>.</summary>
    public PsfModel Model { get; init; } = PsfModel.GibsonLanni;

    /// <summary>Numerical aperture of the objective; must be below every immersion and coverslip index.</summary>
    public double NumericalAperture { get; init; } = 1.4;

    /// <summary>Emission (detection) wavelength in vacuum, nm.</summary>
    public double EmissionWavelengthNm { get; init; } = 600;

    /// <summary>Excitation wavelength in vacuum, nm (used by the confocal pinhole model only).</summary>
    public double ExcitationWavelengthNm { get; init; } = 488;

    /// <summary>Actual refractive index of the immersion medium, n_i.</summary>
    public double ImmersionIndex { get; init; } = 1.515;

    /// <summary>Design refractive index of the immersion medium, n_i0.</summary>
    public double ImmersionIndexDesign { get; init; } = 1.515;

    /// <summary>Actual refractive index of the coverslip, n_g.</summary>
    public double CoverslipIndex { get; init; } = 1.515;

    /// <summary>Design refractive index of the coverslip, n_g0.</summary>
    public double CoverslipIndexDesign { get; init; } = 1.515;

    /// <summary>Refractive index of the sample, n_s (may be below the NA: supercritical rays become evanescent).</summary>
    public double SampleIndex { get; init; } = 1.33;

    /// <summary>Design working distance (immersion layer thickness), t_i0, µm.</summary>
    public double WorkingDistanceDesignUm { get; init; } = 150;

    /// <summary>Actual coverslip thickness, t_g, µm.</summary>
    public double CoverslipThicknessUm { get; init; } = 170;

    /// <summary>Design coverslip thickness, t_g0, µm.</summary>
    public double CoverslipThicknessDesignUm { get; init; } = 170;

    /// <summary>
    /// Lateral magnification. The PSFs work in sample-space nm, so this is not used by the PSF itself; it
    /// converts a camera pixel pitch to a sample pixel size for callers.
    /// </summary>
    public double Magnification { get; init; } = 100;

    /// <summary>
    /// Depth of the emitter below the coverslip/sample interface, nm (z_p in Gibson–Lanni). With
    /// n_s ≠ n_i this makes the PSF asymmetric in z and shifts its best focus.
    /// </summary>
    public double ParticleDepthNm { get; init; }

    /// <summary>How a confocal PSF combines excitation and detection.</summary>
    public ConfocalDetection ConfocalDetection { get; init; } = ConfocalDetection.Squared;

    /// <summary>
    /// Pinhole diameter in Airy units (1 AU = 1.22 λ_em / NA in the sample) for <see cref="ConfocalDetection.Pinhole"/>;
    /// 0 is a point pinhole.
    /// </summary>
    public double PinholeAiryUnits { get; init; } = 1;

    /// <summary>
    /// Checks every field. Throws <see cref="ArgumentException"/> (or its subclass
    /// <see cref="ArgumentOutOfRangeException"/>) whose parameter name is the property, with the value and the
    /// accepted range in the message.
    /// </summary>
    public OpticsOptions Validate()
    {
        if (!Enum.IsDefined(Model))
            throw new ArgumentOutOfRangeException(nameof(Model), Model, $"{nameof(Model)} must be one of {string.Join(", ", Enum.GetNames<PsfModel>())}, got {Model}.");
        if (!Enum.IsDefined(ConfocalDetection))
            throw new ArgumentOutOfRangeException(nameof(ConfocalDetection), ConfocalDetection, $"{nameof(ConfocalDetection)} must be one of {string.Join(", ", Enum.GetNames<ConfocalDetection>())}, got {ConfocalDetection}.");
        Positive(EmissionWavelengthNm, nameof(EmissionWavelengthNm));
        Positive(ExcitationWavelengthNm, nameof(ExcitationWavelengthNm));
        Index(ImmersionIndex, nameof(ImmersionIndex));
        Index(ImmersionIndexDesign, nameof(ImmersionIndexDesign));
        Index(CoverslipIndex, nameof(CoverslipIndex));
        Index(CoverslipIndexDesign, nameof(CoverslipIndexDesign));
        Index(SampleIndex, nameof(SampleIndex));
        double limit = Math.Min(Math.Min(ImmersionIndex, ImmersionIndexDesign), Math.Min(CoverslipIndex, CoverslipIndexDesign));
        if (!(NumericalAperture > 0 && NumericalAperture < limit))
            throw new ArgumentOutOfRangeException(nameof(NumericalAperture), NumericalAperture,
                $"{nameof(NumericalAperture)} must be > 0 and below the immersion and coverslip indices (n_i, n_i0, n_g, n_g0; here < {limit}), got {NumericalAperture}.");
        NonNegative(WorkingDistanceDesignUm, nameof(WorkingDistanceDesignUm));
        NonNegative(CoverslipThicknessUm, nameof(CoverslipThicknessUm));
        NonNegative(CoverslipThicknessDesignUm, nameof(CoverslipThicknessDesignUm));
        Positive(Magnification, nameof(Magnification));
        NonNegative(ParticleDepthNm, nameof(ParticleDepthNm));
        if (!(PinholeAiryUnits >= 0 && PinholeAiryUnits <= 20))
            throw new ArgumentOutOfRangeException(nameof(PinholeAiryUnits), PinholeAiryUnits, $"{nameof(PinholeAiryUnits)} must be between 0 and 20, got {PinholeAiryUnits}.");
        return this;
    }

    private static void Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0, got {value}.");
    }

    private static void NonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number >= 0, got {value}.");
    }

    private static void Index(double value, string name)
    {
        if (!(value >= 1) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite refractive index >= 1, got {value}.");
    }
}
