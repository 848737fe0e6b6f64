using System.Diagnostics;
using System.Runtime.CompilerServices;
using SimSeg.Core.Geometry;
using SimSeg.Core.Randomness;

namespace SimSeg.Simulation.Geometry;

/// <summary>
/// The union of capsules (radius R) around every segment of one or more polylines: the body of
/// <see cref="TubeShape"/> and <see cref="BranchedTubeShape"/>. The union surface is covered, up to sets of
/// zero area, by candidate pieces: the lateral cylinder of each segment, a spherical lune at each interior
/// vertex (the outside of the bend, dihedral angle = bend angle θ, area 2θR²) and a hemisphere at each chain
/// end. Area-uniform surface samples come from sampling the pieces proportionally to area and rejecting
/// points that lie strictly inside the body (distance to the centreline below R(1 − 1e-9)). A uniform grid
/// over the segments makes inside tests cost a few segment distances.
/// </summary>
internal sealed class CapsuleNetwork
{
    private const double InnerFactor = 1 - 1e-9;
    private const int EstimationSamples = 1024;
    private const ulong EstimationSeed = 0x51AD5E6C0FFEEUL;
    private const int MaxGridCells = 1 << 18;

    private readonly double _r, _r2, _inner2;

    // Segments: start, unit direction, length, two unit vectors perpendicular to the direction.
    private readonly Vec3[] _segA, _segD, _segE1, _segE2;
    private readonly double[] _segLen;
    private readonly int[] _segStartPiece, _segEndPiece; // vertex piece attached to the segment's ends, or -1

    // Vertex pieces (lunes and end caps): centre; for a lune the bend normal n, incoming d1, W = n × d1,
    // outgoing d2 and angle θ; for a cap the outward axis A and a perpendicular frame (U, W).
    private readonly Vec3[] _vC, _vN, _vU, _vW, _vD2;
    private readonly double[] _vTheta;
    private readonly bool[] _vIsCap;

    // Sampling table: kind (0 cylinder, 1 vertex piece), index, cumulative surface area and volume.
    private readonly bool[] _pieceIsVertex;
    private readonly int[] _pieceRef;
    private readonly double[] _pieceCumArea, _pieceCumVolume;
    private readonly double[] _aliasProb;
    private readonly int[] _alias;

    // Uniform grid over the bounds, CSR lists of segments whose R-neighbourhood may reach each cell.
    private readonly Vec3 _gridMin;
    private readonly double _invCell;
    private readonly int _nx, _ny, _nz;
    private readonly int[] _cellStart, _cellItems;
    private readonly SegmentRecord[] _cellSegments; // copies of the segments of _cellItems, contiguous per cell

    private readonly record struct SegmentRecord(Vec3 A, Vec3 D, double Length);

    private readonly bool _isSingleStraightChain;
    private double _volume = double.NaN;

    public CapsuleNetwork(IReadOnlyList<IReadOnlyList<Vec3>> chains, double radius)
    {
        Debug.Assert(chains.Count > 0 && radius > 0);
        _r = radius;
        _r2 = radius * radius;
        _inner2 = _r2 * InnerFactor * InnerFactor;

        var segA = new List<Vec3>(); var segD = new List<Vec3>(); var segLen = new List<double>();
        var segStart = new List<int>(); var segEnd = new List<int>();
        var vC = new List<Vec3>(); var vN = new List<Vec3>(); var vU = new List<Vec3>(); var vW = new List<Vec3>();
        var vD2 = new List<Vec3>(); var vTheta = new List<double>(); var vIsCap = new List<bool>();
        Vec3 min = new(double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity), max = -min;
        bool anyBend = false;

        foreach (IReadOnlyList<Vec3> raw in chains)
        {
            // Drop repeated points so every segment has a direction.
            var pts = new List<Vec3>(raw.Count);
            foreach (Vec3 p in raw)
            {
                if (!double.IsFinite(p.X) || !double.IsFinite(p.Y) || !double.IsFinite(p.Z))
                    throw new ArgumentException($"centreline points must be finite, got {p}.", nameof(chains));
                if (pts.Count == 0 || Vec3.Distance(pts[^1], p) > 1e-9 * radius) pts.Add(p);
                min = Vec3.Min(min, p);
                max = Vec3.Max(max, p);
            }
            if (pts.Count < 2)
                throw new ArgumentException($"every centreline needs at least 2 distinct points, got {pts.Count}.", nameof(chains));

            int first = segA.Count;
            for (int i = 0; i + 1 < pts.Count; i++)
            {
                Vec3 d = pts[i + 1] - pts[i];
                double len = d.Length;
                segA.Add(pts[i]);
                segD.Add(d / len);
                segLen.Add(len);
                segStart.Add(-1);
                segEnd.Add(-1);
            }
            int last = segA.Count - 1;

            // Start cap on the first segment, facing backwards.
            Perpendicular(-segD[first], out Vec3 u0, out Vec3 w0);
            segStart[first] = vC.Count;
            AddVertex(pts[0], -segD[first], u0, w0, Vec3.Zero, Math.PI, true);

            // Lunes at interior vertices, attached to the incoming segment.
            for (int s = first; s < last; s++)
            {
                Vec3 d1 = segD[s], d2 = segD[s + 1];
                Vec3 cross = Vec3.Cross(d1, d2);
                double sin = cross.Length, cos = Vec3.Dot(d1, d2);
                double theta = Math.Atan2(sin, cos);
                if (!(sin > 1e-12)) continue; // straight (or exactly reversed) joint: nothing exposed
                anyBend = true;
                Vec3 n = cross / sin;
                segEnd[s] = vC.Count;
                AddVertex(pts[s - first + 1], n, d1, Vec3.Cross(n, d1), d2, theta, false);
            }

            // End cap on the last segment, facing forwards.
            Perpendicular(segD[last], out Vec3 u1, out Vec3 w1);
            segEnd[last] = vC.Count;
            AddVertex(pts[^1], segD[last], u1, w1, Vec3.Zero, Math.PI, true);
        }

        _segA = [.. segA]; _segD = [.. segD]; _segLen = [.. segLen];
        _segStartPiece = [.. segStart]; _segEndPiece = [.. segEnd];
        _segE1 = new Vec3[_segA.Length];
        _segE2 = new Vec3[_segA.Length];
        for (int s = 0; s < _segA.Length; s++) Perpendicular(_segD[s], out _segE1[s], out _segE2[s]);
        _vC = [.. vC]; _vN = [.. vN]; _vU = [.. vU]; _vW = [.. vW]; _vD2 = [.. vD2]; _vTheta = [.. vTheta]; _vIsCap = [.. vIsCap];
        _isSingleStraightChain = chains.Count == 1 && !anyBend;

        var rv = new Vec3(radius, radius, radius);
        BoundsMin = min - rv;
        BoundsMax = max + rv;

        // Sampling table.
        int pieces = _segA.Length + _vC.Length;
        _pieceIsVertex = new bool[pieces];
        _pieceRef = new int[pieces];
        _pieceCumArea = new double[pieces];
        _pieceCumVolume = new double[pieces];
        double area = 0, volume = 0, length = 0;
        int k = 0;
        for (int s = 0; s < _segA.Length; s++, k++)
        {
            length += _segLen[s];
            area += 2 * Math.PI * radius * _segLen[s];
            volume += Math.PI * _r2 * _segLen[s];
            _pieceRef[k] = s;
            _pieceCumArea[k] = area;
            _pieceCumVolume[k] = volume;
        }
        for (int v = 0; v < _vC.Length; v++, k++)
        {
            double theta = _vIsCap[v] ? Math.PI : _vTheta[v];
            area += 2 * theta * _r2;                  // lune of dihedral angle θ; θ = π is a hemisphere
            volume += 2.0 / 3.0 * theta * _r2 * radius; // the matching solid wedge of the ball
            _pieceIsVertex[k] = true;
            _pieceRef[k] = v;
            _pieceCumArea[k] = area;
            _pieceCumVolume[k] = volume;
        }
        CandidateArea = area;
        CandidateVolume = volume;
        (_aliasProb, _alias) = BuildAlias(_pieceCumArea);
        CenterlineLength = length;

        // Grid.
        double meanSeg = length / _segA.Length;
        double cell = Math.Max(0.5 * radius, meanSeg);
        Vec3 ext = BoundsMax - BoundsMin;
        while (true)
        {
            _nx = Math.Max(1, (int)Math.Ceiling(ext.X / cell));
            _ny = Math.Max(1, (int)Math.Ceiling(ext.Y / cell));
            _nz = Math.Max(1, (int)Math.Ceiling(ext.Z / cell));
            if ((long)_nx * _ny * _nz <= MaxGridCells) break;
            cell *= 1.25;
        }
        _gridMin = BoundsMin;
        _invCell = 1 / cell;
        int cells = _nx * _ny * _nz;
        _cellStart = new int[cells + 1];
        int[] items = [];
        for (int pass = 0; pass < 2; pass++)
        {
            int[] fill = pass == 1 ? (int[])_cellStart.Clone() : _cellStart;
            for (int s = 0; s < _segA.Length; s++)
            {
                Vec3 a = _segA[s], b = a + _segD[s] * _segLen[s];
                CellRange(Vec3.Min(a, b) - rv, Vec3.Max(a, b) + rv, out int x0, out int x1, out int y0, out int y1, out int z0, out int z1);
                for (int z = z0; z <= z1; z++)
                for (int y = y0; y <= y1; y++)
                for (int x = x0; x <= x1; x++)
                {
                    int c = (z * _ny + y) * _nx + x;
                    if (pass == 0) _cellStart[c + 1]++;
                    else items[fill[c]++] = s;
                }
            }
            if (pass == 0)
            {
                for (int c = 0; c < cells; c++) _cellStart[c + 1] += _cellStart[c];
                items = new int[_cellStart[cells]];
            }
        }
        _cellItems = items;
        _cellSegments = new SegmentRecord[items.Length];
        for (int i = 0; i < items.Length; i++) _cellSegments[i] = new SegmentRecord(_segA[items[i]], _segD[items[i]], _segLen[items[i]]);

        // Area of the union: exact for one straight chain (nothing is rejected), otherwise the candidate
        // area times the acceptance rate of a fixed-seed Monte Carlo run (deterministic per shape).
        if (_isSingleStraightChain)
        {
            SurfaceArea = CandidateArea;
        }
        else
        {
            var rng = new Rng(EstimationSeed);
            int accepted = 0;
            for (int i = 0; i < EstimationSamples; i++)
                if (!IsStrictlyInside(SampleCandidate(rng))) accepted++;
            SurfaceArea = CandidateArea * accepted / EstimationSamples;
        }

        void AddVertex(Vec3 c, Vec3 n, Vec3 u, Vec3 w, Vec3 d2, double theta, bool isCap)
        {
            vC.Add(c); vN.Add(n); vU.Add(u); vW.Add(w); vD2.Add(d2); vTheta.Add(theta); vIsCap.Add(isCap);
        }
    }

    public double Radius => _r;

    public double CenterlineLength { get; }

    public double CandidateArea { get; }

    public double CandidateVolume { get; }

    public double SurfaceArea { get; }

    public Vec3 BoundsMin { get; }

    public Vec3 BoundsMax { get; }

    /// <summary>
    /// Union volume: exact (πR²L + 4πR³/3) for one straight chain; otherwise a fixed-seed Monte Carlo
    /// estimate over the solid pieces, each sample weighted by 1 / (number of pieces containing it).
    /// Computed on first use.
    /// </summary>
    public double Volume
    {
        get
        {
            if (double.IsNaN(_volume)) _volume = ComputeVolume();
            return _volume;
        }
    }

    public Vec3 SampleSurface(Rng rng)
    {
        for (int attempt = 0; attempt < 1_000_000; attempt++)
        {
            Vec3 p = SampleCandidate(rng);
            if (!IsStrictlyInside(p)) return p;
        }
        throw new InvalidOperationException("Surface sampling of the tube network rejected 10^6 candidates in a row; the shape is degenerate.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(Vec3 p) => AnyCloserThan(p, _r2, inclusive: true);

    private bool IsStrictlyInside(Vec3 p) => AnyCloserThan(p, _inner2, inclusive: false);

    /// <summary>Exact distance from <paramref name="p"/> to the nearest centreline segment (brute force).</summary>
    public double DistanceToCenterline(Vec3 p)
    {
        double best = double.PositiveInfinity;
        for (int s = 0; s < _segA.Length; s++) best = Math.Min(best, SegmentDistance2(p, s));
        return Math.Sqrt(best);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double SegmentDistance2(Vec3 p, int s)
    {
        Vec3 v = p - _segA[s];
        double t = Math.Clamp(Vec3.Dot(v, _segD[s]), 0, _segLen[s]);
        return (v - _segD[s] * t).LengthSquared;
    }

    private bool AnyCloserThan(Vec3 p, double limit2, bool inclusive)
    {
        int c = CellOf(p);
        if (c < 0) return false;
        ReadOnlySpan<SegmentRecord> segments = _cellSegments.AsSpan(_cellStart[c], _cellStart[c + 1] - _cellStart[c]);
        foreach (ref readonly SegmentRecord seg in segments)
        {
            double vx = p.X - seg.A.X, vy = p.Y - seg.A.Y, vz = p.Z - seg.A.Z;
            double t = Math.Clamp(vx * seg.D.X + vy * seg.D.Y + vz * seg.D.Z, 0, seg.Length);
            vx -= seg.D.X * t;
            vy -= seg.D.Y * t;
            vz -= seg.D.Z * t;
            double d2 = vx * vx + vy * vy + vz * vz;
            if (d2 < limit2 || (inclusive && d2 == limit2)) return true;
        }
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int CellOf(Vec3 p)
    {
        double fx = (p.X - _gridMin.X) * _invCell, fy = (p.Y - _gridMin.Y) * _invCell, fz = (p.Z - _gridMin.Z) * _invCell;
        if (!(fx >= 0 && fy >= 0 && fz >= 0)) return -1;
        int x = (int)fx, y = (int)fy, z = (int)fz;
        if (x >= _nx) { if (fx > _nx + 1e-9) return -1; x = _nx - 1; }
        if (y >= _ny) { if (fy > _ny + 1e-9) return -1; y = _ny - 1; }
        if (z >= _nz) { if (fz > _nz + 1e-9) return -1; z = _nz - 1; }
        return (z * _ny + y) * _nx + x;
    }

    private void CellRange(Vec3 lo, Vec3 hi, out int x0, out int x1, out int y0, out int y1, out int z0, out int z1)
    {
        x0 = Math.Clamp((int)Math.Floor((lo.X - _gridMin.X) * _invCell), 0, _nx - 1);
        y0 = Math.Clamp((int)Math.Floor((lo.Y - _gridMin.Y) * _invCell), 0, _ny - 1);
        z0 = Math.Clamp((int)Math.Floor((lo.Z - _gridMin.Z) * _invCell), 0, _nz - 1);
        x1 = Math.Clamp((int)Math.Floor((hi.X - _gridMin.X) * _invCell), 0, _nx - 1);
        y1 = Math.Clamp((int)Math.Floor((hi.Y - _gridMin.Y) * _invCell), 0, _ny - 1);
        z1 = Math.Clamp((int)Math.Floor((hi.Z - _gridMin.Z) * _invCell), 0, _nz - 1);
    }

    private static int PickPiece(double[] cumulative, Rng rng)
    {
        double u = rng.NextDouble() * cumulative[^1];
        int lo = 0, hi = cumulative.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (cumulative[mid] > u) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /// <summary>Walker's alias table for picking a piece proportionally to its area in O(1).</summary>
    private static (double[] Prob, int[] Alias) BuildAlias(double[] cumulative)
    {
        int n = cumulative.Length;
        var prob = new double[n];
        var alias = new int[n];
        var scaled = new double[n];
        double total = cumulative[^1];
        for (int i = 0; i < n; i++) scaled[i] = (cumulative[i] - (i > 0 ? cumulative[i - 1] : 0)) * n / total;
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (int i = 0; i < n; i++) (scaled[i] < 1 ? small : large).Push(i);
        while (small.Count > 0 && large.Count > 0)
        {
            int s = small.Pop(), l = large.Pop();
            prob[s] = scaled[s];
            alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1;
            (scaled[l] < 1 ? small : large).Push(l);
        }
        while (large.Count > 0) { int l = large.Pop(); prob[l] = 1; alias[l] = l; }
        while (small.Count > 0) { int s = small.Pop(); prob[s] = 1; alias[s] = s; }
        return (prob, alias);
    }

    private Vec3 SampleCandidate(Rng rng)
    {
        double u = rng.NextDouble() * _aliasProb.Length;
        int k = (int)u;
        if (k >= _aliasProb.Length) k = _aliasProb.Length - 1;
        if (u - k >= _aliasProb[k]) k = _alias[k];
        int i = _pieceRef[k];
        if (!_pieceIsVertex[k])
        {
            double t = rng.NextDouble() * _segLen[i];
            UnitCircle(rng, out double c, out double s);
            return _segA[i] + _segD[i] * t + (_segE1[i] * c + _segE2[i] * s) * _r;
        }
        return _vC[i] + VertexDirection(i, rng) * _r;
    }

    /// <summary>A direction uniform on the unit-sphere part of vertex piece <paramref name="v"/>.</summary>
    private Vec3 VertexDirection(int v, Rng rng)
    {
        if (_vIsCap[v])
        {
            // Archimedes: the axial coordinate of a uniform point on a hemisphere is uniform in [0, 1].
            double z = rng.NextDouble();
            double rho = Math.Sqrt(Math.Max(0, 1 - z * z));
            UnitCircle(rng, out double c, out double s);
            return _vN[v] * z + (_vU[v] * c + _vW[v] * s) * rho;
        }
        else
        {
            // Lune between the planes ⟂ d1 and ⟂ d2: longitude φ ∈ [−π/2, −π/2 + θ] about n, height uniform.
            double z = 2 * rng.NextDouble() - 1;
            double rho = Math.Sqrt(Math.Max(0, 1 - z * z));
            double phi = -0.5 * Math.PI + _vTheta[v] * rng.NextDouble();
            (double s, double c) = Math.SinCos(phi);
            return _vN[v] * z + (_vU[v] * c + _vW[v] * s) * rho;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UnitCircle(Rng rng, out double c, out double s)
    {
        double x, y, q;
        do
        {
            x = 2 * rng.NextDouble() - 1;
            y = 2 * rng.NextDouble() - 1;
            q = x * x + y * y;
        } while (q > 1 || q < 1e-12);
        double inv = 1 / Math.Sqrt(q);
        c = x * inv;
        s = y * inv;
    }

    private double ComputeVolume()
    {
        if (_isSingleStraightChain) return CandidateVolume;
        var rng = new Rng(EstimationSeed ^ 0x5A5A5A5AUL);
        double sum = 0;
        for (int n = 0; n < EstimationSamples; n++)
        {
            int k = PickPiece(_pieceCumVolume, rng);
            int i = _pieceRef[k];
            Vec3 x;
            if (!_pieceIsVertex[k])
            {
                double t = rng.NextDouble() * _segLen[i];
                UnitCircle(rng, out double c, out double s);
                double r = _r * Math.Sqrt(rng.NextDouble());
                x = _segA[i] + _segD[i] * t + (_segE1[i] * c + _segE2[i] * s) * r;
            }
            else
            {
                x = _vC[i] + VertexDirection(i, rng) * (_r * Math.Cbrt(rng.NextDouble()));
            }
            int m = CountSolidPieces(x);
            sum += 1.0 / Math.Max(1, m);
        }
        return CandidateVolume * sum / EstimationSamples;
    }

    private int CountSolidPieces(Vec3 x)
    {
        int c = CellOf(x);
        if (c < 0) return 0;
        int m = 0;
        for (int i = _cellStart[c]; i < _cellStart[c + 1]; i++)
        {
            int s = _cellItems[i];
            Vec3 v = x - _segA[s];
            double t = Vec3.Dot(v, _segD[s]);
            if (t >= 0 && t <= _segLen[s] && (v - _segD[s] * t).LengthSquared <= _r2) m++;
            if (_segStartPiece[s] >= 0 && InVertexSolid(x, _segStartPiece[s])) m++;
            if (_segEndPiece[s] >= 0 && InVertexSolid(x, _segEndPiece[s])) m++;
        }
        return m;
    }

    private bool InVertexSolid(Vec3 x, int v)
    {
        Vec3 d = x - _vC[v];
        if (d.LengthSquared > _r2) return false;
        if (_vIsCap[v]) return Vec3.Dot(d, _vN[v]) >= 0;
        return Vec3.Dot(d, _vU[v]) >= 0 && Vec3.Dot(d, _vD2[v]) <= 0;
    }

    /// <summary>Two unit vectors completing <paramref name="d"/> (unit) to a right-handed orthonormal frame.</summary>
    private static void Perpendicular(Vec3 d, out Vec3 u, out Vec3 w)
    {
        Vec3 helper = Math.Abs(d.X) < 0.9 ? Vec3.UnitX : Vec3.UnitY;
        u = Vec3.Cross(d, helper).Normalized();
        w = Vec3.Cross(d, u);
    }
}
