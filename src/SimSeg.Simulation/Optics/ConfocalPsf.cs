namespace SimSeg.Simulation.Optics;

/// <summary>
/// Confocal PSF from two Gibson–Lanni PSFs, renormalised so that the in-focus plane integrates to 1.
/// <list type="bullet">
/// <item><see cref="ConfocalDetection.Squared"/>: PSF_em(r, z)², both factors at the emission wavelength
/// (PhySeg's "Airyscan" approximation).</item>
/// <item><see cref="ConfocalDetection.Pinhole"/>: PSF_ex(r, z; λ_ex) · (PSF_em(·, z; λ_em) ⊛ D)(r), where D is a
/// uniform disc of radius 0.61·AU·λ_em/NA (the pinhole back-projected into the sample, AU =
/// <see cref="OpticsOptions.PinholeAiryUnits"/>). The convolution of a radial profile with a disc is
/// (f ⊛ D)(r) = 1/(πR²) ∫ f(r') 2α(r, r') r' dr', with α the half-angle of the arc of radius r' inside the disc;
/// it is integrated with the trapezoid rule on a radial grid of step λ_em/(64·NA). Single evaluations interpolate
/// that grid linearly (a per-thread cache per z); profile evaluations compute it at the requested radii.</item>
/// </list>
/// The normalising integral ∫₀^∞ 2πr PSF(r, 0) dr is taken numerically out to 32 λ_em/NA, where the product of two
/// PSFs (decaying as r⁻⁶) leaves a negligible tail.
/// </summary>
public sealed class ConfocalPsf : IPointSpreadFunction, IRadialProfileSource
{
    [ThreadStatic] private static ConvolvedCache? t_cache;

    private readonly GibsonLanniPsf _excitation;
    private readonly GibsonLanniPsf _emission;
    private readonly IRadialProfileSource _emissionProfiles;
    private readonly IRadialProfileSource _excitationProfiles;
    private readonly double _gridStep;
    private readonly double _normalisation;

    /// <summary>A confocal PSF from <paramref name="options"/> (see the class remarks).</summary>
    /// <exception cref="ArgumentException">An option is out of range (see <see cref="OpticsOptions.Validate"/>).</exception>
    public ConfocalPsf(OpticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validate();
        _emission = new GibsonLanniPsf(options);
        _excitation = options.ConfocalDetection == ConfocalDetection.Squared
            ? _emission
            : new GibsonLanniPsf(options, options.ExcitationWavelengthNm);
        _emissionProfiles = _emission;
        _excitationProfiles = _excitation;
        ResolutionNm = options.EmissionWavelengthNm / options.NumericalAperture;
        PinholeRadiusNm = options.ConfocalDetection == ConfocalDetection.Pinhole ? 0.61 * options.PinholeAiryUnits * ResolutionNm : 0;
        _gridStep = ResolutionNm / 64;
        _normalisation = 1;

        int count = 32 * 64 + 1;
        var r = new double[count];
        for (int i = 0; i < count; i++) r[i] = i * _gridStep;
        var values = new double[count];
        EvaluateProfiles(r, [0.0], values);
        double integral = 0;
        for (int i = 1; i < count; i++) integral += (i == count - 1 ? 0.5 : 1.0) * 2 * Math.PI * r[i] * values[i];
        _normalisation = 1 / (integral * _gridStep);
    }

    /// <summary>The (validated) options this PSF was built from.</summary>
    public OpticsOptions Options { get; }

    /// <summary>Pinhole radius back-projected into the sample, nm (0 for a point pinhole or the squared model).</summary>
    public double PinholeRadiusNm { get; }

    /// <summary>λ_em/NA, nm.</summary>
    public double ResolutionNm { get; }

    /// <inheritdoc />
    public double Evaluate(double rNm, double zNm)
    {
        double excitation = _excitation.Evaluate(rNm, zNm);
        double detection;
        if (PinholeRadiusNm == 0)
        {
            detection = ReferenceEquals(_excitation, _emission) ? excitation : _emission.Evaluate(rNm, zNm);
        }
        else
        {
            ConvolvedCache cache = Convolved(zNm, rNm);
            double t = rNm / _gridStep;
            int i = (int)t;
            double w = t - i;
            detection = cache.Values[i] * (1 - w) + cache.Values[i + 1] * w;
        }
        return excitation * detection * _normalisation;
    }

    /// <inheritdoc cref="IRadialProfileSource.EvaluateProfiles"/>
    void IRadialProfileSource.EvaluateProfiles(ReadOnlySpan<double> rNm, ReadOnlySpan<double> zNm, Span<double> destination) =>
        EvaluateProfiles(rNm, zNm, destination);

    private void EvaluateProfiles(ReadOnlySpan<double> rNm, ReadOnlySpan<double> zNm, Span<double> destination)
    {
        _excitationProfiles.EvaluateProfiles(rNm, zNm, destination);
        int nr = rNm.Length;
        if (PinholeRadiusNm == 0)
        {
            if (ReferenceEquals(_excitation, _emission))
            {
                for (int i = 0; i < nr * zNm.Length; i++) destination[i] *= destination[i] * _normalisation;
            }
            else
            {
                var detection = new double[nr * zNm.Length];
                _emissionProfiles.EvaluateProfiles(rNm, zNm, detection);
                for (int i = 0; i < detection.Length; i++) destination[i] *= detection[i] * _normalisation;
            }
            return;
        }
        double rMax = 0;
        foreach (double r in rNm) rMax = Math.Max(rMax, r);
        double[] grid = Grid(rMax + PinholeRadiusNm);
        var emission = new double[grid.Length];
        for (int iz = 0; iz < zNm.Length; iz++)
        {
            _emissionProfiles.EvaluateProfiles(grid, zNm.Slice(iz, 1), emission);
            for (int i = 0; i < nr; i++)
                destination[iz * nr + i] *= ConvolveWithDisc(emission, rNm[i]) * _normalisation;
        }
    }

    private double[] Grid(double radius)
    {
        int count = (int)Math.Ceiling(radius / _gridStep) + 2;
        var grid = new double[count];
        for (int i = 0; i < count; i++) grid[i] = i * _gridStep;
        return grid;
    }

    /// <summary>(f ⊛ D)(r) for f sampled at m·h, trapezoid rule over r' ∈ [max(0, r − R), r + R].</summary>
    private double ConvolveWithDisc(ReadOnlySpan<double> f, double r)
    {
        double radius = PinholeRadiusNm, h = _gridStep;
        int lo = Math.Max(0, (int)Math.Floor((r - radius) / h));
        int hi = Math.Min(f.Length - 1, (int)Math.Ceiling((r + radius) / h));
        double sum = 0;
        for (int m = lo; m <= hi; m++)
        {
            double rp = m * h;
            if (rp == 0) continue; // the integrand carries a factor r'
            double alpha;
            if (rp + r <= radius) alpha = Math.PI;
            else if (rp >= r + radius || rp <= r - radius) alpha = 0;
            else alpha = Math.Acos(Math.Clamp((r * r + rp * rp - radius * radius) / (2 * r * rp), -1, 1));
            sum += f[m] * 2 * alpha * rp;
        }
        return sum * h / (Math.PI * radius * radius);
    }

    private ConvolvedCache Convolved(double z, double r)
    {
        ConvolvedCache? cache = t_cache;
        if (cache is not null && ReferenceEquals(cache.Owner, this) && cache.Z.Equals(z) && r < cache.RadiusNm) return cache;
        double radius = Math.Max(2 * r, 8 * ResolutionNm);
        double[] grid = Grid(radius + PinholeRadiusNm);
        var emission = new double[grid.Length];
        _emissionProfiles.EvaluateProfiles(grid, [z], emission);
        int count = (int)Math.Ceiling(radius / _gridStep) + 2;
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = ConvolveWithDisc(emission, i * _gridStep);
        cache = new ConvolvedCache(this, z, (count - 2) * _gridStep, values);
        t_cache = cache;
        return cache;
    }

    private sealed record ConvolvedCache(ConfocalPsf Owner, double Z, double RadiusNm, double[] Values);
}
