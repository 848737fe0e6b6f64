using SimSeg.Core.Imaging;
using SimSeg.Shapes.Instances;

namespace SimSeg.Shapes.Tests.Instances;

public sealed class ResampleTests
{
    [Fact]
    public void NearestNeighbour_SameSize_Identity()
    {
        var labels = new Image<int>(4, 3, 2);
        for (int i = 0; i < labels.Data.Length; i++) labels.Data[i] = i;
        Image<int> result = Resample.NearestNeighbour(labels, new Calibration(10, 10, 10), 10);
        Assert.Equal(labels.Data, result.Data);
        Assert.Equal(10, result.Calibration.PlaneSpacingNm);
    }

    [Fact]
    public void NearestNeighbour_Anisotropic_SizesAndValuesFromSource()
    {
        var labels = new Image<int>(6, 6, 4);
        for (int i = 0; i < labels.Data.Length; i++) labels.Data[i] = i % 7 == 0 ? 3 : 8;
        Image<int> result = Resample.NearestNeighbour(labels, new Calibration(8, 8, 16), 24);
        Assert.Equal((2, 2, 3), (result.Width, result.Height, result.Depth)); // 6·8/24 = 2, 4·16/24 ≈ 2.67 → 3
        Assert.All(result.Data, v => Assert.True(v is 3 or 8)); // never blended
        Assert.Equal(labels[1, 1, 0], result[0, 0, 0]); // centre 12 nm lies in source voxel 1 (8..16 nm)
        Assert.Equal(new Calibration(24, 24, 24), result.Calibration);
    }

    [Fact]
    public void NearestNeighbour_UnknownZ_Throws()
        => Assert.Throws<ArgumentException>(() => Resample.NearestNeighbour(new Image<int>(2, 2, 2), new Calibration(8, 8, 0), 24));
}
