using System.Numerics;

namespace SimSeg.Core.Imaging;

/// <summary>
/// Separable linear filtering of single planes: a 1D kernel along rows, then one along columns, with mirror
/// borders (d c b | a b c d | c b a, the convention of <see cref="GaussianBlur"/> and scikit-image's mode
/// "reflect"). Also builds sampled Gaussian and Gaussian-derivative kernels (as SciPy's <c>gaussian_filter1d</c>
/// with <c>order</c> 0, 1, 2).
/// </summary>
public static class SeparableFilter
{
    /// <summary>
    /// Convolves a <paramref name="width"/> × <paramref name="height"/> plane (row-major) with
    /// <paramref name="kernelX"/> along x and <paramref name="kernelY"/> along y:
    /// destination(x, y) = Σ_{s,t} kernelX(s)·kernelY(t)·source(x − s, y − t), where a kernel of odd length 2r + 1
    /// holds the offsets −r..r. This is a true convolution, so an odd (derivative) kernel gives the derivative
    /// with its sign. Rows and columns are vectorised; <paramref name="destination"/> may not alias the source.
    /// </summary>
    /// <exception cref="ArgumentException">A kernel is empty or of even length, or a span has the wrong length.</exception>
    public static void Apply(ReadOnlySpan<float> source, int width, int height, ReadOnlySpan<float> kernelX, ReadOnlySpan<float> kernelY, Span<float> destination)
    {
        Guard.Positive(width);
        Guard.Positive(height);
        if (kernelX.Length % 2 == 0 || kernelY.Length % 2 == 0)
            throw new ArgumentException($"kernels must have an odd length (offsets -r..r), got {kernelX.Length} and {kernelY.Length}.");
        if (source.Length != width * height || destination.Length != width * height)
            throw new ArgumentException($"source and destination must hold width*height = {width * height} values, got {source.Length} and {destination.Length}.");
        var temp = new float[width * height];
        Rows(source, width, height, kernelX, temp);
        Columns(temp, width, height, kernelY, destination);
    }

    /// <summary>
    /// The sampled Gaussian of standard deviation <paramref name="sigma"/> pixels (order 0, normalised to sum 1) or
    /// its first or second derivative (order 1: −t/σ²·g(t); order 2: (t²/σ⁴ − 1/σ²)·g(t), with g the normalised
    /// samples), truncated at half-width ⌈4σ⌉ (at least 1), as SciPy builds them.
    /// </summary>
    public static float[] GaussianKernel(double sigma, int order = 0)
    {
        Guard.Positive(sigma);
        if (order is < 0 or > 2) throw new ArgumentOutOfRangeException(nameof(order), order, $"order must be 0, 1 or 2, got {order}.");
        int radius = Math.Max(1, (int)Math.Ceiling(4 * sigma));
        var g = new double[2 * radius + 1];
        double sum = 0;
        for (int t = -radius; t <= radius; t++) sum += g[t + radius] = Math.Exp(-0.5 * t * t / (sigma * sigma));
        var kernel = new float[g.Length];
        double s2 = sigma * sigma;
        for (int t = -radius; t <= radius; t++)
        {
            double v = g[t + radius] / sum;
            kernel[t + radius] = (float)(order switch
            {
                0 => v,
                1 => -t / s2 * v,
                _ => (t * t / (s2 * s2) - 1 / s2) * v,
            });
        }
        return kernel;
    }

    // Along x: each row is copied into a mirror-padded buffer, then the flipped kernel is swept over it.
    private static void Rows(ReadOnlySpan<float> source, int width, int height, ReadOnlySpan<float> kernel, Span<float> destination)
    {
        int r = kernel.Length / 2;
        var padded = new float[width + 2 * r];
        int vector = Vector<float>.Count;
        for (int y = 0; y < height; y++)
        {
            var row = source.Slice(y * width, width);
            for (int i = 0; i < padded.Length; i++) padded[i] = row[GaussianBlur.Reflect(i - r, width)];
            var target = destination.Slice(y * width, width);
            int x = 0;
            // Output x reads padded[x + r − s] for offset s, i.e. padded[x + j] with j = r − s = the flipped index.
            for (; x <= width - vector; x += vector)
            {
                var acc = Vector<float>.Zero;
                for (int j = 0; j < kernel.Length; j++)
                    acc += new Vector<float>(kernel[kernel.Length - 1 - j]) * new Vector<float>(padded.AsSpan(x + j, vector));
                acc.CopyTo(target.Slice(x, vector));
            }
            for (; x < width; x++)
            {
                float acc = 0;
                for (int j = 0; j < kernel.Length; j++) acc += kernel[kernel.Length - 1 - j] * padded[x + j];
                target[x] = acc;
            }
        }
    }

    // Along y: each output row is a weighted sum of whole source rows, vectorised across x.
    private static void Columns(ReadOnlySpan<float> source, int width, int height, ReadOnlySpan<float> kernel, Span<float> destination)
    {
        int r = kernel.Length / 2;
        int vector = Vector<float>.Count;
        for (int y = 0; y < height; y++)
        {
            var target = destination.Slice(y * width, width);
            target.Clear();
            for (int s = -r; s <= r; s++)
            {
                float k = kernel[s + r];
                if (k == 0) continue;
                var row = source.Slice(GaussianBlur.Reflect(y - s, height) * width, width);
                var weight = new Vector<float>(k);
                int x = 0;
                for (; x <= width - vector; x += vector)
                    (new Vector<float>(target.Slice(x, vector)) + weight * new Vector<float>(row.Slice(x, vector))).CopyTo(target.Slice(x, vector));
                for (; x < width; x++) target[x] += k * row[x];
            }
        }
    }
}
