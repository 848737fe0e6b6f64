using SimSeg.Core.Imaging;
using SimSeg.Shapes.Skeletons;

namespace SimSeg.Shapes.Tests.Skeletons;

public class SkeletonizerTests
{
    private static readonly Calibration Voxel10 = new(10, 10, 10);

    [Fact]
    public void Skeletonize3D_EmptyVolume_StaysEmpty()
    {
        var skeleton = Skeletonizer.Skeletonize3D(new Image<byte>(5, 6, 7));
        Assert.Equal(0, TestVolumes.Count(skeleton));
        Assert.Equal((5, 6, 7), (skeleton.Width, skeleton.Height, skeleton.Depth));
    }

    [Fact]
    public void Skeletonize3D_SingleVoxel_IsKept()
    {
        var mask = TestVolumes.FromVoxels(3, 3, 3, [(1, 1, 1)]);
        Assert.Equal(mask.Data, Skeletonizer.Skeletonize3D(mask).Data);
    }

    [Fact]
    public void Skeletonize3D_FullVolumeTouchingTheBorder_ThinsToOneComponent()
    {
        var mask = new Image<byte>(6, 5, 4);
        Array.Fill(mask.Data, (byte)255);
        var skeleton = Skeletonizer.Skeletonize3D(mask);
        Assert.Equal(1, TestVolumes.Components26(skeleton));
        Assert.InRange(TestVolumes.Count(skeleton), 1, 4);
    }

    [Fact]
    public void Skeletonize3D_KeepsCalibrationAndDoesNotChangeInput()
    {
        var mask = new Image<byte>(30, 15, 15, new Calibration(20, 21, 50));
        TestVolumes.AddCapsule(mask, (5, 7, 7), (24, 7, 7), 4);
        var before = (byte[])mask.Data.Clone();
        var skeleton = Skeletonizer.Skeletonize3D(mask);
        Assert.Equal(mask.Calibration, skeleton.Calibration);
        Assert.Equal(before, mask.Data);
    }

    [Fact]
    public void Skeletonize3D_StraightRod_GivesOneVoxelLineOfAboutItsLength()
    {
        var mask = new Image<byte>(70, 19, 19);
        TestVolumes.AddCapsule(mask, (10, 9, 9), (59, 9, 9), 5); // axis 49 voxels long, 69 end to end
        var skeleton = Skeletonizer.Skeletonize3D(mask);
        var graph = SkeletonGraph.Build(skeleton, Voxel10);

        Assert.Equal(2, graph.EndpointCount);
        Assert.Equal(0, graph.JunctionCount);
        Assert.Equal(1, graph.BranchCount);
        Assert.True(TestVolumes.MaxNeighbours(skeleton) <= 2);
        Assert.InRange(graph.TotalLengthNm / 10, 45, 62);
        for (int z = 0; z < skeleton.Depth; z++)
            for (int y = 0; y < skeleton.Height; y++)
                for (int x = 0; x < skeleton.Width; x++)
                    if (skeleton[x, y, z] != 0) Assert.True(Math.Abs(y - 9) <= 1 && Math.Abs(z - 9) <= 1, $"skeleton voxel ({x}, {y}, {z}) off the axis");
    }

    [Fact]
    public void Skeletonize3D_Torus_GivesOneClosedLoop()
    {
        var mask = TestVolumes.Torus(40, 13, 4.5);
        var skeleton = Skeletonizer.Skeletonize3D(mask);
        var graph = SkeletonGraph.Build(skeleton, Voxel10);

        Assert.Equal(1, TestVolumes.Components26(skeleton));
        Assert.Equal(1, graph.LoopCount);
        Assert.Equal(0, graph.EndpointCount);
        Assert.Equal(0, graph.JunctionCount);
        Assert.Equal(BranchType.Cycle, Assert.Single(graph.Branches).Type);
        Assert.InRange(graph.TotalLengthNm / 10, 2 * Math.PI * 13 * 0.85, 2 * Math.PI * 13 * 1.15);
    }

    [Fact]
    public void Skeletonize3D_Ball_ShrinksToATinyCluster()
    {
        var mask = new Image<byte>(21, 21, 21);
        TestVolumes.AddBall(mask, (10, 10, 10), 7.5);
        var skeleton = Skeletonizer.Skeletonize3D(mask);
        Assert.Equal(1, TestVolumes.Components26(skeleton));
        Assert.InRange(TestVolumes.Count(skeleton), 1, 3);
    }

    [Fact]
    public void Skeletonize3D_HollowBall_KeepsItsCavity()
    {
        var mask = new Image<byte>(17, 17, 17);
        TestVolumes.AddBall(mask, (8, 8, 8), 7);
        var hole = new Image<byte>(17, 17, 17);
        TestVolumes.AddBall(hole, (8, 8, 8), 3);
        for (int i = 0; i < mask.Data.Length; i++) if (hole.Data[i] != 0) mask.Data[i] = 0;
        var skeleton = Skeletonizer.Skeletonize3D(mask);
        Assert.Equal(TestVolumes.Euler26(mask), TestVolumes.Euler26(skeleton));
        Assert.Equal(2, TestVolumes.Euler26(skeleton)); // one component, one cavity
    }

    [Fact]
    public void Skeletonize3D_YOfThreeRods_GivesThreeBranchesAtOneJunction()
    {
        var skeleton = Skeletonizer.Skeletonize3D(TestVolumes.Y(armLength: 22, radius: 3.5));
        var graph = SkeletonGraph.Build(skeleton, Voxel10);

        Assert.Equal(1, graph.JunctionCount);
        Assert.Equal(3, graph.EndpointCount);
        Assert.Equal(3, graph.BranchCount);
        Assert.Equal(3, graph.MaxDegree);
        Assert.Equal(0, graph.LoopCount);
        Assert.All(graph.Branches, b => Assert.Equal(BranchType.EndpointJunction, b.Type));
        Assert.All(graph.Branches, b => Assert.InRange(b.LengthNm / 10, 15, 27));
    }

    public static TheoryData<string> Shapes => ["rod", "torus", "y", "blobs1", "blobs2"];

    private static Image<byte> Shape(string name) => name switch
    {
        "rod" => RodMask(),
        "torus" => TestVolumes.Torus(30, 9, 3.5),
        "y" => TestVolumes.Y(14, 3),
        "blobs1" => TestVolumes.Blobs(20230828),
        "blobs2" => TestVolumes.Blobs(7, 24, 10),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static Image<byte> RodMask()
    {
        var mask = new Image<byte>(40, 14, 12);
        TestVolumes.AddCapsule(mask, (6, 6, 5), (33, 8, 6), 4);
        return mask;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Skeletonize3D_OfASkeleton_IsTheSkeleton(string shape)
    {
        var skeleton = Skeletonizer.Skeletonize3D(Shape(shape));
        Assert.Equal(skeleton.Data, Skeletonizer.Skeletonize3D(skeleton).Data);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Skeletonize3D_FastPath_EqualsReferenceThinning(string shape)
    {
        var mask = Shape(shape);
        Assert.Equal(ReferenceThinning.Skeletonize3D(mask).Data, Skeletonizer.Skeletonize3D(mask).Data);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Skeletonize3D_RandomBlobs_KeepsComponentsAndEulerCharacteristic(int seed)
    {
        var mask = TestVolumes.Blobs(seed * 7919, 26, 5 + seed % 4);
        var skeleton = Skeletonizer.Skeletonize3D(mask);
        Assert.Equal(TestVolumes.Components26(mask), TestVolumes.Components26(skeleton));
        Assert.Equal(TestVolumes.Euler26(mask), TestVolumes.Euler26(skeleton));
        Assert.True(TestVolumes.Count(skeleton) < TestVolumes.Count(mask) / 4);
    }

    [Fact]
    public void Neighborhood26_EulerTable_MatchesLeeEtAlValues()
    {
        int centre = 1 << Neighborhood26.Centre;
        Assert.Equal(8, Neighborhood26.EulerChangeTimes8((uint)centre));
        Assert.Equal(-8, Neighborhood26.EulerChangeTimes8((1u << 27) - 1));
        // Lee et al.'s table: one voxel alone in an octant +1, with a face neighbour −1, with an edge-diagonal neighbour −3.
        Assert.Equal(1, Neighborhood26.BlockEulerTimes8(1) - Neighborhood26.BlockEulerTimes8(0));
        Assert.Equal(-1, Neighborhood26.BlockEulerTimes8(0b11) - Neighborhood26.BlockEulerTimes8(0b10));
        Assert.Equal(-3, Neighborhood26.BlockEulerTimes8(0b1001) - Neighborhood26.BlockEulerTimes8(0b1000));
        // A line end, a line middle and a ring point.
        uint end = (uint)centre | 1u << Neighborhood26.Bit(1, 0, 0);
        uint middle = end | 1u << Neighborhood26.Bit(-1, 0, 0);
        Assert.True(Neighborhood26.IsEndpoint(end));
        Assert.True(Neighborhood26.IsSimple(end));
        Assert.False(Neighborhood26.IsSimple(middle));
        Assert.False(Neighborhood26.IsEulerInvariant(middle)); // the line would split: χ 1 → 2
        // The centre of a 3×3 plate: its neighbours form one ring-shaped component, so only the Euler test sees
        // that deleting it would punch a tunnel. With a notch cut in the rim the ring is open and the centre simple.
        uint plate = (uint)centre;
        foreach (var (dx, dy) in new[] { (1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1) })
            plate |= 1u << Neighborhood26.Bit(dx, dy, 0);
        Assert.True(Neighborhood26.HasOneNeighbourComponent(plate));
        Assert.True(Neighborhood26.IsSimple(plate & ~(1u << Neighborhood26.Bit(1, 0, 0)))); // a notch in the rim: simple
        Assert.False(Neighborhood26.IsEulerInvariant(plate)); // the middle of a plate: removing it punches a hole
    }
}
