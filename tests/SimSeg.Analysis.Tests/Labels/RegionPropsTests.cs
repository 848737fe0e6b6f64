using SimSeg.Analysis.Labels;
using SimSeg.Core.Imaging;

namespace SimSeg.Analysis.Tests.Labels;

public class RegionPropsTests
{
    private static RegionProps Single(Image<byte> mask, Image<float>? intensity = null) =>
        Assert.Single(Measure.RegionProps(Measure.Label(mask).Labels, intensity));

    [Fact]
    public void RegionProps_Square10_KnownValues()
    {
        var p = Single(Masks.Rectangle(10, 10, 3, 5, 20, 20));
        Assert.Equal(100, p.Area);
        Assert.Equal(7.5, p.CentroidX, 12);
        Assert.Equal(9.5, p.CentroidY, 12);
        Assert.Equal(new PixelBox(3, 5, 10, 10), p.BoundingBox);
        Assert.Equal(36, p.Perimeter, 12); // scikit-image: 4·(n − 1) through boundary pixel centres
        Assert.Equal(100, p.ConvexArea, 12);
        Assert.Equal(1, p.Solidity, 12);
        Assert.Equal(0, p.Eccentricity, 12);
        double axis = 4 * Math.Sqrt(99.0 / 12); // variance of 0..9 is (n² − 1)/12
        Assert.Equal(axis, p.MajorAxisLength, 9);
        Assert.Equal(axis, p.MinorAxisLength, 9);
        Assert.Equal(Math.Sqrt(400 / Math.PI), p.EquivalentDiameter, 12);
        Assert.Null(p.MeanIntensity);
    }

    [Fact]
    public void RegionProps_LShape_SolidityFromPixelSquareHull()
    {
        // 10×10 square without its 5×5 top-right quarter: hull cuts the notch with one diagonal, area 100 − 12.5.
        var mask = Masks.Rectangle(10, 10, 1, 1, 12, 12);
        for (int y = 1; y < 6; y++)
            for (int x = 6; x < 11; x++)
                mask[x, y] = 0;
        var p = Single(mask);
        Assert.Equal(75, p.Area);
        Assert.Equal(87.5, p.ConvexArea, 12);
        Assert.Equal(75 / 87.5, p.Solidity, 12);
    }

    [Fact]
    public void RegionProps_Disc_PerimeterNearCircumference()
    {
        var p = Single(Masks.Disc(10, 15, 15, 31));
        // scikit-image's estimate for this disc (its formula re-run by hand) is 5 % above 2πr.
        Assert.Equal(65.94112549695424, p.Perimeter, 9);
        Assert.InRange(p.Perimeter, 0.95 * 2 * Math.PI * 10, 1.06 * 2 * Math.PI * 10);
        Assert.InRange(p.Eccentricity, 0, 0.05);
        Assert.InRange(p.Solidity, 0.9, 1);
    }

    [Fact]
    public void RegionProps_HorizontalRod_OrientationAndAxes()
    {
        var p = Single(Masks.Rectangle(40, 4, 2, 2, 44, 8));
        Assert.Equal(Math.PI / 2, Math.Abs(p.Orientation), 9); // scikit-image: angle from the row axis
        Assert.Equal(4 * Math.Sqrt((40.0 * 40 - 1) / 12), p.MajorAxisLength, 9);
        Assert.Equal(4 * Math.Sqrt((4.0 * 4 - 1) / 12), p.MinorAxisLength, 9);
        Assert.InRange(p.Eccentricity, 0.99, 1);
        var vertical = Single(Masks.Rectangle(4, 40, 2, 2, 8, 44));
        Assert.Equal(0, vertical.Orientation, 9);
    }

    [Fact]
    public void RegionProps_SinglePixel_DegenerateButFinite()
    {
        var p = Single(Masks.FromAscii("...", ".#.", "..."));
        Assert.Equal(1, p.Area);
        Assert.Equal(0, p.Eccentricity);
        Assert.Equal(0, p.MajorAxisLength);
        Assert.Equal(1, p.Solidity, 12);
    }

    [Fact]
    public void RegionProps_Intensity_MeanAndIntegrated()
    {
        var mask = Masks.FromAscii("##.", "...");
        var intensity = new Image<float>(3, 2, 1, [2, 4, 100, 100, 100, 100]);
        var p = Single(mask, intensity);
        Assert.Equal(3, p.MeanIntensity);
        Assert.Equal(6, p.IntegratedIntensity);
    }

    [Fact]
    public void RegionProps_SparseLabels_AscendingLabelOrder()
    {
        var labels = new Image<int>(5, 1, 1, [9, 0, 3, 3, 0]);
        var props = Measure.RegionProps(labels);
        Assert.Equal(new[] { 3, 9 }, props.Select(p => p.Label));
        Assert.Equal(new[] { 2, 1 }, props.Select(p => p.Area));
    }

    [Fact]
    public void RegionProps_InMicrons_ScalesLengthsAndAreas()
    {
        var u = Single(Masks.Rectangle(10, 10, 0, 0, 10, 10)).InMicrons(100);
        Assert.Equal(1.0, u.AreaUm2, 12);
        Assert.Equal(3.6, u.PerimeterUm, 12);
        Assert.Equal(0.45, u.CentroidXUm, 12);
    }

    [Fact]
    public void RegionProps_IntensityOfOtherSize_ThrowsNamingIntensity()
    {
        var ex = Assert.Throws<ArgumentException>(() => Measure.RegionProps(new Image<int>(3, 3), new Image<float>(4, 3)));
        Assert.Equal("intensity", ex.ParamName);
    }
}
