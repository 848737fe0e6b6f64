namespace SimSeg.Simulation.Optics;

/// <summary>
/// Bessel functions of the first kind, orders 0 and 1, for real arguments. |x| &lt; 12 uses the ascending power
/// series in q = x²/4 (Horner, with as many terms as the argument needs; its largest term is about 4e3, so the
/// rounding error stays near 1e-12); |x| ≥ 12 uses Hankel's asymptotic expansion
/// J_ν(x) = √(2/(πx)) (P cos χ − Q sin χ), χ = x − (2ν + 1)π/4 (Abramowitz &amp; Stegun 9.2.5), summed until its
/// terms stop shrinking; its smallest term at x = 12 is about e^(−2x) ≈ 4e-11.
/// </summary>
internal static class Bessel
{
    private const double SeriesLimit = 12.0;
    private const int MaxTerms = 40;
    private const int AsymptoticTerms = 60;

    // J0 = Σ S0[k] q^k with S0[k] = (−1)^k/(k!)²; J1 = (x/2) Σ S1[k] q^k with S1[k] = (−1)^k/(k!(k+1)!).
    private static readonly double[] s_series0 = Series(0);
    private static readonly double[] s_series1 = Series(1);
    // Asymptotic ratios t_k = t_{k−1} · R[k] / x with R[k] = (4ν² − (2k−1)²)/(8k).
    private static readonly double[] s_ratio0 = Ratios(0);
    private static readonly double[] s_ratio1 = Ratios(1);

    /// <summary>J0(x).</summary>
    public static double J0(double x)
    {
        x = Math.Abs(x);
        if (x < SeriesLimit) return Horner(s_series0, 0.25 * x * x, TermsFor(x));
        return Asymptotic(s_ratio0, 0, x);
    }

    /// <summary>J1(x) (odd: J1(−x) = −J1(x)).</summary>
    public static double J1(double x)
    {
        double ax = Math.Abs(x);
        double value = ax < SeriesLimit
            ? 0.5 * ax * Horner(s_series1, 0.25 * ax * ax, TermsFor(ax))
            : Asymptotic(s_ratio1, 1, ax);
        return x < 0 ? -value : value;
    }

    /// <summary>Terms for which q^k/(k!)² &lt; 1e-18 relative to 1 (checked offline up to x = 12: 36 terms).</summary>
    private static int TermsFor(double x) => x < 1 ? 10 : x < 3 ? 16 : x < 6 ? 23 : x < 9 ? 30 : 37;

    private static double Horner(double[] coefficients, double q, int terms)
    {
        double sum = coefficients[terms - 1];
        for (int k = terms - 2; k >= 0; k--) sum = sum * q + coefficients[k];
        return sum;
    }

    private static double Asymptotic(double[] ratio, int order, double x)
    {
        double inverse = 1 / x;
        double p = 1.0, q = 0.0, t = 1.0, previous = double.MaxValue;
        for (int k = 1; k < AsymptoticTerms; k++)
        {
            t *= ratio[k] * inverse;
            double size = Math.Abs(t);
            if (size > previous) break; // the series is asymptotic: stop at its smallest term
            previous = size;
            int m = k >> 1;
            double signed = (m & 1) == 0 ? t : -t;
            if ((k & 1) == 0) p += signed; else q += signed;
            if (size < 1e-17) break;
        }
        double chi = x - (0.5 * order + 0.25) * Math.PI;
        (double sin, double cos) = Math.SinCos(chi);
        return Math.Sqrt(2.0 * inverse / Math.PI) * (p * cos - q * sin);
    }

    private static double[] Series(int order)
    {
        var c = new double[MaxTerms];
        double term = 1;
        for (int k = 1; k <= order; k++) term /= k;
        c[0] = term;
        for (int k = 1; k < MaxTerms; k++)
        {
            term *= -1.0 / ((double)k * (k + order));
            c[k] = term;
        }
        return c;
    }

    private static double[] Ratios(int order)
    {
        var r = new double[AsymptoticTerms];
        double mu = 4.0 * order * order;
        for (int k = 1; k < AsymptoticTerms; k++)
        {
            double odd = 2 * k - 1;
            r[k] = (mu - odd * odd) / (8.0 * k);
        }
        return r;
    }
}
