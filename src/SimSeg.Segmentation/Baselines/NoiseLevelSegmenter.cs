using SimSeg.Core.Imaging;

namespace SimSeg.Segmentation.Baselines;

/// <summary>
/// A threshold at the noise level, the rule of PhySeg's fourth ground-truth method (Supp. Table 6) applied to a
/// camera image: after Gaussian smoothing, a pixel is foreground when it exceeds the background (the median of the
/// smoothed plane) by more than k robust standard deviations (1.4826 × the median absolute deviation). Unlike
/// Otsu's threshold it does not depend on the brightest objects, so dim objects next to bright ones survive;
/// planes are thresholded one by one.
/// </summary>
public static class NoiseLevelSegmenter
{
    /// <summary>A 0/1 mask with the image's size and calibration, one plane per input plane.</summary>
    /// <param name="image">The image (any pixel type).</param>
    /// <param name="smoothingSigma">Gaussian smoothing, pixels (0 = none).</param>
    /// <param name="k">Threshold in robust standard deviations above the background (&gt; 0).</param>
    public static Image<byte> Segment<T>(Image<T> image, double smoothingSigma = 2.0, double k = 5.0) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(image);
        Core.Guard.NonNegative(smoothingSigma);
        Core.Guard.Positive(k);
        int w = image.Width, h = image.Height, n = w * h;
        var mask = new Image<byte>(w, h, image.Depth, image.Calibration);
        var plane = new float[n];
        var smooth = new float[n];
        var scratch = new float[n];
        for (int z = 0; z < image.Depth; z++)
        {
            Planes.ToFloat(image, z, plane);
            GaussianBlur.Apply(plane, w, h, smoothingSigma, smooth);
            double background = Median(smooth, scratch);
            for (int i = 0; i < n; i++) scratch[i] = Math.Abs(smooth[i] - (float)background);
            double sigma = 1.4826 * Median(scratch, scratch);
            Planes.Above(smooth, background + k * sigma, mask.Plane(z));
        }
        return mask;
    }

    // Median by sorting a copy in the scratch buffer (which may be the input itself).
    private static double Median(float[] values, float[] scratch)
    {
        if (!ReferenceEquals(values, scratch)) values.CopyTo(scratch, 0);
        Array.Sort(scratch);
        int n = scratch.Length;
        return n % 2 == 1 ? scratch[n / 2] : 0.5 * (scratch[n / 2 - 1] + scratch[n / 2]);
    }
}
