namespace SimSeg.Segmentation.Training;

/// <summary>
/// Per-image percentile normalisation, the input convention of every SimSeg model (as CSBDeep's
/// <c>normalize</c>): each plane is mapped linearly so that its <see cref="LowPercentile"/> value becomes 0 and its
/// <see cref="HighPercentile"/> value 1, then clipped to [<see cref="ClipLow"/>, <see cref="ClipHigh"/>]. Training
/// and inference use the same settings (they travel in the model's config.json), so a model sees the same value
/// range on real images as on the simulated ones, whatever the camera's offset and gain.
/// </summary>
public sealed record NormalizationOptions
{
    /// <summary>Percentile (0–100) mapped to 0 (default 1).</summary>
    public double LowPercentile { get; init; } = 1;

    /// <summary>Percentile (0–100, above <see cref="LowPercentile"/>) mapped to 1 (default 99.8).</summary>
    public double HighPercentile { get; init; } = 99.8;

    /// <summary>Lower clip of the normalised values (default −0.5: a little room below the background).</summary>
    public double ClipLow { get; init; } = -0.5;

    /// <summary>Upper clip of the normalised values (default 1.5: the brightest 0.2% keep some contrast).</summary>
    public double ClipHigh { get; init; } = 1.5;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(LowPercentile >= 0 && LowPercentile < HighPercentile && HighPercentile <= 100))
            throw new ArgumentException($"normalisation percentiles must satisfy 0 <= low < high <= 100, got {LowPercentile} and {HighPercentile}.", nameof(LowPercentile));
        if (!(double.IsFinite(ClipLow) && double.IsFinite(ClipHigh) && ClipLow < ClipHigh))
            throw new ArgumentException($"normalisation clip range must be finite with low < high, got [{ClipLow}, {ClipHigh}].", nameof(ClipLow));
    }
}

/// <summary>Applies <see cref="NormalizationOptions"/> to image planes.</summary>
public static class ImageNormalizer
{
    /// <summary>
    /// Normalises one plane of <paramref name="source"/> into <paramref name="destination"/> (same length; they may be
    /// the same span). Percentiles are taken over the finite pixels with linear interpolation between order statistics
    /// (numpy's default). A plane whose two percentiles coincide (constant, or nearly all one value) maps to 0, and
    /// NaN or infinite pixels map to 0, so the result is always finite.
    /// </summary>
    /// <param name="source">The plane, any range.</param>
    /// <param name="destination">Receives the normalised values.</param>
    /// <param name="options">Percentiles and clip range.</param>
    /// <param name="scratch">Work space of at least <c>source.Length</c> floats (null: allocated).</param>
    public static void Normalize(ReadOnlySpan<float> source, Span<float> destination, NormalizationOptions options, float[]? scratch = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (destination.Length != source.Length)
            throw new ArgumentException($"destination has {destination.Length} values; source has {source.Length}.", nameof(destination));
        if (scratch is not null && scratch.Length < source.Length)
            throw new ArgumentException($"scratch has {scratch.Length} values; at least {source.Length} are needed.", nameof(scratch));
        var (low, high) = Percentiles(source, options.LowPercentile, options.HighPercentile, scratch ?? new float[source.Length]);
        double range = high - low;
        float clipLow = (float)options.ClipLow, clipHigh = (float)options.ClipHigh;
        if (!(range > 0))
        {
            destination.Clear();
            return;
        }
        float scale = (float)(1 / range), offset = (float)(-low / range);
        for (int i = 0; i < source.Length; i++)
        {
            float v = source[i];
            destination[i] = float.IsFinite(v) ? Math.Clamp(v * scale + offset, clipLow, clipHigh) : 0f;
        }
    }

    /// <summary>The two percentiles of the finite values of <paramref name="values"/> (0 and 0 when none is finite).</summary>
    internal static (double Low, double High) Percentiles(ReadOnlySpan<float> values, double lowPercent, double highPercent, float[] scratch)
    {
        int n = 0;
        foreach (float v in values)
            if (float.IsFinite(v)) scratch[n++] = v;
        if (n == 0) return (0, 0);
        var sorted = scratch.AsSpan(0, n);
        sorted.Sort();
        return (At(sorted, lowPercent), At(sorted, highPercent));
    }

    private static double At(ReadOnlySpan<float> sorted, double percent)
    {
        double position = percent / 100 * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (sorted[above] - (double)sorted[below]) * (position - below);
    }
}
