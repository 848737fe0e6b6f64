using SimSeg.Core.Imaging;
using SimSeg.Shapes.Instances;

namespace SimSeg.Shapes.Tests.Instances;

public sealed class Morphology3DTests
{
    [Theory]
    [InlineData(1.0, 0.8, 1)]
    [InlineData(2.0, 0.85, 2)]
    [InlineData(2.5, 0.9, 3)]
    [InlineData(3.5, 0.97, 4)]
    public void ErodeBall_RandomVolumes_EqualsNaive(double radius, double fill, int seed)
    {
        Image<byte> mask = Volumes.Random(14, 12, 11, fill, seed);
        Assert.Equal(Volumes.NaiveBall(mask, radius, erode: true).Data, Morphology3D.ErodeBall(mask, radius).Data);
    }

    [Theory]
    [InlineData(1.0, 0.05, 5)]
    [InlineData(1.5, 0.02, 6)]
    [InlineData(3.5, 0.01, 7)]
    public void DilateBall_RandomVolumes_EqualsNaive(double radius, double fill, int seed)
    {
        Image<byte> mask = Volumes.Random(14, 12, 11, fill, seed);
        Assert.Equal(Volumes.NaiveBall(mask, radius, erode: false).Data, Morphology3D.DilateBall(mask, radius).Data);
    }

    [Fact]
    public void ErodeBall_FullVolume_ErodedFromTheFaces()
    {
        var mask = new Image<byte>(9, 9, 9);
        Array.Fill(mask.Data, (byte)1);
        Image<byte> eroded = Morphology3D.ErodeBall(mask, 3.5);
        // The outside is background: index i is i + 1 voxels from it, so only indices 3..5 (> 3.5 away) survive.
        Assert.Equal(27, eroded.Data.Count(v => v != 0));
        Assert.Equal(1, eroded[4, 4, 4]);
        Assert.Equal(0, eroded[2, 4, 4]);
    }

    [Fact]
    public void DilateBall_ThenErode_SingleVoxelGrowsToBall()
    {
        var mask = new Image<byte>(11, 11, 11);
        mask[5, 5, 5] = 1;
        Image<byte> ball = Morphology3D.DilateBall(mask, 3.5);
        Assert.Equal(179, ball.Data.Count(v => v != 0)); // lattice points with x²+y²+z² ≤ 12.25
        Assert.Equal(mask.Data, Morphology3D.ErodeBall(ball, 3.5).Data);
    }
}
