using SimSeg.Core.Randomness;

namespace SimSeg.Core.Tests;

public class IntervalTests
{
    [Fact]
    public void Sample_ManyDraws_StayInside()
    {
        var rng = new Rng(7);
        var r = new Interval(200, 300);
        for (int i = 0; i < 1000; i++) Assert.True(r.Contains(r.Sample(rng)));
        var c = new IntInterval(1, 2);
        bool seen1 = false, seen2 = false;
        for (int i = 0; i < 100; i++)
        {
            int k = c.Sample(rng);
            Assert.InRange(k, 1, 2);
            seen1 |= k == 1;
            seen2 |= k == 2;
        }
        Assert.True(seen1 && seen2);
    }

    [Fact]
    public void Validate_MinAboveMaxOrBelowLowest_ThrowsNamingProperty()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Interval(5, 1).Validate("DiameterRangeNm", 0));
        Assert.Contains("DiameterRangeNm", ex.Message);
        Assert.Contains("[5, 1]", ex.Message);
        Assert.Throws<ArgumentException>(() => new Interval(-1, 1).Validate("X", 0));
        Assert.Throws<ArgumentException>(() => new IntInterval(3, 2).Validate("Count", 0));
        new Interval(1, 1).Validate("Ok", 0);
    }
}
