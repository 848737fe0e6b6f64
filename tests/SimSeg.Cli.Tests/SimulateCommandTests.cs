using System.Security.Cryptography;
using SimSeg.Core.IO;

namespace SimSeg.Cli.Tests;

[Collection("cli")]
public class SimulateCommandTests
{
    [Fact]
    public void Simulate_SmallDataset_WritesImagesLabelsSidecarsAndManifest()
    {
        using var dir = new TempDir();
        var (code, stdout, stderr) = CliRunner.Run("simulate", "--preset", "epi1-mito", "--count", "5", "--out", dir.Path, "--seed", "3");
        Assert.True(code == 0, stderr);
        Assert.Contains(Path.Combine(dir.Path, "images"), stdout);
        var manifest = File.ReadAllLines(dir["manifest.csv"]);
        Assert.Equal(6, manifest.Length);
        Assert.StartsWith("id,index,split,image,mask", manifest[0]);
        Assert.Equal(new[] { "train", "train", "train", "val", "test" }, manifest.Skip(1).Select(l => l.Split(',')[2]).ToArray());
        for (int i = 0; i < 5; i++)
        {
            string id = $"sample-{i:D6}";
            var image = TiffReader.Read(dir[$"images/{id}.tif"]);
            Assert.Equal(PixelType.UInt16, image.PixelType);
            Assert.Equal(128, image.Width);
            Assert.Equal(42, image.Calibration.PixelWidthNm, 3);
            var mask = TiffReader.Read(dir[$"masks/{id}.tif"]).ToImage<byte>();
            Assert.All(mask.Data, v => Assert.True(v <= 1));
            Assert.Contains(mask.Data, v => v == 1);
            Assert.True(File.Exists(dir[$"instances/{id}.tif"]));
            Assert.True(File.Exists(dir[$"classes/{id}.tif"]));
            string meta = File.ReadAllText(dir[$"meta/{id}.json"]);
            Assert.Contains("\"sampleSeed\"", meta);
            Assert.Contains("\"numericalAperture\"", meta);
        }
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Simulate_SameSeedDifferentThreads_ByteIdenticalFiles()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        Assert.Equal(0, CliRunner.Run("simulate", "--preset", "epi1-mixed", "--count", "6", "--out", a.Path, "--threads", "1", "--montage", "2", "--tile", "64").Code);
        Assert.Equal(0, CliRunner.Run("simulate", "--preset", "epi1-mixed", "--count", "6", "--out", b.Path, "--threads", "2", "--montage", "2", "--tile", "64").Code);
        Assert.Equal(Digest(a.Path), Digest(b.Path));
    }

    [Fact]
    public void Simulate_ShardsMerged_EqualTheSingleRun()
    {
        using var whole = new TempDir();
        using var sharded = new TempDir();
        Assert.Equal(0, CliRunner.Run("simulate", "--count", "5", "--out", whole.Path, "--tile", "64").Code);
        Assert.Equal(0, CliRunner.Run("simulate", "--count", "5", "--out", sharded.Path, "--tile", "64", "--shard", "0/2").Code);
        var partial = CliRunner.Run("merge-manifest", sharded.Path);
        Assert.Equal(3, partial.Code); // shard 1 missing
        Assert.Contains("shards 1 of 2", partial.Err);
        Assert.Equal(0, CliRunner.Run("simulate", "--count", "5", "--out", sharded.Path, "--tile", "64", "--shard", "1/2").Code);
        Assert.Equal(0, CliRunner.Run("merge-manifest", sharded.Path).Code);
        Assert.Equal(File.ReadAllText(whole["manifest.csv"]), File.ReadAllText(sharded["manifest.csv"]));
        Assert.Equal(Digest(whole.Path, "images"), Digest(sharded.Path, "images"));
    }

    [Fact]
    public void Simulate_Rerun_SkipsCompleteSamplesAndRedoesBrokenOnes()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("simulate", "--count", "4", "--out", dir.Path, "--tile", "64").Code);
        string before = Digest(dir.Path, "images");
        File.Delete(dir["meta/sample-000002.json"]);
        var (code, stdout, _) = CliRunner.Run("simulate", "--count", "4", "--out", dir.Path, "--tile", "64");
        Assert.Equal(0, code);
        Assert.Contains("Simulated 1 samples (3 already complete)", stdout);
        Assert.Equal(before, Digest(dir.Path, "images"));
    }

    [Theory]
    [InlineData("--count", "0", "--count")]
    [InlineData("--split", "0.5,0.5", "--split")]
    [InlineData("--shard", "2/2", "--shard")]
    [InlineData("--preset", "no-such-preset", "no-such-preset")]
    [InlineData("--compression", "zip", "--compression")]
    [InlineData("--gt", "manual", "--gt")]
    public void Simulate_BadArgument_ExitCode2AndNamesIt(string flag, string value, string named)
    {
        using var dir = new TempDir();
        var (code, _, stderr) = CliRunner.Run("simulate", "--out", dir["data"], flag, value);
        Assert.Equal(2, code);
        Assert.Contains(named, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("simulate", "--count", "abc")]
    [InlineData("simulate", "--no-such-flag", "1")]
    [InlineData("frobnicate", "--x", "1")]
    public void ParseError_ExitCode2WithShortMessage(string command, string flag, string value)
    {
        var (code, stdout, stderr) = CliRunner.Run(command, flag, value, "--out", "x");
        Assert.Equal(2, code);
        Assert.StartsWith("simseg: error:", stderr);
        Assert.Contains("--help", stderr);
        Assert.DoesNotContain("Usage:", stdout + stderr);
    }

    [Fact]
    public void Simulate_PresetFileWithImpossibleOptics_ExitCode2NamesTheSetting()
    {
        using var dir = new TempDir();
        var (code0, json, _) = CliRunner.Run("presets", "epi1-mito");
        Assert.Equal(0, code0);
        File.WriteAllText(dir["bad.json"], json.Replace("\"numericalAperture\": 1.42", "\"numericalAperture\": 1.6"));
        var (code, _, stderr) = CliRunner.Run("simulate", "--preset", dir["bad.json"], "--count", "1", "--out", dir["out"]);
        Assert.Equal(2, code);
        Assert.Contains("NumericalAperture", stderr);
        Assert.False(File.Exists(dir["out/manifest.csv"]));
    }

    [Fact]
    public void Simulate_MalformedPresetJson_ExitCode3()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["bad.json"], "{ \"name\": ");
        var (code, _, stderr) = CliRunner.Run("simulate", "--preset", dir["bad.json"], "--count", "1", "--out", dir["out"]);
        Assert.Equal(3, code);
        Assert.Contains("bad.json", stderr);
    }

    private static string Digest(string root, string sub = "")
    {
        using var sha = SHA256.Create();
        foreach (string f in Directory.GetFiles(Path.Combine(root, sub), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(f).StartsWith("manifest.shard", StringComparison.Ordinal)) continue;
            byte[] name = System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(root, f));
            sha.TransformBlock(name, 0, name.Length, null, 0);
            byte[] content = File.ReadAllBytes(f);
            sha.TransformBlock(content, 0, content.Length, null, 0);
        }
        sha.TransformFinalBlock([], 0, 0);
        return Convert.ToHexString(sha.Hash!);
    }
}
