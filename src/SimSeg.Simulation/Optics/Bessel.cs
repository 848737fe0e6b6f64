namespace SimSeg.Simulation.Optics;

/// <summary>
/// Bessel functions of the first kind, orders 0 and 1, for real arguments. |x| &lt; 12 uses the ascending power
/// series (largest term about 4e3, so the rounding error stays near 1e-12); |x| ≥ 12 uses Hankel's asymptotic
/// expansion J_ν(x) = √(2/(πx)) (P cos χ − Q sin χ), χ = x − (2ν + 1)π/4 (Abramowitz &amp; Stegun 9.2.5), summed
/// until its terms stop shrinking; its smallest term at x = 12 is about e^(−2x) ≈ 4e-11.
/// </summary>
internal static class Bessel
{
    private const double SeriesLimit = 12.0;

    /// <summary>J0(x).</summary>
    public static double J0(double x)
    {
        x = Math.Abs(x);
        if (x < SeriesLimit)
        {
            double q = 0.25 * x * x, term = 1.0, sum = 1.0;
            for (int k = 1; k < 60; k++)
            {
                term *= -q / ((double)k * k);
                sum += term;
                if (Math.Abs(term) < 1e-17 * Math.Abs(sum) + 1e-300) break;
            }
            return sum;
        }
        return Asymptotic(0, x);
    }

    /// <summary>J1(x) (odd: J1(−x) = −J1(x)).</summary>
    public static double J1(double x)
    {
        double ax = Math.Abs(x);
        double value;
        if (ax < SeriesLimit)
        {
            double q = 0.25 * ax * ax, term = 0.5 * ax, sum = term;
            for (int k = 1; k < 60; k++)
            {
                term *= -q / ((double)k * (k + 1));
                sum += term;
                if (Math.Abs(term) < 1e-17 * Math.Abs(sum) + 1e-300) break;
            }
            value = sum;
        }
        else
        {
            value = Asymptotic(1, ax);
        }
        return x < 0 ? -value : value;
    }

    private static double Asymptotic(int order, double x)
    {
        // t_k = a_k(ν) / x^k with a_k = Π_{j=1..k} (4ν² − (2j−1)²) / (k! 8^k); P = Σ (−1)^m t_{2m}, Q = Σ (−1)^m t_{2m+1}.
        double mu = 4.0 * order * order;
        double p = 1.0, q = 0.0, t = 1.0, previous = double.MaxValue;
        for (int k = 1; k < 80; k++)
        {
            double odd = 2 * k - 1;
            t *= (mu - odd * odd) / (k * 8.0 * x);
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
        return Math.Sqrt(2.0 / (Math.PI * x)) * (p * cos - q * sin);
    }
}
