using SimSeg.Core.Imaging;

namespace SimSeg.Analysis.Labels;

public static partial class Measure
{
    /// <summary>
    /// Measures every labelled object (see <see cref="Labels.RegionProps"/> for each quantity and its convention),
    /// in ascending label order. Labels need not be consecutive; gaps are skipped.
    /// </summary>
    /// <param name="labels">One plane of labels ≥ 0; 0 is background.</param>
    /// <param name="intensity">Optional image of the same size for mean and integrated intensity.</param>
    /// <exception cref="ArgumentException">Several planes, a negative label, or an intensity image of another size.</exception>
    public static IReadOnlyList<RegionProps> RegionProps(Image<int> labels, Image<float>? intensity = null)
    {
        BinaryMask.RequireLabels(labels, nameof(labels));
        if (intensity is not null && (intensity.Width != labels.Width || intensity.Height != labels.Height || intensity.Depth != 1))
            throw new ArgumentException($"intensity must be one {labels.Width}x{labels.Height} plane like labels, got {intensity.Width}x{intensity.Height}x{intensity.Depth}.", nameof(intensity));
        var objects = ObjectPixels.Gather(labels);
        var result = new RegionProps[objects.Count];
        Parallel.For(0, objects.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => result[i] = MeasureOne(objects, i, labels.Width, intensity));
        return result;
    }

    private static RegionProps MeasureOne(ObjectPixels objects, int index, int width, Image<float>? intensity)
    {
        var pixels = objects.Pixels(index);
        int n = pixels.Length;
        int minX = int.MaxValue, minY = int.MaxValue, maxX = int.MinValue, maxY = int.MinValue;
        double sx = 0, sy = 0, sum = 0;
        foreach (int p in pixels)
        {
            int x = p % width, y = p / width;
            sx += x;
            sy += y;
            if (x < minX) minX = x;
            if (x > maxX) maxX = x;
            if (y < minY) minY = y;
            if (y > maxY) maxY = y;
            if (intensity is not null) sum += intensity.Data[p];
        }
        double cx = sx / n, cy = sy / n;
        double vxx = 0, vyy = 0, vxy = 0;
        foreach (int p in pixels)
        {
            double dx = p % width - cx, dy = p / width - cy;
            vxx += dx * dx;
            vyy += dy * dy;
            vxy += dx * dy;
        }
        vxx /= n;
        vyy /= n;
        vxy /= n;
        // Eigenvalues of the covariance [[vxx, vxy], [vxy, vyy]].
        double mean = (vxx + vyy) / 2, spread = Math.Sqrt(((vxx - vyy) / 2) * ((vxx - vyy) / 2) + vxy * vxy);
        double l1 = mean + spread, l2 = Math.Max(mean - spread, 0);
        // scikit-image: 0.5·atan2(−2b, c − a) with a = var(col), b = −cov, c = var(row); ±π/4 when a = c.
        double orientation = vxx == vyy ? (vxy > 0 ? -Math.PI / 4 : Math.PI / 4) : 0.5 * Math.Atan2(2 * vxy, vyy - vxx);
        double eccentricity = l1 == 0 ? 0 : Math.Sqrt(1 - l2 / l1);

        var box = new PixelBox(minX, minY, maxX - minX + 1, maxY - minY + 1);
        var crop = ObjectPixels.Crop(pixels, width, box);
        double perimeter = RegionPerimeter.Estimate(crop, box.Width, box.Height);
        double convexArea = ConvexHull.AreaOfPixelSquares(crop, box.Width, box.Height);
        return new RegionProps(objects.Label(index), n, perimeter, cx, cy, box,
            4 * Math.Sqrt(l1), 4 * Math.Sqrt(l2), orientation, eccentricity, convexArea, n / convexArea,
            Math.Sqrt(4 * n / Math.PI),
            intensity is null ? null : sum / n, intensity is null ? null : sum);
    }
}
