using SimSeg.Core.IO;

namespace SimSeg.Analysis.Reports;

/// <summary>
/// 8-bit pictures for reports: labels painted over a gray image, crops, box-filter down-scaling and PNG encoding in
/// memory. Pixels are row-major bytes: one per pixel for gray, three (red, green, blue) for colour.
/// </summary>
public static class ReportImages
{
    /// <summary>Encodes gray (<paramref name="channels"/> 1) or RGB (3) pixels as a PNG file in memory.</summary>
    /// <exception cref="ArgumentException">The byte count does not match the size, or channels is not 1 or 3.</exception>
    public static byte[] Png(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        CheckChannels(channels);
        using var stream = new MemoryStream();
        PngWriter.Write(stream, width, height, pixels, rgb: channels == 3);
        return stream.ToArray();
    }

    /// <summary>
    /// Paints labels over a gray picture: where <paramref name="labels"/> is k &gt; 0 the pixel becomes
    /// (1 − <paramref name="alpha"/>) · gray + <paramref name="alpha"/> · palette[k − 1] (labels past the palette's end
    /// take its last colour); label 0 leaves the gray.
    /// </summary>
    /// <param name="gray">width·height gray bytes.</param>
    /// <param name="labels">width·height labels, 0 = none.</param>
    /// <param name="palette">RGB colour (3 bytes) of label 1, 2, …; at least one.</param>
    /// <param name="alpha">Opacity of the colour in [0, 1].</param>
    /// <returns>width·height·3 RGB bytes.</returns>
    /// <exception cref="ArgumentException">The lengths differ, the palette is empty or holds a colour that is not 3 bytes, or alpha is outside [0, 1].</exception>
    public static byte[] Paint(ReadOnlySpan<byte> gray, ReadOnlySpan<byte> labels, IReadOnlyList<byte[]> palette, double alpha = 0.6)
    {
        if (labels.Length != gray.Length) throw new ArgumentException($"labels has {labels.Length} pixels but gray has {gray.Length}.", nameof(labels));
        ArgumentNullException.ThrowIfNull(palette);
        if (palette.Count == 0 || palette.Any(c => c is null || c.Length != 3)) throw new ArgumentException("palette must hold at least one colour, each 3 bytes (RGB).", nameof(palette));
        if (!(alpha >= 0 && alpha <= 1)) throw new ArgumentException($"alpha must be in [0, 1], got {alpha}.", nameof(alpha));
        var rgb = new byte[gray.Length * 3];
        for (int i = 0; i < gray.Length; i++)
        {
            byte g = gray[i];
            int k = labels[i];
            if (k == 0)
            {
                rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = g;
                continue;
            }
            var colour = palette[Math.Min(k, palette.Count) - 1];
            for (int c = 0; c < 3; c++) rgb[3 * i + c] = (byte)Math.Round((1 - alpha) * g + alpha * colour[c]);
        }
        return rgb;
    }

    /// <summary>
    /// Shrinks a picture by an integer <paramref name="factor"/>: each output pixel is the mean of a factor × factor
    /// block (blocks at the right and bottom edges are cut and averaged over the pixels they hold).
    /// </summary>
    /// <returns>The pixels and the new size, ⌈width / factor⌉ × ⌈height / factor⌉.</returns>
    public static (byte[] Pixels, int Width, int Height) Downscale(ReadOnlySpan<byte> pixels, int width, int height, int channels, int factor)
    {
        CheckChannels(channels);
        Check(pixels.Length, width, height, channels);
        if (factor < 1) throw new ArgumentException($"factor must be at least 1, got {factor}.", nameof(factor));
        if (factor == 1) return (pixels.ToArray(), width, height);
        int w = (width + factor - 1) / factor, h = (height + factor - 1) / factor;
        var result = new byte[w * h * channels];
        for (int oy = 0; oy < h; oy++)
        {
            int y0 = oy * factor, y1 = Math.Min(height, y0 + factor);
            for (int ox = 0; ox < w; ox++)
            {
                int x0 = ox * factor, x1 = Math.Min(width, x0 + factor), n = (y1 - y0) * (x1 - x0);
                for (int c = 0; c < channels; c++)
                {
                    int sum = 0;
                    for (int y = y0; y < y1; y++)
                        for (int x = x0; x < x1; x++) sum += pixels[(y * width + x) * channels + c];
                    result[(oy * w + ox) * channels + c] = (byte)((sum + n / 2) / n);
                }
            }
        }
        return (result, w, h);
    }

    /// <summary>The factor that brings the longer side of a width × height picture to at most <paramref name="maxSide"/> pixels (1 when it already fits).</summary>
    public static int FactorToFit(int width, int height, int maxSide)
    {
        if (maxSide < 1) throw new ArgumentException($"maxSide must be at least 1, got {maxSide}.", nameof(maxSide));
        int side = Math.Max(width, height);
        return Math.Max(1, (side + maxSide - 1) / maxSide);
    }

    /// <summary>The <paramref name="cropWidth"/> × <paramref name="cropHeight"/> block at (<paramref name="x0"/>, <paramref name="y0"/>).</summary>
    /// <exception cref="ArgumentException">The block does not lie inside the picture.</exception>
    public static byte[] Crop(ReadOnlySpan<byte> pixels, int width, int height, int channels, int x0, int y0, int cropWidth, int cropHeight)
    {
        CheckChannels(channels);
        Check(pixels.Length, width, height, channels);
        if (x0 < 0 || y0 < 0 || cropWidth < 1 || cropHeight < 1 || x0 + cropWidth > width || y0 + cropHeight > height)
            throw new ArgumentException($"the crop {cropWidth} x {cropHeight} at ({x0}, {y0}) must lie inside the {width} x {height} picture.", nameof(x0));
        var result = new byte[cropWidth * cropHeight * channels];
        for (int y = 0; y < cropHeight; y++)
            pixels.Slice(((y0 + y) * width + x0) * channels, cropWidth * channels).CopyTo(result.AsSpan(y * cropWidth * channels));
        return result;
    }

    private static void CheckChannels(int channels)
    {
        if (channels is not (1 or 3)) throw new ArgumentException($"channels must be 1 (gray) or 3 (RGB), got {channels}.", nameof(channels));
    }

    private static void Check(int length, int width, int height, int channels)
    {
        if (width < 1 || height < 1 || (long)width * height * channels != length)
            throw new ArgumentException($"a {width} x {height} picture with {channels} channel(s) needs {(long)Math.Max(0, width) * Math.Max(0, height) * channels} bytes, got {length}.", nameof(width));
    }
}
