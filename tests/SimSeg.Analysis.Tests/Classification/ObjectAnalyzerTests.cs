using SimSeg.Analysis.Classification;
using SimSeg.Core.Imaging;
using SimSeg.Shapes.Skeletons;

namespace SimSeg.Analysis.Tests.Classification;

public class ObjectAnalyzerTests
{
    private static readonly AnalyzeOptions Mito = new() { PixelSizeNm = 100 };

    [Fact]
    public void Analyze_ThinRod_RodWithLengthNearItsLongSide()
    {
        var a = ObjectAnalyzer.Analyze(Masks.Rectangle(60, 3, 2, 2, 64, 7), Mito);
        var o = Assert.Single(a.Objects);
        Assert.Equal(MitoClass.Rod, o.MitoClass);
        Assert.Equal(1, o.MaxDegree);
        Assert.Equal(0, o.JunctionCount);
        Assert.InRange(o.SkeletonLengthUm / 0.1, 57, 60);
        Assert.Equal(BranchType.EndpointEndpoint, Assert.Single(a.Branches).Type);
    }

    [Fact]
    public void Analyze_Plus_NetworkWithDegreeFourJunction()
    {
        var mask = new Image<byte>(31, 31);
        for (int i = 2; i < 29; i++)
            for (int t = 14; t <= 16; t++)
                mask[i, t] = mask[t, i] = 1;
        var o = Assert.Single(ObjectAnalyzer.Analyze(mask, Mito).Objects);
        Assert.Equal(MitoClass.Network, o.MitoClass);
        Assert.Equal(4, o.MaxDegree);
        Assert.Equal(1, o.JunctionCount);
        Assert.Equal(4, o.EndpointCount);
    }

    [Fact]
    public void Analyze_SmallBlob_Dot()
    {
        var o = Assert.Single(ObjectAnalyzer.Analyze(Masks.Rectangle(5, 5, 3, 3, 11, 11), Mito).Objects);
        Assert.Equal(25, o.Props.Area);
        Assert.Equal(MitoClass.Dot, o.MitoClass);
        Assert.True(o.MaxDegree <= 1);
    }

    [Fact]
    public void Analyze_DotThresholdInUm2_ReplacesPixelThreshold()
    {
        // 25 px at 100 nm = 0.25 µm²: a dot below 0.3 µm², a rod above a 0.2 µm² threshold.
        var mask = Masks.Rectangle(5, 5, 3, 3, 11, 11);
        var strict = Mito with { Mito = new MitoClassThresholds { DotMaxAreaUm2 = 0.2 } };
        Assert.Equal(MitoClass.Rod, Assert.Single(ObjectAnalyzer.Analyze(mask, strict).Objects).MitoClass);
        var loose = Mito with { Mito = new MitoClassThresholds { DotMaxAreaUm2 = 0.3 } };
        Assert.Equal(MitoClass.Dot, Assert.Single(ObjectAnalyzer.Analyze(mask, loose).Objects).MitoClass);
    }

    [Fact]
    public void Analyze_Ring_Network()
    {
        var mask = Masks.Disc(12, 15, 15, 31);
        var hole = Masks.Disc(8, 15, 15, 31);
        for (int i = 0; i < mask.Data.Length; i++) mask.Data[i] = (byte)(mask.Data[i] & (1 - hole.Data[i]));
        var o = Assert.Single(ObjectAnalyzer.Analyze(mask, Mito).Objects);
        Assert.Equal(1, o.LoopCount);
        Assert.Equal(MitoClass.Network, o.MitoClass);
    }

    [Fact]
    public void Analyze_DiscRadius5At20nm_SmallVesicle()
    {
        var options = new AnalyzeOptions { Kind = AnalysisKind.Vesicle, PixelSizeNm = 20 };
        var o = Assert.Single(ObjectAnalyzer.Analyze(Masks.Disc(5, 10, 10, 21), options).Objects);
        Assert.Equal(ObjectKind.Vesicle, o.Kind);
        Assert.Equal(VesicleClass.Small, o.VesicleClass);
        Assert.InRange(o.FittedRadiusNm!.Value, 95, 110); // 5 px · 20 nm, ± the digital edge
        Assert.Null(o.MitoClass);
        Assert.Equal("small", o.ClassName);
    }

    [Fact]
    public void Analyze_DiscRadius10At20nm_LargeVesicle()
    {
        var options = new AnalyzeOptions { Kind = AnalysisKind.Vesicle, PixelSizeNm = 20 };
        var o = Assert.Single(ObjectAnalyzer.Analyze(Masks.Disc(10, 15, 15, 31), options).Objects);
        Assert.Equal(VesicleClass.Large, o.VesicleClass);
        Assert.InRange(o.FittedRadiusNm!.Value, 195, 212);
    }

    [Fact]
    public void Analyze_Auto_RoundIsVesicleElongatedIsMito()
    {
        var mask = Masks.Disc(5, 10, 10, 80);
        for (int x = 30; x < 75; x++)
            for (int y = 40; y < 43; y++)
                mask[x, y] = 1;
        var a = ObjectAnalyzer.Analyze(mask, new AnalyzeOptions { Kind = AnalysisKind.Auto, PixelSizeNm = 20 });
        Assert.Equal(2, a.Objects.Count);
        Assert.Equal(ObjectKind.Vesicle, a.Objects[0].Kind);
        Assert.Equal(ObjectKind.Mitochondrion, a.Objects[1].Kind);
        Assert.Equal(MitoClass.Rod, a.Objects[1].MitoClass);
        Assert.Equal(1, a.CountOf(VesicleClass.Small));
        Assert.Equal(1, a.CountOf(MitoClass.Rod));
    }

    [Fact]
    public void Analyze_EmptyMask_EmptyTablesAndZeroCounts()
    {
        var a = ObjectAnalyzer.Analyze(new Image<byte>(16, 16), Mito);
        Assert.Empty(a.Objects);
        Assert.Empty(a.Branches);
        Assert.All(a.Summary, s => Assert.Equal(0, s.Count));
        Assert.Contains(a.Summary, s => s.Quantity == "area_um2" && s.Group == "dot");
    }

    [Fact]
    public void Analyze_Summary_MeansAndCountsPerClass()
    {
        var mask = Masks.Rectangle(5, 5, 2, 2, 60, 20);
        for (int x = 10; x < 15; x++)
            for (int y = 10; y < 15; y++)
                mask[x, y] = 1;
        for (int x = 16; x < 58; x++)
            for (int y = 5; y < 8; y++)
                mask[x, y] = 1;
        var a = ObjectAnalyzer.Analyze(mask, Mito);
        var dots = Assert.Single(a.Summary, s => s.Quantity == "area_um2" && s.Group == "dot");
        Assert.Equal(2, dots.Count);
        Assert.Equal(0.25, dots.Mean, 12);
        Assert.Equal(0, dots.Std, 12);
        Assert.Equal(1, Assert.Single(a.Summary, s => s.Quantity == "area_um2" && s.Group == "rod").Count);
        Assert.Equal(3, Assert.Single(a.Summary, s => s.Quantity == "area_um2" && s.Group == "all").Count);
    }

    [Fact]
    public void Analyze_LabelImage_TouchingObjectsKeptApart()
    {
        var labels = new Image<int>(30, 5);
        for (int x = 1; x < 29; x++)
            for (int y = 1; y < 4; y++)
                labels[x, y] = x < 15 ? 4 : 9;
        var a = ObjectAnalyzer.Analyze(labels, Mito);
        Assert.Equal(new[] { 4, 9 }, a.Objects.Select(o => o.Label));
        Assert.All(a.Objects, o => Assert.Equal(1, o.MaxDegree));
    }

    [Fact]
    public void Analyze_UnknownPixelSize_ThrowsNamingOptions()
    {
        var ex = Assert.Throws<ArgumentException>(() => ObjectAnalyzer.Analyze(new Image<byte>(4, 4), new AnalyzeOptions()));
        Assert.Equal("options", ex.ParamName);
        var calibrated = new Image<byte>(4, 4, 1, Calibration.Square(65));
        Assert.Equal(65, ObjectAnalyzer.Analyze(calibrated, new AnalyzeOptions()).PixelSizeNm);
    }

    [Fact]
    public void Analyze_NonBinaryMask_ThrowsNamingMask()
    {
        var mask = new Image<byte>(4, 4);
        mask[0, 0] = 1;
        mask[2, 2] = 3;
        Assert.Equal("mask", Assert.Throws<ArgumentException>(() => ObjectAnalyzer.Analyze(mask, Mito)).ParamName);
    }

    [Fact]
    public void KasaFit_PointsOnCircle_ExactCircle()
    {
        var points = Enumerable.Range(0, 12).Select(i => (3 + 7 * Math.Cos(i * 0.5), -2 + 7 * Math.Sin(i * 0.5))).ToList();
        var c = CircleFit.Kasa(points)!.Value;
        Assert.Equal(3, c.CenterX, 9);
        Assert.Equal(-2, c.CenterY, 9);
        Assert.Equal(7, c.Radius, 9);
        Assert.Null(CircleFit.Kasa([(0, 0), (1, 1), (2, 2)]));
    }
}
