using SimSeg.Simulation.Presets;

namespace SimSeg.Simulation.Tests.Presets;

public class PresetCatalogTests
{
    [Fact]
    public void Names_ShipFiveMicroscopesTimesThreeStructures()
    {
        var names = PresetCatalog.Names;
        Assert.Equal(15, names.Count);
        foreach (string m in new[] { "epi1", "epi2", "airy1", "conf1", "conf2" })
            foreach (string s in new[] { "mito", "vesicle", "mixed" })
                Assert.Contains($"{m}-{s}", names);
    }

    [Fact]
    public void Load_EveryShippedPreset_ValidatesAndRoundTripsThroughJson()
    {
        foreach (string name in PresetCatalog.Names)
        {
            var preset = PresetCatalog.Load(name);
            Assert.Equal(name, preset.Name);
            var again = PresetCatalog.Parse(PresetCatalog.ToJson(preset), name);
            Assert.Equal(PresetCatalog.ToJson(preset), PresetCatalog.ToJson(again));
        }
    }

    [Fact]
    public void Load_Epi1Mito_HasTheBriefsNumbers()
    {
        var p = PresetCatalog.Load("epi1-mito");
        Assert.Equal(1.42, p.Microscope.Optics.NumericalAperture);
        Assert.Equal(688, p.Microscope.Optics.EmissionWavelengthNm);
        Assert.Equal(42, p.Microscope.PixelSizeNm);
        Assert.Equal(2000, p.Labelling.SurfaceDensityPerUm2);
        Assert.Equal(new Core.Interval(2, 4), p.Camera.SignalToBackground);
        Assert.Equal(5000, p.Scene.Mitochondria.MaxArcLengthNm);
    }

    [Fact]
    public void Parse_UnknownSetting_ThrowsInvalidDataNamingIt()
    {
        string json = PresetCatalog.ToJson(PresetCatalog.Load("conf1-mito")).Replace("\"pixelSizeNm\"", "\"pixelSizeNanometres\"");
        var ex = Assert.Throws<InvalidDataException>(() => PresetCatalog.Parse(json, "mine.json"));
        Assert.Contains("mine.json", ex.Message);
        Assert.Contains("pixelSizeNanometres", ex.Message);
    }

    [Fact]
    public void Parse_NegativePixelSize_ThrowsArgumentNamingIt()
    {
        string json = PresetCatalog.ToJson(PresetCatalog.Load("conf1-mito")).Replace("\"pixelSizeNm\": 70", "\"pixelSizeNm\": -70");
        var ex = Assert.ThrowsAny<ArgumentException>(() => PresetCatalog.Parse(json, "mine.json"));
        Assert.Contains("PixelSizeNm", ex.Message);
        Assert.Contains("-70", ex.Message);
    }

    [Fact]
    public void Load_UnknownName_ListsTheKnownOnes()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => PresetCatalog.Load("epi9-mito"));
        Assert.Contains("epi1-mito", ex.Message);
    }
}
