namespace SimSeg.Core.Geometry;

/// <summary>
/// An immutable indexed triangle mesh: vertex positions (nm unless the caller says otherwise) and
/// triangles as index triples into them. Counter-clockwise triangles seen from outside give a positive
/// <see cref="Volume"/>. Used for EM-derived mitochondrion shapes (3DMSL, MiShape) placed in simulated scenes.
/// </summary>
public sealed class TriangleMesh
{
    private readonly Vec3[] _vertices;
    private readonly int[] _triangles;
    private int _closedState; // 0 unknown, 1 closed manifold, 2 not

    /// <summary>
    /// Creates a mesh from copies of <paramref name="vertices"/> and <paramref name="triangles"/> (length a
    /// multiple of 3, each index in [0, vertex count)). At least one triangle is required and every
    /// coordinate must be finite; otherwise <see cref="ArgumentException"/> names the offending item.
    /// </summary>
    public TriangleMesh(ReadOnlySpan<Vec3> vertices, ReadOnlySpan<int> triangles)
    {
        if (triangles.Length == 0 || triangles.Length % 3 != 0)
            throw new ArgumentException(
                $"triangles must hold a positive multiple of 3 indices (one triple per triangle), got {triangles.Length}.", nameof(triangles));
        for (int i = 0; i < vertices.Length; i++)
        {
            Vec3 v = vertices[i];
            if (!double.IsFinite(v.X) || !double.IsFinite(v.Y) || !double.IsFinite(v.Z))
                throw new ArgumentException($"vertex {i} must have finite coordinates, got {v}.", nameof(vertices));
        }
        for (int i = 0; i < triangles.Length; i++)
        {
            int k = triangles[i];
            if ((uint)k >= (uint)vertices.Length)
                throw new ArgumentException(
                    $"triangle {i / 3} has vertex index {k}, outside [0, {vertices.Length - 1}].", nameof(triangles));
        }
        _vertices = vertices.ToArray();
        _triangles = triangles.ToArray();

        Vec3 min = _vertices[_triangles[0]], max = min;
        foreach (Vec3 v in _vertices)
        {
            min = Vec3.Min(min, v);
            max = Vec3.Max(max, v);
        }
        BoundsMin = min;
        BoundsMax = max;

        // Area, and volume and its first moment by the divergence theorem (sum of signed tetrahedra
        // spanned by the origin and each triangle).
        double area = 0, volume = 0;
        Vec3 areaMoment = Vec3.Zero, volumeMoment = Vec3.Zero;
        for (int t = 0; t < _triangles.Length; t += 3)
        {
            Vec3 a = _vertices[_triangles[t]], b = _vertices[_triangles[t + 1]], c = _vertices[_triangles[t + 2]];
            double triArea = 0.5 * Vec3.Cross(b - a, c - a).Length;
            double tetVolume = Vec3.Dot(a, Vec3.Cross(b, c)) / 6.0;
            area += triArea;
            volume += tetVolume;
            areaMoment += (a + b + c) * (triArea / 3.0);
            volumeMoment += (a + b + c) * (tetVolume / 4.0);
        }
        SurfaceArea = area;
        Volume = volume;
        double diag = (max - min).Length;
        if (Math.Abs(volume) > 1e-12 * diag * diag * diag && Math.Abs(volume) > 0)
            Centroid = volumeMoment / volume;
        else
            Centroid = area > 0 ? areaMoment / area : 0.5 * (min + max);
    }

    /// <summary>Vertex positions.</summary>
    public ReadOnlySpan<Vec3> Vertices => _vertices;

    /// <summary>Triangle vertex indices, three per triangle.</summary>
    public ReadOnlySpan<int> Triangles => _triangles;

    /// <summary>Number of vertices.</summary>
    public int VertexCount => _vertices.Length;

    /// <summary>Number of triangles.</summary>
    public int TriangleCount => _triangles.Length / 3;

    /// <summary>Total area of all triangles (squared length units).</summary>
    public double SurfaceArea { get; }

    /// <summary>
    /// Signed enclosed volume by the divergence theorem (sum of origin–triangle tetrahedra): positive when
    /// triangles are counter-clockwise seen from outside; only meaningful for closed meshes.
    /// </summary>
    public double Volume { get; }

    /// <summary>
    /// The centroid of the enclosed solid (divergence theorem), or of the surface (area-weighted) when the
    /// enclosed volume is zero, as for an open or flat mesh.
    /// </summary>
    public Vec3 Centroid { get; }

    /// <summary>Minimum corner of the axis-aligned bounding box of all vertices.</summary>
    public Vec3 BoundsMin { get; }

    /// <summary>Maximum corner of the axis-aligned bounding box.</summary>
    public Vec3 BoundsMax { get; }

    /// <summary>The three corner positions of triangle <paramref name="triangle"/>.</summary>
    public (Vec3 A, Vec3 B, Vec3 C) GetTriangle(int triangle)
    {
        if ((uint)triangle >= (uint)TriangleCount)
            throw new ArgumentOutOfRangeException(nameof(triangle), triangle, $"triangle must be in [0, {TriangleCount - 1}], got {triangle}.");
        int t = 3 * triangle;
        return (_vertices[_triangles[t]], _vertices[_triangles[t + 1]], _vertices[_triangles[t + 2]]);
    }

    /// <summary>
    /// A new mesh with every vertex mapped to <c>rotation · (scale · v) + translation</c>; triangles are
    /// shared in order. <paramref name="scale"/> must be finite and positive (a negative scale would flip
    /// orientation).
    /// </summary>
    public TriangleMesh Transformed(Mat3 rotation, Vec3 translation, double scale = 1)
    {
        Guard.Positive(scale);
        var v = new Vec3[_vertices.Length];
        for (int i = 0; i < v.Length; i++) v[i] = rotation * (_vertices[i] * scale) + translation;
        var mesh = new TriangleMesh(v, _triangles);
        mesh._closedState = _closedState; // a rigid map with positive scale keeps the topology
        return mesh;
    }

    /// <summary>
    /// True when the mesh is a closed, consistently oriented 2-manifold surface: no triangle repeats a
    /// vertex and every edge is used by exactly two triangles, once in each direction. The result is cached.
    /// </summary>
    public bool IsClosedManifold()
    {
        if (_closedState == 0) _closedState = ComputeClosedManifold() ? 1 : 2;
        return _closedState == 1;
    }

    private bool ComputeClosedManifold()
    {
        var directed = new HashSet<long>(_triangles.Length, EdgeKeyComparer.Instance);
        for (int t = 0; t < _triangles.Length; t += 3)
        {
            int a = _triangles[t], b = _triangles[t + 1], c = _triangles[t + 2];
            if (a == b || b == c || a == c) return false;
            if (!directed.Add(Key(a, b)) || !directed.Add(Key(b, c)) || !directed.Add(Key(c, a))) return false;
        }
        foreach (long e in directed)
        {
            int from = (int)(e >> 32), to = (int)(e & 0xFFFFFFFF);
            if (!directed.Contains(Key(to, from))) return false;
        }
        return true;

        static long Key(int from, int to) => ((long)from << 32) | (uint)to;
    }

    /// <summary>
    /// Hashes (from, to) edge keys with a multiplicative mix: long.GetHashCode folds the halves to from ^ to,
    /// which collides for almost every edge of a mesh whose neighbouring vertices have nearby indices.
    /// </summary>
    private sealed class EdgeKeyComparer : IEqualityComparer<long>
    {
        public static readonly EdgeKeyComparer Instance = new();

        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long key) => (int)((ulong)key * 0x9E3779B97F4A7C15UL >> 32);
    }
}
