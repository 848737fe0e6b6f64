namespace SimSeg.Core.IO;

/// <summary>
/// A 3×5-pixel bitmap font for the digits 0–9, to print object and track ids into overlay images (no font
/// rasteriser is reachable). Each digit is drawn at an integer scale with a dark outline so it reads on any
/// background.
/// </summary>
public static class DigitFont
{
    // Rows of each glyph, top to bottom; bit 2 is the left column.
    private static readonly byte[][] Glyphs =
    [
        [7, 5, 5, 5, 7], [2, 6, 2, 2, 7], [7, 1, 7, 4, 7], [7, 1, 7, 1, 7], [5, 5, 7, 1, 1],
        [7, 4, 7, 1, 7], [7, 4, 7, 5, 7], [7, 1, 1, 1, 1], [7, 5, 7, 5, 7], [7, 5, 7, 1, 7],
    ];

    /// <summary>Width in pixels of <paramref name="number"/> drawn at <paramref name="scale"/>.</summary>
    public static int Width(int number, int scale) => (Math.Abs(number).ToString(System.Globalization.CultureInfo.InvariantCulture).Length * 4 - 1) * scale;

    /// <summary>
    /// Draws the non-negative <paramref name="number"/> with its top-left corner at (<paramref name="x"/>,
    /// <paramref name="y"/>) into an RGB buffer (3 bytes per pixel, row-major), clipped to the image.
    /// </summary>
    public static void Draw(Span<byte> rgb, int width, int height, int x, int y, int number, int scale, byte r, byte g, byte b)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        Guard.Positive(scale);
        if (rgb.Length != width * height * 3) throw new ArgumentException($"rgb must hold width*height*3 = {width * height * 3} bytes, got {rgb.Length}.", nameof(rgb));
        string text = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Outline first (every pixel next to a glyph pixel, black), then the glyphs.
        for (int pass = 0; pass < 2; pass++)
        {
            for (int k = 0; k < text.Length; k++)
            {
                var glyph = Glyphs[text[k] - '0'];
                int ox = x + k * 4 * scale;
                for (int row = 0; row < 5; row++)
                    for (int col = 0; col < 3; col++)
                    {
                        if ((glyph[row] >> (2 - col) & 1) == 0) continue;
                        int px = ox + col * scale, py = y + row * scale;
                        if (pass == 0) Fill(rgb, width, height, px - 1, py - 1, scale + 2, 0, 0, 0);
                        else Fill(rgb, width, height, px, py, scale, r, g, b);
                    }
            }
        }
    }

    private static void Fill(Span<byte> rgb, int width, int height, int x0, int y0, int size, byte r, byte g, byte b)
    {
        for (int yy = Math.Max(0, y0); yy < Math.Min(height, y0 + size); yy++)
            for (int xx = Math.Max(0, x0); xx < Math.Min(width, x0 + size); xx++)
            {
                int i = (yy * width + xx) * 3;
                rgb[i] = r;
                rgb[i + 1] = g;
                rgb[i + 2] = b;
            }
    }
}
