using SimSeg.Core.Imaging;
using SimSeg.Core.IO;

namespace SimSeg.Cli.Tests;

[Collection("cli")]
public class AnalysisCommandTests
{
    private static Image<byte> Shapes()
    {
        // A 3x60 rod, a plus sign (network) and a 4x4 dot, at 50 nm pixels.
        var mask = new Image<byte>(100, 80, 1, Calibration.Square(50));
        for (int y = 10; y < 13; y++) for (int x = 10; x < 70; x++) mask[x, y] = 1;
        for (int i = 30; i < 70; i++) { mask[50, i] = 1; mask[51, i] = 1; mask[i - 20, 50] = 1; mask[i - 20, 51] = 1; }
        for (int y = 60; y < 64; y++) for (int x = 80; x < 84; x++) mask[x, y] = 1;
        return mask;
    }

    [Fact]
    public void Analyze_Mask_WritesTablesLabelsOverlaysAndPlots()
    {
        using var dir = new TempDir();
        TiffWriter.Write(dir["mask.tif"], Shapes());
        var (code, stdout, stderr) = CliRunner.Run("analyze", dir["mask.tif"], "--out", dir["out"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("Analysed 3 objects", stdout);
        var objects = File.ReadAllLines(dir["out/objects.csv"]);
        Assert.Equal(4, objects.Length);
        Assert.Contains(objects, l => l.Contains(",rod,", StringComparison.Ordinal));
        Assert.Contains(objects, l => l.Contains(",network,", StringComparison.Ordinal));
        Assert.Contains(objects, l => l.Contains(",dot,", StringComparison.Ordinal));
        Assert.True(File.Exists(dir["out/branches.csv"]));
        Assert.True(File.Exists(dir["out/summary.csv"]));
        Assert.True(File.Exists(dir["out/labels/mask.tif"]));
        Assert.True(File.Exists(dir["out/overlays/mask.png"]));
        foreach (string plot in new[] { "class_frequencies.svg", "area_violin.svg", "branch_lengths.svg" })
            System.Xml.Linq.XDocument.Load(dir[Path.Combine("out/plots", plot)]);
    }

    [Fact]
    public void Analyze_NoPixelSize_ExitCode2AsksForTheFlag()
    {
        using var dir = new TempDir();
        var mask = Shapes();
        mask.Calibration = Calibration.Unknown;
        TiffWriter.Write(dir["mask.tif"], mask);
        var (code, _, stderr) = CliRunner.Run("analyze", dir["mask.tif"], "--out", dir["out"]);
        Assert.Equal(2, code);
        Assert.Contains("--pixel-size", stderr);
        Assert.Equal(0, CliRunner.Run("analyze", dir["mask.tif"], "--pixel-size", "50", "--out", dir["out"]).Code);
    }

    [Fact]
    public void Analyze_ConditionsDoNotMatchInputs_ExitCode2()
    {
        using var dir = new TempDir();
        TiffWriter.Write(dir["mask.tif"], Shapes());
        var (code, _, stderr) = CliRunner.Run("analyze", dir["mask.tif"], "--condition", "a", "--condition", "b", "--out", dir["out"]);
        Assert.Equal(2, code);
        Assert.Contains("--condition", stderr);
    }

    [Fact]
    public void Analyze_FractionalValues_ExitCode3()
    {
        using var dir = new TempDir();
        var image = new Image<float>(8, 8, 1, Calibration.Square(50));
        image[2, 2] = 0.5f;
        TiffWriter.Write(dir["bad.tif"], image);
        var (code, _, stderr) = CliRunner.Run("analyze", dir["bad.tif"], "--out", dir["out"]);
        Assert.Equal(3, code);
        Assert.Contains("bad.tif", stderr);
    }

    [Fact]
    public void MovieSegmentTrack_EndToEnd_ScoresAgainstTheTruth()
    {
        using var dir = new TempDir();
        var (code, _, stderr) = CliRunner.Run("simulate-movie", "--frames", "6", "--width", "128", "--height", "128", "--mitochondria", "2", "--vesicles", "3",
            "--z-range", "-150,150", "--out", dir["movie"]);
        Assert.True(code == 0, stderr);
        Assert.Equal(6, TiffReader.Read(dir["movie/movie.tif"]).PageCount);
        (code, _, stderr) = CliRunner.Run("segment", dir["movie/movie.tif"], "--out", dir["seg"]);
        Assert.True(code == 0, stderr);
        (code, string stdout, stderr) = CliRunner.Run("track", dir["seg/movie.tif"], "--classes", dir["movie/classes.tif"], "--truth", dir["movie"], "--overlays", "--out", dir["track"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("MOTA", stdout);
        Assert.StartsWith("track_id,frame", File.ReadAllLines(dir["track/tracks.csv"])[0]);
        Assert.True(File.Exists(dir["track/score.json"]));
        Assert.StartsWith("truth_id,first_frame,last_frame,frames,mean_area_px,matched_frames", File.ReadAllLines(dir["track/truth-tracks.csv"])[0]);
        Assert.Equal(6, Directory.GetFiles(dir["track/overlays"], "*.png").Length);

        // The true class maps, each class labelled on its own, against the truth.
        (code, _, stderr) = CliRunner.Run("track", dir["movie/classes.tif"], "--by-class", "--min-area", "-1", "--out", dir["bad-area"]);
        Assert.Equal(2, code);
        Assert.Contains("--min-area must be >= 0", stderr);
        Assert.False(Directory.Exists(dir["bad-area"]));
        (code, stdout, stderr) = CliRunner.Run("track", dir["movie/classes.tif"], "--by-class", "--truth", dir["movie"], "--out", dir["by-class"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("tracks followed", stdout);
        Assert.Contains(",vesicle,", File.ReadAllText(dir["by-class/tracks.csv"]));
        (code, _, stderr) = CliRunner.Run("track", dir["movie/classes.tif"], "--by-class", "--classes", dir["movie/classes.tif"], "--out", dir["both"]);
        Assert.Equal(2, code);
        Assert.Contains("--by-class", stderr);
    }

    [Fact]
    public void SimulateMovieDataset_TrainsAModelOnMovieFrames()
    {
        using var dir = new TempDir();
        var (code, stdout, stderr) = CliRunner.Run("simulate-movie", "--width", "64", "--height", "64", "--mitochondria", "2", "--vesicles", "3",
            "--z-range", "-200,200", "--dataset", "10", "--out", dir["frames"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("Wrote 10 frames", stdout);
        (code, _, stderr) = CliRunner.Run("train", "--data", dir["frames"], "--tile-size", "32", "--batch", "2", "--epochs", "1", "--channels", "4", "--depth", "2",
            "--val-images", "2", "--test-images", "0", "--out", dir["model"]);
        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(dir["model/model.safetensors"]));

        (code, _, stderr) = CliRunner.Run("simulate-movie", "--dataset", "0", "--out", dir["none"]);
        Assert.Equal(2, code);
        Assert.Contains("--dataset", stderr);
        Assert.False(Directory.Exists(dir["none"]));
    }

    [Fact]
    public void Track_FramesOfDifferentSizes_ExitCode3()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["frames"]);
        TiffWriter.Write(dir["frames/a.tif"], new Image<byte>(8, 8));
        TiffWriter.Write(dir["frames/b.tif"], new Image<byte>(9, 8));
        var (code, _, stderr) = CliRunner.Run("track", dir["frames"], "--out", dir["out"]);
        Assert.Equal(3, code);
        Assert.Contains("frame 1", stderr);
    }
}
