using SimSeg.Core.Imaging;
using SimSeg.Shapes.Skeletons;

namespace SimSeg.Analysis.Tests.Morphology;

/// <summary>Shapes' <see cref="SkeletonGraph"/> on one plane behaves as an 8-connected 2D skeleton graph.</summary>
public class SkeletonGraph2DTests
{
    private static SkeletonGraph Graph(params string[] rows) => SkeletonGraph.Build(Masks.FromAscii(rows), Calibration.Square(1000));

    [Fact]
    public void Build_StraightLine_OneEndpointBranchWithPixelSteps()
    {
        var g = Graph(".......", ".#####.", ".......");
        Assert.Equal(2, g.EndpointCount);
        var b = Assert.Single(g.Branches);
        Assert.Equal(BranchType.EndpointEndpoint, b.Type);
        Assert.Equal(4.0, b.LengthNm / 1000, 12);
        Assert.All(g.Nodes, n => Assert.Equal(1, n.Degree));
    }

    [Fact]
    public void Build_Diagonal_SqrtTwoSteps()
    {
        var g = Graph("#...", ".#..", "..#.", "...#");
        Assert.Equal(3 * Math.Sqrt(2), Assert.Single(g.Branches).LengthNm / 1000, 12);
    }

    [Fact]
    public void Build_Plus_OneJunctionOfDegreeFour()
    {
        var g = Graph("...#...", "...#...", "...#...", "#######", "...#...", "...#...", "...#...");
        var junction = Assert.Single(g.Nodes, n => n.Kind == SkeletonNodeKind.Junction);
        Assert.Equal(4, junction.Degree);
        Assert.Equal(4, g.EndpointCount);
        Assert.All(g.Branches, b => Assert.Equal(BranchType.EndpointJunction, b.Type));
        // The centre's four neighbours also have ≥ 3 neighbours: the junction is that 5-pixel cluster, and
        // lengths start at its edge pixel (the extent inside a junction is not counted).
        Assert.All(g.Branches, b => Assert.Equal(2.0, b.LengthNm / 1000, 12));
    }

    [Fact]
    public void Build_DiagonalY_JunctionClusterMergedDegreeThree()
    {
        var g = Graph("#...#", ".#.#.", "..#..", "..#..", "..#..");
        var junction = Assert.Single(g.Nodes, n => n.Kind == SkeletonNodeKind.Junction);
        Assert.Equal(3, junction.Degree);
        Assert.Equal(3, g.EndpointCount);
    }

    [Fact]
    public void Build_TwoJunctions_JunctionJunctionBranch()
    {
        var g = Graph("#.....#", ".#...#.", "..###..", ".#...#.", "#.....#");
        Assert.Equal(2, g.JunctionCount);
        var inner = Assert.Single(g.Branches, b => b.Type == BranchType.JunctionJunction);
        Assert.Equal(2.0, inner.LengthNm / 1000, 12);
        Assert.Equal(4, g.Branches.Count(b => b.Type == BranchType.EndpointJunction));
    }

    [Fact]
    public void Build_Ring_CycleWithoutNodes()
    {
        var g = Graph(".###.", "#...#", "#...#", "#...#", ".###.");
        var cycle = Assert.Single(g.Branches);
        Assert.Equal(BranchType.Cycle, cycle.Type);
        Assert.Empty(g.Nodes);
        Assert.Equal(1, g.LoopCount);
    }
}
