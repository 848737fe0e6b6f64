using SimSeg.Core.Imaging;

namespace SimSeg.Shapes.Instances;

/// <summary>Which neighbours of a voxel count as touching it.</summary>
public enum Connectivity
{
    /// <summary>Face neighbours only (6).</summary>
    Six = 6,

    /// <summary>Face and edge neighbours (18).</summary>
    Eighteen = 18,

    /// <summary>Face, edge and corner neighbours (26).</summary>
    TwentySix = 26,
}

/// <summary>
/// Labels the connected components of a 3D binary mask: two-pass raster scan with union-find (path compression,
/// union by smaller root), components numbered 1..count in raster order (x fastest, then y, then z) of their first voxel.
/// </summary>
public static class ConnectedComponents3D
{
    /// <summary>Labels the foreground (non-zero) voxels of <paramref name="mask"/>.</summary>
    /// <param name="mask">Binary volume.</param>
    /// <param name="connectivity">Which neighbours touch.</param>
    /// <returns>Labels (0 = background, 1..count) with the mask's calibration, and the number of components.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="connectivity"/> is not a defined value.</exception>
    public static (Image<int> Labels, int Count) Label(Image<byte> mask, Connectivity connectivity = Connectivity.TwentySix)
    {
        ArgumentNullException.ThrowIfNull(mask);
        (int Dx, int Dy, int Dz)[] earlier = EarlierNeighbours(connectivity);
        int w = mask.Width, h = mask.Height, d = mask.Depth;
        var labels = new Image<int>(w, h, d, mask.Calibration);
        int[] result = labels.Data;
        byte[] m = mask.Data;
        // parent[label] for provisional labels 1..used; label 0 is background.
        var parent = new int[64];
        int used = 0;

        int Find(int a)
        {
            int root = a;
            while (parent[root] != root) root = parent[root];
            while (parent[a] != root) (parent[a], a) = (root, parent[a]);
            return root;
        }

        for (int z = 0; z < d; z++)
            for (int y = 0; y < h; y++)
            {
                int row = (z * h + y) * w;
                for (int x = 0; x < w; x++)
                {
                    if (m[row + x] == 0) continue;
                    int current = 0;
                    foreach (var (dx, dy, dz) in earlier)
                    {
                        int nx = x + dx, ny = y + dy, nz = z + dz;
                        if ((uint)nx >= (uint)w || (uint)ny >= (uint)h || nz < 0) continue;
                        int neighbour = result[(nz * h + ny) * w + nx];
                        if (neighbour == 0) continue;
                        if (current == 0) { current = neighbour; continue; }
                        int a = Find(current), b = Find(neighbour);
                        if (a != b)
                        {
                            if (a < b) parent[b] = a;
                            else parent[a] = b;
                        }
                    }
                    if (current == 0)
                    {
                        current = ++used;
                        if (current == parent.Length) Array.Resize(ref parent, 2 * parent.Length);
                        parent[current] = current;
                    }
                    result[row + x] = current;
                }
            }

        // Provisional labels grow in raster order and roots are the smallest label of their set, but renumber on
        // first sight anyway so the raster-order promise does not hang on the union rule.
        var final = new int[used + 1];
        int count = 0;
        for (int i = 0; i < result.Length; i++)
        {
            if (result[i] == 0) continue;
            int root = Find(result[i]);
            if (final[root] == 0) final[root] = ++count;
            result[i] = final[root];
        }
        return (labels, count);
    }

    /// <summary>The neighbour offsets visited before a voxel in raster order.</summary>
    internal static (int Dx, int Dy, int Dz)[] EarlierNeighbours(Connectivity connectivity)
    {
        int limit = connectivity switch
        {
            Connectivity.Six => 1,
            Connectivity.Eighteen => 2,
            Connectivity.TwentySix => 3,
            _ => throw new ArgumentOutOfRangeException(nameof(connectivity), connectivity, "connectivity must be Six, Eighteen or TwentySix."),
        };
        var result = new List<(int, int, int)>();
        for (int dz = -1; dz <= 0; dz++)
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++)
                {
                    bool before = dz < 0 || (dz == 0 && (dy < 0 || (dy == 0 && dx < 0)));
                    if (before && Math.Abs(dx) + Math.Abs(dy) + Math.Abs(dz) <= limit) result.Add((dx, dy, dz));
                }
        return [.. result];
    }

    /// <summary>All neighbour offsets of a connectivity.</summary>
    internal static (int Dx, int Dy, int Dz)[] AllNeighbours(Connectivity connectivity)
        => [.. EarlierNeighbours(connectivity), .. EarlierNeighbours(connectivity).Select(o => (-o.Dx, -o.Dy, -o.Dz))];
}
