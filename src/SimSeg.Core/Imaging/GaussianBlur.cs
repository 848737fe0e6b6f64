namespace SimSeg.Core.Imaging;

/// <summary>Separable Gaussian smoothing of single planes.</summary>
public static class GaussianBlur
{
    /// <summary>
    /// Blurs one plane (row-major, <paramref name="width"/> × <paramref name="height"/>) with a Gaussian of standard
    /// deviation <paramref name="sigma"/> pixels, truncated at 4σ and normalised; borders are handled by reflection
    /// (d c b | a b c d | c b a, as scikit-image's mode "reflect"). σ = 0 copies the input.
    /// </summary>
    public static void Apply(ReadOnlySpan<float> source, int width, int height, double sigma, Span<float> destination)
    {
        Guard.Positive(width);
        Guard.Positive(height);
        Guard.NonNegative(sigma);
        if (source.Length != width * height || destination.Length != width * height)
            throw new ArgumentException($"source and destination must hold width*height = {width * height} values, got {source.Length} and {destination.Length}.");
        if (sigma == 0)
        {
            source.CopyTo(destination);
            return;
        }
        float[] kernel = Kernel(sigma);
        int radius = kernel.Length / 2;
        var temp = new float[width * height];
        for (int y = 0; y < height; y++)
        {
            var row = source.Slice(y * width, width);
            for (int x = 0; x < width; x++)
            {
                float sum = 0;
                for (int k = -radius; k <= radius; k++) sum += kernel[k + radius] * row[Reflect(x + k, width)];
                temp[y * width + x] = sum;
            }
        }
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                float sum = 0;
                for (int k = -radius; k <= radius; k++) sum += kernel[k + radius] * temp[Reflect(y + k, height) * width + x];
                destination[y * width + x] = sum;
            }
    }

    /// <summary>The normalised 1D kernel of half-width ⌈4σ⌉.</summary>
    internal static float[] Kernel(double sigma)
    {
        int radius = Math.Max(1, (int)Math.Ceiling(4 * sigma));
        var kernel = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) sum += Math.Exp(-0.5 * i * i / (sigma * sigma));
        for (int i = -radius; i <= radius; i++) kernel[i + radius] = (float)(Math.Exp(-0.5 * i * i / (sigma * sigma)) / sum);
        return kernel;
    }

    /// <summary>Reflects an index into [0, n) without repeating the edge sample (period 2n − 2).</summary>
    internal static int Reflect(int i, int n)
    {
        if (n == 1) return 0;
        int period = 2 * n - 2;
        i %= period;
        if (i < 0) i += period;
        return i < n ? i : period - i;
    }
}
