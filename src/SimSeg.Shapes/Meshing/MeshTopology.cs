using SimSeg.Core.Geometry;

namespace SimSeg.Shapes.Meshing;

/// <summary>Combinatorial facts about a triangle mesh: vertex neighbourhoods, edges, Euler characteristic.</summary>
public static class MeshTopology
{
    /// <summary>
    /// Euler characteristic V − E + F, counting vertices used by at least one triangle, distinct undirected edges
    /// and triangles: 2 for a closed surface of genus 0 (sphere), 0 for a torus, 2 − 2g for genus g, summed over
    /// connected components.
    /// </summary>
    public static int EulerCharacteristic(TriangleMesh mesh)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        var (offsets, _) = VertexNeighbours(mesh);
        ReadOnlySpan<int> triangles = mesh.Triangles;
        var used = new bool[mesh.VertexCount];
        foreach (int i in triangles) used[i] = true;
        int vertices = used.Count(u => u);
        int edges = offsets[^1] / 2;
        return vertices - edges + mesh.TriangleCount;
    }

    /// <summary>
    /// The one-ring of every vertex in compressed-row form: the neighbours of vertex i are
    /// neighbours[offsets[i] .. offsets[i + 1]), sorted and without repeats.
    /// </summary>
    internal static (int[] Offsets, int[] Neighbours) VertexNeighbours(TriangleMesh mesh)
    {
        ReadOnlySpan<int> triangles = mesh.Triangles;
        int n = mesh.VertexCount;
        var counts = new int[n + 1];
        foreach (int i in triangles) counts[i] += 2; // each corner has two incident edges in its triangle
        var starts = new int[n + 1];
        for (int i = 0; i < n; i++) starts[i + 1] = starts[i] + counts[i];
        var raw = new int[starts[n]];
        var fill = (int[])starts.Clone();
        for (int t = 0; t < triangles.Length; t += 3)
        {
            int a = triangles[t], b = triangles[t + 1], c = triangles[t + 2];
            raw[fill[a]++] = b; raw[fill[a]++] = c;
            raw[fill[b]++] = c; raw[fill[b]++] = a;
            raw[fill[c]++] = a; raw[fill[c]++] = b;
        }
        var offsets = new int[n + 1];
        int write = 0;
        for (int i = 0; i < n; i++)
        {
            Span<int> ring = raw.AsSpan(starts[i], starts[i + 1] - starts[i]);
            ring.Sort();
            offsets[i] = write;
            for (int k = 0; k < ring.Length; k++)
                if (k == 0 || ring[k] != ring[k - 1]) raw[write++] = ring[k];
        }
        offsets[n] = write;
        return (offsets, raw.AsSpan(0, write).ToArray());
    }
}
