namespace SimSeg.Core.Imaging;

/// <summary>
/// Median filtering of single planes over circular footprints (every offset (dx, dy) with dx² + dy² ≤ r², the
/// disc of <see cref="BinaryMorphology.ErodeDisc"/>), with mirror borders (d c b | a b c d | c b a, as
/// <see cref="GaussianBlur"/>), so every footprint is full and holds an odd number of pixels.
/// The fast path is Huang's sliding histogram (Huang, Yang and Tang, IEEE Trans. ASSP 27, 1979) on values
/// quantised to a fixed number of levels: moving one pixel along a row removes the left edge of each disc row
/// and adds the right one, O(r) work per pixel, and the median is tracked by a running count below it.
/// </summary>
public static class MedianFilter
{
    /// <summary>
    /// The disc median of a float plane. Values are first quantised to <paramref name="levels"/> evenly spaced levels
    /// spanning the plane's [min, max] (see <see cref="Quantize"/>), so the result is the exact median of the
    /// quantised plane, returned as level values: within half a level step (range / (levels − 1) / 2) of the
    /// exact median. A constant plane is returned unchanged.
    /// </summary>
    /// <param name="source">The plane, row-major, finite values.</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="radius">Disc radius in pixels (≥ 0; 0 copies the quantised plane).</param>
    /// <param name="destination">The filtered plane; may alias <paramref name="source"/>.</param>
    /// <param name="levels">Quantisation levels, 2 to 65536 (256: the 8 bits Mitometer works in).</param>
    public static void Disc(ReadOnlySpan<float> source, int width, int height, int radius, Span<float> destination, int levels = 256)
    {
        Guard.Positive(width);
        Guard.Positive(height);
        if (source.Length != width * height || destination.Length != width * height)
            throw new ArgumentException($"source and destination must hold width*height = {width * height} values, got {source.Length} and {destination.Length}.");
        var quantised = new ushort[width * height];
        var (min, step) = Quantize(source, levels, quantised);
        var median = new ushort[width * height];
        Disc(quantised, width, height, radius, levels, median);
        for (int i = 0; i < median.Length; i++) destination[i] = (float)(min + median[i] * step);
    }

    /// <summary>
    /// Maps each value v to the level round((v − min) / step) with step = (max − min) / (levels − 1), so level ℓ
    /// stands for min + ℓ·step. A constant input has step 0 and every level 0.
    /// </summary>
    /// <returns>The value of level 0 and the step between levels.</returns>
    /// <exception cref="ArgumentException">The input is empty or holds a NaN or infinity, or the lengths differ.</exception>
    public static (double Min, double Step) Quantize(ReadOnlySpan<float> source, int levels, Span<ushort> destination)
    {
        if (levels is < 2 or > 65536) throw new ArgumentOutOfRangeException(nameof(levels), levels, $"levels must be between 2 and 65536, got {levels}.");
        if (source.Length == 0 || destination.Length != source.Length)
            throw new ArgumentException($"source must be non-empty and destination as long as it, got {source.Length} and {destination.Length}.", nameof(source));
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in source)
        {
            if (!float.IsFinite(v)) throw new ArgumentException($"source must hold finite values, got {v}.", nameof(source));
            if (v < min) min = v;
            if (v > max) max = v;
        }
        double step = ((double)max - min) / (levels - 1);
        if (step == 0)
        {
            destination.Clear();
            return (min, 0);
        }
        double inverse = 1 / step;
        for (int i = 0; i < source.Length; i++)
            destination[i] = (ushort)Math.Min(levels - 1, (int)Math.Round((source[i] - (double)min) * inverse));
        return (min, step);
    }

    /// <summary>
    /// The exact disc median of a plane of levels in [0, <paramref name="levels"/>): for each pixel the middle value
    /// of the (odd-sized) footprint. Rows are filtered in parallel; the result does not depend on the thread count.
    /// </summary>
    /// <param name="source">Levels, row-major, each below <paramref name="levels"/>.</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="radius">Disc radius in pixels (≥ 0; 0 copies).</param>
    /// <param name="levels">Histogram size, 1 to 65536.</param>
    /// <param name="destination">The medians; may alias <paramref name="source"/>.</param>
    public static void Disc(ReadOnlySpan<ushort> source, int width, int height, int radius, int levels, Span<ushort> destination)
    {
        Guard.Positive(width);
        Guard.Positive(height);
        if (radius < 0) throw new ArgumentOutOfRangeException(nameof(radius), radius, $"radius must be >= 0 pixels, got {radius}.");
        if (levels is < 1 or > 65536) throw new ArgumentOutOfRangeException(nameof(levels), levels, $"levels must be between 1 and 65536, got {levels}.");
        if (source.Length != width * height || destination.Length != width * height)
            throw new ArgumentException($"source and destination must hold width*height = {width * height} values, got {source.Length} and {destination.Length}.");
        foreach (ushort v in source)
            if (v >= levels) throw new ArgumentException($"source levels must be below levels = {levels}, got {v}.", nameof(source));
        if (radius == 0)
        {
            source.CopyTo(destination);
            return;
        }
        // Mirror-padded copy, so footprints never need bounds checks.
        int pw = width + 2 * radius, ph = height + 2 * radius;
        var padded = new ushort[pw * ph];
        for (int y = 0; y < ph; y++)
        {
            int sy = GaussianBlur.Reflect(y - radius, height) * width;
            for (int x = 0; x < pw; x++) padded[y * pw + x] = source[sy + GaussianBlur.Reflect(x - radius, width)];
        }
        var halfWidth = DiscHalfWidths(radius);
        var result = new ushort[width * height];
        var job = new RowJob(padded, pw, width, radius, levels, halfWidth, result);
        int chunks = Math.Min(height, 4 * Environment.ProcessorCount);
        Parallel.For(0, chunks, c => job.Run(c * height / chunks, (c + 1) * height / chunks));
        result.CopyTo(destination);
    }

    /// <summary>Half-widths ⌊√(r² − dy²)⌋ of the disc rows dy = −r..r.</summary>
    internal static int[] DiscHalfWidths(int radius)
    {
        var halfWidth = new int[2 * radius + 1];
        for (int dy = -radius; dy <= radius; dy++)
            halfWidth[dy + radius] = (int)Math.Floor(Math.Sqrt((double)radius * radius - dy * dy) + 1e-9);
        return halfWidth;
    }

    /// <summary>Huang's sliding histogram over the rows [start, end) of the output.</summary>
    private readonly struct RowJob(ushort[] padded, int paddedWidth, int width, int radius, int levels, int[] halfWidth, ushort[] result)
    {
        public unsafe void Run(int start, int end)
        {
            var histogram = new int[levels];
            int count = 0;
            foreach (int hw in halfWidth) count += 2 * hw + 1;
            int rank = count / 2; // 0-based index of the median in the sorted footprint (count is odd)
            int rows = 2 * radius + 1;
            // Offsets, relative to the footprint centre in the padded plane, of the pixel each disc row loses and
            // gains when the centre moves one pixel right.
            var leavingOffset = new int[rows];
            var enteringOffset = new int[rows];
            for (int dy = 0; dy < rows; dy++)
            {
                leavingOffset[dy] = (dy - radius) * paddedWidth - halfWidth[dy] - 1;
                enteringOffset[dy] = (dy - radius) * paddedWidth + halfWidth[dy];
            }
            fixed (ushort* source = padded)
            fixed (int* hist = histogram, leave = leavingOffset, enter = enteringOffset)
            {
                for (int y = start; y < end; y++)
                {
                    Array.Clear(histogram);
                    ushort* centre = source + (y + radius) * paddedWidth + radius; // output (0, y) in the padded plane
                    for (int dy = 0; dy < rows; dy++)
                    {
                        ushort* row = centre + (dy - radius) * paddedWidth;
                        for (int dx = -halfWidth[dy]; dx <= halfWidth[dy]; dx++) hist[row[dx]]++;
                    }
                    int median = 0, below = 0; // below = number of footprint values < median
                    while (below + hist[median] <= rank) below += hist[median++];
                    int output = y * width;
                    result[output] = (ushort)median;
                    for (int x = 1; x < width; x++)
                    {
                        centre++;
                        for (int dy = 0; dy < rows; dy++)
                        {
                            int leaving = centre[leave[dy]], entering = centre[enter[dy]];
                            hist[leaving]--;
                            hist[entering]++;
                            below += (entering < median ? 1 : 0) - (leaving < median ? 1 : 0);
                        }
                        while (below > rank) below -= hist[--median];
                        while (below + hist[median] <= rank) below += hist[median++];
                        result[output + x] = (ushort)median;
                    }
                }
            }
        }
    }
}
