using System.Numerics;

namespace SimSeg.Shapes.Skeletons;

/// <summary>
/// Local topology of a voxel in its 3×3×3 neighbourhood, for a 26-connected object and a 6-connected
/// background. A neighbourhood is a 27-bit mask: bit <c>(dz+1)·9 + (dy+1)·3 + (dx+1)</c> is the voxel at
/// offset (dx, dy, dz); bit 13 is the centre.
/// </summary>
/// <remarks>
/// The simple-point test is the one of Lee, Kashyap &amp; Chu, "Building skeleton models via 3-D medial
/// surface/axis thinning algorithms", CVGIP: Graphical Models and Image Processing 56(6), 1994: deleting the
/// centre keeps the topology when (a) the Euler characteristic is unchanged and (b) the object voxels of the
/// 26-neighbourhood (centre excluded) form exactly one 26-connected component. The Euler change is summed over
/// the eight 2×2×2 octants that contain the centre, each looked up in a 128-entry table. The table is built
/// here rather than typed in: the object is read as the union of closed unit cubes (which is what 26/6
/// connectivity means), and the Euler characteristic V − E + F − C of that cubical complex is split over the
/// lattice vertices, each vertex owning 1/8 of its 8 cubes, 1/4 of its 12 faces and 1/2 of its 6 edges. Scaled
/// by 8, the share of one 2×2×2 block is 8·[block not empty] − 4·edges + 2·faces − voxels; the table entry is
/// that share with the centre minus the share without it. The result matches Lee et al.'s published table
/// (entry 1 = 1, a face pair = −1, an edge-diagonal pair = −3, ...).
/// </remarks>
internal static class Neighborhood26
{
    /// <summary>Bit of the centre voxel.</summary>
    public const int Centre = 13;

    /// <summary>Mask of the 26 neighbours (centre excluded).</summary>
    public const uint NeighbourBits = ((1u << 27) - 1) & ~(1u << Centre);

    /// <summary>For each bit, the 26-adjacent bits of the 3×3×3 cube other than itself and the centre.</summary>
    private static readonly uint[] Adjacent = BuildAdjacency();

    /// <summary>For each octant, the neighbourhood bits of its 7 non-centre voxels, in octant-local order 1..7.</summary>
    private static readonly int[] OctantBits = BuildOctantBits();

    /// <summary>Euler change ×8 of one octant, indexed by its 7 non-centre voxels (octant-local bits 1..7 → 0..6).</summary>
    private static readonly sbyte[] EulerLut = BuildEulerLut();

    /// <summary>The bit of offset (dx, dy, dz), each in −1..1.</summary>
    public static int Bit(int dx, int dy, int dz) => (dz + 1) * 9 + (dy + 1) * 3 + (dx + 1);

    /// <summary>True when the centre of <paramref name="mask"/> has exactly one object neighbour.</summary>
    public static bool IsEndpoint(uint mask) => BitOperations.PopCount(mask & NeighbourBits) == 1;

    /// <summary>True when deleting the centre leaves the Euler characteristic unchanged.</summary>
    public static bool IsEulerInvariant(uint mask) => EulerChangeTimes8(mask) == 0;

    /// <summary>
    /// Eight times the Euler characteristic of the neighbourhood with the centre minus that without it
    /// (8 for an isolated voxel, −8 for a voxel whose 26 neighbours are all set).
    /// </summary>
    public static int EulerChangeTimes8(uint mask)
    {
        int sum = 0;
        ReadOnlySpan<int> bits = OctantBits;
        for (int o = 0; o < 8; o++)
        {
            int index = 0;
            for (int k = 0; k < 7; k++)
                index |= (int)((mask >> bits[o * 7 + k]) & 1) << k;
            sum += EulerLut[index];
        }
        return sum;
    }

    /// <summary>True when the object neighbours (centre excluded) form exactly one 26-connected component.</summary>
    public static bool HasOneNeighbourComponent(uint mask)
    {
        uint neighbours = mask & NeighbourBits;
        if (neighbours == 0) return false;
        uint component = neighbours & (uint)-(int)neighbours;
        uint frontier = component;
        while (frontier != 0)
        {
            uint grown = 0;
            while (frontier != 0)
            {
                grown |= Adjacent[BitOperations.TrailingZeroCount(frontier)];
                frontier &= frontier - 1;
            }
            frontier = grown & neighbours & ~component;
            component |= frontier;
        }
        return component == neighbours;
    }

    /// <summary>True when the centre may be deleted without changing the topology (Lee et al. 1994, conditions 2 and 3).</summary>
    public static bool IsSimple(uint mask) => IsEulerInvariant(mask) && HasOneNeighbourComponent(mask);

    /// <summary>
    /// Eight times the Euler characteristic share of one 2×2×2 block of voxels (bit i + 2j + 4k is the voxel at
    /// block coordinates (i, j, k)), for the union of closed unit cubes.
    /// </summary>
    public static int BlockEulerTimes8(int block)
    {
        if (block == 0) return 0;
        int edges = 0, faces = 0;
        for (int axis = 0; axis < 3; axis++)
            for (int side = 0; side < 2; side++)
                if (AnyVoxel(block, b => ((b >> axis) & 1) == side)) edges++;
        for (int a = 0; a < 3; a++)
            for (int c = a + 1; c < 3; c++)
                for (int sa = 0; sa < 2; sa++)
                    for (int sc = 0; sc < 2; sc++)
                        if (AnyVoxel(block, b => ((b >> a) & 1) == sa && ((b >> c) & 1) == sc)) faces++;
        return 8 - 4 * edges + 2 * faces - BitOperations.PopCount((uint)block);
    }

    private static bool AnyVoxel(int block, Func<int, bool> where)
    {
        for (int b = 0; b < 8; b++)
            if (((block >> b) & 1) != 0 && where(b)) return true;
        return false;
    }

    private static uint[] BuildAdjacency()
    {
        var adjacent = new uint[27];
        for (int n = 0; n < 27; n++)
        {
            if (n == Centre) continue;
            int nx = n % 3, ny = n / 3 % 3, nz = n / 9;
            for (int m = 0; m < 27; m++)
            {
                if (m == n || m == Centre) continue;
                int mx = m % 3, my = m / 3 % 3, mz = m / 9;
                if (Math.Abs(nx - mx) <= 1 && Math.Abs(ny - my) <= 1 && Math.Abs(nz - mz) <= 1)
                    adjacent[n] |= 1u << m;
            }
        }
        return adjacent;
    }

    private static int[] BuildOctantBits()
    {
        var bits = new int[8 * 7];
        for (int o = 0; o < 8; o++)
        {
            int sx = (o & 1) != 0 ? 1 : -1, sy = (o & 2) != 0 ? 1 : -1, sz = (o & 4) != 0 ? 1 : -1;
            for (int local = 1; local < 8; local++)
                bits[o * 7 + local - 1] = Bit((local & 1) * sx, ((local >> 1) & 1) * sy, ((local >> 2) & 1) * sz);
        }
        return bits;
    }

    private static sbyte[] BuildEulerLut()
    {
        var lut = new sbyte[128];
        for (int others = 0; others < 128; others++)
        {
            int without = others << 1;
            lut[others] = (sbyte)(BlockEulerTimes8(without | 1) - BlockEulerTimes8(without));
        }
        return lut;
    }
}
