using System.Diagnostics;

namespace SimSeg.Shapes.Meshing;

/// <summary>
/// Separable 3D Gaussian blur of a float volume (x fastest), kernel truncated at radius ⌈3σ⌉ and normalised to
/// sum 1; samples outside the volume count as zero.
/// </summary>
internal static class VolumeBlur
{
    /// <summary>Kernel radius in voxels for <paramref name="sigma"/> (0 for σ = 0).</summary>
    public static int Radius(double sigma) => sigma > 0 ? (int)Math.Ceiling(3 * sigma) : 0;

    /// <summary>Normalised Gaussian taps w[−r..r] stored at w[0..2r].</summary>
    public static float[] Kernel(double sigma)
    {
        int r = Radius(sigma);
        var w = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) sum += w[i + r] = Math.Exp(-0.5 * i * i / (sigma * sigma));
        return [.. w.Select(x => (float)(x / sum))];
    }

    /// <summary>Blurs <paramref name="data"/> in place along x, then y, then z.</summary>
    public static void Blur(float[] data, int width, int height, int depth, double sigma)
    {
        Debug.Assert(data.Length == (long)width * height * depth);
        if (Radius(sigma) == 0) return;
        float[] kernel = Kernel(sigma);
        int plane = width * height;
        var line = new float[Math.Max(width, Math.Max(height, depth))];
        var result = new float[line.Length];
        for (int z = 0; z < depth; z++)
            for (int y = 0; y < height; y++)
                Pass(data, z * plane + y * width, 1, width, kernel, line, result);
        for (int z = 0; z < depth; z++)
            for (int x = 0; x < width; x++)
                Pass(data, z * plane + x, width, height, kernel, line, result);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                Pass(data, y * width + x, plane, depth, kernel, line, result);
    }

    /// <summary>Convolves one line of <paramref name="length"/> samples starting at <paramref name="start"/> with stride <paramref name="stride"/>.</summary>
    private static void Pass(float[] data, int start, int stride, int length, float[] kernel, float[] line, float[] result)
    {
        bool any = false;
        for (int i = 0, k = start; i < length; i++, k += stride)
        {
            line[i] = data[k];
            any |= line[i] != 0;
        }
        if (!any) return; // an empty line stays empty
        int r = kernel.Length / 2;
        for (int i = 0; i < length; i++)
        {
            int from = Math.Max(-r, -i), to = Math.Min(r, length - 1 - i);
            float sum = 0;
            for (int j = from; j <= to; j++) sum += kernel[j + r] * line[i + j];
            result[i] = sum;
        }
        for (int i = 0, k = start; i < length; i++, k += stride) data[k] = result[i];
    }
}
