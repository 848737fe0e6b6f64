using SimSeg.Analysis.Labels;
using SimSeg.Core.Imaging;

namespace SimSeg.Analysis.Morphology;

/// <summary>Binary morphology of 2D masks: skeletons.</summary>
public static class Morphology
{
    /// <summary>
    /// One-pixel-wide, 8-connected skeleton of a binary mask by Zhang–Suen two-sub-iteration thinning (Zhang &amp;
    /// Suen 1984) with scikit-image's deletion table, so the result equals <c>skimage.morphology.skeletonize</c>
    /// on 2D input: a filled rectangle thins to a line along its long axis, a disc to a short line or point,
    /// one-pixel lines are kept. Pixels outside the image count as background. Thinning never splits or merges
    /// objects; applying it to a skeleton changes nothing.
    /// </summary>
    /// <param name="mask">One plane; every pixel 0 or 1, or 0 or 255.</param>
    /// <returns>A new image (same size and calibration) with skeleton pixels 1, others 0.</returns>
    /// <exception cref="ArgumentException">The mask has several planes or is not binary.</exception>
    public static Image<byte> Skeletonize(Image<byte> mask)
    {
        BinaryMask.Require(mask, nameof(mask));
        var skeleton = Thin(mask.Data, mask.Width, mask.Height);
        return new Image<byte>(mask.Width, mask.Height, 1, skeleton, mask.Calibration);
    }

    /// <summary>Skeleton (0/1) of a row-major mask of <paramref name="w"/>×<paramref name="h"/> pixels, any nonzero pixel foreground.</summary>
    internal static byte[] Thin(ReadOnlySpan<byte> mask, int w, int h)
    {
        int pw = w + 2;
        var padded = new byte[pw * (h + 2)];
        var candidates = new List<int>();
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (mask[y * w + x] != 0)
                {
                    int p = (y + 1) * pw + x + 1;
                    padded[p] = 1;
                    candidates.Add(p);
                }

        var table = ZhangSuenTable.Deletable;
        var removed = new List<int>();
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int pass = 1; pass <= 2; pass++)
            {
                removed.Clear();
                foreach (int p in candidates)
                    if ((table[Code(padded, p, pw)] & pass) != 0) removed.Add(p);
                if (removed.Count == 0) continue;
                changed = true;
                foreach (int p in removed) padded[p] = 0;
                candidates.RemoveAll(p => padded[p] == 0);
            }
        }

        var skeleton = new byte[w * h];
        foreach (int p in candidates) skeleton[(p / pw - 1) * w + p % pw - 1] = 1;
        return skeleton;
    }

    /// <summary>
    /// Reference twin of <see cref="Skeletonize"/>: whole-image sweeps with bounds checks and a copy per
    /// sub-iteration, as scikit-image's loop is written. Tests hold the two equal.
    /// </summary>
    internal static Image<byte> SkeletonizeNaive(Image<byte> mask)
    {
        int w = mask.Width, h = mask.Height;
        var current = new byte[w * h];
        for (int i = 0; i < current.Length; i++) current[i] = mask.Data[i] != 0 ? (byte)1 : (byte)0;
        int At(byte[] image, int x, int y) => x < 0 || y < 0 || x >= w || y >= h ? 0 : image[y * w + x];
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int pass = 1; pass <= 2; pass++)
            {
                var next = (byte[])current.Clone();
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                    {
                        if (current[y * w + x] == 0) continue;
                        int code = At(current, x - 1, y - 1) + 2 * At(current, x, y - 1) + 4 * At(current, x + 1, y - 1)
                            + 8 * At(current, x + 1, y) + 16 * At(current, x + 1, y + 1) + 32 * At(current, x, y + 1)
                            + 64 * At(current, x - 1, y + 1) + 128 * At(current, x - 1, y);
                        if ((ZhangSuenTable.Deletable[code] & pass) == 0) continue;
                        next[y * w + x] = 0;
                        changed = true;
                    }
                current = next;
            }
        }
        return new Image<byte>(w, h, 1, current, mask.Calibration);
    }

    /// <summary>Neighbourhood code of padded pixel <paramref name="p"/> (see <see cref="ZhangSuenTable"/>).</summary>
    private static int Code(byte[] image, int p, int stride) =>
        image[p - stride - 1] | image[p - stride] << 1 | image[p - stride + 1] << 2 | image[p + 1] << 3
        | image[p + stride + 1] << 4 | image[p + stride] << 5 | image[p + stride - 1] << 6 | image[p - 1] << 7;
}
