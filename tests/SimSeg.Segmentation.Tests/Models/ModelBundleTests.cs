using SimSeg.Core.IO;
using SimSeg.Core.Randomness;
using SimSeg.Neural.Checkpoints;
using SimSeg.Neural.Models;
using SimSeg.Segmentation.Models;
using SimSeg.Segmentation.Tests.Training;
using SimSeg.Segmentation.Training;

namespace SimSeg.Segmentation.Tests.Models;

public class ModelBundleTests
{
    private static ModelConfig Config(int channels = 4, int depth = 2) => new()
    {
        Architecture = new ModelArchitecture { Name = "unet", InChannels = 1, BaseChannels = channels, Depth = depth },
        Normalization = new NormalizationOptions { LowPercentile = 2, HighPercentile = 99.5 },
        PixelSizeNm = 42,
        Preset = "epi1-mito",
        Threshold = 0.4,
        Training = new TrainingProvenance { Data = "epi1", TrainSamples = 10, EpochsRun = 3, Seed = 7, BestValidationMeanIoU = 0.9, Augmentations = ["flip"], Date = "2026-01-01T00:00:00Z", SimSegVersion = "1.0" },
    };

    /// <summary>A model folder with config.json and model.safetensors of a random tiny U-Net.</summary>
    private static string ModelFolder(ModelConfig config)
    {
        string dir = TestData.NewFolder("model");
        config.Write(Path.Combine(dir, ModelConfig.FileName));
        var model = ModelFactory.Create(config.Architecture, new Rng(3));
        ModelCheckpoint.Save(Path.Combine(dir, "model.safetensors"), model.NamedParameters());
        return dir;
    }

    [Fact]
    public void Config_WriteRead_RoundTrips()
    {
        string dir = TestData.NewFolder("config");
        var config = Config();
        config.Write(Path.Combine(dir, "config.json"));
        var read = ModelConfig.Read(Path.Combine(dir, "config.json"));
        Assert.Equal(config.Architecture, read.Architecture);
        Assert.Equal(config.Normalization, read.Normalization);
        Assert.Equal(config.Training! with { Augmentations = [] }, read.Training! with { Augmentations = [] });
        Assert.Equal(["flip"], read.Training!.Augmentations);
        Assert.Equal((42.0, "epi1-mito", 0.4, "model.safetensors"), (read.PixelSizeNm, read.Preset, read.Threshold, read.Checkpoint));
        string json = File.ReadAllText(Path.Combine(dir, "config.json"));
        Assert.Contains("\"name\": \"unet\"", json);
        Assert.Contains("\"baseChannels\": 4", json);
    }

    [Fact]
    public void Config_WithClasses_RoundTripsAndBuildsAKChannelModel()
    {
        var config = Config() with
        {
            Architecture = Config().Architecture with { OutChannels = 3 },
            Classes = ["background", "mitochondrion", "vesicle"],
            Training = Config().Training! with { BestValidationClassIoU = [0.9, 0.7, 0.4], TestClassIoU = [0.91, 0.72, 0.38], ClassWeights = [0.4, 1.6, 8.3] },
        };
        string dir = ModelFolder(config);
        string json = File.ReadAllText(Path.Combine(dir, "config.json"));
        Assert.Contains("\"classes\": [", json);
        Assert.Contains("\"mitochondrion\"", json);
        Assert.Contains("\"classCount\": 3", json);
        var bundle = ModelBundle.Load(dir);
        var read = bundle.Config;
        Assert.Equal(config.Classes, read.Classes);
        Assert.Equal((3, true, 3), (read.ClassCount, read.IsMultiClass, bundle.Model.OutChannels));
        Assert.Equal(config.Training.BestValidationClassIoU, read.Training!.BestValidationClassIoU);
        Assert.Equal(config.Training.TestClassIoU, read.Training.TestClassIoU);
        Assert.Equal(config.Training.ClassWeights, read.Training.ClassWeights);
    }

    [Fact]
    public void Config_WithoutClasses_LoadsAsBinary()
    {
        // A config.json written before classes were recorded: no "classes", no "classCount".
        string dir = ModelFolder(Config());
        string path = Path.Combine(dir, "config.json");
        var lines = File.ReadAllLines(path).Where(l => !l.Contains("\"classes\"") && !l.Contains("\"classCount\"")).ToArray();
        File.WriteAllLines(path, lines);
        Assert.DoesNotContain("classes", File.ReadAllText(path));
        var read = ModelBundle.Load(dir).Config;
        Assert.Null(read.Classes);
        Assert.Equal(["background", "foreground"], read.ClassNames);
        Assert.Equal((2, false), (read.ClassCount, read.IsMultiClass));
    }

    [Theory]
    [InlineData(3, null)]
    [InlineData(3, "background,mitochondrion")]
    [InlineData(1, "background,mitochondrion,vesicle")]
    [InlineData(3, "background,vesicle,vesicle")]
    [InlineData(0, null)]
    public void Config_ClassesThatDoNotFitTheOutputs_InvalidData(int outChannels, string? classes)
    {
        var config = Config() with { Architecture = Config().Architecture with { OutChannels = outChannels }, Classes = classes?.Split(',') };
        string dir = TestData.NewFolder("bad-classes");
        config.Write(Path.Combine(dir, "config.json"));
        var ex = Assert.Throws<InvalidDataException>(() => ModelConfig.Read(Path.Combine(dir, "config.json")));
        Assert.Contains("config.json", ex.Message);
    }

    [Fact]
    public void Load_ValidFolder_RebuildsTheWeights()
    {
        var config = Config();
        string dir = ModelFolder(config);
        var bundle = ModelBundle.Load(dir);
        var expected = ModelFactory.Create(config.Architecture, new Rng(3)).NamedParameters();
        var loaded = bundle.Model.NamedParameters();
        Assert.Equal(expected.Count, loaded.Count);
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Parameter.Value.Data, loaded[i].Parameter.Value.Data);
        Assert.Equal(0.4, bundle.Config.Threshold);
    }

    [Fact]
    public void Load_MissingFolder_DirectoryNotFound()
    {
        var ex = Assert.Throws<DirectoryNotFoundException>(() => ModelBundle.Load(Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid())));
        Assert.Contains("model folder not found", ex.Message);
    }

    [Fact]
    public void Load_MissingConfig_FileNotFoundNamingIt()
    {
        string dir = TestData.NewFolder("noconfig");
        var ex = Assert.Throws<FileNotFoundException>(() => ModelBundle.Load(dir));
        Assert.Contains("config.json", ex.Message);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("{\"format\": \"simseg-model\", \"architecture\": {\"name\": \"resnet-9000\"}}")]
    [InlineData("{\"format\": \"simseg-model\", \"threshold\": 2}")]
    [InlineData("null")]
    public void Load_CorruptConfig_InvalidDataNamingTheFile(string json)
    {
        string dir = ModelFolder(Config());
        File.WriteAllText(Path.Combine(dir, "config.json"), json);
        var ex = Assert.Throws<InvalidDataException>(() => ModelBundle.Load(dir));
        Assert.Contains("config.json", ex.Message);
        Assert.DoesNotContain("\n", ex.Message);
    }

    [Fact]
    public void Load_MissingCheckpoint_FileNotFound()
    {
        string dir = ModelFolder(Config());
        File.Delete(Path.Combine(dir, "model.safetensors"));
        var ex = Assert.Throws<FileNotFoundException>(() => ModelBundle.Load(dir));
        Assert.Contains("model.safetensors", ex.Message);
    }

    [Fact]
    public void Load_CorruptCheckpoint_ImageFormatNamingTheFile()
    {
        string dir = ModelFolder(Config());
        string path = Path.Combine(dir, "model.safetensors");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<ImageFormatException>(() => ModelBundle.Load(dir));
        Assert.Contains("model.safetensors", ex.Message);
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Throws<ImageFormatException>(() => ModelBundle.Load(dir));
    }

    [Fact]
    public void Load_CheckpointOfAnotherShape_ImageFormatNamingTheTensor()
    {
        string dir = ModelFolder(Config(channels: 4, depth: 2));
        Config(channels: 6, depth: 2).Write(Path.Combine(dir, "config.json"));
        var ex = Assert.Throws<ImageFormatException>(() => ModelBundle.Load(dir));
        Assert.Contains("model.safetensors", ex.Message);
        Assert.Contains("shape", ex.Message);
        Config(channels: 4, depth: 3).Write(Path.Combine(dir, "config.json"));
        ex = Assert.Throws<ImageFormatException>(() => ModelBundle.Load(dir));
        Assert.Contains("no tensor", ex.Message);
    }

    [Fact]
    public void Factory_UnknownArchitecture_ListsTheKnownOnes()
    {
        var ex = Assert.Throws<ArgumentException>(() => ModelFactory.Create(new ModelArchitecture { Name = "vgg" }, new Rng(1)));
        Assert.Contains("unet", ex.Message);
        Assert.Equal("enc.", ModelFactory.EncoderPrefix("unet"));
        Assert.IsType<UNet>(ModelFactory.Create(new ModelArchitecture { BaseChannels = 2, Depth = 1 }, new Rng(1)));
        Assert.Contains(ModelFactory.Create(new ModelArchitecture { BaseChannels = 2, Depth = 1 }, new Rng(1)).NamedParameters(), p => p.Name.StartsWith("enc.", StringComparison.Ordinal));
    }
}
