using SimSeg.Core.Imaging;
using SimSeg.Segmentation.Baselines;

namespace SimSeg.Segmentation.Tests;

public class OtsuSegmenterTests
{
    [Fact]
    public void Segment_NoisyBrightSquare_FindsTheSquarePlaneByPlane()
    {
        var rng = new Random(8);
        var image = new Image<ushort>(40, 40, 2, Calibration.Square(80));
        for (int z = 0; z < 2; z++)
            for (int y = 0; y < 40; y++)
                for (int x = 0; x < 40; x++)
                {
                    bool inside = z == 0 ? x is >= 10 and < 20 && y is >= 10 and < 20 : x is >= 25 and < 35 && y is >= 5 and < 15;
                    image[x, y, z] = (ushort)((inside ? 300 : 100) + rng.Next(-20, 21));
                }
        var mask = OtsuSegmenter.Segment(image);
        Assert.Equal(80, mask.Calibration.PixelWidthNm);
        Assert.Equal(1, mask[15, 15, 0]);
        Assert.Equal(0, mask[30, 10, 0]);
        Assert.Equal(1, mask[30, 10, 1]);
        Assert.InRange(mask.Plane(0).ToArray().Sum(b => b), 90, 110);
    }
}

public class NoiseLevelSegmenterTests
{
    [Fact]
    public void Segment_DimSpotNextToBrightObject_KeepsBothWhereOtsuLosesTheDimOne()
    {
        var rng = new Random(4);
        var image = new Image<float>(80, 80);
        for (int y = 0; y < 80; y++)
            for (int x = 0; x < 80; x++)
            {
                double value = 100 + 5 * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                if (x is >= 10 and < 30 && y is >= 10 and < 30) value += 2000;               // bright block
                if ((x - 60) * (x - 60) + (y - 60) * (y - 60) <= 9) value += 40;           // dim spot, 8 σ above noise
                image[x, y] = (float)value;
            }
        var noise = NoiseLevelSegmenter.Segment(image);
        Assert.Equal(1, noise[20, 20]);
        Assert.Equal(1, noise[60, 60]);
        Assert.Equal(0, noise[45, 70]);
        var otsu = OtsuSegmenter.Segment(image);
        Assert.Equal(0, otsu[60, 60]);
    }

    [Fact]
    public void Segment_BadK_ThrowsNamingIt() =>
        Assert.Contains("k", Assert.ThrowsAny<ArgumentException>(() => NoiseLevelSegmenter.Segment(new Image<float>(4, 4), 1, 0)).Message);
}
