using SimSeg.Core.Imaging;
using SimSeg.Core.IO;
using SimSeg.Shapes.Tests.Library;

namespace SimSeg.Cli.Tests;

[Collection("cli")]
public class ShapesCommandTests
{
    [Fact]
    public void ExtractRenderSimulate_EndToEnd()
    {
        using var dir = new TempDir();
        var volume = SyntheticVolumes.FiveObjects();
        TiffWriter.Write(dir["labels.tif"], volume);

        var (code, stdout, stderr) = CliRunner.Run("shapes", "extract", dir["labels.tif"], "--voxel-size", "20,20,20", "--out", dir["lib"], "--occupancy-points", "500");
        Assert.True(code == 0, stderr);
        Assert.Contains("Extracted 5 instances", stdout);
        Assert.Contains("donut", stdout);
        Assert.True(File.Exists(dir["lib/library.csv"]));

        (code, stdout, stderr) = CliRunner.Run("shapes", "render", dir["lib"], "--preset", "epi1-mito", "--size", "64", "--out", dir["views"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("Rendered 24 views", stdout);

        (code, _, stderr) = CliRunner.Run("simulate", "--shapes", dir["lib"], "--count", "3", "--tile", "64", "--out", dir["ds"]);
        Assert.True(code == 0, stderr);
        string meta = File.ReadAllText(dir["ds/meta/sample-000000.json"]);
        Assert.Contains("\"kind\": \"mesh\"", meta);
        Assert.DoesNotContain("\"kind\": \"tube\"", meta);
    }

    [Fact]
    public void Extract_NonIntegerLabels_ExitCode3NamesTheFile()
    {
        using var dir = new TempDir();
        var volume = new Image<float>(8, 8, 8);
        volume[3, 3, 3] = 1.5f;
        TiffWriter.Write(dir["float.tif"], volume);
        var (code, _, stderr) = CliRunner.Run("shapes", "extract", dir["float.tif"], "--voxel-size", "20,20,20", "--out", dir["lib"]);
        Assert.Equal(3, code);
        Assert.Contains("float.tif", stderr);
        Assert.False(Directory.Exists(dir["lib"]) && File.Exists(dir["lib/library.csv"]));
    }

    [Fact]
    public void Extract_EmptyVolume_FailsWithClearMessage()
    {
        using var dir = new TempDir();
        TiffWriter.Write(dir["empty.tif"], new Image<ushort>(8, 8, 8));
        var (code, _, stderr) = CliRunner.Run("shapes", "extract", dir["empty.tif"], "--voxel-size", "20,20,20", "--out", dir["lib"]);
        Assert.NotEqual(0, code);
        Assert.Contains("empty", stderr);
    }

    [Theory]
    [InlineData("20,20")]
    [InlineData("0,20,20")]
    [InlineData("a,b,c")]
    public void Extract_BadVoxelSize_ExitCode2(string voxel)
    {
        using var dir = new TempDir();
        TiffWriter.Write(dir["v.tif"], new Image<ushort>(8, 8, 8));
        var (code, _, stderr) = CliRunner.Run("shapes", "extract", dir["v.tif"], "--voxel-size", voxel, "--out", dir["lib"]);
        Assert.Equal(2, code);
        Assert.Contains("--voxel-size", stderr);
    }

    [Fact]
    public void Extract_NoVoxelSizeAnywhere_ExitCode2AsksForTheFlag()
    {
        using var dir = new TempDir();
        var volume = new Image<ushort>(16, 16, 16);
        for (int z = 4; z < 12; z++) for (int y = 4; y < 12; y++) for (int x = 4; x < 12; x++) volume[x, y, z] = 1;
        TiffWriter.Write(dir["v.tif"], volume);
        var (code, _, stderr) = CliRunner.Run("shapes", "extract", dir["v.tif"], "--out", dir["lib"]);
        Assert.Equal(2, code);
        Assert.Contains("--voxel-size", stderr);
    }

    [Fact]
    public void Render_NotALibrary_ExitCode3()
    {
        using var dir = new TempDir();
        var (code, _, stderr) = CliRunner.Run("shapes", "render", dir.Path, "--out", dir["views"]);
        Assert.Equal(3, code);
        Assert.Contains("library.csv", stderr);
    }
}

[Collection("cli")]
public class MeshPresetTests
{
    [Fact]
    public void Simulate_PresetWithOpenMesh_ExitCode2SaysItMustBeClosed()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["open.off"], "OFF\n3 1 0\n0 0 0\n800 0 0\n0 800 0\n3 0 1 2\n");
        var (code0, json, _) = CliRunner.Run("presets", "epi1-mito");
        Assert.Equal(0, code0);
        json = json.Replace("\"meshFiles\": []", $"\"meshFiles\": [\"{dir["open.off"]}\"]")
                   .Replace("\"meshesPerField\": {\n      \"min\": 0,\n      \"max\": 0\n    }", "\"meshesPerField\": {\n      \"min\": 1,\n      \"max\": 1\n    }");
        Assert.Contains("open.off", json);
        Assert.Contains("\"min\": 1,\n      \"max\": 1", json);
        File.WriteAllText(dir["preset.json"], json);
        var (code, _, stderr) = CliRunner.Run("simulate", "--preset", dir["preset.json"], "--count", "1", "--out", dir["out"]);
        Assert.Equal(2, code);
        Assert.Contains("closed", stderr);
    }
}
