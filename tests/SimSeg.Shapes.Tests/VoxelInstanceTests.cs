using SimSeg.Core.Imaging;
using SimSeg.Shapes.Instances;

namespace SimSeg.Shapes.Tests;

public class VoxelInstanceTests
{
    [Fact]
    public void VoxelInstance_KeepsItsCalibration()
    {
        var mask = new Image<byte>(3, 3, 3, new Calibration(16, 16, 15));
        var instance = new VoxelInstance(1, 7, mask, 10, 20, 30, 0, false);
        Assert.Equal(15, instance.Mask.Calibration.PlaneSpacingNm);
        Assert.Equal(7, instance.SourceLabel);
    }
}
