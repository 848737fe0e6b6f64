using SimSeg.Core.Imaging;
using SimSeg.Shapes.Classification;
using SimSeg.Shapes.Skeletons;
using SimSeg.Shapes.Tests.Skeletons;

namespace SimSeg.Shapes.Tests.Classification;

public class ShapeClassifierTests
{
    // The 3DMSL rule as written: no spur pruning, so the tests below see exactly the skeletons they build.
    private static readonly ShapeClassThresholds Rule = ShapeClassThresholds.Default with { MinTerminalBranchUm = 0 };

    /// <summary>A straight tube along x: axis <paramref name="axisVoxels"/> long, radius <paramref name="radius"/> voxels.</summary>
    private static Image<byte> Tube(int axisVoxels, double radius, double voxelNm)
    {
        int side = 2 * (int)Math.Ceiling(radius) + 5;
        var mask = new Image<byte>(axisVoxels + side, side, side, Calibration.Square(voxelNm, voxelNm));
        double c = (side - 1) / 2.0;
        TestVolumes.AddCapsule(mask, (side / 2, c, c), (side / 2 + axisVoxels, c, c), radius);
        return mask;
    }

    [Fact]
    public void Classify_Torus_IsDonut()
    {
        var mask = TestVolumes.Torus(40, 13, 4.5, Calibration.Square(20, 20));
        Assert.Equal(ShapeClass.Donut, ShapeClassifier.Classify(mask));
    }

    [Fact]
    public void Classify_StraightTubeThreeMicrometres_IsRod()
    {
        var mask = Tube(150, 5, 20); // 3 µm axis at 20 nm voxels
        var graph = SkeletonGraph.Build(Skeletonizer.Skeletonize3D(mask), mask.Calibration);
        Assert.InRange(graph.TotalLengthNm / 1000, 2.7, 3.3);
        Assert.Equal(ShapeClass.Rod, ShapeClassifier.Classify(mask));
    }

    [Fact]
    public void Classify_YShape_IsNetwork()
    {
        var mask = TestVolumes.Y(armLength: 30, radius: 4, Calibration.Square(20, 20));
        Assert.Equal(ShapeClass.Network, ShapeClassifier.Classify(mask));
    }

    [Fact]
    public void Classify_SmallBall_IsDot()
    {
        var mask = new Image<byte>(21, 21, 21, Calibration.Square(20, 20));
        TestVolumes.AddBall(mask, (10, 10, 10), 8);
        Assert.Equal(ShapeClass.Dot, ShapeClassifier.Classify(mask));
    }

    [Fact]
    public void Classify_LongThinTubeOver30Micrometres_IsNanoTunnel()
    {
        var mask = Tube(175, 1.5, 200); // 35 µm at 200 nm voxels
        Assert.Equal(ShapeClass.NanoTunnel, ShapeClassifier.Classify(mask));
    }

    [Fact]
    public void Classify_ThickTubeOver10MicrometresAndOneCubicMicrometre_IsMega()
    {
        var mask = Tube(150, 5, 100); // 15 µm long, 0.5 µm radius: about 12 µm³
        Assert.Equal(ShapeClass.Mega, ShapeClassifier.Classify(mask));
    }

    [Fact]
    public void Classify_ThinTubeOver10MicrometresButUnderOneCubicMicrometre_IsRod()
    {
        var mask = Tube(150, 1, 100); // 15 µm long, about 0.1 µm radius
        Assert.True(TestVolumes.Count(mask) * 1e-3 < 1);
        Assert.Equal(ShapeClass.Rod, ShapeClassifier.Classify(mask));
    }

    // Rule order on hand-made graphs: 10 nm voxels, so 100 voxels are 1 µm.

    private static SkeletonGraph Ring(int size, double voxelNm)
    {
        var mask = new Image<byte>(size + 2, size + 2, 1);
        for (int i = 1; i <= size; i++) { mask[i, 1] = 1; mask[i, size] = 1; mask[1, i] = 1; mask[size, i] = 1; }
        return SkeletonGraph.Build(mask, Calibration.Square(voxelNm));
    }

    private static SkeletonGraph Line(double lengthNm, bool branched)
    {
        var mask = new Image<byte>(104, 8, 1);
        for (int x = 1; x <= 101; x++) mask[x, 4] = 1;
        if (branched) { mask[50, 5] = 1; mask[50, 6] = 1; mask[50, 7] = 1; }
        return SkeletonGraph.Build(mask, Calibration.Square(lengthNm / 100));
    }

    [Theory]
    [InlineData(0.5, 0.1, false, ShapeClass.Dot)]
    [InlineData(0.99, 5, true, ShapeClass.Dot)]
    [InlineData(3, 0.5, false, ShapeClass.Rod)]
    [InlineData(3, 0.5, true, ShapeClass.Network)]
    [InlineData(12, 0.5, true, ShapeClass.Network)]
    [InlineData(12, 1.5, false, ShapeClass.Mega)]
    [InlineData(12, 1.5, true, ShapeClass.Mega)]
    [InlineData(10, 5, false, ShapeClass.Rod)] // length must exceed 10 µm
    [InlineData(31, 0.2, false, ShapeClass.NanoTunnel)]
    [InlineData(31, 5, true, ShapeClass.NanoTunnel)] // nano-tunnel before mega and network
    public void Classify_Graph_AppliesRulesInOrder(double lengthUm, double volumeUm3, bool branched, ShapeClass expected)
    {
        var graph = Line(lengthUm * 1000, branched);
        if (!branched) Assert.Equal(lengthUm * 1000, graph.TotalLengthNm, 6);
        Assert.Equal(expected, ShapeClassifier.Classify(graph, volumeUm3, Rule));
    }

    [Theory]
    [InlineData(10, 0.1)]   // a tiny ring (< 1 µm of skeleton) is still a donut
    [InlineData(4000, 50)] // so is a huge one (> 30 µm)
    public void Classify_AnyLoop_IsDonutFirst(double voxelNm, double volumeUm3)
    {
        var graph = Ring(10, voxelNm);
        Assert.Equal(1, graph.LoopCount);
        Assert.Equal(ShapeClass.Donut, ShapeClassifier.Classify(graph, volumeUm3, Rule));
    }

    [Fact]
    public void Classify_CustomThresholds_AreUsed()
    {
        var graph = Line(3000, branched: false);
        Assert.Equal(ShapeClass.Dot, ShapeClassifier.Classify(graph, 0.1, Rule with { DotMaxLengthUm = 5 }));
        Assert.Equal(ShapeClass.NanoTunnel, ShapeClassifier.Classify(graph, 0.1, Rule with { NanoTunnelMinLengthUm = 2 }));
    }

    [Fact]
    public void Classify_NegativeVolume_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ShapeClassifier.Classify(Line(3000, false), -1, Rule));
        Assert.Contains("volumeUm3", ex.Message);
    }

    [Fact]
    public void Classify_MaskWithoutZSize_Throws()
    {
        var mask = new Image<byte>(4, 4, 4, Calibration.Square(20));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShapeClassifier.Classify(mask));
    }
}
