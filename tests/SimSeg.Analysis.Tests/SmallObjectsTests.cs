using SimSeg.Analysis.Labels;
using SimSeg.Core.Imaging;

namespace SimSeg.Analysis.Tests;

public class SmallObjectsTests
{
    [Fact]
    public void Remove_DropsObjectsBelowTheSizeAndKeepsTheRest()
    {
        var mask = new Image<byte>(10, 10, 2);
        mask[1, 1] = 1;                                              // 1 px
        for (int x = 4; x < 8; x++) mask[x, 4] = 1;                  // 4 px
        mask[5, 5, 1] = 1; mask[6, 6, 1] = 1; mask[7, 7, 1] = 1;     // 3 px, diagonal (8-connected)
        var cleaned = SmallObjects.Remove(mask, 3);
        Assert.Equal(0, cleaned[1, 1]);
        Assert.Equal(4, cleaned.Plane(0).ToArray().Sum(b => b));
        Assert.Equal(3, cleaned.Plane(1).ToArray().Sum(b => b));
        Assert.Equal(0, SmallObjects.Remove(mask, 3, Connectivity2D.Four).Plane(1).ToArray().Sum(b => b));
    }
}
