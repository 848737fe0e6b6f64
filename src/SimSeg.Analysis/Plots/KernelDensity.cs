using SimSeg.Core;

namespace SimSeg.Analysis.Plots;

/// <summary>
/// Gaussian kernel density estimation: f(x) = 1/(n h) Σ φ((x − xᵢ)/h), which integrates to 1 over the real
/// line. Direct O(n·m) evaluation, exact rather than binned.
/// </summary>
public static class KernelDensity
{
    private static readonly double InverseSqrtTwoPi = 1 / Math.Sqrt(2 * Math.PI);

    /// <summary>
    /// Silverman's rule of thumb, h = 0.9 · min(σ, IQR / 1.34) · n^(−1/5) (B. W. Silverman, "Density Estimation
    /// for Statistics and Data Analysis", 1986, eq. 3.31), with σ the sample standard deviation. When the IQR is 0
    /// but σ is not (many ties), σ is used alone.
    /// </summary>
    /// <param name="samples">Finite values, in any order.</param>
    /// <returns>The bandwidth in the samples' units; 0 when there are fewer than two samples or all are equal.</returns>
    /// <exception cref="ArgumentException">A sample is NaN or infinite.</exception>
    public static double SilvermanBandwidth(ReadOnlySpan<double> samples)
    {
        RequireFinite(samples, nameof(samples));
        if (samples.Length < 2) return 0;
        double sigma = SampleStatistics.StandardDeviation(samples);
        if (!(sigma > 0)) return 0;
        double[] sorted = samples.ToArray();
        Array.Sort(sorted);
        double iqr = SampleStatistics.Quantile(sorted, 0.75) - SampleStatistics.Quantile(sorted, 0.25);
        double spread = iqr > 0 ? Math.Min(sigma, iqr / 1.34) : sigma;
        return 0.9 * spread * Math.Pow(samples.Length, -0.2);
    }

    /// <summary>Evaluates the Gaussian KDE of <paramref name="samples"/> at each point of <paramref name="at"/>.</summary>
    /// <param name="samples">Finite values, at least one.</param>
    /// <param name="bandwidth">Kernel standard deviation h, finite and &gt; 0, in the samples' units.</param>
    /// <param name="at">Where to evaluate.</param>
    /// <param name="destination">Densities (per unit of the samples), as long as <paramref name="at"/>.</param>
    public static void Gaussian(ReadOnlySpan<double> samples, double bandwidth, ReadOnlySpan<double> at, Span<double> destination)
    {
        if (samples.IsEmpty) throw new ArgumentException("samples must hold at least one value.", nameof(samples));
        RequireFinite(samples, nameof(samples));
        Guard.Positive(bandwidth);
        if (destination.Length != at.Length)
            throw new ArgumentException($"destination must have the length of at ({at.Length}), got {destination.Length}.", nameof(destination));
        double scale = InverseSqrtTwoPi / (samples.Length * bandwidth);
        for (int j = 0; j < at.Length; j++)
        {
            double x = at[j], sum = 0;
            foreach (double s in samples)
            {
                double u = (x - s) / bandwidth;
                sum += Math.Exp(-0.5 * u * u);
            }
            destination[j] = sum * scale;
        }
    }

    /// <summary>Allocating overload of <see cref="Gaussian(ReadOnlySpan{double}, double, ReadOnlySpan{double}, Span{double})"/>.</summary>
    public static double[] Gaussian(ReadOnlySpan<double> samples, double bandwidth, ReadOnlySpan<double> at)
    {
        var result = new double[at.Length];
        Gaussian(samples, bandwidth, at, result);
        return result;
    }

    private static void RequireFinite(ReadOnlySpan<double> values, string name)
    {
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"{name}[{i}] must be finite, got {values[i]}.", name);
    }
}
