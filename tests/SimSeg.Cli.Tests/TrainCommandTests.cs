using SimSeg.Core.Imaging;
using SimSeg.Core.IO;
using SimSeg.Core.Randomness;
using SimSeg.Neural.Checkpoints;
using SimSeg.Segmentation.Models;

namespace SimSeg.Cli.Tests;

[Collection("cli")]
public class TrainCommandTests
{
    /// <summary>A tiny epi1-mito dataset (24 samples of 32², 14 train) simulated through the CLI.</summary>
    private static void Simulate(TempDir dir, string name = "data", string split = "0.6,0.2,0.2")
    {
        var (code, _, stderr) = CliRunner.Run("simulate", "--preset", "epi1-mito", "--count", "24", "--tile", "32", "--seed", "4", "--split", split, "--out", dir[name]);
        Assert.True(code == 0, stderr);
    }

    private static string[] TrainArgs(TempDir dir, params string[] extra) =>
        ["train", "--data", dir["data"], "--out", dir["model"], "--channels", "4", "--depth", "2", "--epochs", "2", "--batch", "4", .. extra];

    [Fact]
    public void TrainThenSegment_TinyDataset_WritesModelAndSegmentations()
    {
        using var dir = new TempDir();
        Simulate(dir);
        var (code, stdout, stderr) = CliRunner.Run(TrainArgs(dir, "--lr", "3e-3"));
        Assert.True(code == 0, stderr);
        Assert.Contains("best val mIoU", stdout);
        Assert.Contains("epoch 2/2", stderr); // progress lines when stderr is not a terminal
        foreach (string f in new[] { "config.json", "model.safetensors", "last.safetensors", "train-state.safetensors", "train-log.csv", "train-curves.svg" })
            Assert.True(File.Exists(dir[Path.Combine("model", f)]), f);
        var config = ModelConfig.Read(dir["model/config.json"]);
        Assert.Equal(("unet", 4, 2, "epi1-mito"), (config.Architecture.Name, config.Architecture.BaseChannels, config.Architecture.Depth, config.Preset));
        Assert.Equal(42, config.PixelSizeNm, 3);

        (code, stdout, stderr) = CliRunner.Run("segment", dir["data/images"], "--model", dir["model"], "--tile", "64", "--overlap", "16", "--out", dir["seg"]);
        Assert.True(code == 0, stderr);
        Assert.Equal(24, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var mask = TiffReader.Read(dir["seg/sample-000000.tif"]);
        Assert.Equal(PixelType.UInt8, mask.PixelType);
        Assert.Equal(42, mask.Calibration.PixelWidthNm, 3);
        Assert.All(mask.ToImage<byte>().Data, v => Assert.True(v <= 1));
        var probabilities = TiffReader.Read(dir["seg/sample-000000.prob.tif"]);
        Assert.Equal(PixelType.Float32, probabilities.PixelType);
        Assert.Equal(42, probabilities.Calibration.PixelWidthNm, 3);
        Assert.All(probabilities.ToFloat().Data, v => Assert.InRange(v, 0f, 1f));
        Assert.True(new FileInfo(dir["seg/sample-000000.png"]).Length > 100);

        // --method unet is the same path; a baseline --method cannot be combined with --model.
        Assert.Equal(0, CliRunner.Run("segment", dir["data/images/sample-000001.tif"], "--method", "unet", "--model", dir["model"], "--out", dir["seg2"]).Code);
        Assert.Equal(File.ReadAllBytes(dir["seg/sample-000001.prob.tif"]), File.ReadAllBytes(dir["seg2/sample-000001.prob.tif"]));
        Assert.Equal(2, CliRunner.Run("segment", dir["data/images"], "--method", "otsu", "--model", dir["model"], "--out", dir["seg3"]).Code);
        // Test-time augmentation: probabilities averaged over the symmetries, still in [0, 1], not the plain ones.
        Assert.Equal(0, CliRunner.Run("segment", dir["data/images/sample-000001.tif"], "--model", dir["model"], "--tta", "--out", dir["seg-tta"]).Code);
        var augmented = TiffReader.Read(dir["seg-tta/sample-000001.prob.tif"]).ToFloat().Data;
        Assert.All(augmented, v => Assert.InRange(v, 0f, 1f));
        Assert.NotEqual(TiffReader.Read(dir["seg/sample-000001.prob.tif"]).ToFloat().Data, augmented);

        // Resume to a larger epoch count continues the run.
        (code, _, stderr) = CliRunner.Run("train", "--out", dir["model"], "--epochs", "3", "--resume");
        Assert.True(code == 0, stderr);
        Assert.Equal(4, File.ReadAllLines(dir["model/train-log.csv"]).Length);
        // Training again into the same folder without --resume is refused.
        (code, _, stderr) = CliRunner.Run(TrainArgs(dir));
        Assert.Equal(2, code);
        Assert.Contains("--resume", stderr);
    }

    [Fact]
    public void TrainEncoderUNetThenSegment_ArchReachesTheFactoryAndTheModelFolder()
    {
        // An encoder U-Net from the factory (5 down-samplings: 32² tiles), a narrow decoder (--channels 2), one step.
        using var dir = new TempDir();
        Simulate(dir);
        var (code, _, stderr) = CliRunner.Run("train", "--data", dir["data"], "--out", dir["model"], "--arch", "unet-efficientnet-b0", "--channels", "2",
            "--epochs", "1", "--steps-per-epoch", "1", "--batch", "2", "--val-images", "2", "--test-images", "2");
        Assert.True(code == 0, stderr);
        var config = ModelConfig.Read(dir["model/config.json"]);
        Assert.Equal("unet-efficientnet-b0", config.Architecture.Name);
        Assert.Contains(SafeTensors.Read(dir["model/model.safetensors"]).Keys, k => k.StartsWith("encoder._blocks.", StringComparison.Ordinal));
        (code, _, stderr) = CliRunner.Run("segment", dir["data/images/sample-000000.tif"], "--model", dir["model"], "--out", dir["seg"]);
        Assert.True(code == 0, stderr);
        Assert.Equal(32, TiffReader.Read(dir["seg/sample-000000.prob.tif"]).Width);
        Assert.Equal(2, CliRunner.Run("train", "--data", dir["data"], "--out", dir["model2"], "--arch", "unet-resnet9").Code);
    }

    [Fact]
    public void TrainMitoVesicleThenSegment_WritesClassMapsAndKProbabilityPages()
    {
        using var dir = new TempDir();
        var (code, stdout, stderr) = CliRunner.Run("simulate", "--preset", "epi1-mixed", "--count", "24", "--tile", "32", "--seed", "4", "--out", dir["data"]);
        Assert.True(code == 0, stderr);
        // Ten short epochs (4 steps each, about a second): enough for class maps that hold all three classes.
        (code, stdout, stderr) = CliRunner.Run("train", "--data", dir["data"], "--out", dir["model"], "--classes", "mito-vesicle", "--channels", "4", "--depth", "2",
            "--epochs", "10", "--batch", "4", "--lr", "1e-2");
        Assert.True(code == 0, stderr);
        Assert.Contains("val IoU per class: background", stdout);
        Assert.Contains("val IoU per class", stderr); // progress lines
        var config = ModelConfig.Read(dir["model/config.json"]);
        Assert.Equal(["background", "mitochondrion", "vesicle"], config.Classes);
        Assert.Equal(3, config.Architecture.OutChannels);
        Assert.EndsWith(",val_iou_background,val_iou_mitochondrion,val_iou_vesicle", File.ReadLines(dir["model/train-log.csv"]).First());

        (code, stdout, stderr) = CliRunner.Run("segment", dir["data/images"], "--model", dir["model"], "--out", dir["seg"]);
        Assert.True(code == 0, stderr);
        Assert.Equal(24, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("% mitochondrion", stdout);
        Assert.Contains("% vesicle", stdout);
        var classes = new HashSet<byte>();
        for (int s = 0; s < 24; s++)
        {
            string id = $"sample-{s:D6}";
            var mapFile = TiffReader.Read(dir[$"seg/{id}.tif"]);
            Assert.Equal(PixelType.UInt8, mapFile.PixelType);
            Assert.Equal(42, mapFile.Calibration.PixelWidthNm, 3);
            var map = mapFile.ToImage<byte>();
            var probabilities = TiffReader.Read(dir[$"seg/{id}.prob.tif"]);
            Assert.Equal(PixelType.Float32, probabilities.PixelType);
            Assert.Equal(3, probabilities.PageCount); // one frame: background, mitochondrion, vesicle
            var p = probabilities.ToFloat();
            for (int i = 0; i < map.PlaneLength; i++)
            {
                float b = p.Data[i], m = p.Data[map.PlaneLength + i], v = p.Data[2 * map.PlaneLength + i];
                Assert.Equal(1f, b + m + v, 1e-4f);
                byte expected = (byte)(b >= m && b >= v ? 0 : m >= v ? 1 : 2);
                Assert.Equal(expected, map.Data[i]);
                classes.Add(map.Data[i]);
            }
            Assert.True(new FileInfo(dir[$"seg/{id}.png"]).Length > 100);
        }
        Assert.Equal(new HashSet<byte> { 0, 1, 2 }, classes);

        // A threshold on the foreground probability marks at least as much foreground as the argmax at 0.3.
        (code, _, stderr) = CliRunner.Run("segment", dir["data/images/sample-000001.tif"], "--model", dir["model"], "--threshold", "0.3", "--out", dir["seg2"]);
        Assert.True(code == 0, stderr);
        var argmax = TiffReader.Read(dir["seg/sample-000001.tif"]).ToImage<byte>();
        var lowered = TiffReader.Read(dir["seg2/sample-000001.tif"]).ToImage<byte>();
        Assert.True(lowered.Data.Count(v => v != 0) >= argmax.Data.Count(v => v != 0));
        (code, _, stderr) = CliRunner.Run("segment", dir["data/images/sample-000001.tif"], "--model", dir["model"], "--temporal-window", "2", "--out", dir["seg3"]);
        Assert.Equal(2, code);
        Assert.Contains("--temporal-window must be a positive odd number", stderr);
        Assert.False(Directory.Exists(dir["seg3"]));
        (code, _, stderr) = CliRunner.Run("segment", dir["data/images/sample-000001.tif"], "--method", "otsu", "--temporal-window", "3", "--out", dir["seg3"]);
        Assert.Equal(2, code);
        Assert.Contains("--temporal-window applies to --model", stderr);
    }

    [Fact]
    public void Train_ClassesBadInput_ExitCodes()
    {
        using var dir = new TempDir();
        Simulate(dir);
        var (code, _, stderr) = CliRunner.Run(TrainArgs(dir, "--classes", "organelles"));
        Assert.Equal(2, code);
        Assert.Contains("--classes must be one of binary, mito-vesicle", stderr);
        foreach (var extra in new[] { ["--classes", "mito-vesicle", "--focal-weight", "2"], ["--classes", "mito-vesicle", "--class-weights", "1,2"],
                     ["--classes", "mito-vesicle", "--class-weights", "1,x,2"], new[] { "--class-weights", "auto" }, ["--ce-weight", "2"],
                     ["--classes", "mito-vesicle", "--lovasz-weight", "1"], ["--lovasz-weight", "-1"] })
        {
            (code, _, stderr) = CliRunner.Run(TrainArgs(dir, extra));
            Assert.True(code == 2, $"{string.Join(' ', extra)}: exit {code}, {stderr}");
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("error"));
        }

        // A dataset without class maps cannot train a mito-vesicle model.
        Directory.Delete(dir["data/classes"], true);
        (code, _, stderr) = CliRunner.Run(TrainArgs(dir, "--classes", "mito-vesicle"));
        Assert.Equal(3, code);
        Assert.Contains("class map of sample sample-000000 not found", stderr);
        Assert.False(File.Exists(dir["model/train-state.safetensors"]));
    }

    [Theory]
    [InlineData("--epochs", "0")]
    [InlineData("--lr", "-1")]
    [InlineData("--batch", "1")]
    [InlineData("--augment", "mirror")]
    [InlineData("--depth", "0")]
    [InlineData("--arch", "vgg99")]
    [InlineData("--max-minutes", "0")]
    [InlineData("--epochs", "many")]
    public void Train_BadNumber_ExitCode2(string flag, string value)
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["data"]);
        var (code, _, stderr) = CliRunner.Run(TrainArgs(dir, flag, value));
        Assert.Equal(2, code);
        Assert.Contains(flag, stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("error"));
    }

    [Fact]
    public void Train_TileNotAMultipleOfTheDepth_ExitCode2()
    {
        using var dir = new TempDir();
        Simulate(dir);
        var (code, _, stderr) = CliRunner.Run(TrainArgs(dir, "--tile-size", "30"));
        Assert.Equal(2, code);
        Assert.Contains("--tile-size", stderr);
    }

    [Fact]
    public void Train_MissingInputs_ExitCode3WithOneLine()
    {
        using var dir = new TempDir();
        var (code, _, stderr) = CliRunner.Run(TrainArgs(dir));
        Assert.Equal(3, code);
        Assert.Contains("dataset folder not found", stderr);
        Directory.CreateDirectory(dir["data"]);
        (code, _, stderr) = CliRunner.Run(TrainArgs(dir));
        Assert.Equal(3, code);
        Assert.Contains("manifest.csv", stderr);
        Simulate(dir, "data", "0,0.5,0.5");
        (code, _, stderr) = CliRunner.Run(TrainArgs(dir));
        Assert.Equal(3, code);
        Assert.Contains("no training samples", stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        (code, _, stderr) = CliRunner.Run("train", "--out", dir["nothing"], "--resume");
        Assert.Equal(3, code);
        Assert.Contains("nothing to resume", stderr);
        Assert.Equal(2, CliRunner.Run("train", "--out", dir["model"]).Code); // --data is required without --resume
    }

    [Fact]
    public void Train_HugeLearningRate_ExitCode5WithAClearMessage()
    {
        using var dir = new TempDir();
        Simulate(dir);
        var (code, _, stderr) = CliRunner.Run(TrainArgs(dir, "--lr", "1e30"));
        Assert.Equal(5, code);
        Assert.Contains("training diverged", stderr);
    }

    [Fact]
    public void Segment_MissingOrBrokenModel_ExitCode3()
    {
        using var dir = new TempDir();
        var image = new Image<ushort>(40, 30, 3, Calibration.Square(42));
        TiffWriter.Write(dir["stack.tif"], image);
        var (code, _, stderr) = CliRunner.Run("segment", dir["stack.tif"], "--model", dir["no-model"], "--out", dir["seg"]);
        Assert.Equal(3, code);
        Assert.Contains("model folder not found", stderr);
        Assert.Equal(2, CliRunner.Run("segment", dir["stack.tif"], "--method", "unet", "--out", dir["seg"]).Code);

        // A model of two input channels cannot segment a 3-page image.
        Directory.CreateDirectory(dir["two"]);
        var config = new ModelConfig { Architecture = new ModelArchitecture { InChannels = 2, BaseChannels = 2, Depth = 1 } };
        config.Write(dir["two/config.json"]);
        ModelCheckpoint.Save(dir["two/model.safetensors"], ModelFactory.Create(config.Architecture, new Rng(1)).NamedParameters());
        (code, _, stderr) = CliRunner.Run("segment", dir["stack.tif"], "--model", dir["two"], "--out", dir["seg"]);
        Assert.Equal(3, code);
        Assert.Contains("expects 2 channels", stderr);

        File.WriteAllText(dir["two/model.safetensors"], "garbage");
        (code, _, stderr) = CliRunner.Run("segment", dir["stack.tif"], "--model", dir["two"], "--out", dir["seg"]);
        Assert.Equal(3, code);
        Assert.Contains("model.safetensors", stderr);
        Assert.Equal(2, CliRunner.Run("segment", dir["stack.tif"], "--model", dir["two"], "--tile", "4", "--out", dir["seg"]).Code);
    }

    [Fact]
    public void TrainHelp_ShowsExamples()
    {
        var (code, stdout, _) = CliRunner.Run("train", "--help");
        Assert.Equal(0, code);
        Assert.Contains("simseg train --data", stdout);
        Assert.Contains("--resume", stdout);
        Assert.Contains("--freeze-encoder", stdout);
    }
}
