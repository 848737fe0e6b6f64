using SimSeg.Core.Imaging;
using SimSeg.Shapes.Classification;
using SimSeg.Shapes.Skeletons;

namespace SimSeg.Shapes.Tests.Skeletons;

public class SkeletonSummaryTests
{
    private static readonly Calibration Voxel = new(20, 20, 20);

    /// <summary>A one-voxel-wide line from (x0, y) to (x1, y), plus optional vertical arms.</summary>
    private static Image<byte> Lines(params (int X0, int Y0, int X1, int Y1)[] segments)
    {
        var image = new Image<byte>(80, 80, 3, Voxel);
        foreach (var (x0, y0, x1, y1) in segments)
        {
            int n = Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0));
            for (int i = 0; i <= n; i++)
                image[x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n, 1] = 1;
        }
        return image;
    }

    [Fact]
    public void Of_LineWithShortSpur_PrunesTheSpurAndBecomesARod()
    {
        // 60-voxel line with a 2-voxel spur at its middle: a bump, not a branch.
        var graph = SkeletonGraph.Build(Lines((10, 40, 70, 40), (40, 39, 40, 38)), Voxel);
        Assert.Equal(1, graph.JunctionCount);
        var summary = SkeletonSummary.Of(graph, 100);
        Assert.Equal(0, summary.Junctions);
        Assert.Equal(1, summary.Branches);
        Assert.Equal(1, summary.Pruned);
        Assert.InRange(summary.LengthNm, 57 * 20, 61 * 20); // lengths run between voxel centres, skipping the junction cluster
        Assert.Equal(ShapeClass.Rod, ShapeClassifier.Classify(graph, 0.5, new ShapeClassThresholds()));
        Assert.Equal(ShapeClass.Network, ShapeClassifier.Classify(graph, 0.5, new ShapeClassThresholds(MinTerminalBranchUm: 0)));
    }

    [Fact]
    public void Of_RealY_KeepsTheJunction()
    {
        var graph = SkeletonGraph.Build(Lines((10, 40, 70, 40), (40, 39, 40, 10)), Voxel);
        var summary = SkeletonSummary.Of(graph, 100);
        Assert.Equal(1, summary.Junctions);
        Assert.Equal(3, summary.Branches);
        Assert.Equal(0, summary.Pruned);
        Assert.Equal(ShapeClass.Network, ShapeClassifier.Classify(graph, 0.5, new ShapeClassThresholds()));
    }

    [Fact]
    public void Of_ShortCross_KeepsTwoArmsSoTheShapeIsNotEmptied()
    {
        // Four arms of 3 voxels: pruning stops once a junction would fall below three branches.
        var graph = SkeletonGraph.Build(Lines((37, 40, 43, 40), (40, 37, 40, 43)), Voxel);
        var summary = SkeletonSummary.Of(graph, 100);
        Assert.Equal(0, summary.Junctions);
        Assert.Equal(1, summary.Branches);
        Assert.Equal(2, summary.Pruned);
        Assert.True(summary.LengthNm > 0);
    }
}
