using SimSeg.Analysis.Labels;
using SimSeg.Core.Imaging;

namespace SimSeg.Analysis.Tests.Labels;

public class MeasureLabelTests
{
    [Theory]
    [InlineData(Connectivity2D.Four, 20230828)]
    [InlineData(Connectivity2D.Eight, 20230828)]
    [InlineData(Connectivity2D.Four, 7)]
    [InlineData(Connectivity2D.Eight, 7)]
    public void Label_RandomMasks_EqualsFloodFillTwin(Connectivity2D connectivity, int seed)
    {
        foreach (double density in new[] { 0.2, 0.45, 0.6 })
        {
            var mask = Masks.Random(67, 41, density, seed);
            var (fast, fastCount) = Measure.Label(mask, connectivity);
            var (naive, naiveCount) = Measure.LabelByFloodFill(mask, connectivity);
            Assert.Equal(naiveCount, fastCount);
            Assert.Equal(naive.Data, fast.Data);
        }
    }

    [Fact]
    public void Label_DiagonalPixels_OneObjectWithEightTwoWithFour()
    {
        var mask = Masks.FromAscii("#.", ".#");
        Assert.Equal(1, Measure.Label(mask).Count);
        Assert.Equal(2, Measure.Label(mask, Connectivity2D.Four).Count);
    }

    [Fact]
    public void Label_UShape_MergedIntoOneLabelInRasterOrder()
    {
        var mask = Masks.FromAscii(
            "#.#.#",
            "#.#..",
            "###..");
        var (labels, count) = Measure.Label(mask, Connectivity2D.Four);
        Assert.Equal(2, count);
        Assert.Equal(1, labels[0, 0]);
        Assert.Equal(1, labels[2, 0]);
        Assert.Equal(2, labels[4, 0]);
    }

    [Fact]
    public void Label_EmptyMask_NoObjects()
    {
        var (labels, count) = Measure.Label(new Image<byte>(5, 4));
        Assert.Equal(0, count);
        Assert.All(labels.Data, v => Assert.Equal(0, v));
    }

    [Fact]
    public void Label_NonBinaryMask_ThrowsNamingMask()
    {
        var mask = Masks.FromAscii("#.", "..");
        mask[1, 1] = 7;
        var ex = Assert.Throws<ArgumentException>(() => Measure.Label(mask));
        Assert.Equal("mask", ex.ParamName);
        Assert.Contains("7", ex.Message);
    }

    [Fact]
    public void Label_Mask255_Accepted()
    {
        var mask = Masks.FromAscii("#.#");
        for (int i = 0; i < mask.Data.Length; i++) mask.Data[i] *= 255;
        Assert.Equal(2, Measure.Label(mask).Count);
    }

    [Fact]
    public void Label_Stack_ThrowsNamingMask()
    {
        var ex = Assert.Throws<ArgumentException>(() => Measure.Label(new Image<byte>(3, 3, 2)));
        Assert.Equal("mask", ex.ParamName);
    }

    [Fact]
    public void Relabel_SparseLabels_ConsecutiveInRasterOrder()
    {
        var labels = new Image<int>(4, 1, 1, [0, 90, 7, 90]);
        var (result, count) = Measure.Relabel(labels);
        Assert.Equal(2, count);
        Assert.Equal(new[] { 0, 1, 2, 1 }, result.Data);
    }

    [Fact]
    public void Relabel_NegativeLabel_ThrowsNamingLabels()
    {
        var ex = Assert.Throws<ArgumentException>(() => Measure.Relabel(new Image<int>(2, 1, 1, [0, -1])));
        Assert.Equal("labels", ex.ParamName);
    }
}
