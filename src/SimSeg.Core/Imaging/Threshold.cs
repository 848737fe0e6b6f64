namespace SimSeg.Core.Imaging;

/// <summary>Global intensity thresholds.</summary>
public static class Threshold
{
    /// <summary>
    /// Otsu's threshold (Otsu, IEEE Trans. SMC 1979): the value that maximises the between-class variance of
    /// a <paramref name="bins"/>-bin histogram spanning [min, max] of <paramref name="values"/>. Pixels
    /// strictly greater than the returned value are foreground, as in scikit-image's <c>threshold_otsu</c>.
    /// A constant image returns its value (so nothing is foreground). NaNs are ignored.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty or holds only NaN.</exception>
    public static double Otsu(ReadOnlySpan<float> values, int bins = 256)
    {
        Guard.Positive(bins);
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in values)
        {
            if (float.IsNaN(v)) continue;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        if (float.IsInfinity(min))
            throw new ArgumentException($"values must hold at least one number, got {values.Length} values and none finite.", nameof(values));
        if (max <= min) return min;

        Span<long> histogram = bins <= 4096 ? stackalloc long[bins] : new long[bins];
        double scale = bins / ((double)max - min);
        foreach (float v in values)
        {
            if (float.IsNaN(v)) continue;
            int b = (int)((v - min) * scale);
            histogram[b >= bins ? bins - 1 : b]++;
        }

        double binWidth = ((double)max - min) / bins;
        long total = 0;
        double sumAll = 0;
        for (int i = 0; i < bins; i++)
        {
            total += histogram[i];
            sumAll += histogram[i] * (min + (i + 0.5) * binWidth);
        }

        long weightBelow = 0;
        double sumBelow = 0, bestVariance = -1;
        int bestBin = 0;
        for (int i = 0; i < bins - 1; i++)
        {
            weightBelow += histogram[i];
            sumBelow += histogram[i] * (min + (i + 0.5) * binWidth);
            long weightAbove = total - weightBelow;
            if (weightBelow == 0 || weightAbove == 0) continue;
            double meanBelow = sumBelow / weightBelow;
            double meanAbove = (sumAll - sumBelow) / weightAbove;
            double diff = meanBelow - meanAbove;
            double variance = (double)weightBelow * weightAbove * diff * diff;
            if (variance > bestVariance)
            {
                bestVariance = variance;
                bestBin = i;
            }
        }
        // The threshold is the centre of the last bin of the lower class, as scikit-image reports it.
        return min + (bestBin + 0.5) * binWidth;
    }
}
