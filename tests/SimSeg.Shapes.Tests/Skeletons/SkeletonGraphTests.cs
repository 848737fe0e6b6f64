using SimSeg.Core.Imaging;
using SimSeg.Shapes.Skeletons;

namespace SimSeg.Shapes.Tests.Skeletons;

public class SkeletonGraphTests
{
    private static readonly Calibration Voxel10 = new(10, 10, 10);
    private static readonly double Sqrt2 = Math.Sqrt(2);

    /// <summary>A closed octagon of 16 voxels in the xy plane (8 straight and 8 diagonal steps), shifted by (ox, oy).</summary>
    private static IEnumerable<(int X, int Y, int Z)> Octagon(int ox, int oy) =>
        new[] { (2, 0), (3, 0), (4, 0), (5, 1), (6, 2), (6, 3), (6, 4), (5, 5), (4, 6), (3, 6), (2, 6), (1, 5), (0, 4), (0, 3), (0, 2), (1, 1) }
            .Select(p => (p.Item1 + ox, p.Item2 + oy, 1));

    private static SkeletonGraph Graph(IEnumerable<(int X, int Y, int Z)> voxels, Calibration? size = null) =>
        SkeletonGraph.Build(TestVolumes.FromVoxels(16, 16, 8, voxels), size ?? Voxel10);

    [Fact]
    public void Build_EmptyVolume_HasNothing()
    {
        var graph = Graph([]);
        Assert.Empty(graph.Nodes);
        Assert.Empty(graph.Branches);
        Assert.Equal((0, 0, 0, 0), (graph.ComponentCount, graph.LoopCount, graph.MaxDegree, (int)graph.TotalLengthNm));
    }

    [Fact]
    public void Build_SingleVoxel_IsOneIsolatedNode()
    {
        var graph = Graph([(3, 4, 5)]);
        var node = Assert.Single(graph.Nodes);
        Assert.Equal(SkeletonNodeKind.Isolated, node.Kind);
        Assert.Equal((3.0, 4.0, 5.0), (node.X, node.Y, node.Z));
        Assert.Equal((5 * 16 + 4) * 16 + 3, Assert.Single(node.Voxels));
        Assert.Empty(graph.Branches);
        Assert.Equal(1, graph.ComponentCount);
        Assert.Equal(0, graph.EndpointCount);
        Assert.Equal(0, graph.TotalLengthNm);
    }

    [Fact]
    public void Build_StraightLine_IsOneBranchBetweenTwoEndpoints()
    {
        var graph = Graph(Enumerable.Range(2, 10).Select(x => (x, 5, 5)));
        var branch = Assert.Single(graph.Branches);
        Assert.Equal(BranchType.EndpointEndpoint, branch.Type);
        Assert.Equal(90, branch.LengthNm, 9);
        Assert.Equal(10, branch.Voxels.Count);
        Assert.Equal((2, 0, 0, 1, 2), (graph.EndpointCount, graph.JunctionCount, graph.LoopCount, graph.ComponentCount, graph.MaxDegree));
        Assert.Equal(90, graph.TotalLengthNm, 9);
    }

    [Fact]
    public void Build_AnisotropicVoxels_MeasuresPhysicalSteps()
    {
        var size = new Calibration(10, 7, 30);
        var alongZ = Graph(Enumerable.Range(0, 6).Select(z => (4, 4, z)), size);
        Assert.Equal(5 * 30, alongZ.TotalLengthNm, 9);
        var alongY = Graph(Enumerable.Range(3, 8).Select(y => (4, y, 2)), size);
        Assert.Equal(7 * 7, alongY.TotalLengthNm, 9);
        var diagonalXz = Graph(Enumerable.Range(0, 6).Select(i => (i + 2, 3, i)), size);
        Assert.Equal(5 * Math.Sqrt(10 * 10 + 30 * 30), diagonalXz.TotalLengthNm, 9);
        var diagonalXyz = Graph(Enumerable.Range(0, 4).Select(i => (i, i, i)), size);
        Assert.Equal(3 * Math.Sqrt(10 * 10 + 7 * 7 + 30 * 30), diagonalXyz.TotalLengthNm, 9);
    }

    [Fact]
    public void Build_ThinL_IsOneBranchWithADiagonalCorner()
    {
        var voxels = Enumerable.Range(2, 6).Select(x => (x, 2, 1)).Concat(Enumerable.Range(3, 6).Select(y => (8, y, 1)));
        var graph = Graph(voxels);
        var branch = Assert.Single(graph.Branches);
        Assert.Equal(BranchType.EndpointEndpoint, branch.Type);
        Assert.Equal((10 + Sqrt2) * 10, graph.TotalLengthNm, 9);
        Assert.Equal((2, 0, 0), (graph.EndpointCount, graph.JunctionCount, graph.LoopCount));
    }

    [Fact]
    public void Build_LWithSquareCorner_DissolvesTheCornerIntoOneBranch()
    {
        // The corner voxel (8, 2) and its two neighbours touch each other, so all three have three neighbours.
        var voxels = Enumerable.Range(2, 7).Select(x => (x, 2, 1)).Concat(Enumerable.Range(3, 6).Select(y => (8, y, 1)));
        var graph = Graph(voxels);
        var branch = Assert.Single(graph.Branches);
        Assert.Equal(BranchType.EndpointEndpoint, branch.Type);
        Assert.Equal((2, 0, 0, 2), (graph.EndpointCount, graph.JunctionCount, graph.LoopCount, graph.Nodes.Count));
        Assert.Equal((10 + Sqrt2) * 10, graph.TotalLengthNm, 9);
    }

    [Fact]
    public void Build_Y_HasThreeTerminalBranchesAtOneJunction()
    {
        var voxels = new List<(int, int, int)> { (10, 10, 1) };
        for (int i = 1; i <= 6; i++) voxels.Add((10, 10 - i, 1));
        for (int i = 1; i <= 5; i++) { voxels.Add((10 + i, 10 + i, 1)); voxels.Add((10 - i, 10 + i, 1)); }
        var graph = Graph(voxels);

        Assert.Equal((3, 1, 3, 0, 3), (graph.EndpointCount, graph.JunctionCount, graph.BranchCount, graph.LoopCount, graph.MaxDegree));
        var junction = Assert.Single(graph.Nodes, n => n.Kind == SkeletonNodeKind.Junction);
        Assert.Equal((10.0, 10.0, 3), (junction.X, junction.Y, junction.Degree));
        Assert.All(graph.Branches, b => Assert.Equal(BranchType.EndpointJunction, b.Type));
        Assert.Equal([60, 50 * Sqrt2, 50 * Sqrt2], graph.Branches.Select(b => b.LengthNm).Order().ToArray(), new ToleranceComparer(1e-9));
        Assert.Equal(60 + 100 * Sqrt2, graph.TotalLengthNm, 9);
    }

    [Fact]
    public void Build_X_HasFourBranchesAtADegreeFourJunction()
    {
        var voxels = new List<(int, int, int)> { (8, 8, 1) };
        for (int i = 1; i <= 4; i++)
            voxels.AddRange([(8 + i, 8 + i, 1), (8 - i, 8 + i, 1), (8 + i, 8 - i, 1), (8 - i, 8 - i, 1)]);
        var graph = Graph(voxels);
        Assert.Equal((4, 1, 4, 0, 4), (graph.EndpointCount, graph.JunctionCount, graph.BranchCount, graph.LoopCount, graph.MaxDegree));
        Assert.Equal(16 * Sqrt2 * 10, graph.TotalLengthNm, 9);
    }

    [Fact]
    public void Build_Ring_IsOneCycle()
    {
        var graph = Graph(Octagon(2, 2));
        var cycle = Assert.Single(graph.Branches);
        Assert.Equal(BranchType.Cycle, cycle.Type);
        Assert.Equal((-1, -1, 16), (cycle.From, cycle.To, cycle.Voxels.Count));
        Assert.Equal((8 + 8 * Sqrt2) * 10, cycle.LengthNm, 9);
        Assert.Empty(graph.Nodes);
        Assert.Equal((1, 1, 2), (graph.LoopCount, graph.ComponentCount, graph.MaxDegree));
    }

    [Fact]
    public void Build_RingWithTail_HasOneLoopOneJunctionOneEndpoint()
    {
        // Octagon shifted by (0, 3); a diagonal tail leaves its corner (5, 4).
        var voxels = Octagon(0, 3).Concat([(6, 3, 1), (7, 2, 1), (8, 1, 1), (9, 0, 1)]);
        var graph = Graph(voxels);
        Assert.Equal((1, 1, 2, 1, 3), (graph.EndpointCount, graph.JunctionCount, graph.BranchCount, graph.LoopCount, graph.MaxDegree));
        var loop = Assert.Single(graph.Branches, b => b.Type == BranchType.JunctionJunction);
        Assert.Equal(loop.From, loop.To);
        Assert.Equal((8 + 8 * Sqrt2) * 10, loop.LengthNm, 9);
        var tail = Assert.Single(graph.Branches, b => b.Type == BranchType.EndpointJunction);
        Assert.Equal(4 * Sqrt2 * 10, tail.LengthNm, 9);
    }

    [Fact]
    public void Build_FigureEight_HasTwoLoopsThroughOneJunction()
    {
        var right = new[] { (7, 7), (8, 8), (9, 8), (10, 7), (10, 6), (10, 5), (9, 4), (8, 4), (7, 5) };
        var voxels = right.Concat(right.Select(p => (12 - p.Item1, p.Item2))).Append((6, 6)).Select(p => (p.Item1, p.Item2, 1));
        var graph = Graph(voxels);
        Assert.Equal((0, 1, 2, 2, 4), (graph.EndpointCount, graph.JunctionCount, graph.BranchCount, graph.LoopCount, graph.MaxDegree));
        Assert.All(graph.Branches, b => Assert.Equal((BranchType.JunctionJunction, 0, 0), (b.Type, b.From, b.To)));
        Assert.Equal((8 + 12 * Sqrt2) * 10, graph.TotalLengthNm, 9);
    }

    [Fact]
    public void Build_ThetaOfTwoSharedJunctions_HasTwoLoops()
    {
        // Two octagons in perpendicular planes sharing their bottom side (2..4, 0, 0).
        var ringA = Octagon(0, 0).Select(p => (p.X, p.Y, 0));
        var ringB = Octagon(0, 0).Select(p => (p.X, 0, p.Y));
        var graph = SkeletonGraph.Build(TestVolumes.FromVoxels(8, 8, 8, ringA.Concat(ringB)), Voxel10);
        Assert.Equal(2, graph.LoopCount);
        Assert.Equal(0, graph.EndpointCount);
        Assert.Equal(1, graph.ComponentCount);
    }

    [Fact]
    public void Build_TwoSeparatePieces_CountsComponents()
    {
        var graph = Graph(Enumerable.Range(0, 5).Select(x => (x, 0, 0)).Concat(Octagon(6, 6)).Append((0, 12, 5)));
        Assert.Equal((3, 1, 2), (graph.ComponentCount, graph.LoopCount, graph.BranchCount));
    }

    [Fact]
    public void Build_VoxelSizeNotPositive_Throws()
    {
        var skeleton = TestVolumes.FromVoxels(4, 4, 4, [(1, 1, 1)]);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SkeletonGraph.Build(skeleton, new Calibration(10, 10, 0)));
        Assert.Contains("PlaneSpacingNm", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SkeletonGraph.Build(skeleton, Calibration.Unknown));
        // One plane needs no z size.
        Assert.Single(SkeletonGraph.Build(TestVolumes.FromVoxels(4, 4, 1, [(1, 1, 0)]), new Calibration(10, 10)).Nodes);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
