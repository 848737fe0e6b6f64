using SimSeg.Core.Imaging;

namespace SimSeg.Shapes.Tests.Instances;

/// <summary>Small synthetic volumes and naive reference algorithms for the instance tests.</summary>
internal static class Volumes
{
    public static Image<byte> Random(int w, int h, int d, double fill, int seed)
    {
        var random = new Random(seed);
        var mask = new Image<byte>(w, h, d);
        for (int i = 0; i < mask.Data.Length; i++) mask.Data[i] = random.NextDouble() < fill ? (byte)1 : (byte)0;
        return mask;
    }

    /// <summary>Sets every voxel within <paramref name="radius"/> of the centre to <paramref name="value"/>.</summary>
    public static void Ball(Image<int> volume, double cx, double cy, double cz, double radius, int value)
    {
        for (int z = 0; z < volume.Depth; z++)
            for (int y = 0; y < volume.Height; y++)
                for (int x = 0; x < volume.Width; x++)
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz) <= radius * radius) volume[x, y, z] = value;
    }

    /// <summary>Sets an axis-aligned box (inclusive bounds) to <paramref name="value"/>.</summary>
    public static void Box(Image<int> volume, int x0, int x1, int y0, int y1, int z0, int z1, int value)
    {
        for (int z = z0; z <= z1; z++)
            for (int y = y0; y <= y1; y++)
                for (int x = x0; x <= x1; x++) volume[x, y, z] = value;
    }

    /// <summary>Brute-force squared distance to the nearest zero voxel.</summary>
    public static double[] NaiveSquaredDistance(Image<byte> mask, double sx, double sy, double sz)
    {
        var zeros = new List<(int X, int Y, int Z)>();
        for (int z = 0; z < mask.Depth; z++)
            for (int y = 0; y < mask.Height; y++)
                for (int x = 0; x < mask.Width; x++)
                    if (mask[x, y, z] == 0) zeros.Add((x, y, z));
        var result = new double[mask.Data.Length];
        for (int z = 0, i = 0; z < mask.Depth; z++)
            for (int y = 0; y < mask.Height; y++)
                for (int x = 0; x < mask.Width; x++, i++)
                {
                    double best = double.PositiveInfinity;
                    foreach (var (zx, zy, zz) in zeros)
                    {
                        double dx = (x - zx) * sx, dy = (y - zy) * sy, dz = (z - zz) * sz;
                        best = Math.Min(best, dx * dx + dy * dy + dz * dz);
                    }
                    result[i] = best;
                }
        return result;
    }

    /// <summary>Brute-force ball erosion (outside = background) or dilation by visiting every ball offset.</summary>
    public static Image<byte> NaiveBall(Image<byte> mask, double radius, bool erode)
    {
        int r = (int)Math.Floor(radius);
        var result = new Image<byte>(mask.Width, mask.Height, mask.Depth);
        for (int z = 0; z < mask.Depth; z++)
            for (int y = 0; y < mask.Height; y++)
                for (int x = 0; x < mask.Width; x++)
                {
                    bool all = true, any = false;
                    for (int dz = -r; dz <= r; dz++)
                        for (int dy = -r; dy <= r; dy++)
                            for (int dx = -r; dx <= r; dx++)
                            {
                                if (dx * dx + dy * dy + dz * dz > radius * radius) continue;
                                int nx = x + dx, ny = y + dy, nz = z + dz;
                                bool inside = nx >= 0 && ny >= 0 && nz >= 0 && nx < mask.Width && ny < mask.Height && nz < mask.Depth;
                                bool set = inside && mask[nx, ny, nz] != 0;
                                all &= set;
                                any |= set;
                            }
                    result[x, y, z] = (erode ? all : any) ? (byte)1 : (byte)0;
                }
        return result;
    }
}
