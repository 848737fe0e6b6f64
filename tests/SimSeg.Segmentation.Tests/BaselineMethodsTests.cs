using SimSeg.Core.Imaging;
using SimSeg.Segmentation.Baselines;

namespace SimSeg.Segmentation.Tests;

public class BaselineMethodsTests
{
    /// <summary>A bright bar on a dim, deterministic ramp-and-ripple background.</summary>
    private static Image<float> Field()
    {
        var image = new Image<float>(40, 32);
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 40; x++)
                image[x, y] = 100 + x + 10 * MathF.Sin(0.7f * x * y) + (y is >= 12 and < 18 && x is >= 8 and < 32 ? 200 : 0);
        return image;
    }

    [Fact]
    public void Create_EveryName_SameMaskAsTheSegmenterItself()
    {
        var image = Field();
        var truth = new Image<byte>(40, 32);
        for (int y = 12; y < 18; y++) for (int x = 8; x < 32; x++) truth[x, y] = 1;
        var kanezaki = KanezakiOptions.Default with { MaxIterations = 3, Channels = 8 };
        var settings = BaselineSettings.Default with { Kanezaki = kanezaki };
        var expected = new Dictionary<string, Image<byte>>
        {
            ["otsu"] = OtsuSegmenter.Segment(image, 1.0),
            ["noise"] = NoiseLevelSegmenter.Segment(image, 2.0, 5.0),
            ["adaptive"] = AdaptiveThresholdSegmenter.Segment(image, AdaptiveThresholdOptions.Default),
            ["oracle-threshold"] = OracleThresholdSegmenter.Segment(image, truth, OracleThresholdOptions.Default),
            ["mitometer"] = MitometerSegmenter.Segment(image, MitometerOptions.Default),
            ["vesselness"] = VesselnessSegmenter.Segment(image, VesselnessOptions.Default),
            ["kanezaki"] = KanezakiSegmenter.Segment(image, kanezaki),
        };
        Assert.Equal(BaselineMethods.Names.Order(), expected.Keys.Order());
        foreach (string name in BaselineMethods.Names)
            Assert.True(expected[name].Data.AsSpan().SequenceEqual(BaselineMethods.Create(name, settings)(image, truth).Data), name);
    }

    [Fact]
    public void Create_SmoothingSigma_OverridesEachMethodsDefault()
    {
        var image = Field();
        var settings = new BaselineSettings { SmoothingSigma = 0 };
        Assert.Equal(OtsuSegmenter.Segment(image, 0).Data, BaselineMethods.Create("otsu", settings)(image, null).Data);
        Assert.Equal(NoiseLevelSegmenter.Segment(image, 0, 5).Data, BaselineMethods.Create("noise", settings)(image, null).Data);
        Assert.Equal(2.0, BaselineSettings.Default.SigmaFor("noise"));
        Assert.Equal(1.0, BaselineSettings.Default.SigmaFor("adaptive"));
    }

    [Fact]
    public void Create_UnknownName_ListsTheMethods()
    {
        var ex = Assert.Throws<ArgumentException>(() => BaselineMethods.Create("unet"));
        Assert.Contains("otsu, noise, adaptive, oracle-threshold, mitometer, vesselness, kanezaki", ex.Message);
        Assert.False(BaselineMethods.IsBaseline("Otsu"));
    }

    [Fact]
    public void Create_OracleWithoutTruth_Throws()
    {
        Assert.True(BaselineMethods.NeedsTruth("oracle-threshold"));
        Assert.False(BaselineMethods.NeedsTruth("otsu"));
        Assert.Throws<ArgumentException>(() => BaselineMethods.Create("oracle-threshold")(Field(), null));
    }

    [Fact]
    public void Create_SettingOutOfRange_ThrowsAtOnce()
    {
        Assert.ThrowsAny<ArgumentException>(() => BaselineMethods.Create("adaptive", new BaselineSettings { Adaptive = new AdaptiveThresholdOptions { BlockSize = 4 } }));
        Assert.ThrowsAny<ArgumentException>(() => BaselineMethods.Create("noise", new BaselineSettings { NoiseK = 0 }));
        Assert.ThrowsAny<ArgumentException>(() => BaselineMethods.Create("otsu", new BaselineSettings { SmoothingSigma = -1 }));
    }
}
