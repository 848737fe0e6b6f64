using SimSeg.Core.Imaging;

namespace SimSeg.Core.IO;

/// <summary>Side-by-side previews of an image and its labels, for a quick look at a dataset.</summary>
public static class Overlay
{
    // Colours by class (1 mitochondrion: green, 2 vesicle: magenta, others: yellow).
    private static readonly byte[][] ClassColours = [[0, 0, 0], [40, 220, 90], [230, 60, 220], [240, 220, 40]];

    /// <summary>
    /// An RGB picture twice as wide as the image: on the left the image auto-contrasted (0.5–99.5 percentiles),
    /// on the right the same with the class image blended in (alpha 0.45) and label borders drawn opaque.
    /// Returns the RGB bytes (row-major, 3 per pixel) and the picture width.
    /// </summary>
    /// <param name="image">The picture (any pixel type).</param>
    /// <param name="classes">Class per pixel, 0 = background.</param>
    /// <param name="plane">The plane of <paramref name="image"/> to show.</param>
    /// <param name="palette">RGB colour of class 1, 2, …; classes past its end take its last colour. Null: 1 green, 2 magenta, 3+ yellow.</param>
    public static (byte[] Rgb, int Width) SideBySide<T>(Image<T> image, Image<byte> classes, int plane = 0, IReadOnlyList<byte[]>? palette = null)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Width != image.Width || classes.Height != image.Height)
            throw new ArgumentException($"classes is {classes.Width}x{classes.Height} but the image is {image.Width}x{image.Height}.", nameof(classes));
        int w = image.Width, h = image.Height, outW = 2 * w;
        byte[] gray = Preview.AutoContrast(image, plane);
        var rgb = new byte[outW * h * 3];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                byte g = gray[y * w + x];
                int left = (y * outW + x) * 3, right = (y * outW + w + x) * 3;
                rgb[left] = rgb[left + 1] = rgb[left + 2] = g;
                byte c = classes[x, y];
                if (c == 0)
                {
                    rgb[right] = rgb[right + 1] = rgb[right + 2] = g;
                    continue;
                }
                var colour = palette is { Count: > 0 } ? palette[Math.Min(c, palette.Count) - 1] : ClassColours[Math.Min(c, ClassColours.Length - 1)];
                bool border = x == 0 || y == 0 || x == w - 1 || y == h - 1
                    || classes[x - 1, y] != c || classes[x + 1, y] != c || classes[x, y - 1] != c || classes[x, y + 1] != c;
                double alpha = border ? 1 : 0.45;
                for (int k = 0; k < 3; k++) rgb[right + k] = (byte)Math.Round((1 - alpha) * g + alpha * colour[k]);
            }
        }
        return (rgb, outW);
    }
}
