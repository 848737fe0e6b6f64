using SimSeg.Core;
using SimSeg.Core.Imaging;

namespace SimSeg.Shapes.Instances;

/// <summary>
/// Exact squared Euclidean distance transform of a 3D binary mask with anisotropic voxel spacing: for every voxel,
/// the squared distance to the nearest voxel whose mask value is 0 (as scipy.ndimage.distance_transform_edt, squared).
/// </summary>
/// <remarks>
/// Felzenszwalb and Huttenlocher, "Distance Transforms of Sampled Functions", Theory of Computing 8 (2012): the lower
/// envelope of parabolas, run separably along x, then y, then z; O(voxels) time. Voxels outside the volume do not
/// count as background. Background voxels get 0; when the mask has no background at all every voxel gets
/// <see cref="double.PositiveInfinity"/>.
/// </remarks>
public static class DistanceTransform
{
    /// <summary>
    /// Squared distance (in the units of the spacings, e.g. voxels or nm²) from each voxel to the nearest 0 voxel of
    /// <paramref name="mask"/>.
    /// </summary>
    /// <param name="mask">Binary volume; any non-zero value is foreground.</param>
    /// <param name="spacingX">Voxel size along x (columns), &gt; 0.</param>
    /// <param name="spacingY">Voxel size along y (rows), &gt; 0.</param>
    /// <param name="spacingZ">Voxel size along z (planes), &gt; 0.</param>
    /// <returns>A volume of the mask's size holding squared distances, with the mask's calibration.</returns>
    public static Image<double> SquaredEuclidean(Image<byte> mask, double spacingX = 1, double spacingY = 1, double spacingZ = 1)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var result = new Image<double>(mask.Width, mask.Height, mask.Depth, mask.Calibration);
        SquaredEuclidean(mask.Data, mask.Width, mask.Height, mask.Depth, spacingX, spacingY, spacingZ, result.Data);
        return result;
    }

    /// <summary>
    /// Span form of <see cref="SquaredEuclidean(Image{byte}, double, double, double)"/>: <paramref name="mask"/> and
    /// <paramref name="destination"/> hold width·height·depth voxels in x-fastest order.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than width·height·depth, or a spacing is not positive.</exception>
    public static void SquaredEuclidean(ReadOnlySpan<byte> mask, int width, int height, int depth,
        double spacingX, double spacingY, double spacingZ, Span<double> destination)
    {
        Guard.Positive(width);
        Guard.Positive(height);
        Guard.Positive(depth);
        Guard.Positive(spacingX);
        Guard.Positive(spacingY);
        Guard.Positive(spacingZ);
        long count = (long)width * height * depth;
        if (mask.Length < count) throw new ArgumentException($"mask has {mask.Length} voxels; a {width}x{height}x{depth} volume needs {count}.", nameof(mask));
        if (destination.Length < count) throw new ArgumentException($"destination has {destination.Length} voxels; a {width}x{height}x{depth} volume needs {count}.", nameof(destination));

        for (int i = 0; i < count; i++) destination[i] = mask[i] == 0 ? 0 : double.PositiveInfinity;
        int longest = Math.Max(width, Math.Max(height, depth));
        var scratch = new Envelope(longest);
        int plane = width * height;
        // x: rows are contiguous.
        for (int line = 0; line < height * depth; line++)
            scratch.Transform(destination, line * width, 1, width, spacingX * spacingX);
        // y: stride width within each plane.
        for (int z = 0; z < depth; z++)
            for (int x = 0; x < width; x++)
                scratch.Transform(destination, z * plane + x, width, height, spacingY * spacingY);
        // z: stride one plane.
        if (depth > 1)
            for (int i = 0; i < plane; i++)
                scratch.Transform(destination, i, plane, depth, spacingZ * spacingZ);
    }

    /// <summary>Scratch buffers for the 1D lower envelope of parabolas.</summary>
    private sealed class Envelope(int capacity)
    {
        private readonly double[] _f = new double[capacity];
        private readonly int[] _v = new int[capacity];
        private readonly double[] _z = new double[capacity + 1];

        /// <summary>d(p) = min_q (w²(p − q)² + f(q)) over the strided line, in place; infinite f values are not sites.</summary>
        public void Transform(Span<double> data, int start, int stride, int n, double weight)
        {
            double[] f = _f;
            int[] v = _v;
            double[] z = _z;
            int k = -1;
            for (int q = 0, at = start; q < n; q++, at += stride)
            {
                double fq = data[at];
                f[q] = fq;
                if (double.IsPositiveInfinity(fq)) continue;
                double s = double.NegativeInfinity;
                while (k >= 0)
                {
                    int p = v[k];
                    s = ((fq + weight * q * q) - (f[p] + weight * p * p)) / (2 * weight * (q - p));
                    if (s > z[k]) break;
                    k--;
                }
                k++;
                v[k] = q;
                z[k] = k == 0 ? double.NegativeInfinity : s;
                z[k + 1] = double.PositiveInfinity;
            }
            if (k < 0) return; // no site on this line: it stays infinite
            int j = 0;
            for (int q = 0, at = start; q < n; q++, at += stride)
            {
                while (z[j + 1] < q) j++;
                double d = q - v[j];
                data[at] = weight * d * d + f[v[j]];
            }
        }
    }
}
