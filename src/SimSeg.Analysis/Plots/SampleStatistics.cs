using System.Diagnostics;

namespace SimSeg.Analysis.Plots;

/// <summary>Summary statistics the charts need; inputs are already filtered to finite values.</summary>
internal static class SampleStatistics
{
    /// <summary>Sample standard deviation (n − 1 in the denominator); 0 for fewer than two values.</summary>
    public static double StandardDeviation(ReadOnlySpan<double> values)
    {
        if (values.Length < 2) return 0;
        double mean = 0;
        foreach (double v in values) mean += v;
        mean /= values.Length;
        double sum = 0;
        foreach (double v in values) sum += (v - mean) * (v - mean);
        return Math.Sqrt(sum / (values.Length - 1));
    }

    /// <summary>Quantile by linear interpolation between order statistics (Hyndman and Fan type 7, numpy's default).</summary>
    /// <param name="sorted">Ascending, non-empty.</param>
    /// <param name="p">Probability in [0, 1].</param>
    public static double Quantile(ReadOnlySpan<double> sorted, double p)
    {
        Debug.Assert(sorted.Length > 0 && p is >= 0 and <= 1);
        double position = p * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        double fraction = position - below;
        return sorted[below] + fraction * (sorted[above] - sorted[below]);
    }

    /// <summary>The finite values of <paramref name="values"/>, in order.</summary>
    public static double[] Finite(IEnumerable<double> values) => values.Where(double.IsFinite).ToArray();
}
