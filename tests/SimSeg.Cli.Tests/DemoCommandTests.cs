namespace SimSeg.Cli.Tests;

[Collection("cli")]
public class DemoCommandTests
{
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("-0.5")]
    [InlineData("NaN")]
    public void Demo_MinutesNotPositive_ExitsTwoWithOneLine(string minutes)
    {
        using var dir = new TempDir();
        var (code, stdout, stderr) = CliRunner.Run("demo", "--minutes", minutes, "--out", dir["demo"]);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(Lines(stderr));
        Assert.StartsWith("simseg: error: --minutes must be a number of minutes > 0", line);
        Assert.False(Directory.Exists(dir["demo"]));
    }

    [Fact]
    public void Demo_OutIsAFile_ExitsTwoWithOneLine()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["file"], "not a folder");
        var (code, _, stderr) = CliRunner.Run("demo", "--out", dir["file"], "--minutes", "1");
        Assert.Equal(2, code);
        var line = Assert.Single(Lines(stderr));
        Assert.Equal($"simseg: error: --out {dir["file"]} is a file; the demo writes a folder of results: give a folder path.", line);
        Assert.Equal("not a folder", File.ReadAllText(dir["file"]));
    }

    [Fact]
    public void Demo_OutHoldsOtherFiles_ExitsTwoAndTouchesNothing()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["mine/model"]);
        File.WriteAllText(dir["mine/model/notes.txt"], "keep");
        var (code, _, stderr) = CliRunner.Run("demo", "--out", dir["mine"], "--minutes", "1");
        Assert.Equal(2, code);
        Assert.Contains("already holds other files", Assert.Single(Lines(stderr)));
        Assert.Equal("keep", File.ReadAllText(dir["mine/model/notes.txt"]));
    }

    [Theory]
    [InlineData("--size", "32")]
    [InlineData("--size", "9000")]
    [InlineData("--threads", "0")]
    public void Demo_BadSizeOrThreads_ExitsTwo(string flag, string value)
    {
        using var dir = new TempDir();
        var (code, _, stderr) = CliRunner.Run("demo", flag, value, "--out", dir["demo"]);
        Assert.Equal(2, code);
        Assert.Contains(flag, Assert.Single(Lines(stderr)));
    }

    [Fact]
    public void Demo_Help_ExplainsTheRunAndItsFlags()
    {
        var (code, stdout, _) = CliRunner.Run("demo", "--help");
        Assert.Equal(0, code);
        foreach (string text in new[] { "report.html", "--out", "--minutes", "--seed", "--size", "--threads", "simseg-demo" })
            Assert.Contains(text, stdout);
    }
}
