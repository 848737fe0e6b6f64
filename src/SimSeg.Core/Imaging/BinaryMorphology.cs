namespace SimSeg.Core.Imaging;

/// <summary>Binary morphology on single-plane masks (0 = background, non-zero = foreground).</summary>
public static class BinaryMorphology
{
    /// <summary>
    /// Erosion by a disc of radius <paramref name="radius"/> pixels (the disc holds every offset (dx, dy)
    /// with dx² + dy² ≤ radius²). Pixels outside the image count as background, so objects touching the
    /// border erode from it. Radius 0 copies the mask. Writes 0/1 into <paramref name="destination"/>.
    /// </summary>
    public static void ErodeDisc(ReadOnlySpan<byte> mask, int width, int height, double radius, Span<byte> destination)
    {
        Guard.Positive(width);
        Guard.Positive(height);
        Guard.NonNegative(radius);
        if (mask.Length != width * height || destination.Length != width * height)
            throw new ArgumentException($"mask and destination must hold width*height = {width * height} pixels, got {mask.Length} and {destination.Length}.");
        int r = (int)Math.Floor(radius);
        // Row extents of the disc: for each dy, the half-width of the disc row.
        Span<int> halfWidth = stackalloc int[2 * r + 1];
        for (int dy = -r; dy <= r; dy++)
            halfWidth[dy + r] = (int)Math.Floor(Math.Sqrt(radius * radius - dy * dy) + 1e-9);

        // Horizontal run lengths of foreground ending at each pixel make each disc row an O(1) test.
        var runRight = new int[width * height]; // number of consecutive foreground pixels starting at (x, y) going right
        for (int y = 0; y < height; y++)
        {
            int run = 0;
            for (int x = width - 1; x >= 0; x--)
            {
                run = mask[y * width + x] != 0 ? run + 1 : 0;
                runRight[y * width + x] = run;
            }
        }
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                byte keep = 1;
                for (int dy = -r; dy <= r && keep == 1; dy++)
                {
                    int yy = y + dy, hw = halfWidth[dy + r];
                    int x0 = x - hw;
                    if (yy < 0 || yy >= height || x0 < 0 || x + hw >= width) { keep = 0; break; }
                    if (runRight[yy * width + x0] < 2 * hw + 1) keep = 0;
                }
                destination[y * width + x] = keep;
            }
        }
    }
}
