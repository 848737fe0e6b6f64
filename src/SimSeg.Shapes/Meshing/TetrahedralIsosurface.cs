using System.Diagnostics;
using System.Runtime.InteropServices;
using SimSeg.Core.Geometry;

namespace SimSeg.Shapes.Meshing;

/// <summary>
/// Marching tetrahedra (Doi and Koide 1991) on the Freudenthal (Kuhn) subdivision of every grid cube into six
/// tetrahedra that share the cube's main diagonal. The subdivision is the same in every cube, so each cube face
/// is split along the same diagonal as seen from both cubes that share it; the iso-surface is then the level set
/// of the piecewise-linear interpolant on one conforming tetrahedral mesh and has no ambiguous cases. Together with
/// a strict sign rule (a sample is inside when its value is above the iso level, so a sample exactly at the iso
/// level counts as outside — a symbolic perturbation) and vertices welded by grid-edge id, the output is a closed,
/// consistently oriented 2-manifold whenever the outermost layer of samples is outside.
/// </summary>
internal static class TetrahedralIsosurface
{
    /// <summary>Interpolation parameters are kept in [δ, 1 − δ] so no two welded vertices coincide exactly.</summary>
    private const double EdgeClamp = 1e-6;

    // Cube corner k sits at offset (k & 1, (k >> 1) & 1, (k >> 2) & 1).
    // A cube edge used by the subdivision joins corner a to corner b with a ⊂ b bitwise; its direction is the
    // 3-bit mask b ^ a (1..7), so every edge of the grid is (lower grid point, direction - 1).
    private static readonly int[] s_caseStart = new int[257];
    private static readonly byte[] s_caseEdges; // three cube-edge corner pairs per triangle, packed as a | (b << 3)

    static TetrahedralIsosurface()
    {
        var tets = new List<int[]>();
        int[][] permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        foreach (int[] p in permutations)
        {
            int c1 = 1 << p[0], c2 = c1 | (1 << p[1]);
            int[] tet = [0, c1, c2, 7];
            if (Orientation(tet) < 0) (tet[1], tet[2]) = (tet[2], tet[1]);
            tets.Add(tet);
        }

        var edges = new List<byte>();
        for (int config = 0; config < 256; config++)
        {
            s_caseStart[config] = edges.Count / 3;
            foreach (int[] tet in tets)
            {
                var inside = tet.Where(c => (config >> c & 1) == 1).ToArray();
                var outside = tet.Where(c => (config >> c & 1) == 0).ToArray();
                if (inside.Length == 0 || outside.Length == 0) continue;
                if (inside.Length == 1)
                    AddTriangle(edges, inside, outside, (inside[0], outside[0]), (inside[0], outside[1]), (inside[0], outside[2]));
                else if (inside.Length == 3)
                    AddTriangle(edges, inside, outside, (inside[0], outside[0]), (inside[1], outside[0]), (inside[2], outside[0]));
                else
                {
                    // The quad (i0,o0) (i0,o1) (i1,o1) (i1,o0) is cyclic; split it along one fixed diagonal.
                    AddTriangle(edges, inside, outside, (inside[0], outside[0]), (inside[0], outside[1]), (inside[1], outside[1]));
                    AddTriangle(edges, inside, outside, (inside[0], outside[0]), (inside[1], outside[1]), (inside[1], outside[0]));
                }
            }
        }
        s_caseStart[256] = edges.Count / 3;
        s_caseEdges = [.. edges];
    }

    private static Vec3 Corner(int c) => new(c & 1, (c >> 1) & 1, (c >> 2) & 1);

    private static double Orientation(int[] tet)
    {
        Vec3 a = Corner(tet[0]);
        return Vec3.Dot(Corner(tet[1]) - a, Vec3.Cross(Corner(tet[2]) - a, Corner(tet[3]) - a));
    }

    /// <summary>
    /// Appends one triangle on three tetrahedron edges (inside corner, outside corner), ordered so that its normal
    /// points from the inside corners to the outside ones. The order is decided once on the unit cube with
    /// vertices at edge midpoints; it holds for any interpolation parameter in (0, 1) and any positive voxel
    /// scaling, since the triangle never degenerates in between.
    /// </summary>
    private static void AddTriangle(List<byte> edges, int[] inside, int[] outside, (int In, int Out) e0, (int In, int Out) e1, (int In, int Out) e2)
    {
        Vec3 Mid((int In, int Out) e) => 0.5 * (Corner(e.In) + Corner(e.Out));
        Vec3 a = Mid(e0), b = Mid(e1), c = Mid(e2);
        Vec3 normal = Vec3.Cross(b - a, c - a);
        Vec3 inCentre = Vec3.Zero, outCentre = Vec3.Zero;
        foreach (int i in inside) inCentre += Corner(i) / inside.Length;
        foreach (int o in outside) outCentre += Corner(o) / outside.Length;
        double side = Vec3.Dot(normal, outCentre - inCentre);
        Debug.Assert(Math.Abs(side) > 1e-9);
        if (side < 0) (e1, e2) = (e2, e1);
        foreach (var e in new[] { e0, e1, e2 })
        {
            int lo = Math.Min(e.In, e.Out), hi = Math.Max(e.In, e.Out);
            Debug.Assert((lo & hi) == lo, "Freudenthal edges join a corner to a superset corner.");
            edges.Add((byte)(e.In | (e.Out << 3)));
        }
    }

    /// <summary>
    /// Extracts the surface {value = iso} from a grid of <paramref name="width"/>·<paramref name="height"/>·
    /// <paramref name="depth"/> samples (x fastest) whose outermost layer the caller guarantees to be outside
    /// (≤ iso, −∞ allowed). Sample (x, y, z) sits at origin + (x·spacing.X, y·spacing.Y, z·spacing.Z).
    /// Returns vertex positions and triangle indices; empty when nothing is above iso.
    /// </summary>
    public static (List<Vec3> Vertices, List<int> Triangles) Extract(
        ReadOnlySpan<float> values, int width, int height, int depth, double iso, Vec3 spacing, Vec3 origin)
    {
        Debug.Assert(values.Length == (long)width * height * depth);
        var vertices = new List<Vec3>();
        var triangles = new List<int>();
        if (width < 2 || height < 2 || depth < 2) return (vertices, triangles);

        int plane = width * height;
        Span<int> cornerOffset = stackalloc int[8];
        for (int c = 0; c < 8; c++) cornerOffset[c] = (c & 1) + ((c >> 1) & 1) * width + ((c >> 2) & 1) * plane;

        // Vertex ids of grid edges keyed by (lower point in plane, direction), for the two planes a cell layer touches.
        int[] lowerIds = new int[plane * 7], upperIds = new int[plane * 7];
        Array.Fill(upperIds, -1);
        Span<double> v = stackalloc double[8];
        ReadOnlySpan<byte> caseEdges = s_caseEdges;

        for (int z = 0; z < depth - 1; z++)
        {
            (lowerIds, upperIds) = (upperIds, lowerIds);
            Array.Fill(upperIds, -1);
            for (int y = 0; y < height - 1; y++)
            {
                int rowBase = z * plane + y * width;
                for (int x = 0; x < width - 1; x++)
                {
                    int index = rowBase + x;
                    int config = 0;
                    for (int c = 0; c < 8; c++)
                    {
                        double value = values[index + cornerOffset[c]];
                        v[c] = value;
                        if (value > iso) config |= 1 << c;
                    }
                    if (config == 0 || config == 255) continue;

                    for (int t = s_caseStart[config], end = s_caseStart[config + 1]; t < end; t++)
                    {
                        for (int k = 0; k < 3; k++)
                        {
                            byte packed = caseEdges[3 * t + k];
                            int cIn = packed & 7, cOut = packed >> 3;
                            int lo = Math.Min(cIn, cOut), hi = Math.Max(cIn, cOut);
                            int direction = (lo ^ hi) - 1;
                            int lx = x + (lo & 1), ly = y + ((lo >> 1) & 1);
                            int[] ids = (lo & 4) == 0 ? lowerIds : upperIds;
                            int slot = (ly * width + lx) * 7 + direction;
                            int id = ids[slot];
                            if (id < 0)
                            {
                                id = vertices.Count;
                                ids[slot] = id;
                                // Parameterise from the inside end so an outside value of −∞ gives t = 0, not NaN.
                                double fIn = v[cIn], fOut = v[cOut];
                                double s = Math.Clamp((fIn - iso) / (fIn - fOut), EdgeClamp, 1 - EdgeClamp);
                                Vec3 pIn = new(x + (cIn & 1), y + ((cIn >> 1) & 1), z + ((cIn >> 2) & 1));
                                Vec3 pOut = new(x + (cOut & 1), y + ((cOut >> 1) & 1), z + ((cOut >> 2) & 1));
                                Vec3 g = pIn + s * (pOut - pIn);
                                vertices.Add(new Vec3(origin.X + g.X * spacing.X, origin.Y + g.Y * spacing.Y, origin.Z + g.Z * spacing.Z));
                            }
                            triangles.Add(id);
                        }
                    }
                }
            }
        }
        return (vertices, triangles);
    }

    /// <summary>Wraps the lists as a mesh without an extra copy of the lists' backing arrays beyond the mesh's own.</summary>
    public static TriangleMesh ToMesh(List<Vec3> vertices, List<int> triangles) =>
        new(CollectionsMarshal.AsSpan(vertices), CollectionsMarshal.AsSpan(triangles));
}
