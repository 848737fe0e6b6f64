using System.Globalization;
using SimSeg.Core.IO;

namespace SimSeg.Cli.Tests;

/// <summary>A tiny epi1-mito dataset (20 samples of 64²: 12 train, 4 val, 4 test) and a tiny U-Net trained on it for one epoch, made once for the class.</summary>
public sealed class BenchmarkFixture : IDisposable
{
    public BenchmarkFixture()
    {
        var (code, _, stderr) = CliRunner.Run("simulate", "--preset", "epi1-mito", "--count", "20", "--tile", "64", "--seed", "9", "--out", Dir["data"]);
        Assert.True(code == 0, stderr);
        (code, _, stderr) = CliRunner.Run("train", "--data", Dir["data"], "--out", Dir["model"], "--channels", "4", "--depth", "2", "--epochs", "1", "--batch", "4", "--test-images", "0");
        Assert.True(code == 0, stderr);
    }

    internal TempDir Dir { get; } = new();

    public void Dispose() => Dir.Dispose();
}

[Collection("cli")]
public class BenchmarkCommandTests(BenchmarkFixture fixture) : IClassFixture<BenchmarkFixture>
{
    private TempDir Dir => fixture.Dir;

    [Fact]
    public void Benchmark_BaselinesAndUnet_WritesTablesReportAndGallery()
    {
        using var output = new TempDir();
        var (code, stdout, stderr) = CliRunner.Run("benchmark", "--test", Dir["data"], "--methods", "otsu,adaptive,unet", "--model", Dir["model"],
            "--gallery", "2", "--threads", "2", "--out", output.Path);
        Assert.True(code == 0, stderr);
        Assert.Contains("| method | data (n = 4) |", stdout);   // the Table 1 layout on stdout
        Assert.Contains("unet on data: 4/4", stderr);             // progress lines

        string[] table = File.ReadAllLines(output["table.csv"]);
        Assert.Equal("method,test_set,metric,mean,std,n", table[0]);
        Assert.Equal(1 + 3 * 8, table.Length);
        foreach (string line in table.Skip(1))
        {
            var f = CsvLine.Split(line);
            Assert.Equal("data", f[1]);
            Assert.Equal("4", f[5]);
            if (f[2] is "miou" or "f1" or "iou" or "precision" or "recall" or "object_f1")
                Assert.InRange(double.Parse(f[3], CultureInfo.InvariantCulture), 0, 1);
        }
        Assert.Equal(["otsu", "adaptive", "unet"], table.Skip(1).Select(l => CsvLine.Split(l)[0]).Distinct());
        Assert.Equal(1 + 3 * 4, File.ReadAllLines(output["per-image.csv"]).Length);

        string md = File.ReadAllText(output["table.md"]);
        Assert.Contains("| unet | ", md);
        Assert.Contains(" ± ", md);
        string html = File.ReadAllText(output["table.html"]);
        Assert.Contains("<table", html);
        Assert.Contains("<img src=\"data:image/png;base64,", html);
        Assert.Contains("alt=\"input sample-000016\"", html);
        Assert.Contains("<svg", html);
        Assert.True(File.Exists(output["miou.svg"]));
        Assert.Equal(["data_sample-000016.png", "data_sample-000017.png"], Directory.GetFiles(output["gallery"]).Select(Path.GetFileName).Order());

        // Same scores with one thread.
        using var again = new TempDir();
        Assert.Equal(0, CliRunner.Run("benchmark", "--test", Dir["data"], "--methods", "otsu,adaptive,unet", "--model", Dir["model"], "--gallery", "0", "--threads", "1", "--out", again.Path).Code);
        Assert.Equal(File.ReadAllText(output["table.csv"]), File.ReadAllText(again["table.csv"]));
        Assert.Empty(Directory.GetFiles(again["gallery"]));
    }

    [Fact]
    public void Benchmark_TwoTestSetsOneModel_ColumnsPerSetAndMaxImages()
    {
        using var output = new TempDir();
        var (code, stdout, stderr) = CliRunner.Run("benchmark", "--test", Dir["data"], "--test", Dir["data"], "--model", Dir["model"], "--methods", "otsu,unet",
            "--max-images", "2", "--out", output.Path);
        Assert.True(code == 0, stderr);
        Assert.Contains("| method | data (n = 2) | data-2 (n = 2) |", stdout);
        Assert.Equal(1 + 2 * 2 * 2, File.ReadAllLines(output["per-image.csv"]).Length);
    }

    [Fact]
    public void Benchmark_UnknownMethod_Exit2ListsAccepted()
    {
        using var output = new TempDir();
        var (code, _, stderr) = CliRunner.Run("benchmark", "--test", Dir["data"], "--methods", "otsu,watershed", "--out", output.Path);
        Assert.Equal(2, code);
        Assert.Contains("watershed", stderr);
        Assert.Contains("otsu, noise, adaptive, oracle-threshold, mitometer, vesselness, kanezaki, unet", stderr);
    }

    [Fact]
    public void Benchmark_UnetWithoutModel_Exit2()
    {
        using var output = new TempDir();
        var (code, _, stderr) = CliRunner.Run("benchmark", "--test", Dir["data"], "--methods", "otsu,unet", "--out", output.Path);
        Assert.Equal(2, code);
        Assert.Contains("--model", stderr);
    }

    [Fact]
    public void Benchmark_ModelCountFitsNeitherOneNorTests_Exit2()
    {
        using var output = new TempDir();
        var (code, _, stderr) = CliRunner.Run("benchmark", "--test", Dir["data"], "--test", Dir["data"], "--test", Dir["data"],
            "--methods", "unet", "--model", Dir["model"], "--model", Dir["model"], "--out", output.Path);
        Assert.Equal(2, code);
        Assert.Contains("once per --test (3), got 2", stderr);
    }

    [Fact]
    public void Benchmark_MissingTestOrModelWithoutUnet_Exit2()
    {
        using var output = new TempDir();
        Assert.Equal(2, CliRunner.Run("benchmark", "--methods", "otsu", "--out", output.Path).Code);
        Assert.Equal(2, CliRunner.Run("benchmark", "--test", Dir["data"], "--methods", "otsu", "--model", Dir["model"], "--out", output.Path).Code);
        Assert.Equal(2, CliRunner.Run("benchmark", "--test", Dir["data"], "--methods", "otsu", "--max-images", "0", "--out", output.Path).Code);
    }

    [Fact]
    public void Benchmark_DatasetWithoutTestSplit_Exit3()
    {
        using var dir = new TempDir();
        var (code, _, stderr) = CliRunner.Run("simulate", "--preset", "epi1-mito", "--count", "4", "--tile", "32", "--split", "0.5,0.5,0", "--out", dir["no-test"]);
        Assert.True(code == 0, stderr);
        (code, _, stderr) = CliRunner.Run("benchmark", "--test", dir["no-test"], "--methods", "otsu", "--out", dir["out"]);
        Assert.Equal(3, code);
        Assert.Contains("no test split", stderr);
        Assert.Equal(3, CliRunner.Run("benchmark", "--test", dir["missing"], "--methods", "otsu", "--out", dir["out"]).Code);
    }

    [Fact]
    public void GroundTruthMethods_TinyStudy_RowPerGroundTruthScoredAgainstPhysics()
    {
        using var dir = new TempDir();
        var (code, stdout, stderr) = CliRunner.Run("benchmark", "gt-methods", "--preset", "epi1-mito", "--count", "30", "--tile", "64", "--epochs", "1",
            "--channels", "4", "--depth", "2", "--batch", "4", "--max-images", "4", "--gallery", "1", "--max-minutes", "1", "--out", dir.Path);
        Assert.True(code == 0, stderr);
        Assert.Contains("| training ground truth | epi1-mito (n = 4) |", stdout);
        Assert.Contains("training otsu-eroded", stderr);

        // The datasets share the images and differ in their masks.
        foreach (string gt in new[] { "physics", "otsu", "otsu-eroded", "noise-level" })
        {
            Assert.True(File.Exists(dir[$"data/{gt}/manifest.csv"]), gt);
            Assert.True(File.Exists(dir[$"models/{gt}/model.safetensors"]), gt);
            Assert.Equal(File.ReadAllBytes(dir["data/physics/images/sample-000000.tif"]), File.ReadAllBytes(dir[$"data/{gt}/images/sample-000000.tif"]));
        }

        var rows = File.ReadAllLines(dir["table.csv"]).Skip(1).Select(CsvLine.Split).ToArray();
        Assert.Equal(4 * 8, rows.Length);
        Assert.Equal(["physics", "otsu", "otsu-eroded", "noise-level"], rows.Select(r => r[0]).Distinct());
        Assert.Contains(rows, r => r[0] == "physics" && r[2] == "miou");
        Assert.All(rows.Where(r => r[2] is "miou" or "f1"), r => Assert.InRange(double.Parse(r[3], CultureInfo.InvariantCulture), 0, 1));
        Assert.All(rows, r => Assert.Equal("epi1-mito", r[1]));
        string html = File.ReadAllText(dir["table.html"]);
        Assert.Contains("<table", html);
        Assert.Contains("src=\"data:image/png;base64,", html);
        Assert.Single(Directory.GetFiles(dir["gallery"]));
    }
}
