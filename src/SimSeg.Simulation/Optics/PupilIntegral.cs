using System.Numerics;

namespace SimSeg.Simulation.Optics;

/// <summary>
/// The scalar pupil integral shared by the Born–Wolf and Gibson–Lanni models:
/// PSF(r, z) = C · |∫₀¹ J0(k·NA·r·ρ) A(ρ) exp(i·k·OPD(ρ; z)) ρ dρ|², with k = 2π/λ.
/// <para>
/// The ρ integral is composite Gauss–Legendre (16-point panels). The panel count is chosen from the total
/// variation of the phase k·OPD over the pupil at |z| ≤ <c>zSpanNm</c> plus the Bessel argument k·NA·r at
/// r = <c>radiusSpanNm</c> (about 6 rad per panel, where a 16-point rule is accurate to ~1e-15). When the
/// pupil has a square-root branch point at ρ_c (n_s &lt; NA, evanescent rays), [0, ρ_c] and [ρ_c, 1] are
/// integrated separately with ρ − ρ_c ∝ u², which makes the integrand smooth in u.
/// </para>
/// <para>
/// Normalisation is exact, by Parseval's theorem for the Hankel transform:
/// ∫₀^∞ 2πr |∫ J0(k NA r ρ) P(ρ) ρ dρ|² dr = 2π/(k NA)² · ∫₀¹ |P(ρ)|² ρ dρ, so no radial truncation is needed.
/// </para>
/// Evaluation follows Li, Xue &amp; Blu (JOSA A 34(6), 2017) in spirit: per z the pupil factors exp(i k OPD(ρ_j))
/// are computed once (a per-thread cache for single evaluations) and, for profiles, J0(k NA r_i ρ_j) is tabulated
/// once for all z.
/// </summary>
internal sealed class PupilIntegral
{
    private const int PanelOrder = 16;
    private const double RadiansPerPanel = 6.0;

    private const int CacheSlots = 4;

    [ThreadStatic] private static PupilCache[]? t_cache;
    [ThreadStatic] private static int t_nextSlot;

    private readonly Func<double, double, (double Amplitude, double OpdNm)> _pupil;
    private readonly double[] _rho;
    private readonly double[] _weight; // quadrature weight × ρ × Jacobian
    private readonly double _waveNumber;
    private readonly double _normalisation;

    /// <param name="wavelengthNm">Vacuum wavelength, nm.</param>
    /// <param name="numericalAperture">NA.</param>
    /// <param name="pupil">Amplitude A(ρ) ≥ 0 and optical path difference OPD(ρ; z) in nm.</param>
    /// <param name="branchRho">ρ_c of a square-root branch point inside (0, 1), or NaN.</param>
    /// <param name="zSpanNm">Largest |z| the quadrature is sized for.</param>
    /// <param name="radiusSpanNm">Largest r the quadrature is sized for (accuracy degrades slowly beyond).</param>
    public PupilIntegral(double wavelengthNm, double numericalAperture, Func<double, double, (double Amplitude, double OpdNm)> pupil,
        double branchRho = double.NaN, double zSpanNm = 3000, double radiusSpanNm = 4000)
    {
        _pupil = pupil;
        _waveNumber = 2 * Math.PI / wavelengthNm;
        RadialScale = _waveNumber * numericalAperture;
        ResolutionNm = wavelengthNm / numericalAperture;

        double radians = RadialScale * radiusSpanNm;
        double phaseVariation = 0;
        foreach (double z in (ReadOnlySpan<double>)[-zSpanNm, 0, zSpanNm])
        {
            const int probes = 2048;
            double previous = pupil(0, z).OpdNm, variation = 0;
            for (int i = 1; i <= probes; i++)
            {
                double opd = pupil((double)i / probes, z).OpdNm;
                variation += Math.Abs(opd - previous);
                previous = opd;
            }
            phaseVariation = Math.Max(phaseVariation, _waveNumber * variation);
        }
        int panels = Math.Max(4, (int)Math.Ceiling((radians + phaseVariation) / RadiansPerPanel));

        (double[] nodes, double[] weights) = GaussLegendre.Rule(PanelOrder);
        var rho = new List<double>();
        var weight = new List<double>();
        if (branchRho > 0 && branchRho < 1)
        {
            // ρ = ρ_c (1 − u²) on [0, ρ_c] and ρ = ρ_c + (1 − ρ_c) u² on [ρ_c, 1], u ∈ [0, 1].
            AddSegment(u => branchRho * (1 - u * u), u => 2 * branchRho * u, Math.Max(2, (int)Math.Ceiling(2 * panels * branchRho)));
            AddSegment(u => branchRho + (1 - branchRho) * u * u, u => 2 * (1 - branchRho) * u, Math.Max(2, (int)Math.Ceiling(2 * panels * (1 - branchRho))));
        }
        else
        {
            AddSegment(u => u, _ => 1, panels);
        }
        _rho = [.. rho];
        _weight = [.. weight];

        double energy = 0;
        for (int j = 0; j < _rho.Length; j++)
        {
            double amplitude = pupil(_rho[j], 0).Amplitude;
            energy += _weight[j] * amplitude * amplitude;
        }
        _normalisation = RadialScale * RadialScale / (2 * Math.PI * energy);

        void AddSegment(Func<double, double> map, Func<double, double> jacobian, int count)
        {
            for (int p = 0; p < count; p++)
            {
                double lo = (double)p / count, half = 0.5 / count;
                for (int q = 0; q < PanelOrder; q++)
                {
                    double u = lo + half * (nodes[q] + 1);
                    double r = map(u);
                    rho.Add(r);
                    weight.Add(half * weights[q] * jacobian(u) * r);
                }
            }
        }
    }

    /// <summary>k·NA in rad/nm: the factor between r and the Bessel argument at the pupil edge.</summary>
    public double RadialScale { get; }

    /// <summary>λ/NA, nm.</summary>
    public double ResolutionNm { get; }

    /// <summary>Number of pupil quadrature nodes.</summary>
    public int NodeCount => _rho.Length;

    /// <summary>Normalised intensity at (r, z).</summary>
    public double Evaluate(double rNm, double zNm)
    {
        PupilCache cache = Pupil(zNm);
        double x = RadialScale * rNm, re = 0, im = 0;
        double[] rho = _rho, pr = cache.Re, pi = cache.Im;
        for (int j = 0; j < rho.Length; j++)
        {
            double b = Bessel.J0(x * rho[j]);
            re += b * pr[j];
            im += b * pi[j];
        }
        return (re * re + im * im) * _normalisation;
    }

    /// <summary>
    /// Normalised intensity on the grid r × z: <paramref name="destination"/>[iz·r.Length + ir]. J0 is tabulated
    /// once over (r_i, ρ_j) and reused for every z.
    /// </summary>
    public void EvaluateProfiles(ReadOnlySpan<double> rNm, ReadOnlySpan<double> zNm, Span<double> destination)
    {
        int n = _rho.Length;
        var bessel = new double[rNm.Length * n];
        for (int i = 0; i < rNm.Length; i++)
        {
            double x = RadialScale * rNm[i];
            for (int j = 0; j < n; j++) bessel[i * n + j] = Bessel.J0(x * _rho[j]);
        }
        var re = new double[n];
        var im = new double[n];
        for (int iz = 0; iz < zNm.Length; iz++)
        {
            FillPupil(zNm[iz], re, im);
            for (int i = 0; i < rNm.Length; i++)
            {
                ReadOnlySpan<double> row = bessel.AsSpan(i * n, n);
                double a = Dot(row, re), b = Dot(row, im);
                destination[iz * rNm.Length + i] = (a * a + b * b) * _normalisation;
            }
        }
    }

    private PupilCache Pupil(double z)
    {
        PupilCache[] slots = t_cache ??= CreateSlots();
        foreach (PupilCache slot in slots)
            if (ReferenceEquals(slot.Owner, this) && slot.Z.Equals(z)) return slot;
        PupilCache cache = slots[t_nextSlot];
        t_nextSlot = (t_nextSlot + 1) % CacheSlots;
        if (cache.Re.Length != _rho.Length)
        {
            cache.Re = new double[_rho.Length];
            cache.Im = new double[_rho.Length];
        }
        cache.Owner = null; // invalid while refilled
        FillPupil(z, cache.Re, cache.Im);
        cache.Owner = this;
        cache.Z = z;
        return cache;
    }

    private static PupilCache[] CreateSlots()
    {
        var slots = new PupilCache[CacheSlots];
        for (int i = 0; i < slots.Length; i++) slots[i] = new PupilCache();
        return slots;
    }

    private void FillPupil(double z, Span<double> re, Span<double> im)
    {
        for (int j = 0; j < _rho.Length; j++)
        {
            (double amplitude, double opd) = _pupil(_rho[j], z);
            (double sin, double cos) = Math.SinCos(_waveNumber * opd);
            double w = _weight[j] * amplitude;
            re[j] = w * cos;
            im[j] = w * sin;
        }
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<double>.Count)
        {
            var acc = Vector<double>.Zero;
            for (; i <= a.Length - Vector<double>.Count; i += Vector<double>.Count)
                acc += new Vector<double>(a[i..]) * new Vector<double>(b[i..]);
            sum = Vector.Sum(acc);
        }
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private sealed class PupilCache
    {
        public PupilIntegral? Owner;
        public double Z;
        public double[] Re = [];
        public double[] Im = [];
    }
}
