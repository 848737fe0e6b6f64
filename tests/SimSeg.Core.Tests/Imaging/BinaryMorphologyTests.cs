using SimSeg.Core.Imaging;

namespace SimSeg.Core.Tests.Imaging;

public class BinaryMorphologyTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(2.3)]
    [InlineData(4.0)]
    public void ErodeDisc_RandomMasks_MatchesNaiveTwin(double radius)
    {
        var rng = new Random(7 + (int)(radius * 10));
        const int w = 37, h = 29;
        var mask = new byte[w * h];
        // Blobby random mask: random discs.
        for (int k = 0; k < 12; k++)
        {
            int cx = rng.Next(w), cy = rng.Next(h), r = rng.Next(2, 9);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) mask[y * w + x] = 1;
        }
        var fast = new byte[w * h];
        BinaryMorphology.ErodeDisc(mask, w, h, radius, fast);
        Assert.Equal(NaiveErode(mask, w, h, radius), fast);
    }

    [Fact]
    public void ErodeDisc_SquareOfSide9Radius2_LeavesCentralSquareOfSide5()
    {
        const int w = 15, h = 15;
        var mask = new byte[w * h];
        for (int y = 3; y < 12; y++) for (int x = 3; x < 12; x++) mask[y * w + x] = 1;
        var result = new byte[w * h];
        BinaryMorphology.ErodeDisc(mask, w, h, 2, result);
        Assert.Equal(25, result.Sum(b => b));
        Assert.Equal(1, result[7 * w + 7]);
        Assert.Equal(0, result[4 * w + 4]);
    }

    [Fact]
    public void ErodeDisc_WrongBufferLength_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => BinaryMorphology.ErodeDisc(new byte[10], 4, 4, 1, new byte[16]));
        Assert.Contains("16", ex.Message);
    }

    private static byte[] NaiveErode(byte[] mask, int w, int h, double radius)
    {
        var result = new byte[w * h];
        int r = (int)Math.Ceiling(radius);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                byte keep = 1;
                for (int dy = -r; dy <= r; dy++)
                    for (int dx = -r; dx <= r; dx++)
                    {
                        if (dx * dx + dy * dy > radius * radius + 1e-9) continue;
                        int xx = x + dx, yy = y + dy;
                        if (xx < 0 || yy < 0 || xx >= w || yy >= h || mask[yy * w + xx] == 0) keep = 0;
                    }
                result[y * w + x] = keep;
            }
        return result;
    }
}
