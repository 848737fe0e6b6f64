using SimSeg.Core.Imaging;

namespace SimSeg.Analysis.Labels;

/// <summary>Clean-up of binary masks (as scikit-image's <c>remove_small_objects</c>).</summary>
public static class SmallObjects
{
    /// <summary>
    /// A copy of <paramref name="mask"/> without the connected objects of fewer than <paramref name="minPixels"/>
    /// pixels, plane by plane (each plane of a stack or time series on its own).
    /// </summary>
    public static Image<byte> Remove(Image<byte> mask, int minPixels, Connectivity2D connectivity = Connectivity2D.Eight)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (minPixels < 0) throw new ArgumentOutOfRangeException(nameof(minPixels), minPixels, $"minPixels must be >= 0, got {minPixels}.");
        var result = new Image<byte>(mask.Width, mask.Height, mask.Depth, mask.Calibration);
        for (int z = 0; z < mask.Depth; z++)
        {
            var plane = mask.ClonePlane(z);
            for (int i = 0; i < plane.Data.Length; i++) plane.Data[i] = plane.Data[i] != 0 ? (byte)1 : (byte)0;
            var (labels, count) = Measure.Label(plane, connectivity);
            var size = new int[count + 1];
            foreach (int l in labels.Data) size[l]++;
            var target = result.Plane(z);
            for (int i = 0; i < labels.Data.Length; i++)
            {
                int l = labels.Data[i];
                target[i] = l != 0 && size[l] >= minPixels ? (byte)1 : (byte)0;
            }
        }
        return result;
    }
}
