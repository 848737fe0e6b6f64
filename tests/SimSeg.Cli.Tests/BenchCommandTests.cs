using System.Text.Json;

namespace SimSeg.Cli.Tests;

[Collection("cli")]
public class BenchCommandTests
{
    [Fact]
    public void BenchUnet_TinyNetwork_PrintsTheReferenceKeys()
    {
        var (code, stdout, stderr) = CliRunner.Run("bench", "unet", "--channels", "2", "--depth", "2", "--batch", "1", "--train-size", "16", "--infer-size", "32", "--repeats", "1");
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout.Trim());
        foreach (string key in new[] { "params", "train_step_s", "train_images_per_s", "infer_s", "infer_size" })
            Assert.True(json.RootElement.TryGetProperty(key, out _), key);
        Assert.Equal(32, json.RootElement.GetProperty("infer_size").GetInt32());
    }

    [Fact]
    public void BenchUnet_SizeNotDivisible_ExitCode2()
    {
        var (code, _, stderr) = CliRunner.Run("bench", "unet", "--depth", "2", "--train-size", "30");
        Assert.Equal(2, code);
        Assert.Contains("divisible", stderr);
    }
}
