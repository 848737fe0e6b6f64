using System.Diagnostics;
using SimSeg.Core;
using SimSeg.Core.Imaging;

namespace SimSeg.Shapes.Skeletons;

/// <summary>What a skeleton graph node stands for.</summary>
public enum SkeletonNodeKind
{
    /// <summary>A voxel with exactly one skeleton neighbour: the tip of a branch.</summary>
    Endpoint,

    /// <summary>A 26-connected cluster of voxels with three or more skeleton neighbours: a branch point.</summary>
    Junction,

    /// <summary>A voxel with no skeleton neighbour (the skeleton of a ball-like object).</summary>
    Isolated,
}

/// <summary>Which kinds of node a branch joins.</summary>
public enum BranchType
{
    /// <summary>A free segment: both ends are endpoints.</summary>
    EndpointEndpoint,

    /// <summary>A terminal branch: one endpoint, one junction.</summary>
    EndpointJunction,

    /// <summary>An inner branch between two junctions (or from a junction back to itself).</summary>
    JunctionJunction,

    /// <summary>A closed loop with no node on it.</summary>
    Cycle,
}

/// <summary>A node of a <see cref="SkeletonGraph"/>.</summary>
/// <param name="Id">0-based index into <see cref="SkeletonGraph.Nodes"/>; nodes are numbered in raster order of their first voxel.</param>
/// <param name="Kind">Endpoint, junction or isolated voxel.</param>
/// <param name="Degree">Branch ends at this node (a branch from a junction back to itself counts twice).</param>
/// <param name="X">Centroid x of the node's voxels, in voxels.</param>
/// <param name="Y">Centroid y of the node's voxels, in voxels.</param>
/// <param name="Z">Centroid z of the node's voxels, in voxels.</param>
/// <param name="Voxels">Linear indices (z·Height + y)·Width + x of the node's voxels in the skeleton image.</param>
public sealed record SkeletonNode(int Id, SkeletonNodeKind Kind, int Degree, double X, double Y, double Z, IReadOnlyList<int> Voxels);

/// <summary>A branch (edge) of a <see cref="SkeletonGraph"/>: a chain of voxels with two skeleton neighbours each.</summary>
/// <param name="Id">0-based index into <see cref="SkeletonGraph.Branches"/>.</param>
/// <param name="From">Id of the start node; −1 for a <see cref="BranchType.Cycle"/>.</param>
/// <param name="To">Id of the end node (may equal <paramref name="From"/> for a loop through one junction); −1 for a cycle.</param>
/// <param name="Type">The kinds of node it joins.</param>
/// <param name="LengthNm">Sum of the distances between consecutive voxel centres along the path, in nm, using the anisotropic voxel size (for a cycle, including the closing step).</param>
/// <param name="Voxels">
/// Linear indices of the path in the skeleton image: for a branch, from a voxel of <paramref name="From"/> through the
/// chain to a voxel of <paramref name="To"/>, both end voxels included; for a cycle, each voxel once, in order.
/// </param>
public sealed record SkeletonBranch(int Id, int From, int To, BranchType Type, double LengthNm, IReadOnlyList<int> Voxels);

/// <summary>
/// The graph of a one-voxel-wide curve skeleton (as from <see cref="Skeletonizer.Skeletonize3D"/>), 26-connected:
/// nodes are endpoints (one neighbour), junctions (three or more neighbours; adjacent junction voxels merged into
/// one node) and isolated voxels; branches are the chains of two-neighbour voxels between them, and closed loops
/// without any node are kept as cycles.
/// </summary>
/// <remarks>
/// Lengths are measured between voxel centres, so the extent inside a junction cluster is not counted and a
/// branch ends at the centre of its tip voxel. A two-neighbour voxel whose both neighbours belong to the same
/// junction cluster is merged into the cluster (it is a corner of the junction, not a loop), and a junction
/// cluster where only two branch ends meet (a thick corner) is dissolved into the branch through it, the step
/// across the cluster measured as the straight distance between its entry and exit voxels. The input is
/// expected to be thin; on a thick set the counts describe the voxel adjacency graph, not the shape.
/// </remarks>
public sealed class SkeletonGraph
{
    private SkeletonGraph(IReadOnlyList<SkeletonNode> nodes, IReadOnlyList<SkeletonBranch> branches, int componentCount, int loopCount, Calibration voxelSize)
    {
        Nodes = nodes;
        Branches = branches;
        ComponentCount = componentCount;
        LoopCount = loopCount;
        VoxelSize = voxelSize;
        TotalLengthNm = branches.Sum(b => b.LengthNm);
        EndpointCount = nodes.Count(n => n.Kind == SkeletonNodeKind.Endpoint);
        JunctionCount = nodes.Count(n => n.Kind == SkeletonNodeKind.Junction);
        bool hasInteriorVoxels = branches.Any(b => b.Type == BranchType.Cycle || b.Voxels.Count > 2);
        MaxDegree = Math.Max(nodes.Count == 0 ? 0 : nodes.Max(n => n.Degree), hasInteriorVoxels ? 2 : 0);
    }

    /// <summary>Endpoints, junctions and isolated voxels, by id.</summary>
    public IReadOnlyList<SkeletonNode> Nodes { get; }

    /// <summary>Branches and cycles, by id.</summary>
    public IReadOnlyList<SkeletonBranch> Branches { get; }

    /// <summary>The voxel size the lengths were measured with (nm).</summary>
    public Calibration VoxelSize { get; }

    /// <summary>Sum of all branch and cycle lengths, in nm.</summary>
    public double TotalLengthNm { get; }

    /// <summary>Branches, cycles included.</summary>
    public int BranchCount => Branches.Count;

    /// <summary>Nodes of kind <see cref="SkeletonNodeKind.Endpoint"/>.</summary>
    public int EndpointCount { get; }

    /// <summary>Nodes of kind <see cref="SkeletonNodeKind.Junction"/>.</summary>
    public int JunctionCount { get; }

    /// <summary>Connected components of the skeleton (26-connectivity).</summary>
    public int ComponentCount { get; }

    /// <summary>
    /// Independent loops: the cycle rank branches − nodes + components of the node–branch graph, plus one per
    /// <see cref="BranchType.Cycle"/>. Equals the number of tunnels of a thin skeleton.
    /// </summary>
    public int LoopCount { get; }

    /// <summary>
    /// The most branches meeting at one point: the largest node degree, or 2 when a branch or cycle has an
    /// interior voxel and no node has a higher degree (0 for an empty skeleton or isolated voxels).
    /// </summary>
    public int MaxDegree { get; }

    /// <summary>Builds the graph of a thin skeleton.</summary>
    /// <param name="skeleton">Binary volume; any nonzero voxel is skeleton.</param>
    /// <param name="voxelSize">Voxel size in nm: <c>PixelWidthNm</c> = x, <c>PixelHeightNm</c> = y, <c>PlaneSpacingNm</c> = z (may be 0 when the skeleton has one plane).</param>
    /// <exception cref="ArgumentOutOfRangeException">A voxel size is not a finite positive number.</exception>
    public static SkeletonGraph Build(Image<byte> skeleton, Calibration voxelSize)
    {
        ArgumentNullException.ThrowIfNull(skeleton);
        ArgumentNullException.ThrowIfNull(voxelSize);
        Guard.Positive(voxelSize.PixelWidthNm, "voxelSize.PixelWidthNm");
        Guard.Positive(voxelSize.PixelHeightNm, "voxelSize.PixelHeightNm");
        if (skeleton.Depth > 1) Guard.Positive(voxelSize.PlaneSpacingNm, "voxelSize.PlaneSpacingNm");
        return new Builder(skeleton, voxelSize).Build();
    }

    /// <summary>Graph construction on a padded copy of the skeleton.</summary>
    private sealed class Builder
    {
        private readonly Image<byte> _skeleton;
        private readonly Calibration _voxelSize;
        private readonly PaddedVolume _volume;
        private readonly int[] _offsets;
        private readonly byte[] _degree;
        private readonly int[] _nodeOf;
        private readonly bool[] _traced;

        public Builder(Image<byte> skeleton, Calibration voxelSize)
        {
            _skeleton = skeleton;
            _voxelSize = voxelSize;
            _volume = PaddedVolume.From(skeleton);
            _offsets = _volume.NeighbourOffsets().Where((_, bit) => bit != Neighborhood26.Centre).ToArray();
            _degree = new byte[_volume.Voxels.Length];
            _nodeOf = new int[_volume.Voxels.Length];
            _traced = new bool[_volume.Voxels.Length];
            Array.Fill(_nodeOf, -1);
        }

        public SkeletonGraph Build()
        {
            var voxels = _volume.Voxels;
            foreach (int p in _volume.ObjectIndices())
            {
                int degree = 0;
                foreach (int o in _offsets) degree += voxels[p + o];
                _degree[p] = (byte)degree;
            }

            var nodeVoxels = FindNodes(out var kinds);
            var branches = new List<(int From, int To, List<int> Path)>();
            var directPairs = new HashSet<(int, int)>();
            for (int node = 0; node < nodeVoxels.Count; node++)
            {
                foreach (int v in nodeVoxels[node])
                {
                    foreach (int o in _offsets)
                    {
                        int u = v + o;
                        if (voxels[u] == 0 || _nodeOf[u] == node) continue;
                        if (_nodeOf[u] >= 0)
                        {
                            // Two nodes touching directly: one branch of one step per pair of nodes.
                            if (node < _nodeOf[u] && directPairs.Add((node, _nodeOf[u])))
                                branches.Add((node, _nodeOf[u], [v, u]));
                            continue;
                        }
                        if (_traced[u]) continue;
                        var path = Walk(v, u);
                        branches.Add((node, _nodeOf[path[^1]], path));
                    }
                }
            }

            var cycles = new List<List<int>>();
            foreach (int p in _volume.ObjectIndices())
                if (_nodeOf[p] < 0 && !_traced[p]) cycles.Add(WalkCycle(p));

            return Assemble(nodeVoxels, kinds, branches, cycles);
        }

        /// <summary>Numbers the node voxels: endpoints, isolated voxels and junction clusters, in raster order.</summary>
        private List<List<int>> FindNodes(out List<SkeletonNodeKind> kinds)
        {
            var voxels = _volume.Voxels;
            var nodes = new List<List<int>>();
            kinds = [];
            foreach (int p in _volume.ObjectIndices())
            {
                if (_nodeOf[p] >= 0 || _degree[p] == 2) continue;
                int id = nodes.Count;
                var members = new List<int> { p };
                _nodeOf[p] = id;
                if (_degree[p] >= 3)
                {
                    for (int i = 0; i < members.Count; i++)
                        foreach (int o in _offsets)
                        {
                            int q = members[i] + o;
                            if (voxels[q] != 0 && _degree[q] >= 3 && _nodeOf[q] < 0)
                            {
                                _nodeOf[q] = id;
                                members.Add(q);
                            }
                        }
                }
                nodes.Add(members);
                kinds.Add(_degree[p] switch { 0 => SkeletonNodeKind.Isolated, 1 => SkeletonNodeKind.Endpoint, _ => SkeletonNodeKind.Junction });
            }

            // A two-neighbour voxel whose neighbours both lie in one junction cluster is a corner of that junction.
            bool absorbed = true;
            while (absorbed)
            {
                absorbed = false;
                foreach (int p in _volume.ObjectIndices())
                {
                    if (_nodeOf[p] >= 0) continue;
                    int first = -1, second = -1;
                    foreach (int o in _offsets)
                    {
                        int q = p + o;
                        if (voxels[q] == 0) continue;
                        if (first < 0) first = _nodeOf[q]; else second = _nodeOf[q];
                    }
                    if (first >= 0 && first == second && kinds[first] == SkeletonNodeKind.Junction)
                    {
                        _nodeOf[p] = first;
                        nodes[first].Add(p);
                        absorbed = true;
                    }
                }
            }
            return nodes;
        }

        /// <summary>Follows a chain from node voxel <paramref name="start"/> through chain voxel <paramref name="first"/> to the next node voxel.</summary>
        private List<int> Walk(int start, int first)
        {
            var path = new List<int> { start, first };
            int previous = start, current = first;
            _traced[current] = true;
            while (true)
            {
                int next = OtherNeighbour(current, previous);
                path.Add(next);
                if (_nodeOf[next] >= 0) return path;
                Debug.Assert(!_traced[next], "a chain between nodes revisited a voxel");
                _traced[next] = true;
                previous = current;
                current = next;
            }
        }

        /// <summary>Follows a closed chain of two-neighbour voxels from <paramref name="start"/> back to it.</summary>
        private List<int> WalkCycle(int start)
        {
            var path = new List<int> { start };
            _traced[start] = true;
            int previous = start, current = OtherNeighbour(start, -1);
            while (current != start)
            {
                Debug.Assert(_nodeOf[current] < 0 && !_traced[current], "a cycle ran into a node or a traced voxel");
                _traced[current] = true;
                path.Add(current);
                int next = OtherNeighbour(current, previous);
                previous = current;
                current = next;
            }
            return path;
        }

        /// <summary>The skeleton neighbour of two-neighbour voxel <paramref name="p"/> that is not <paramref name="previous"/>.</summary>
        private int OtherNeighbour(int p, int previous)
        {
            Debug.Assert(_degree[p] == 2);
            foreach (int o in _offsets)
            {
                int q = p + o;
                if (_volume.Voxels[q] != 0 && q != previous) return q;
            }
            throw new UnreachableException("a two-neighbour voxel has no second neighbour");
        }

        /// <summary>
        /// Dissolves junction clusters where only two branch ends meet (a thick corner, such as the square corner of
        /// a hand-drawn L): their two branches are joined into one, or a branch from the cluster back to itself
        /// becomes a cycle. Nodes are renumbered afterwards, keeping their order.
        /// </summary>
        private static void DissolveCorners(ref List<List<int>> nodeVoxels, ref List<SkeletonNodeKind> kinds, List<(int From, int To, List<int> Path)> chains, List<List<int>> cycles)
        {
            var removed = new bool[nodeVoxels.Count];
            bool merged = true;
            while (merged)
            {
                merged = false;
                for (int node = 0; node < nodeVoxels.Count && !merged; node++)
                {
                    if (removed[node] || kinds[node] != SkeletonNodeKind.Junction) continue;
                    var ends = new List<int>();
                    for (int c = 0; c < chains.Count; c++)
                    {
                        if (chains[c].From == node) ends.Add(c);
                        if (chains[c].To == node) ends.Add(c);
                    }
                    if (ends.Count != 2) continue;

                    if (ends[0] == ends[1])
                    {
                        var loop = chains[ends[0]].Path;
                        if (loop.Count > 1 && loop[^1] == loop[0]) loop.RemoveAt(loop.Count - 1);
                        cycles.Add(loop);
                        chains.RemoveAt(ends[0]);
                    }
                    else
                    {
                        var first = chains[ends[0]];
                        var second = chains[ends[1]];
                        if (first.To != node) first = (first.To, first.From, Reversed(first.Path));
                        if (second.From != node) second = (second.To, second.From, Reversed(second.Path));
                        var path = new List<int>(first.Path);
                        path.AddRange(second.Path[0] == path[^1] ? second.Path.Skip(1) : second.Path);
                        chains.RemoveAt(Math.Max(ends[0], ends[1]));
                        chains.RemoveAt(Math.Min(ends[0], ends[1]));
                        chains.Add((first.From, second.To, path));
                    }
                    removed[node] = true;
                    merged = true;
                }
            }
            if (!removed.Contains(true)) return;

            var newId = new int[nodeVoxels.Count];
            var keptVoxels = new List<List<int>>();
            var keptKinds = new List<SkeletonNodeKind>();
            for (int node = 0; node < nodeVoxels.Count; node++)
            {
                newId[node] = removed[node] ? -1 : keptVoxels.Count;
                if (removed[node]) continue;
                keptVoxels.Add(nodeVoxels[node]);
                keptKinds.Add(kinds[node]);
            }
            for (int c = 0; c < chains.Count; c++)
                chains[c] = (newId[chains[c].From], newId[chains[c].To], chains[c].Path);
            nodeVoxels = keptVoxels;
            kinds = keptKinds;
        }

        private static List<int> Reversed(List<int> path)
        {
            var reversed = new List<int>(path);
            reversed.Reverse();
            return reversed;
        }

        private SkeletonGraph Assemble(List<List<int>> nodeVoxels, List<SkeletonNodeKind> kinds, List<(int From, int To, List<int> Path)> chains, List<List<int>> cycles)
        {
            DissolveCorners(ref nodeVoxels, ref kinds, chains, cycles);
            var degrees = new int[nodeVoxels.Count];
            var parent = Enumerable.Range(0, nodeVoxels.Count).ToArray();
            int Find(int i) { while (parent[i] != i) i = parent[i] = parent[parent[i]]; return i; }

            var branches = new List<SkeletonBranch>();
            foreach (var (from, to, path) in chains)
            {
                degrees[from]++;
                degrees[to]++;
                parent[Find(from)] = Find(to);
                var type = (kinds[from], kinds[to]) switch
                {
                    (SkeletonNodeKind.Junction, SkeletonNodeKind.Junction) => BranchType.JunctionJunction,
                    (SkeletonNodeKind.Junction, _) or (_, SkeletonNodeKind.Junction) => BranchType.EndpointJunction,
                    _ => BranchType.EndpointEndpoint,
                };
                branches.Add(new SkeletonBranch(branches.Count, from, to, type, PathLength(path, closed: false), path.ConvertAll(ImageIndex)));
            }
            foreach (var path in cycles)
                branches.Add(new SkeletonBranch(branches.Count, -1, -1, BranchType.Cycle, PathLength(path, closed: true), path.ConvertAll(ImageIndex)));

            var nodes = new List<SkeletonNode>(nodeVoxels.Count);
            for (int id = 0; id < nodeVoxels.Count; id++)
            {
                double sx = 0, sy = 0, sz = 0;
                foreach (int p in nodeVoxels[id])
                {
                    var (x, y, z) = _volume.Coordinates(p);
                    sx += x; sy += y; sz += z;
                }
                int count = nodeVoxels[id].Count;
                nodes.Add(new SkeletonNode(id, kinds[id], degrees[id], sx / count, sy / count, sz / count, nodeVoxels[id].ConvertAll(ImageIndex)));
            }

            int nodeComponents = Enumerable.Range(0, nodeVoxels.Count).Count(i => Find(i) == i);
            int loops = chains.Count - nodeVoxels.Count + nodeComponents + cycles.Count;
            return new SkeletonGraph(nodes, branches, nodeComponents + cycles.Count, loops, _voxelSize);
        }

        private double PathLength(List<int> path, bool closed)
        {
            double length = 0;
            for (int i = 1; i < path.Count; i++) length += Step(path[i - 1], path[i]);
            if (closed && path.Count > 1) length += Step(path[^1], path[0]);
            return length;
        }

        private double Step(int a, int b)
        {
            var (ax, ay, az) = _volume.Coordinates(a);
            var (bx, by, bz) = _volume.Coordinates(b);
            double dx = (bx - ax) * _voxelSize.PixelWidthNm, dy = (by - ay) * _voxelSize.PixelHeightNm, dz = (bz - az) * _voxelSize.PlaneSpacingNm;
            return Math.Sqrt(dx * dx + dy * dy + dz * dz);
        }

        private int ImageIndex(int padded)
        {
            var (x, y, z) = _volume.Coordinates(padded);
            return (z * _skeleton.Height + y) * _skeleton.Width + x;
        }
    }
}
