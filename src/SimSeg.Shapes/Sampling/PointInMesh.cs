using System.Diagnostics;
using SimSeg.Core.Geometry;

namespace SimSeg.Shapes.Sampling;

/// <summary>
/// Inside/outside tests against a closed, consistently oriented triangle mesh by ray crossing: the winding number of
/// a point is the signed count of triangles crossed by the ray from it towards +z (+1 where the surface's normal
/// points up, −1 where it points down), and a point is inside when that number is not zero.
/// </summary>
/// <remarks>
/// Robustness: whether the ray passes through a triangle is decided by 2D edge functions in the xy projection,
/// each evaluated once per mesh edge in a canonical vertex order (lower index first) and negated for the other
/// triangle, with exact ties broken by symbolic perturbation of the query point by (ε, ε²) (Edelsbrunner and Mücke's
/// simulation of simplicity). Two triangles sharing an edge therefore never both claim, nor both miss, a ray through
/// that edge, and rays through vertices are counted once, as in watertight ray–triangle intersection (Woop et al. 2013).
/// Speed: triangles are binned by their xy bounding boxes into a uniform 2D grid of about one cell per triangle, so a
/// query tests only the few triangles above or below its cell.
/// </remarks>
public sealed class PointInMesh
{
    private readonly double[] _x, _y, _z;
    private readonly int[] _triangles;
    private readonly double _x0, _y0, _cellsPerX, _cellsPerY, _maxZ;
    private readonly double _x1, _y1;
    private readonly int _nx, _ny;
    private readonly int[] _cellStart, _cellTriangles;

    /// <summary>Prepares the tests for <paramref name="mesh"/>, which must be a closed manifold (<see cref="TriangleMesh.IsClosedManifold"/>).</summary>
    /// <exception cref="ArgumentException">The mesh is not a closed, consistently oriented manifold.</exception>
    public PointInMesh(TriangleMesh mesh)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        if (!mesh.IsClosedManifold())
            throw new ArgumentException("mesh must be a closed, consistently oriented manifold (watertight) for inside/outside tests.", nameof(mesh));
        int n = mesh.VertexCount;
        _x = new double[n];
        _y = new double[n];
        _z = new double[n];
        for (int i = 0; i < n; i++) (_x[i], _y[i], _z[i]) = (mesh.Vertices[i].X, mesh.Vertices[i].Y, mesh.Vertices[i].Z);
        _triangles = mesh.Triangles.ToArray();
        (_x0, _y0, _maxZ) = (mesh.BoundsMin.X, mesh.BoundsMin.Y, mesh.BoundsMax.Z);
        (_x1, _y1) = (mesh.BoundsMax.X, mesh.BoundsMax.Y);

        int count = mesh.TriangleCount;
        double width = Math.Max(_x1 - _x0, 1e-300), height = Math.Max(_y1 - _y0, 1e-300);
        _nx = Math.Clamp((int)Math.Round(Math.Sqrt(count * width / height)), 1, 2048);
        _ny = Math.Clamp((int)Math.Round((double)count / _nx), 1, 2048);
        _cellsPerX = _nx / width;
        _cellsPerY = _ny / height;

        // Counting sort of (cell, triangle) pairs into compressed rows.
        _cellStart = new int[_nx * _ny + 1];
        for (int t = 0; t < count; t++)
        {
            var (cx0, cx1, cy0, cy1) = CellRange(t);
            for (int cy = cy0; cy <= cy1; cy++)
                for (int cx = cx0; cx <= cx1; cx++)
                    _cellStart[cy * _nx + cx + 1]++;
        }
        for (int c = 0; c < _nx * _ny; c++) _cellStart[c + 1] += _cellStart[c];
        _cellTriangles = new int[_cellStart[^1]];
        var fill = (int[])_cellStart.Clone();
        for (int t = 0; t < count; t++)
        {
            var (cx0, cx1, cy0, cy1) = CellRange(t);
            for (int cy = cy0; cy <= cy1; cy++)
                for (int cx = cx0; cx <= cx1; cx++)
                    _cellTriangles[fill[cy * _nx + cx]++] = t;
        }
    }

    private (int X0, int X1, int Y0, int Y1) CellRange(int t)
    {
        int a = _triangles[3 * t], b = _triangles[3 * t + 1], c = _triangles[3 * t + 2];
        double minX = Math.Min(_x[a], Math.Min(_x[b], _x[c])), maxX = Math.Max(_x[a], Math.Max(_x[b], _x[c]));
        double minY = Math.Min(_y[a], Math.Min(_y[b], _y[c])), maxY = Math.Max(_y[a], Math.Max(_y[b], _y[c]));
        return (CellX(minX), CellX(maxX), CellY(minY), CellY(maxY));
    }

    private int CellX(double x) => Math.Clamp((int)((x - _x0) * _cellsPerX), 0, _nx - 1);

    private int CellY(double y) => Math.Clamp((int)((y - _y0) * _cellsPerY), 0, _ny - 1);

    /// <summary>True when <paramref name="point"/> is inside the mesh (winding number ≠ 0).</summary>
    public bool Contains(Vec3 point) => WindingNumber(point) != 0;

    /// <summary>
    /// Classifies points given as consecutive (x, y, z) triples, in parallel; the result does not depend on the
    /// thread count.
    /// </summary>
    /// <param name="xyz">3·N coordinates.</param>
    /// <param name="inside">N results.</param>
    public void Contains(float[] xyz, bool[] inside)
    {
        ArgumentNullException.ThrowIfNull(xyz);
        ArgumentNullException.ThrowIfNull(inside);
        if (xyz.Length != 3 * inside.Length)
            throw new ArgumentException($"xyz must hold 3 coordinates per result (3·{inside.Length}), got {xyz.Length}.", nameof(xyz));
        const int Block = 2048;
        int blocks = (inside.Length + Block - 1) / Block;
        Parallel.For(0, blocks, block =>
        {
            for (int i = block * Block, end = Math.Min(inside.Length, i + Block); i < end; i++)
                inside[i] = WindingNumber(new Vec3(xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2])) != 0;
        });
    }

    /// <summary>
    /// The signed number of surface crossings of the ray from <paramref name="point"/> towards +z: 1 inside a
    /// closed outward-oriented surface, 0 outside (nested shells add up). Points exactly on the surface may count
    /// either way.
    /// </summary>
    public int WindingNumber(Vec3 point)
    {
        double px = point.X, py = point.Y, pz = point.Z;
        if (!(px >= _x0 && px <= _x1 && py >= _y0 && py <= _y1 && pz <= _maxZ)) return 0;
        int cell = CellY(py) * _nx + CellX(px);
        int winding = 0;
        for (int k = _cellStart[cell], end = _cellStart[cell + 1]; k < end; k++)
            winding += Crossing(_cellTriangles[k], px, py, pz);
        return winding;
    }

    /// <summary>The same count as <see cref="WindingNumber"/>, testing every triangle (reference for tests).</summary>
    internal int WindingNumberNaive(Vec3 point)
    {
        int winding = 0;
        for (int t = 0; t < _triangles.Length / 3; t++) winding += Crossing(t, point.X, point.Y, point.Z);
        return winding;
    }

    /// <summary>+1 or −1 when the +z ray from p passes through triangle t (by its projected orientation), else 0.</summary>
    private int Crossing(int t, double px, double py, double pz)
    {
        int a = _triangles[3 * t], b = _triangles[3 * t + 1], c = _triangles[3 * t + 2];
        int sab = Side(a, b, px, py, out double eab);
        int sbc = Side(b, c, px, py, out double ebc);
        if (sab != sbc) return 0;
        int sca = Side(c, a, px, py, out double eca);
        if (sca != sab) return 0;
        double sum = eab + ebc + eca; // twice the signed projected area
        if (sum == 0) return 0;
        double z = (ebc * _z[a] + eca * _z[b] + eab * _z[c]) / sum;
        return z > pz ? sab : 0;
    }

    /// <summary>
    /// Sign of the edge function of the directed edge i → j at p (positive when p is left of it), computed in the
    /// canonical order lower index first so both triangles of an edge see exactly opposite values; a zero value takes
    /// the sign it would have at p + (ε, ε²).
    /// </summary>
    private int Side(int i, int j, double px, double py, out double value)
    {
        Debug.Assert(i != j);
        bool flip = i > j;
        if (flip) (i, j) = (j, i);
        double dx = _x[j] - _x[i], dy = _y[j] - _y[i];
        double e = dx * (py - _y[i]) - dy * (px - _x[i]);
        int sign = e > 0 ? 1 : e < 0 ? -1 : dy != 0 ? (dy > 0 ? -1 : 1) : Math.Sign(dx);
        value = flip ? -e : e;
        return flip ? -sign : sign;
    }
}
