using SimSeg.Core.Imaging;

namespace SimSeg.Shapes.Skeletons;

/// <summary>
/// Topology-preserving 3D thinning of a binary volume to a one-voxel-wide curve skeleton.
/// </summary>
/// <remarks>
/// The method is the directional thinning of Lee, Kashyap &amp; Chu, "Building skeleton models via 3-D medial
/// surface/axis thinning algorithms", CVGIP: Graphical Models and Image Processing 56(6):462–478, 1994, in the
/// form used by scikit-image's <c>skeletonize_3d</c> (after ITK's BinaryThinningImageFilter3D): the object is
/// 26-connected and the background 6-connected; each round runs six sub-iterations, one per border direction
/// (−x, +x, +y, −y, +z, −z); a sub-iteration first collects the border voxels of that direction that are not
/// endpoints (exactly one object neighbour) and are simple (Euler characteristic unchanged and one 26-component
/// among the neighbours, see <see cref="Neighborhood26"/>), then deletes them one at a time in raster order,
/// re-testing each for simplicity against the volume as it is at that moment. Thinning stops after a round in which no
/// sub-iteration deleted anything.
/// <para>
/// Differences from scikit-image: the sequential re-test checks the Euler characteristic as well as the
/// neighbour components (scikit-image re-tests only the components), so every single deletion is a deletion of a
/// simple point. As in scikit-image, the endpoint condition is not re-tested: re-testing it keeps one-voxel spurs
/// where a two-voxel-thick run is peeled, and a ball then thins to a short line instead of a point. Instead of rescanning the volume, each sub-iteration
/// visits a list of surface voxels (object voxels with a background 6-neighbour) that grows as voxels are
/// deleted; since every border voxel is on that list and candidates are sorted, the result is the same as a full
/// raster rescan (held equal to the rescanning reference in the tests).
/// </para>
/// </remarks>
public static class Skeletonizer
{
    /// <summary>
    /// The curve skeleton of a binary volume: a one-voxel-wide set of voxels (value 1, others 0) with the same
    /// number of 26-connected components and of tunnels as the object. Any nonzero voxel of
    /// <paramref name="mask"/> is object; voxels outside the volume count as background. An object with a
    /// cavity keeps a closed surface around it. Isolated voxels and line ends are kept (endpoint preservation),
    /// so a ball shrinks to one voxel or a cluster of two or three.
    /// </summary>
    /// <param name="mask">Binary volume, x = columns, y = rows, z = planes; any size, including one plane.</param>
    /// <returns>A new volume of the same size and calibration; the input is not changed.</returns>
    public static Image<byte> Skeletonize3D(Image<byte> mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var volume = PaddedVolume.From(mask);
        Thin(volume);
        return volume.ToImage(mask.Calibration);
    }

    /// <summary>Border directions in the order of the sub-iterations, as (dx, dy, dz).</summary>
    internal static readonly (int Dx, int Dy, int Dz)[] Directions = [(-1, 0, 0), (1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1)];

    private static void Thin(PaddedVolume volume)
    {
        byte[] voxels = volume.Voxels;
        int[] offsets = volume.NeighbourOffsets();
        int[] faceOffsets = [volume.Offset(-1, 0, 0), volume.Offset(1, 0, 0), volume.Offset(0, -1, 0), volume.Offset(0, 1, 0), volume.Offset(0, 0, -1), volume.Offset(0, 0, 1)];

        var listed = new bool[voxels.Length];
        var surface = new List<int>();
        foreach (int p in volume.ObjectIndices())
        {
            foreach (int f in faceOffsets)
            {
                if (voxels[p + f] != 0) continue;
                listed[p] = true;
                surface.Add(p);
                break;
            }
        }

        var candidates = new List<int>();
        int unchanged = 0;
        while (unchanged < Directions.Length)
        {
            unchanged = 0;
            foreach (var (dx, dy, dz) in Directions)
            {
                int border = volume.Offset(dx, dy, dz);
                surface.RemoveAll(p => voxels[p] == 0);
                candidates.Clear();
                foreach (int p in surface)
                {
                    if (voxels[p + border] == 0 && IsDeletable(Neighbourhood(voxels, p, offsets)))
                        candidates.Add(p);
                }
                candidates.Sort();

                bool changed = false;
                foreach (int p in candidates)
                {
                    // Re-test simplicity only: a voxel that became a line end during this pass is still removed
                    // (as in scikit-image), which keeps one-voxel spurs from growing out of two-voxel-thick runs.
                    if (!Neighborhood26.IsSimple(Neighbourhood(voxels, p, offsets))) continue;
                    voxels[p] = 0;
                    changed = true;
                    foreach (int f in faceOffsets)
                    {
                        int q = p + f;
                        if (voxels[q] != 0 && !listed[q])
                        {
                            listed[q] = true;
                            surface.Add(q);
                        }
                    }
                }
                if (!changed) unchanged++;
            }
        }
    }

    private static bool IsDeletable(uint neighbourhood) =>
        !Neighborhood26.IsEndpoint(neighbourhood) && Neighborhood26.IsSimple(neighbourhood);

    private static uint Neighbourhood(byte[] voxels, int p, int[] offsets)
    {
        uint mask = 0;
        for (int n = 0; n < 27; n++)
            if (voxels[p + offsets[n]] != 0) mask |= 1u << n;
        return mask;
    }
}
