using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SimSeg.Core.Geometry;
using SimSeg.Core.Randomness;
using SimSeg.Simulation.Labelling;

namespace SimSeg.Simulation.Geometry;

/// <summary>
/// The union of capsules (radius R) around every segment of one or more polylines: the body of
/// <see cref="TubeShape"/> and <see cref="BranchedTubeShape"/>. The union surface is covered, up to sets of
/// zero area, by candidate pieces: the lateral cylinder of each segment, a spherical lune at each interior
/// vertex (the outside of the bend, dihedral angle = bend angle θ, area 2θR²) and a hemisphere at each chain
/// end. Area-uniform surface samples come from sampling the pieces proportionally to area and rejecting
/// points that lie strictly inside the body (distance to the centreline below R(1 − 1e-9)).
/// </summary>
/// <remarks>
/// Every piece lies within R of one segment s (its own cylinder, or the segment a lune or cap is attached
/// to), so a point of it can only be strictly inside the capsule of a segment whose distance to s is below
/// 2R. Those neighbour lists are built once per shape (a pair sweep with a bounding-sphere prefilter and exact
/// segment–segment distances) and stored in 8-lane SIMD blocks, so the rejection test is a handful of
/// vector operations with no grid lookup. The uniform grid used by <see cref="Contains"/> and the
/// volume estimate is built on first use only.
/// </remarks>
internal sealed class CapsuleNetwork
{
    private const double InnerFactor = 1 - 1e-9;
    private const int AreaEstimationSamples = 8192;
    private const int VolumeEstimationSamples = 1024;
    private const ulong EstimationSeed = 0x51AD5E6C0FFEEUL;
    private const int MaxGridCells = 1 << 18;

    // Neighbour blocks: 8 lanes of (Ax, Ay, Az, Dx, Dy, Dz, Length), row-major per block.
    private const int Lanes = 8;
    private const int BlockDoubles = 7 * Lanes;
    private const double FarAway = 1e100; // padding lanes: start far away, zero direction and length

    private readonly double _r, _r2, _inner2;

    // Segments: start, unit direction, length, two unit vectors perpendicular to the direction.
    private readonly Vec3[] _segA, _segD, _segE1, _segE2;
    private readonly double[] _segLen;
    private readonly int[] _segStartPiece, _segEndPiece; // vertex piece attached to the segment's ends, or -1

    // Joint between segment s and s + 1 of the same chain decided by its bisector plane (see BuildNeighbourBlocks).
    private readonly bool[] _bisectorJoint;

    // Vertex pieces (lunes and end caps): centre; for a lune the bend normal n, incoming d1, W = n × d1,
    // outgoing d2 and angle θ; for a cap the outward axis A and a perpendicular frame (U, W); the segment
    // the piece is attached to.
    private readonly Vec3[] _vC, _vN, _vU, _vW, _vD2;
    private readonly double[] _vTheta;
    private readonly bool[] _vIsCap;
    private readonly int[] _vSeg;

    // Sampling table: kind (cylinder or vertex piece), index, cumulative surface area and volume, alias table.
    private readonly bool[] _pieceIsVertex;
    private readonly int[] _pieceRef;
    private readonly double[] _pieceCumArea, _pieceCumVolume;
    private readonly Piece[] _table;

    // Per segment s, blocks [_nbStart[s], _nbStart[s + 1]) of _nb hold the other segments within 2R of s;
    // those whose capsule can reach the lateral cylinder of s come first, in blocks [_nbStart[s], _nbWallEnd[s]).
    private readonly int[] _nbStart, _nbWallEnd;
    private readonly double[] _nb;

    private readonly bool _isSingleStraightChain;
    private double _area = double.NaN, _volume = double.NaN;
    private Grid? _grid;

    public CapsuleNetwork(IReadOnlyList<IReadOnlyList<Vec3>> chains, double radius)
    {
        Debug.Assert(chains.Count > 0 && radius > 0);
        _r = radius;
        _r2 = radius * radius;
        _inner2 = _r2 * InnerFactor * InnerFactor;

        // Sizes first, so that everything below fills arrays of the right length.
        int maxSegments = 0;
        foreach (IReadOnlyList<Vec3> raw in chains) maxSegments += Math.Max(0, raw.Count - 1);
        int maxVertices = maxSegments + chains.Count;
        var segA = new Vec3[maxSegments];
        var segD = new Vec3[maxSegments];
        var segLen = new double[maxSegments];
        var segStart = new int[maxSegments];
        var segEnd = new int[maxSegments];
        var bisector = new bool[maxSegments];
        var vC = new Vec3[maxVertices]; var vN = new Vec3[maxVertices]; var vU = new Vec3[maxVertices];
        var vW = new Vec3[maxVertices]; var vD2 = new Vec3[maxVertices];
        var vTheta = new double[maxVertices];
        var vIsCap = new bool[maxVertices];
        var vSeg = new int[maxVertices];
        int ns = 0, nv = 0;
        Vec3 min = new(double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity), max = -min;
        bool anyBend = false;

        foreach (IReadOnlyList<Vec3> raw in chains)
        {
            int first = ns;
            Vec3 prev = default;
            int distinct = 0;
            for (int i = 0; i < raw.Count; i++)
            {
                Vec3 p = raw[i];
                if (!double.IsFinite(p.X) || !double.IsFinite(p.Y) || !double.IsFinite(p.Z))
                    throw new ArgumentException($"centreline points must be finite, got {p}.", nameof(chains));
                min = Vec3.Min(min, p);
                max = Vec3.Max(max, p);
                if (distinct > 0)
                {
                    // Drop repeated points so every segment has a direction.
                    Vec3 d = p - prev;
                    double len = d.Length;
                    if (!(len > 1e-9 * radius)) continue;
                    segA[ns] = prev;
                    segD[ns] = d / len;
                    segLen[ns] = len;
                    segStart[ns] = -1;
                    segEnd[ns] = -1;
                    ns++;
                }
                prev = p;
                distinct++;
            }
            if (distinct < 2)
                throw new ArgumentException($"every centreline needs at least 2 distinct points, got {distinct}.", nameof(chains));
            int last = ns - 1;

            // Start cap on the first segment, facing backwards.
            Perpendicular(-segD[first], out Vec3 u0, out Vec3 w0);
            segStart[first] = nv;
            AddVertex(segA[first], -segD[first], u0, w0, Vec3.Zero, Math.PI, true, first);

            // Lunes at interior vertices, attached to the incoming segment.
            for (int s = first; s < last; s++)
            {
                Vec3 d1 = segD[s], d2 = segD[s + 1];
                Vec3 cross = Vec3.Cross(d1, d2);
                double sin = cross.Length, cos = Vec3.Dot(d1, d2);
                double theta = Math.Atan2(sin, cos);
                // Bisector test usable when R tan(θ/2) is below both segment lengths (see BuildNeighbourBlocks).
                double reachBack = radius * sin, margin = 1 - 1e-6;
                bisector[s] = cos > -0.5 && reachBack < segLen[s] * (1 + cos) * margin && reachBack < segLen[s + 1] * (1 + cos) * margin;
                if (!(sin > 1e-12)) continue; // straight (or exactly reversed) joint: nothing exposed
                anyBend = true;
                Vec3 n = cross / sin;
                segEnd[s] = nv;
                AddVertex(segA[s + 1], n, d1, Vec3.Cross(n, d1), d2, theta, false, s);
            }

            // End cap on the last segment, facing forwards.
            Perpendicular(segD[last], out Vec3 u1, out Vec3 w1);
            segEnd[last] = nv;
            AddVertex(prev, segD[last], u1, w1, Vec3.Zero, Math.PI, true, last);
        }

        _segA = Trim(segA, ns); _segD = Trim(segD, ns); _segLen = Trim(segLen, ns);
        _segStartPiece = Trim(segStart, ns); _segEndPiece = Trim(segEnd, ns); _bisectorJoint = Trim(bisector, ns);
        _segE1 = new Vec3[ns];
        _segE2 = new Vec3[ns];
        for (int s = 0; s < ns; s++) Perpendicular(_segD[s], out _segE1[s], out _segE2[s]);
        _vC = Trim(vC, nv); _vN = Trim(vN, nv); _vU = Trim(vU, nv); _vW = Trim(vW, nv); _vD2 = Trim(vD2, nv);
        _vTheta = Trim(vTheta, nv); _vIsCap = Trim(vIsCap, nv); _vSeg = Trim(vSeg, nv);
        _isSingleStraightChain = chains.Count == 1 && !anyBend;

        var rv = new Vec3(radius, radius, radius);
        BoundsMin = min - rv;
        BoundsMax = max + rv;

        // Sampling table.
        int pieces = ns + nv;
        _pieceIsVertex = new bool[pieces];
        _pieceRef = new int[pieces];
        _pieceCumArea = new double[pieces];
        _pieceCumVolume = new double[pieces];
        double area = 0, volume = 0, length = 0;
        int k = 0;
        for (int s = 0; s < ns; s++, k++)
        {
            length += _segLen[s];
            area += 2 * Math.PI * radius * _segLen[s];
            volume += Math.PI * _r2 * _segLen[s];
            _pieceRef[k] = s;
            _pieceCumArea[k] = area;
            _pieceCumVolume[k] = volume;
        }
        for (int v = 0; v < nv; v++, k++)
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
        CenterlineLength = length;

        // One straight chain: no point of a piece is strictly inside another capsule, nothing to test.
        if (_isSingleStraightChain)
        {
            _nbStart = new int[ns + 1];
            _nbWallEnd = new int[ns];
            _nb = [];
        }
        else
        {
            (_nbStart, _nbWallEnd, _nb) = BuildNeighbourBlocks();
        }
        _table = BuildTable();

        void AddVertex(Vec3 c, Vec3 n, Vec3 u, Vec3 w, Vec3 d2, double theta, bool isCap, int seg)
        {
            vC[nv] = c; vN[nv] = n; vU[nv] = u; vW[nv] = w; vD2[nv] = d2; vTheta[nv] = theta; vIsCap[nv] = isCap; vSeg[nv] = seg;
            nv++;
        }
    }

    public double Radius => _r;

    public double CenterlineLength { get; }

    /// <summary>Summed area of the candidate pieces (cylinders, lunes, caps): an upper bound of the union's area.</summary>
    public double CandidateArea { get; }

    public double CandidateVolume { get; }

    /// <summary>
    /// Union area: exact for one straight chain (nothing is rejected), otherwise the candidate area times the
    /// acceptance rate of a fixed-seed Monte Carlo run (8192 samples; deterministic per shape). Computed on
    /// first use: surface labelling does not need it (it thins a Poisson process over the candidate pieces).
    /// </summary>
    public double SurfaceArea
    {
        get
        {
            if (double.IsNaN(_area)) _area = ComputeArea();
            return _area;
        }
    }

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
            var bits = new RngBits(rng);
            Vec3 p = SampleCandidate(ref bits, out int b0, out int b1, out bool rejected);
            if (!rejected && !IsStrictlyInsideOther(p, b0, b1)) return p;
        }
        throw new InvalidOperationException("Surface sampling of the tube network rejected 10^6 candidates in a row; the shape is degenerate.");
    }

    /// <summary>
    /// Draws <paramref name="candidates"/> candidate points from the pieces (proportionally to area) and appends
    /// the accepted ones (those on the union's surface) to <paramref name="destination"/> with id
    /// <paramref name="objectId"/>. With a Poisson(density × <see cref="CandidateArea"/>) number of candidates
    /// the accepted points are a Poisson process of the same density on the union's surface (thinning).
    /// Returns the number appended.
    /// </summary>
    public int AppendSurfaceSamples(Rng rng, int candidates, int objectId, EmitterSet destination)
    {
        if (candidates <= 0) return 0;
        var bits = new LocalBits(rng);
        int first = destination.Count;
        destination.EnsureCapacity(first + candidates);
        Span<float> xs = destination.Writable(EmitterSet.Axis.X), ys = destination.Writable(EmitterSet.Axis.Y), zs = destination.Writable(EmitterSet.Axis.Z);
        int n = first;
        for (int i = 0; i < candidates; i++)
        {
            Vec3 p = SampleCandidate(ref bits, out int b0, out int b1, out bool rejected);
            if (rejected || IsStrictlyInsideOther(p, b0, b1)) continue;
            xs[n] = (float)p.X;
            ys[n] = (float)p.Y;
            zs[n] = (float)p.Z;
            n++;
        }
        destination.Commit(n, objectId);
        return n - first;
    }

    /// <summary>
    /// Test hook: <paramref name="count"/> candidates drawn exactly as the samplers draw them, each with the
    /// sampler's verdict (true = kept as a surface point).
    /// </summary>
    internal List<(Vec3 Point, bool Accepted)> CandidatesWithVerdicts(Rng rng, int count)
    {
        var result = new List<(Vec3, bool)>(count);
        var bits = new LocalBits(rng);
        for (int i = 0; i < count; i++)
        {
            // A point rejected by a bisector plane is not returned by SampleCandidate: redraw it from a copy.
            LocalBits copyBits = bits;
            Vec3 p = SampleCandidate(ref bits, out int b0, out int b1, out bool rejected);
            if (rejected) p = SampleCandidatePoint(ref copyBits);
            result.Add((p, !rejected && !IsStrictlyInsideOther(p, b0, b1)));
        }
        return result;
    }

    /// <summary>The point of a candidate, drawn as <see cref="SampleCandidate"/> draws it, without any test.</summary>
    private Vec3 SampleCandidatePoint<TBits>(ref TBits bits) where TBits : struct, IRandomBits
    {
        double u = Unit(bits.Next()) * _table.Length;
        int k = (int)u;
        if (k >= _table.Length) k = _table.Length - 1;
        ref readonly Piece piece = ref _table[k];
        if (u - k >= piece.Prob) piece = ref _table[piece.Alias];
        if (piece.Vertex >= 0) return _vC[piece.Vertex] + VertexDirection(piece.Vertex, ref bits) * _r;
        double t = Unit(bits.Next());
        UnitCircle(ref bits, out double c, out double s);
        return piece.Origin + piece.Axis * t + piece.E1 * c + piece.E2 * s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(Vec3 p) => (_grid ??= new Grid(this)).AnyCloserThan(p, _r2, inclusive: true);

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

    /// <summary>
    /// True when <paramref name="p"/> is strictly inside (distance below R(1 − 1e-9)) the capsule of one of the
    /// segments in neighbour blocks [<paramref name="b0"/>, <paramref name="b1"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsStrictlyInsideOther(Vec3 p, int b0, int b1)
    {
        if (b0 == b1) return false;
        ref double data = ref MemoryMarshal.GetArrayDataReference(_nb);
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<double> px = Vector512.Create(p.X), py = Vector512.Create(p.Y), pz = Vector512.Create(p.Z);
            Vector512<double> limit = Vector512.Create(_inner2);
            for (int b = b0; b < b1; b++)
            {
                ref double blk = ref Unsafe.Add(ref data, b * BlockDoubles);
                Vector512<double> vx = px - Vector512.LoadUnsafe(ref blk, 0);
                Vector512<double> vy = py - Vector512.LoadUnsafe(ref blk, 8);
                Vector512<double> vz = pz - Vector512.LoadUnsafe(ref blk, 16);
                Vector512<double> dx = Vector512.LoadUnsafe(ref blk, 24);
                Vector512<double> dy = Vector512.LoadUnsafe(ref blk, 32);
                Vector512<double> dz = Vector512.LoadUnsafe(ref blk, 40);
                Vector512<double> t = Vector512.Min(Vector512.Max(vx * dx + vy * dy + vz * dz, Vector512<double>.Zero), Vector512.LoadUnsafe(ref blk, 48));
                vx -= dx * t;
                vy -= dy * t;
                vz -= dz * t;
                if (Vector512.LessThanAny(vx * vx + vy * vy + vz * vz, limit)) return true;
            }
            return false;
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> px = Vector256.Create(p.X), py = Vector256.Create(p.Y), pz = Vector256.Create(p.Z);
            Vector256<double> limit = Vector256.Create(_inner2);
            for (int h = 2 * b0; h < 2 * b1; h++)
            {
                // Half h of block h / 2: lanes 4 (h mod 2) .. 4 (h mod 2) + 3.
                ref double blk = ref Unsafe.Add(ref data, (h >> 1) * BlockDoubles + 4 * (h & 1));
                Vector256<double> vx = px - Vector256.LoadUnsafe(ref blk, 0);
                Vector256<double> vy = py - Vector256.LoadUnsafe(ref blk, 8);
                Vector256<double> vz = pz - Vector256.LoadUnsafe(ref blk, 16);
                Vector256<double> dx = Vector256.LoadUnsafe(ref blk, 24);
                Vector256<double> dy = Vector256.LoadUnsafe(ref blk, 32);
                Vector256<double> dz = Vector256.LoadUnsafe(ref blk, 40);
                Vector256<double> t = Vector256.Min(Vector256.Max(vx * dx + vy * dy + vz * dz, Vector256<double>.Zero), Vector256.LoadUnsafe(ref blk, 48));
                vx -= dx * t;
                vy -= dy * t;
                vz -= dz * t;
                if (Vector256.LessThanAny(vx * vx + vy * vy + vz * vz, limit)) return true;
            }
            return false;
        }
        for (int b = b0; b < b1; b++)
        {
            ref double blk = ref Unsafe.Add(ref data, b * BlockDoubles);
            for (int l = 0; l < Lanes; l++)
            {
                double vx = p.X - Unsafe.Add(ref blk, l), vy = p.Y - Unsafe.Add(ref blk, 8 + l), vz = p.Z - Unsafe.Add(ref blk, 16 + l);
                double dx = Unsafe.Add(ref blk, 24 + l), dy = Unsafe.Add(ref blk, 32 + l), dz = Unsafe.Add(ref blk, 40 + l);
                double t = Math.Min(Math.Max(vx * dx + vy * dy + vz * dz, 0), Unsafe.Add(ref blk, 48 + l));
                vx -= dx * t;
                vy -= dy * t;
                vz -= dz * t;
                if (vx * vx + vy * vy + vz * vz < _inner2) return true;
            }
        }
        return false;
    }

    /// <summary>
    /// For every segment, the other segments whose capsule can reach a point within R of it (segment–segment
    /// distance below 2R, with a small safety margin), packed into blocks of <see cref="Lanes"/>.
    /// </summary>
    private (int[] Start, int[] WallEnd, double[] Blocks) BuildNeighbourBlocks()
    {
        int n = _segA.Length;
        var mid = new Vec3[n];
        var half = new double[n];
        double maxHalf = 0;
        for (int s = 0; s < n; s++)
        {
            half[s] = 0.5 * _segLen[s];
            mid[s] = _segA[s] + _segD[s] * half[s];
            maxHalf = Math.Max(maxHalf, half[s]);
        }
        double reach = 2 * _r, limit2 = reach * reach * (1 + 1e-6);

        // Sweep along the longest axis of the bounds: pairs closer than 2R have midpoints closer than
        // 2R + h_i + h_j along every axis.
        Vec3 ext = BoundsMax - BoundsMin;
        int axis = ext.X >= ext.Y && ext.X >= ext.Z ? 0 : ext.Y >= ext.Z ? 1 : 2;
        var key = new double[n];
        var order = new int[n];
        for (int s = 0; s < n; s++)
        {
            key[s] = axis == 0 ? mid[s].X : axis == 1 ? mid[s].Y : mid[s].Z;
            order[s] = s;
        }
        Array.Sort(key, order);

        var count = new int[n];
        var wallCount = new int[n];
        var pairs = new List<long>(8 * n); // i << 33 | (j reaches wall of i) << 32 | (i reaches wall of j) << 31 | j
        double window = reach + 2 * maxHalf;
        for (int a = 0; a < n; a++)
        {
            int i = order[a];
            Vec3 mi = mid[i];
            double hi = half[i];
            for (int b = a + 1; b < n && key[b] - key[a] < window; b++)
            {
                int j = order[b];
                double r = reach + hi + half[j];
                if ((mid[j] - mi).LengthSquared >= r * r * (1 + 1e-9)) continue;
                if (SegmentSegmentDistance2(i, j) >= limit2) continue;
                count[i]++;
                count[j]++;
                // Consecutive segments of a chain at a bisector joint are decided by the joint's plane instead.
                bool bisectorPair = (j == i + 1 && _bisectorJoint[i]) || (i == j + 1 && _bisectorJoint[j]);
                bool jWall = !bisectorPair && ReachesWall(i, j), iWall = !bisectorPair && ReachesWall(j, i);
                if (jWall) wallCount[i]++;
                if (iWall) wallCount[j]++;
                pairs.Add(((long)i << 33) | (jWall ? 1L << 32 : 0) | (iWall ? 1L << 31 : 0) | (uint)j);
            }
        }

        var start = new int[n + 1];
        var wallEnd = new int[n];
        for (int s = 0; s < n; s++)
        {
            start[s + 1] = start[s] + (count[s] + Lanes - 1) / Lanes;
            wallEnd[s] = start[s] + (wallCount[s] + Lanes - 1) / Lanes;
        }
        var blocks = new double[start[n] * BlockDoubles];
        for (int b = 0; b < start[n]; b++) blocks.AsSpan(b * BlockDoubles, 3 * Lanes).Fill(FarAway);
        // Wall-reaching neighbours take slots 0.., the others follow them.
        for (int s = 0; s < n; s++) count[s] = wallCount[s];
        Array.Clear(wallCount);
        foreach (long pair in pairs)
        {
            int i = (int)(pair >> 33), j = (int)(pair & 0x7FFFFFFF);
            Put(i, j, (pair & (1L << 32)) != 0);
            Put(j, i, (pair & (1L << 31)) != 0);
        }
        return (start, wallEnd, blocks);

        void Put(int owner, int other, bool wall)
        {
            int slot = wall ? wallCount[owner]++ : count[owner]++;
            int at = (start[owner] + slot / Lanes) * BlockDoubles + slot % Lanes;
            Vec3 a = _segA[other], d = _segD[other];
            blocks[at] = a.X;
            blocks[at + 8] = a.Y;
            blocks[at + 16] = a.Z;
            blocks[at + 24] = d.X;
            blocks[at + 32] = d.Y;
            blocks[at + 40] = d.Z;
            blocks[at + 48] = _segLen[other];
        }
    }

    /// <summary>
    /// False only when no point of segment <paramref name="j"/> is closer than R to the lateral cylinder of
    /// segment <paramref name="i"/> (so no point of that cylinder is strictly inside capsule j). Decided for
    /// segments lying axially beyond one end of i, where the nearest cylinder points are on the end rim
    /// (centre V): q is within R of the rim iff |q − V|² &lt; 2R·ρ(q), ρ the distance from q to the axis of i.
    /// On each of a few pieces of j, min |q − V|² (exact) against 2R·max ρ (ρ is convex along a segment, so
    /// its maximum is at a piece end) gives a conservative answer; anything else counts as reaching.
    /// </summary>
    private bool ReachesWall(int i, int j)
    {
        const int pieces = 4;
        Vec3 a = _segA[i], d = _segD[i];
        double len = _segLen[i];
        Vec3 q0 = _segA[j], e = _segD[j] * _segLen[j];
        double x0 = Vec3.Dot(q0 - a, d), x1 = x0 + Vec3.Dot(e, d);
        Vec3 v;
        if (x0 >= len && x1 >= len) v = a + d * len;
        else if (x0 <= 0 && x1 <= 0) v = a;
        else return true;
        // The whole segment first (enough for most), then pieces of it.
        double rho0 = AxisDistance2(q0), rho1 = AxisDistance2(q0 + e);
        if (!PieceReaches(q0, e, rho0, rho1)) return false;
        Vec3 step = e * (1.0 / pieces);
        double rhoA = rho0;
        for (int k = 0; k < pieces; k++)
        {
            Vec3 qa = q0 + step * k;
            double rhoB = k == pieces - 1 ? rho1 : AxisDistance2(qa + step);
            if (PieceReaches(qa, step, rhoA, rhoB)) return true;
            rhoA = rhoB;
        }
        return false;

        // Squared distance from q to the axis line of i.
        double AxisDistance2(Vec3 q)
        {
            Vec3 w = q - a;
            double along = Vec3.Dot(w, d);
            return Math.Max(0, w.LengthSquared - along * along);
        }

        // Conservative: false only when min |q − V|² > 2R·max ρ over the piece qa + [0, 1]·span (with margins),
        // compared squared; ρ² is given at both ends (ρ is convex, so its maximum is at an end).
        bool PieceReaches(Vec3 qa, Vec3 span, double rhoA2, double rhoB2)
        {
            double t = Math.Clamp(Vec3.Dot(v - qa, span) / span.LengthSquared, 0, 1);
            double dmin2 = (qa + span * t - v).LengthSquared - 1e-9 * _r2;
            if (!(dmin2 > 0)) return true;
            double bound = 2 * _r * (1 + 1e-6);
            return !(dmin2 * dmin2 > bound * bound * Math.Max(rhoA2, rhoB2));
        }
    }

    /// <summary>Squared distance between segments i and j (Ericson, Real-Time Collision Detection, 5.1.9).</summary>
    private double SegmentSegmentDistance2(int i, int j)
    {
        Vec3 p1 = _segA[i], p2 = _segA[j];
        Vec3 d1 = _segD[i] * _segLen[i], d2 = _segD[j] * _segLen[j];
        Vec3 r = p1 - p2;
        double a = d1.LengthSquared, e = d2.LengthSquared, f = Vec3.Dot(d2, r);
        double c = Vec3.Dot(d1, r), b = Vec3.Dot(d1, d2);
        double denom = a * e - b * b;
        double s = denom > 1e-12 * a * e ? Math.Clamp((b * f - c * e) / denom, 0, 1) : 0;
        double t = (b * s + f) / e;
        if (t < 0)
        {
            t = 0;
            s = Math.Clamp(-c / a, 0, 1);
        }
        else if (t > 1)
        {
            t = 1;
            s = Math.Clamp((b - c) / a, 0, 1);
        }
        return (p1 + d1 * s - (p2 + d2 * t)).LengthSquared;
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

    /// <summary>The alias table over the pieces, each slot with its piece's sampling data.</summary>
    private Piece[] BuildTable()
    {
        (double[] prob, int[] alias) = BuildAlias(_pieceCumArea);
        var table = new Piece[prob.Length];
        for (int k = 0; k < table.Length; k++)
        {
            ref Piece piece = ref table[k];
            piece.Prob = prob[k];
            piece.Alias = alias[k];
            int i = _pieceRef[k];
            if (_pieceIsVertex[k])
            {
                int seg = _vSeg[i];
                piece.Vertex = i;
                piece.B0 = _nbStart[seg];
                piece.B1 = _nbStart[seg + 1];
            }
            else
            {
                piece.Vertex = -1;
                piece.B0 = _nbStart[i];
                piece.B1 = _nbWallEnd[i];
                piece.Origin = _segA[i];
                piece.Axis = _segD[i] * _segLen[i];
                piece.E1 = _segE1[i] * _r;
                piece.E2 = _segE2[i] * _r;
                piece.StartC = piece.EndC = -1;
                if (i > 0 && _bisectorJoint[i - 1])
                {
                    Vec3 m = -(_segD[i - 1] + _segD[i]);
                    piece.StartC = 0;
                    piece.StartT = Vec3.Dot(piece.Axis, m);
                    piece.StartCos = Vec3.Dot(piece.E1, m);
                    piece.StartSin = Vec3.Dot(piece.E2, m);
                }
                if (_bisectorJoint[i])
                {
                    Vec3 m = _segD[i] + _segD[i + 1];
                    piece.EndC = Vec3.Dot(_segA[i] - _segA[i + 1], m);
                    piece.EndT = Vec3.Dot(piece.Axis, m);
                    piece.EndCos = Vec3.Dot(piece.E1, m);
                    piece.EndSin = Vec3.Dot(piece.E2, m);
                }
            }
        }
        return table;
    }

    /// <summary>Walker's alias table for picking a piece proportionally to its area in O(1).</summary>
    private static (double[] Prob, int[] Alias) BuildAlias(double[] cumulative)
    {
        int n = cumulative.Length;
        var prob = new double[n];
        var alias = new int[n];
        var scaled = new double[n];
        var small = new int[n];
        var large = new int[n];
        int ns = 0, nl = 0;
        double total = cumulative[^1];
        for (int i = 0; i < n; i++)
        {
            scaled[i] = (cumulative[i] - (i > 0 ? cumulative[i - 1] : 0)) * n / total;
            if (scaled[i] < 1) small[ns++] = i;
            else large[nl++] = i;
        }
        while (ns > 0 && nl > 0)
        {
            int s = small[--ns], l = large[--nl];
            prob[s] = scaled[s];
            alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1;
            if (scaled[l] < 1) small[ns++] = l;
            else large[nl++] = l;
        }
        while (nl > 0) { int l = large[--nl]; prob[l] = 1; alias[l] = l; }
        while (ns > 0) { int s = small[--ns]; prob[s] = 1; alias[s] = s; }
        return (prob, alias);
    }

    /// <summary>
    /// A candidate point, area-uniform over the pieces, and the neighbour blocks [<paramref name="b0"/>,
    /// <paramref name="b1"/>) that can contain it; <paramref name="rejected"/> when a bisector plane of a
    /// cylinder's joints already puts it inside the neighbouring capsule.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vec3 SampleCandidate<TBits>(ref TBits bits, out int b0, out int b1, out bool rejected) where TBits : struct, IRandomBits
    {
        double u = Unit(bits.Next()) * _table.Length;
        int k = (int)u;
        if (k >= _table.Length) k = _table.Length - 1;
        ref readonly Piece slot = ref _table[k];
        int pick = u - k >= slot.Prob ? slot.Alias : k;
        ref readonly Piece piece = ref _table[pick];
        b0 = piece.B0;
        b1 = piece.B1;
        if (piece.Vertex < 0)
        {
            double t = Unit(bits.Next());
            UnitCircle(ref bits, out double c, out double s);
            if (piece.StartC + piece.StartT * t + piece.StartCos * c + piece.StartSin * s > 0 ||
                piece.EndC + piece.EndT * t + piece.EndCos * c + piece.EndSin * s > 0)
            {
                rejected = true;
                return default;
            }
            rejected = false;
            return piece.Origin + piece.Axis * t + piece.E1 * c + piece.E2 * s;
        }
        rejected = false;
        return _vC[piece.Vertex] + VertexDirection(piece.Vertex, ref bits) * _r;
    }

    /// <summary>A direction uniform on the unit-sphere part of vertex piece <paramref name="v"/>.</summary>
    private Vec3 VertexDirection<TBits>(int v, ref TBits bits) where TBits : struct, IRandomBits
    {
        if (_vIsCap[v])
        {
            // Archimedes: the axial coordinate of a uniform point on a hemisphere is uniform in [0, 1].
            double z = Unit(bits.Next());
            double rho = Math.Sqrt(Math.Max(0, 1 - z * z));
            UnitCircle(ref bits, out double c, out double s);
            return _vN[v] * z + (_vU[v] * c + _vW[v] * s) * rho;
        }
        else
        {
            // Lune between the planes ⟂ d1 and ⟂ d2: longitude φ ∈ [−π/2, −π/2 + θ] about n, height uniform.
            double z = 2 * Unit(bits.Next()) - 1;
            double rho = Math.Sqrt(Math.Max(0, 1 - z * z));
            double phi = -0.5 * Math.PI + _vTheta[v] * Unit(bits.Next());
            (double s, double c) = Math.SinCos(phi);
            return _vN[v] * z + (_vU[v] * c + _vW[v] * s) * rho;
        }
    }

    /// <summary>
    /// A uniform direction in the plane from one 64-bit draw, without rejection: the top 8 bits pick one of
    /// 256 equal sectors (tabulated cos and sin of its start angle), the next 53 bits the angle δ within it,
    /// and short Taylor series of cos δ and sin δ (δ &lt; 2π/256, errors below 1e-14) rotate the sector start.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UnitCircle<TBits>(ref TBits bits, out double c, out double s) where TBits : struct, IRandomBits
    {
        const double sector = 2 * Math.PI / CircleSectors;
        ulong b = bits.Next();
        int index = (int)(b >> 56) * 2;
        double delta = ((b << 8) >> 11) * (sector / (1UL << 53));
        double d2 = delta * delta;
        double cosD = 1 - d2 * (0.5 - d2 * (1.0 / 24 - d2 * (1.0 / 720)));
        double sinD = delta * (1 - d2 * (1.0 / 6 - d2 * (1.0 / 120)));
        ref double table = ref MemoryMarshal.GetArrayDataReference(CircleTable);
        double c0 = Unsafe.Add(ref table, index), s0 = Unsafe.Add(ref table, index + 1);
        c = c0 * cosD - s0 * sinD;
        s = s0 * cosD + c0 * sinD;
    }

    private const int CircleSectors = 256;

    /// <summary>cos and sin of the sector start angles 2πk/256, interleaved.</summary>
    private static readonly double[] CircleTable = BuildCircleTable();

    private static double[] BuildCircleTable()
    {
        var table = new double[2 * CircleSectors];
        for (int k = 0; k < CircleSectors; k++)
        {
            (double sin, double cos) = Math.SinCos(2 * Math.PI * k / CircleSectors);
            table[2 * k] = cos;
            table[2 * k + 1] = sin;
        }
        return table;
    }

    /// <summary>A uniform double in [0, 1) from the top 53 bits, as <see cref="Rng.NextDouble"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Unit(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));

    /// <summary>A source of uniform 64-bit words, as a struct so that generic sampling code is specialised.</summary>
    private interface IRandomBits
    {
        ulong Next();
    }

    /// <summary>The words of an <see cref="Rng"/>, one call each.</summary>
    private readonly struct RngBits(Rng rng) : IRandomBits
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong Next() => rng.NextUInt64();
    }

    /// <summary>
    /// A local xoshiro256** generator seeded from four words of an <see cref="Rng"/>: its state lives in
    /// registers or on the stack during a bulk sampling loop.
    /// </summary>
    private struct LocalBits(Rng rng) : IRandomBits
    {
        private Xoshiro256StarStar _state = new(rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64());

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong Next() => _state.Next();
    }

    /// <summary>
    /// One entry of the alias table (probability and alias of slot k) together with piece k: for a cylinder
    /// its start, axis vector (direction × length) and perpendicular frame scaled by R; for a vertex piece its
    /// index; and the neighbour blocks its points are tested against.
    /// </summary>
    private struct Piece
    {
        public double Prob;
        public int Alias;
        public int Vertex; // -1 for a cylinder
        public int B0, B1;
        public Vec3 Origin, Axis, E1, E2;

        // Bisector planes of the start and end joints as linear forms in (t, cos, sin): the point is strictly
        // inside the neighbouring capsule when a form is positive (never, for a form (−1, 0, 0, 0)).
        public double StartC, StartT, StartCos, StartSin, EndC, EndT, EndCos, EndSin;
    }

    private double ComputeArea()
    {
        if (_isSingleStraightChain) return CandidateArea;
        var bits = new LocalBits(new Rng(EstimationSeed));
        int accepted = 0;
        for (int i = 0; i < AreaEstimationSamples; i++)
        {
            Vec3 p = SampleCandidate(ref bits, out int b0, out int b1, out bool rejected);
            if (!rejected && !IsStrictlyInsideOther(p, b0, b1)) accepted++;
        }
        return CandidateArea * accepted / AreaEstimationSamples;
    }

    private double ComputeVolume()
    {
        if (_isSingleStraightChain) return CandidateVolume;
        Grid grid = _grid ??= new Grid(this);
        var rng = new Rng(EstimationSeed ^ 0x5A5A5A5AUL);
        var bits = new RngBits(rng);
        double sum = 0;
        for (int n = 0; n < VolumeEstimationSamples; n++)
        {
            int k = PickPiece(_pieceCumVolume, rng);
            int i = _pieceRef[k];
            Vec3 x;
            if (!_pieceIsVertex[k])
            {
                double t = rng.NextDouble() * _segLen[i];
                UnitCircle(ref bits, out double c, out double s);
                double r = _r * Math.Sqrt(rng.NextDouble());
                x = _segA[i] + _segD[i] * t + (_segE1[i] * c + _segE2[i] * s) * r;
            }
            else
            {
                x = _vC[i] + VertexDirection(i, ref bits) * (_r * Math.Cbrt(rng.NextDouble()));
            }
            int m = grid.CountSolidPieces(x);
            sum += 1.0 / Math.Max(1, m);
        }
        return CandidateVolume * sum / VolumeEstimationSamples;
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

    private static T[] Trim<T>(T[] array, int count) => count == array.Length ? array : array[..count];

    /// <summary>
    /// Uniform grid over the bounds with CSR lists of the segments whose R-neighbourhood may reach each cell:
    /// point-in-body queries (<see cref="Contains"/>, volume labelling) and the volume estimate.
    /// </summary>
    private sealed class Grid
    {
        private readonly CapsuleNetwork _net;
        private readonly Vec3 _gridMin;
        private readonly double _invCell;
        private readonly int _nx, _ny, _nz;
        private readonly int[] _cellStart, _cellItems;
        private readonly SegmentRecord[] _cellSegments; // copies of the segments of _cellItems, contiguous per cell

        private readonly record struct SegmentRecord(Vec3 A, Vec3 D, double Length);

        public Grid(CapsuleNetwork net)
        {
            _net = net;
            Vec3[] segA = net._segA, segD = net._segD;
            double[] segLen = net._segLen;
            double radius = net._r;
            var rv = new Vec3(radius, radius, radius);
            double meanSeg = net.CenterlineLength / segA.Length;
            double cell = Math.Max(0.5 * radius, meanSeg);
            Vec3 ext = net.BoundsMax - net.BoundsMin;
            while (true)
            {
                _nx = Math.Max(1, (int)Math.Ceiling(ext.X / cell));
                _ny = Math.Max(1, (int)Math.Ceiling(ext.Y / cell));
                _nz = Math.Max(1, (int)Math.Ceiling(ext.Z / cell));
                if ((long)_nx * _ny * _nz <= MaxGridCells) break;
                cell *= 1.25;
            }
            _gridMin = net.BoundsMin;
            _invCell = 1 / cell;
            int cells = _nx * _ny * _nz;
            _cellStart = new int[cells + 1];
            int[] items = [];
            for (int pass = 0; pass < 2; pass++)
            {
                int[] fill = pass == 1 ? (int[])_cellStart.Clone() : _cellStart;
                for (int s = 0; s < segA.Length; s++)
                {
                    Vec3 a = segA[s], b = a + segD[s] * segLen[s];
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
            for (int i = 0; i < items.Length; i++) _cellSegments[i] = new SegmentRecord(segA[items[i]], segD[items[i]], segLen[items[i]]);
        }

        public bool AnyCloserThan(Vec3 p, double limit2, bool inclusive)
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

        public int CountSolidPieces(Vec3 x)
        {
            int c = CellOf(x);
            if (c < 0) return 0;
            CapsuleNetwork n = _net;
            int m = 0;
            for (int i = _cellStart[c]; i < _cellStart[c + 1]; i++)
            {
                int s = _cellItems[i];
                Vec3 v = x - n._segA[s];
                double t = Vec3.Dot(v, n._segD[s]);
                if (t >= 0 && t <= n._segLen[s] && (v - n._segD[s] * t).LengthSquared <= n._r2) m++;
                if (n._segStartPiece[s] >= 0 && n.InVertexSolid(x, n._segStartPiece[s])) m++;
                if (n._segEndPiece[s] >= 0 && n.InVertexSolid(x, n._segEndPiece[s])) m++;
            }
            return m;
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
    }
}
