using SimSeg.Core;
using SimSeg.Core.Imaging;

namespace SimSeg.Shapes.Instances;

/// <summary>Resampling of label volumes to a new voxel size.</summary>
public static class Resample
{
    /// <summary>
    /// Nearest-neighbour resampling of <paramref name="labels"/> to isotropic voxels of <paramref name="targetVoxelNm"/>
    /// nm; label values are copied, never blended. Each axis gets max(1, round(n·from/target)) voxels and output voxel
    /// i takes the source voxel containing its centre ((i + ½)·target), so the volumes share their outer faces.
    /// </summary>
    /// <param name="labels">Label volume.</param>
    /// <param name="from">Its voxel size in nm; all three axes must be known (&gt; 0).</param>
    /// <param name="targetVoxelNm">Output voxel edge in nm, &gt; 0 (3DMSL: 24).</param>
    /// <returns>The resampled labels, calibrated with the isotropic target size.</returns>
    /// <exception cref="ArgumentException">A voxel size is unknown or not positive, or the output is too large.</exception>
    public static Image<int> NearestNeighbour(Image<int> labels, Calibration from, double targetVoxelNm)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(from);
        Guard.Positive(targetVoxelNm);
        if (!(from.PixelWidthNm > 0 && from.PixelHeightNm > 0 && from.PlaneSpacingNm > 0))
            throw new ArgumentException($"from must give the voxel size on all three axes, got x={from.PixelWidthNm}, y={from.PixelHeightNm}, z={from.PlaneSpacingNm} nm.", nameof(from));
        int[] mapX = Map(labels.Width, from.PixelWidthNm, targetVoxelNm);
        int[] mapY = Map(labels.Height, from.PixelHeightNm, targetVoxelNm);
        int[] mapZ = Map(labels.Depth, from.PlaneSpacingNm, targetVoxelNm);
        var result = new Image<int>(mapX.Length, mapY.Length, mapZ.Length, Calibration.Square(targetVoxelNm, targetVoxelNm));
        for (int z = 0; z < mapZ.Length; z++)
            for (int y = 0; y < mapY.Length; y++)
            {
                Span<int> source = labels.Row(mapY[y], mapZ[z]);
                Span<int> row = result.Row(y, z);
                for (int x = 0; x < row.Length; x++) row[x] = source[mapX[x]];
            }
        return result;
    }

    private static int[] Map(int n, double fromNm, double toNm)
    {
        double size = Math.Round(n * fromNm / toNm);
        if (size > 1 << 20) throw new ArgumentException($"resampling {n} voxels of {fromNm} nm to {toNm} nm gives {size} voxels, too many.", nameof(toNm));
        var map = new int[Math.Max(1, (int)size)];
        for (int i = 0; i < map.Length; i++) map[i] = Math.Clamp((int)Math.Floor((i + 0.5) * toNm / fromNm), 0, n - 1);
        return map;
    }
}
