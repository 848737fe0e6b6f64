namespace SimSeg.Neural.Tests;

public class TensorTests
{
    [Fact]
    public void At_IndexesNchwRowMajor()
    {
        var t = new Tensor(2, 3, 4, 5);
        t.At(1, 2, 3, 4) = 7;
        Assert.Equal(7, t.Data[((1 * 3 + 2) * 4 + 3) * 5 + 4]);
        Assert.Equal(120, t.Length);
    }

    [Fact]
    public void Constructor_BadShape_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Tensor(2, 0, 3));
        Assert.Throws<ArgumentException>(() => new Tensor(new float[5], 2, 3));
    }

    [Fact]
    public void RequireNchw_WrongChannels_NamesTheTensor()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Tensor(1, 2, 3, 3).RequireNchw("input", 3));
        Assert.Contains("input", ex.Message);
        Assert.Contains("3 channels", ex.Message);
    }
}
