namespace SimSeg.Core.Imaging;

/// <summary>Local means over square windows, in time independent of the window size.</summary>
public static class BoxFilter
{
    /// <summary>
    /// The mean of each <paramref name="size"/> × <paramref name="size"/> window centred on a pixel of a
    /// <paramref name="width"/> × <paramref name="height"/> plane (row-major), with mirror borders
    /// (d c b | a b c d | c b a, as <see cref="GaussianBlur"/>; windows larger than the plane keep reflecting).
    /// Running sums along rows then columns, accumulated in double precision: O(1) work per pixel whatever the size.
    /// </summary>
    /// <param name="source">The plane.</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="size">Window side in pixels, odd and ≥ 1 (1 copies the plane).</param>
    /// <param name="destination">The local means; may not alias <paramref name="source"/>.</param>
    public static void Mean(ReadOnlySpan<float> source, int width, int height, int size, Span<float> destination)
    {
        Guard.Positive(width);
        Guard.Positive(height);
        if (size < 1 || size % 2 == 0) throw new ArgumentOutOfRangeException(nameof(size), size, $"size must be an odd number of pixels >= 1, got {size}.");
        if (source.Length != width * height || destination.Length != width * height)
            throw new ArgumentException($"source and destination must hold width*height = {width * height} values, got {source.Length} and {destination.Length}.");
        int r = size / 2;
        // Row pass: window sums along x from prefix sums of the mirror-padded row.
        var rowSums = new double[width * height];
        var prefix = new double[width + 2 * r + 1];
        for (int y = 0; y < height; y++)
        {
            var row = source.Slice(y * width, width);
            for (int i = 0; i < width + 2 * r; i++) prefix[i + 1] = prefix[i] + row[GaussianBlur.Reflect(i - r, width)];
            for (int x = 0; x < width; x++) rowSums[y * width + x] = prefix[x + size] - prefix[x];
        }
        // Column pass: a running sum of row sums, one accumulator per column, slid down the plane.
        var running = new double[width];
        for (int t = -r; t <= r; t++)
        {
            int yy = GaussianBlur.Reflect(t, height) * width;
            for (int x = 0; x < width; x++) running[x] += rowSums[yy + x];
        }
        double area = (double)size * size; // dividing (not multiplying by 1/area) keeps flat integer regions exact
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++) destination[y * width + x] = (float)(running[x] / area);
            if (y == height - 1) break;
            int add = GaussianBlur.Reflect(y + r + 1, height) * width, remove = GaussianBlur.Reflect(y - r, height) * width;
            for (int x = 0; x < width; x++) running[x] += rowSums[add + x] - rowSums[remove + x];
        }
    }
}
