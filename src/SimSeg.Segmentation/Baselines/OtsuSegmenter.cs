using SimSeg.Core.Imaging;

namespace SimSeg.Segmentation.Baselines;

/// <summary>
/// The global-threshold baseline of PhySeg's Table 1: Gaussian smoothing (σ in pixels, 0 = none) and Otsu's
/// threshold, plane by plane (each z slice or time point of a stack is thresholded on its own).
/// </summary>
public static class OtsuSegmenter
{
    /// <summary>A 0/1 mask with the image's size and calibration, one plane per input plane.</summary>
    public static Image<byte> Segment<T>(Image<T> image, double smoothingSigma = 1.0) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(image);
        Core.Guard.NonNegative(smoothingSigma);
        int w = image.Width, h = image.Height, n = w * h;
        var mask = new Image<byte>(w, h, image.Depth, image.Calibration);
        var plane = new float[n];
        var smooth = new float[n];
        for (int z = 0; z < image.Depth; z++)
        {
            Planes.ToFloat(image, z, plane);
            GaussianBlur.Apply(plane, w, h, smoothingSigma, smooth);
            Planes.Above(smooth, Threshold.Otsu(smooth), mask.Plane(z));
        }
        return mask;
    }
}
