using SimSeg.Core.Imaging;
using SimSeg.Shapes.Instances;

namespace SimSeg.Shapes.Tests.Instances;

public sealed class DistanceTransformTests
{
    [Theory]
    [InlineData(1, 1, 1, 0.7, 1)]
    [InlineData(16, 16, 15, 0.9, 2)]
    [InlineData(1, 2.5, 0.5, 0.95, 3)]
    [InlineData(1, 1, 1, 0.05, 4)]
    public void SquaredEuclidean_RandomVolumes_EqualsNaive(double sx, double sy, double sz, double fill, int seed)
    {
        Image<byte> mask = Volumes.Random(9, 7, 6, fill, seed);
        mask[4, 3, 2] = 0; // at least one background voxel
        Image<double> fast = DistanceTransform.SquaredEuclidean(mask, sx, sy, sz);
        double[] naive = Volumes.NaiveSquaredDistance(mask, sx, sy, sz);
        for (int i = 0; i < naive.Length; i++) Assert.Equal(naive[i], fast.Data[i], 1e-9 * Math.Max(1, naive[i]));
    }

    [Fact]
    public void SquaredEuclidean_NoBackground_Infinite()
    {
        var mask = new Image<byte>(3, 3, 3);
        Array.Fill(mask.Data, (byte)1);
        Assert.All(DistanceTransform.SquaredEuclidean(mask).Data, d => Assert.True(double.IsPositiveInfinity(d)));
    }

    [Fact]
    public void SquaredEuclidean_SinglePlane_Works()
    {
        Image<byte> mask = Volumes.Random(12, 10, 1, 0.8, 5);
        mask[0, 0, 0] = 0;
        Assert.Equal(Volumes.NaiveSquaredDistance(mask, 1, 1, 1), DistanceTransform.SquaredEuclidean(mask).Data);
    }

    [Fact]
    public void SquaredEuclidean_BadSpacing_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(() => DistanceTransform.SquaredEuclidean(new Image<byte>(2, 2, 2), 0, 1, 1));
}
