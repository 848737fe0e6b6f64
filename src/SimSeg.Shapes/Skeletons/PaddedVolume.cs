using System.Diagnostics;
using SimSeg.Core.Imaging;

namespace SimSeg.Shapes.Skeletons;

/// <summary>
/// A binary volume (0 or 1 per voxel) with one voxel of background on every side, so that the 26 neighbours
/// of every inner voxel can be read without bounds checks. Index = ((z+1)·PaddedHeight + y+1)·PaddedWidth + x+1
/// for volume coordinates (x, y, z).
/// </summary>
internal sealed class PaddedVolume
{
    private PaddedVolume(int width, int height, int depth)
    {
        Width = width;
        Height = height;
        Depth = depth;
        long length = (long)(width + 2) * (height + 2) * (depth + 2);
        if (length > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(width), $"A {width}x{height}x{depth} volume is too large to thin ({length} padded voxels, at most {Array.MaxLength}).");
        Voxels = new byte[length];
    }

    public int Width { get; }

    public int Height { get; }

    public int Depth { get; }

    public int PaddedWidth => Width + 2;

    public int PaddedHeight => Height + 2;

    /// <summary>0 = background, 1 = object.</summary>
    public byte[] Voxels { get; }

    /// <summary>A padded copy of <paramref name="mask"/> with every nonzero voxel set to 1.</summary>
    public static PaddedVolume From(Image<byte> mask)
    {
        var volume = new PaddedVolume(mask.Width, mask.Height, mask.Depth);
        for (int z = 0; z < mask.Depth; z++)
            for (int y = 0; y < mask.Height; y++)
            {
                var row = mask.Row(y, z);
                int start = volume.Index(0, y, z);
                for (int x = 0; x < row.Length; x++)
                    volume.Voxels[start + x] = row[x] != 0 ? (byte)1 : (byte)0;
            }
        return volume;
    }

    /// <summary>The unpadded volume as a new image.</summary>
    public Image<byte> ToImage(Calibration calibration)
    {
        var image = new Image<byte>(Width, Height, Depth, calibration);
        for (int z = 0; z < Depth; z++)
            for (int y = 0; y < Height; y++)
                Voxels.AsSpan(Index(0, y, z), Width).CopyTo(image.Row(y, z));
        return image;
    }

    /// <summary>Padded index of volume voxel (x, y, z).</summary>
    public int Index(int x, int y, int z)
    {
        Debug.Assert(x >= -1 && x <= Width && y >= -1 && y <= Height && z >= -1 && z <= Depth);
        return ((z + 1) * PaddedHeight + y + 1) * PaddedWidth + x + 1;
    }

    /// <summary>Volume coordinates of padded index <paramref name="index"/>.</summary>
    public (int X, int Y, int Z) Coordinates(int index)
    {
        int x = index % PaddedWidth;
        int rest = index / PaddedWidth;
        return (x - 1, rest % PaddedHeight - 1, rest / PaddedHeight - 1);
    }

    /// <summary>Index difference of a step (dx, dy, dz).</summary>
    public int Offset(int dx, int dy, int dz) => (dz * PaddedHeight + dy) * PaddedWidth + dx;

    /// <summary>Index offsets of the 27 voxels of a 3×3×3 neighbourhood, in <see cref="Neighborhood26"/> bit order.</summary>
    public int[] NeighbourOffsets()
    {
        var offsets = new int[27];
        for (int dz = -1; dz <= 1; dz++)
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++)
                    offsets[Neighborhood26.Bit(dx, dy, dz)] = Offset(dx, dy, dz);
        return offsets;
    }

    /// <summary>Padded indices of the object voxels in raster order (x fastest).</summary>
    public IEnumerable<int> ObjectIndices()
    {
        for (int z = 0; z < Depth; z++)
            for (int y = 0; y < Height; y++)
            {
                int start = Index(0, y, z);
                for (int i = start; i < start + Width; i++)
                    if (Voxels[i] != 0) yield return i;
            }
    }
}
