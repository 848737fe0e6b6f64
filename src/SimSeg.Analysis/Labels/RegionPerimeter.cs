namespace SimSeg.Analysis.Labels;

/// <summary>
/// scikit-image's <c>perimeter(image, neighborhood=4)</c>: the inner boundary (object pixels with a
/// 4-neighbour outside, the image edge counting as outside) is coded per pixel as
/// 1 + 2·(boundary 4-neighbours) + 10·(boundary diagonal neighbours), and each code is weighted: 5, 7, 15,
/// 17, 25, 27 → 1; 21, 33 → √2; 13, 23 → (1 + √2)/2; any other code → 0.
/// </summary>
internal static class RegionPerimeter
{
    private static readonly double[] Weights = BuildWeights();

    /// <summary>Perimeter in pixels of the 0/1 mask <paramref name="mask"/> (row-major, <paramref name="width"/> wide).</summary>
    public static double Estimate(byte[] mask, int width, int height)
    {
        var boundary = new byte[mask.Length];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int i = y * width + x;
                if (mask[i] == 0) continue;
                bool interior = x > 0 && x < width - 1 && y > 0 && y < height - 1
                    && mask[i - 1] != 0 && mask[i + 1] != 0 && mask[i - width] != 0 && mask[i + width] != 0;
                if (!interior) boundary[i] = 1;
            }

        double total = 0;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                if (boundary[y * width + x] == 0) continue;
                int code = 1;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        if (dx == 0 && dy == 0) continue;
                        int qx = x + dx, qy = y + dy;
                        if (qx < 0 || qy < 0 || qx >= width || qy >= height || boundary[qy * width + qx] == 0) continue;
                        code += dx != 0 && dy != 0 ? 10 : 2;
                    }
                total += Weights[code];
            }
        return total;
    }

    private static double[] BuildWeights()
    {
        var w = new double[50];
        foreach (int c in new[] { 5, 7, 15, 17, 25, 27 }) w[c] = 1;
        w[21] = w[33] = Math.Sqrt(2);
        w[13] = w[23] = (1 + Math.Sqrt(2)) / 2;
        return w;
    }
}
