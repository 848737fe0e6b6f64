using SimSeg.Core;
using SimSeg.Core.Geometry;
using SimSeg.Core.Randomness;

namespace SimSeg.Simulation.Geometry;

/// <summary>
/// A closed triangle mesh placed in the scene: the EM-derived mitochondrion shapes of 3DMSL (Punnakkal et
/// al.) and MiShape, which render more realistic images than tubes. Surface samples are area-uniform
/// (triangle picked by cumulative area and binary search, then a uniform point in it, Osada et al. 2002);
/// <see cref="Contains"/> counts crossings of a ray along +z with the surface (parity), using an xy grid of
/// triangles and a top-left tie rule so rays through shared edges or vertices count once.
/// </summary>
public sealed class MeshShape : IShape
{
    private readonly Vec3[] _a, _ab, _ac;
    private readonly double[] _cumArea;

    // Projected, counter-clockwise-normalised triangles for the parity test.
    private readonly double[] _px, _py, _pz; // 3 per triangle
    private readonly double[] _area2;
    private readonly double _gx0, _gy0, _invCellX, _invCellY;
    private readonly int _gnx, _gny;
    private readonly int[] _cellStart, _cellItems;

    /// <summary>
    /// Places <paramref name="mesh"/> (which must be a closed, consistently oriented manifold, see
    /// <see cref="TriangleMesh.IsClosedManifold"/>) by mapping each vertex v to
    /// <c>rotation · (scale · v) + translation</c> (nm).
    /// </summary>
    public MeshShape(TriangleMesh mesh, Mat3 rotation, Vec3 translation, double scale = 1)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        Guard.Positive(scale);
        if (!mesh.IsClosedManifold())
            throw new ArgumentException(
                $"mesh must be closed and consistently oriented (every edge shared by two triangles in opposite directions); this one with {mesh.TriangleCount} triangles is not.",
                nameof(mesh));
        Mesh = mesh.Transformed(rotation, translation, scale);
        int n = Mesh.TriangleCount;
        _a = new Vec3[n];
        _ab = new Vec3[n];
        _ac = new Vec3[n];
        _cumArea = new double[n];
        _px = new double[3 * n];
        _py = new double[3 * n];
        _pz = new double[3 * n];
        _area2 = new double[n];
        double total = 0;
        for (int t = 0; t < n; t++)
        {
            (Vec3 a, Vec3 b, Vec3 c) = Mesh.GetTriangle(t);
            _a[t] = a;
            _ab[t] = b - a;
            _ac[t] = c - a;
            total += 0.5 * Vec3.Cross(b - a, c - a).Length;
            _cumArea[t] = total;
            double area2 = (b.X - a.X) * (c.Y - a.Y) - (b.Y - a.Y) * (c.X - a.X);
            if (area2 < 0)
            {
                (b, c) = (c, b);
                area2 = -area2;
            }
            _area2[t] = area2;
            _px[3 * t] = a.X; _px[3 * t + 1] = b.X; _px[3 * t + 2] = c.X;
            _py[3 * t] = a.Y; _py[3 * t + 1] = b.Y; _py[3 * t + 2] = c.Y;
            _pz[3 * t] = a.Z; _pz[3 * t + 1] = b.Z; _pz[3 * t + 2] = c.Z;
        }
        if (!(total > 0)) throw new ArgumentException("mesh must have a positive surface area.", nameof(mesh));

        // xy grid of triangle bounding boxes.
        int g = Math.Clamp((int)Math.Ceiling(Math.Sqrt(n / 2.0)), 1, 512);
        _gnx = g;
        _gny = g;
        _gx0 = Mesh.BoundsMin.X;
        _gy0 = Mesh.BoundsMin.Y;
        double w = Math.Max(Mesh.BoundsMax.X - _gx0, 1e-300), h = Math.Max(Mesh.BoundsMax.Y - _gy0, 1e-300);
        _invCellX = g / w;
        _invCellY = g / h;
        _cellStart = new int[g * g + 1];
        int[] items = [];
        for (int pass = 0; pass < 2; pass++)
        {
            int[] fill = pass == 1 ? (int[])_cellStart.Clone() : _cellStart;
            for (int t = 0; t < n; t++)
            {
                if (_area2[t] == 0) continue; // edge-on triangles are never crossed by a vertical ray
                double xmin = Math.Min(_px[3 * t], Math.Min(_px[3 * t + 1], _px[3 * t + 2]));
                double xmax = Math.Max(_px[3 * t], Math.Max(_px[3 * t + 1], _px[3 * t + 2]));
                double ymin = Math.Min(_py[3 * t], Math.Min(_py[3 * t + 1], _py[3 * t + 2]));
                double ymax = Math.Max(_py[3 * t], Math.Max(_py[3 * t + 1], _py[3 * t + 2]));
                int x0 = CellX(xmin), x1 = CellX(xmax), y0 = CellY(ymin), y1 = CellY(ymax);
                for (int y = y0; y <= y1; y++)
                for (int x = x0; x <= x1; x++)
                {
                    int c = y * _gnx + x;
                    if (pass == 0) _cellStart[c + 1]++;
                    else items[fill[c]++] = t;
                }
            }
            if (pass == 0)
            {
                for (int c = 0; c < g * g; c++) _cellStart[c + 1] += _cellStart[c];
                items = new int[_cellStart[g * g]];
            }
        }
        _cellItems = items;
    }

    /// <summary>The placed mesh (nm).</summary>
    public TriangleMesh Mesh { get; }

    /// <inheritdoc/>
    public double SurfaceArea => Mesh.SurfaceArea;

    /// <summary>Enclosed volume (nm³), the absolute value of the mesh's signed volume.</summary>
    public double Volume => Math.Abs(Mesh.Volume);

    /// <inheritdoc/>
    public Vec3 BoundsMin => Mesh.BoundsMin;

    /// <inheritdoc/>
    public Vec3 BoundsMax => Mesh.BoundsMax;

    /// <inheritdoc/>
    public Vec3 SampleSurface(Rng rng)
    {
        double u = rng.NextDouble() * _cumArea[^1];
        int lo = 0, hi = _cumArea.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (_cumArea[mid] > u) hi = mid;
            else lo = mid + 1;
        }
        double r1 = Math.Sqrt(rng.NextDouble()), r2 = rng.NextDouble();
        return _a[lo] + _ab[lo] * (r1 * (1 - r2)) + _ac[lo] * (r1 * r2);
    }

    /// <inheritdoc/>
    public bool Contains(Vec3 point)
    {
        if (!(point.X >= Mesh.BoundsMin.X && point.X <= Mesh.BoundsMax.X && point.Y >= Mesh.BoundsMin.Y &&
              point.Y <= Mesh.BoundsMax.Y && point.Z >= Mesh.BoundsMin.Z && point.Z <= Mesh.BoundsMax.Z))
            return false;
        int c = CellY(point.Y) * _gnx + CellX(point.X);
        int crossings = 0;
        for (int i = _cellStart[c]; i < _cellStart[c + 1]; i++)
        {
            int t = _cellItems[i], k = 3 * t;
            double ax = _px[k], ay = _py[k], bx = _px[k + 1], by = _py[k + 1], cx = _px[k + 2], cy = _py[k + 2];
            double w0 = Edge(bx, by, cx, cy, point.X, point.Y);
            if (!Covers(w0, cx - bx, cy - by)) continue;
            double w1 = Edge(cx, cy, ax, ay, point.X, point.Y);
            if (!Covers(w1, ax - cx, ay - cy)) continue;
            double w2 = Edge(ax, ay, bx, by, point.X, point.Y);
            if (!Covers(w2, bx - ax, by - ay)) continue;
            double z = (w0 * _pz[k] + w1 * _pz[k + 1] + w2 * _pz[k + 2]) / _area2[t];
            if (z > point.Z) crossings++;
        }
        return (crossings & 1) == 1;
    }

    private static double Edge(double ux, double uy, double vx, double vy, double px, double py) =>
        (vx - ux) * (py - uy) - (vy - uy) * (px - ux);

    // Top-left rule: a point exactly on an edge belongs to exactly one of the two triangles sharing it.
    private static bool Covers(double w, double ex, double ey) => w > 0 || (w == 0 && (ey < 0 || (ey == 0 && ex < 0)));

    private int CellX(double x) => Math.Clamp((int)((x - _gx0) * _invCellX), 0, _gnx - 1);

    private int CellY(double y) => Math.Clamp((int)((y - _gy0) * _invCellY), 0, _gny - 1);
}
