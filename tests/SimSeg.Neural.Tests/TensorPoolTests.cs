namespace SimSeg.Neural.Tests;

public class TensorPoolTests
{
    [Fact]
    public void Rent_AfterReturn_ReusesTheArrayOfTheSameLength()
    {
        var pool = new TensorPool();
        var a = pool.Rent(2, 3, 4);
        var b = pool.Rent(2, 3, 4);
        Assert.NotSame(a.Data, b.Data);
        pool.Return(a);
        var c = pool.Rent(4, 3, 2); // same length, another shape
        Assert.Same(a.Data, c.Data);
        Assert.Equal([4, 3, 2], c.Shape);
        var d = pool.Rent(5);
        Assert.NotSame(a.Data, d.Data);
        Assert.Equal(24 + 24 + 5, pool.RentedFloats);
        Assert.Equal(24 + 24 + 5, pool.HeldFloats);
    }

    [Fact]
    public void Return_TwiceOrForeign_Throws()
    {
        var pool = new TensorPool();
        var a = pool.Rent(8);
        pool.Return(a);
        Assert.Throws<InvalidOperationException>(() => pool.Return(a));
        Assert.Throws<InvalidOperationException>(() => pool.Return(new Tensor(8)));
    }

    [Fact]
    public void ReturnAllAndTrim_TakeBackEverythingAndDropTheFreeArrays()
    {
        var pool = new TensorPool();
        var a = pool.Rent(10);
        pool.Rent(20);
        pool.ReturnAll();
        Assert.Equal(0, pool.RentedFloats);
        Assert.Equal(30, pool.HeldFloats);
        Assert.Same(a.Data, pool.Rent(10).Data);
        pool.Trim();
        Assert.Equal(10, pool.HeldFloats); // the rented one stays with its tenant
        Assert.Equal(30, pool.PeakRentedFloats);
        Assert.Equal(30, pool.PeakFloats);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(3, 0));
    }
}
