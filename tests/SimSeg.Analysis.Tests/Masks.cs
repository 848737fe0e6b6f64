using SimSeg.Core.Imaging;

namespace SimSeg.Analysis.Tests;

/// <summary>Hand-built test masks.</summary>
internal static class Masks
{
    /// <summary>A mask from ASCII art: '#' (or any non-'.' character) is foreground.</summary>
    public static Image<byte> FromAscii(params string[] rows)
    {
        var image = new Image<byte>(rows[0].Length, rows.Length);
        for (int y = 0; y < rows.Length; y++)
            for (int x = 0; x < rows[y].Length; x++)
                image[x, y] = rows[y][x] == '.' ? (byte)0 : (byte)1;
        return image;
    }

    /// <summary>The mask as ASCII art, '#' foreground, '.' background.</summary>
    public static string[] ToAscii(Image<byte> image) =>
        Enumerable.Range(0, image.Height)
            .Select(y => new string(Enumerable.Range(0, image.Width).Select(x => image[x, y] != 0 ? '#' : '.').ToArray()))
            .ToArray();

    /// <summary>A filled rectangle on a background margin.</summary>
    public static Image<byte> Rectangle(int width, int height, int x, int y, int imageWidth, int imageHeight)
    {
        var image = new Image<byte>(imageWidth, imageHeight);
        for (int j = y; j < y + height; j++)
            for (int i = x; i < x + width; i++)
                image[i, j] = 1;
        return image;
    }

    /// <summary>Pixels whose centre is within <paramref name="radius"/> of (cx, cy).</summary>
    public static Image<byte> Disc(double radius, int cx, int cy, int size)
    {
        var image = new Image<byte>(size, size);
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius) image[x, y] = 1;
        return image;
    }

    /// <summary>Random blobs: a seeded random field, mostly foreground in clumps.</summary>
    public static Image<byte> Random(int width, int height, double density, int seed)
    {
        var random = new Random(seed);
        var image = new Image<byte>(width, height);
        for (int i = 0; i < image.Data.Length; i++) image.Data[i] = random.NextDouble() < density ? (byte)1 : (byte)0;
        return image;
    }
}
