using SimSeg.Core.Imaging;

namespace SimSeg.Shapes.Skeletons;

/// <summary>
/// The naive twin of <see cref="Skeletonizer.Skeletonize3D"/>: the same Lee–Kashyap–Chu thinning, written
/// plainly. Every sub-iteration rescans the whole volume in raster order, the neighbourhood is a 3×3×3 array,
/// the Euler change is computed block by block without the lookup table and the neighbour components by a
/// breadth-first search. Slow; kept so that a test can hold the fast path equal to it.
/// </summary>
internal static class ReferenceThinning
{
    public static Image<byte> Skeletonize3D(Image<byte> mask)
    {
        var volume = PaddedVolume.From(mask);
        byte[] voxels = volume.Voxels;
        var candidates = new List<int>();
        int unchanged = 0;
        while (unchanged < Skeletonizer.Directions.Length)
        {
            unchanged = 0;
            foreach (var (dx, dy, dz) in Skeletonizer.Directions)
            {
                int border = volume.Offset(dx, dy, dz);
                candidates.Clear();
                foreach (int p in volume.ObjectIndices())
                    if (voxels[p + border] == 0 && IsDeletable(Read(volume, p)))
                        candidates.Add(p);

                bool changed = false;
                foreach (int p in candidates)
                {
                    if (!IsSimple(Read(volume, p))) continue;
                    voxels[p] = 0;
                    changed = true;
                }
                if (!changed) unchanged++;
            }
        }
        return volume.ToImage(mask.Calibration);
    }

    /// <summary>The 3×3×3 neighbourhood, indexed [dx+1, dy+1, dz+1].</summary>
    private static bool[,,] Read(PaddedVolume volume, int p)
    {
        var n = new bool[3, 3, 3];
        for (int dz = -1; dz <= 1; dz++)
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++)
                    n[dx + 1, dy + 1, dz + 1] = volume.Voxels[p + volume.Offset(dx, dy, dz)] != 0;
        return n;
    }

    private static bool IsDeletable(bool[,,] n)
    {
        int neighbours = 0;
        foreach (bool b in n) if (b) neighbours++;
        neighbours--; // the centre
        return neighbours != 1 && IsSimple(n); // endpoints are kept
    }

    private static bool IsSimple(bool[,,] n) => EulerChange(n) == 0 && NeighbourComponents(n) == 1;

    private static int EulerChange(bool[,,] n)
    {
        int sum = 0;
        for (int sz = -1; sz <= 1; sz += 2)
            for (int sy = -1; sy <= 1; sy += 2)
                for (int sx = -1; sx <= 1; sx += 2)
                {
                    int block = 0;
                    for (int k = 0; k < 2; k++)
                        for (int j = 0; j < 2; j++)
                            for (int i = 0; i < 2; i++)
                                if (n[1 + i * sx, 1 + j * sy, 1 + k * sz])
                                    block |= 1 << (i + 2 * j + 4 * k);
                    sum += Neighborhood26.BlockEulerTimes8(block) - Neighborhood26.BlockEulerTimes8(block & ~1);
                }
        return sum;
    }

    private static int NeighbourComponents(bool[,,] n)
    {
        var seen = new bool[3, 3, 3];
        seen[1, 1, 1] = true;
        int components = 0;
        var queue = new Queue<(int, int, int)>();
        for (int z = 0; z < 3; z++)
            for (int y = 0; y < 3; y++)
                for (int x = 0; x < 3; x++)
                {
                    if (!n[x, y, z] || seen[x, y, z]) continue;
                    components++;
                    seen[x, y, z] = true;
                    queue.Enqueue((x, y, z));
                    while (queue.Count > 0)
                    {
                        var (cx, cy, cz) = queue.Dequeue();
                        for (int dz = -1; dz <= 1; dz++)
                            for (int dy = -1; dy <= 1; dy++)
                                for (int dx = -1; dx <= 1; dx++)
                                {
                                    int ax = cx + dx, ay = cy + dy, az = cz + dz;
                                    if (ax < 0 || ay < 0 || az < 0 || ax > 2 || ay > 2 || az > 2) continue;
                                    if (!n[ax, ay, az] || seen[ax, ay, az]) continue;
                                    seen[ax, ay, az] = true;
                                    queue.Enqueue((ax, ay, az));
                                }
                    }
                }
        return components;
    }
}
