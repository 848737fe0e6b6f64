using System.Numerics;
using SimSeg.Core.Imaging;

namespace SimSeg.Core.IO;

/// <summary>Turns image planes into 8-bit pictures for quick looks (see <see cref="PngWriter"/>).</summary>
public static class Preview
{
    /// <summary>
    /// Maps one plane linearly so that the <paramref name="lowPercentile"/> value becomes 0 and the
    /// <paramref name="highPercentile"/> value 255, clipping outside. Percentiles are taken over the finite pixels
    /// (linear interpolation between order statistics). When both percentiles are equal (e.g. a constant image)
    /// pixels at or below that value map to 0 and pixels above it to 255, without dividing by zero. NaN maps to 0.
    /// </summary>
    /// <param name="image">The image.</param>
    /// <param name="plane">Plane index, 0 ≤ plane &lt; Depth.</param>
    /// <param name="lowPercentile">Percent (0-100) mapped to black.</param>
    /// <param name="highPercentile">Percent (0-100, ≥ low) mapped to white.</param>
    /// <returns>Width·Height bytes, row-major.</returns>
    public static byte[] AutoContrast<T>(Image<T> image, int plane = 0, double lowPercentile = 0.5, double highPercentile = 99.5)
        where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(image);
        if (plane < 0 || plane >= image.Depth)
            throw new ArgumentOutOfRangeException(nameof(plane), plane, $"plane must be in [0, {image.Depth - 1}], got {plane}.");
        Guard.InRange(lowPercentile, 0, 100);
        Guard.InRange(highPercentile, 0, 100);
        Guard.OrderedRange(lowPercentile, highPercentile);

        ReadOnlySpan<T> pixels = image.Plane(plane);
        var sorted = new double[pixels.Length];
        int finite = 0;
        foreach (T pixel in pixels)
        {
            double v = double.CreateTruncating(pixel);
            if (double.IsFinite(v)) sorted[finite++] = v;
        }
        Span<double> values = sorted.AsSpan(0, finite);
        values.Sort();
        double low = Percentile(values, lowPercentile), high = Percentile(values, highPercentile);

        var result = new byte[pixels.Length];
        double scale = high > low ? 255 / (high - low) : 0;
        for (int i = 0; i < pixels.Length; i++)
        {
            double v = double.CreateTruncating(pixels[i]);
            if (double.IsNaN(v) || v <= low) result[i] = 0;
            else if (v >= high) result[i] = 255;
            else result[i] = (byte)Math.Clamp(Math.Round((v - low) * scale), 0, 255);
        }
        return result;
    }

    private static double Percentile(ReadOnlySpan<double> sorted, double percent)
    {
        if (sorted.IsEmpty) return 0;
        double position = percent / 100 * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }
}
