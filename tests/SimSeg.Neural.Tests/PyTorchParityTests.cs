using System.Diagnostics;
using SimSeg.Core.IO;
using SimSeg.Core.Randomness;
using SimSeg.Neural.Checkpoints;
using SimSeg.Neural.Models;
using Xunit.Abstractions;

namespace SimSeg.Neural.Tests;

/// <summary>
/// The U-Net against PyTorch through tools/pytorch/simseg_unet.py: a SimSeg checkpoint run by PyTorch, and a
/// PyTorch checkpoint run by SimSeg, must give the same eval-mode logits within 1e-4. Skipped (with a message)
/// where /usr/bin/python3 cannot import torch and numpy, or the script is not beside the tests.
/// </summary>
public sealed class PyTorchParityTests(ITestOutputHelper output) : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private const double Tolerance = 1e-4;
    private const int TorchMissing = 4;
    private readonly string _dir = Directory.CreateTempSubdirectory("simseg-torch-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void SimSegCheckpoint_PyTorchForward_AgreesWithin1e4()
    {
        string? script = Script();
        if (script is null) return;
        var net = new UNet(1, 2, 8, 2, new Rng(11));
        var rng = new Rng(12);
        // Non-trivial batch norms: γ and β away from 1 and 0, running statistics moved by two training forwards.
        var named = net.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        foreach (string prefix in named.Keys.Where(n => n.EndsWith(".running_mean", StringComparison.Ordinal)).Select(n => n[..^"running_mean".Length]).ToArray())
        {
            foreach (ref float v in named[prefix + "weight"].Value.Data.AsSpan()) v = (float)rng.Uniform(0.5, 1.5);
            foreach (ref float v in named[prefix + "bias"].Value.Data.AsSpan()) v = (float)rng.Uniform(-0.3, 0.3);
        }
        for (int step = 0; step < 2; step++) net.Forward(Gaussian(rng, 2, 1, 32, 48, scale: 2, shift: 0.5f), training: true);
        Assert.NotEqual(0f, named["enc.1.1.running_mean"].Value.Data[0]);

        Tensor x = Gaussian(rng, 2, 1, 32, 48);
        Tensor expected = net.Forward(x, training: false);
        string checkpoint = Path.Combine(_dir, "simseg.safetensors");
        ModelCheckpoint.Save(checkpoint, net.NamedParameters(), new Dictionary<string, string> { ["arch"] = "unet" });
        string input = WriteNpy("input.npy", x), expectedPath = WriteNpy("expected.npy", expected);
        string torchPath = Path.Combine(_dir, "torch.npy");

        var (code, log) = RunScript(script, "run", checkpoint, input, "--output", torchPath, "--compare", expectedPath, "--tolerance", "1e-4");
        if (Skipped(code, log)) return;
        Assert.True(code == 0, $"simseg_unet.py run exited {code}: {log}");
        output.WriteLine(log);
        AssertAgree(expected, NpyReader.Read(torchPath));
    }

    [Fact]
    public void PyTorchCheckpoint_SimSegForward_AgreesWithin1e4()
    {
        string? script = Script();
        if (script is null) return;
        string checkpoint = Path.Combine(_dir, "torch.safetensors");
        var (code, log) = RunScript(script, "export", checkpoint, "--channels", "8", "--depth", "2", "--out-channels", "2", "--seed", "3");
        if (Skipped(code, log)) return;
        Assert.True(code == 0, $"simseg_unet.py export exited {code}: {log}");

        // Loading is strict: every PyTorch state_dict key must be a SimSeg parameter name with the same shape.
        var net = new UNet(1, 2, 8, 2, new Rng(1));
        ModelCheckpoint.Load(checkpoint, net.NamedParameters());
        Tensor x = Gaussian(new Rng(13), 2, 1, 48, 32);
        string input = WriteNpy("input.npy", x), torchPath = Path.Combine(_dir, "torch.npy");
        (code, log) = RunScript(script, "run", checkpoint, input, "--output", torchPath);
        Assert.True(code == 0, $"simseg_unet.py run exited {code}: {log}");
        AssertAgree(net.Forward(x, training: false), NpyReader.Read(torchPath));
    }

    private void AssertAgree(Tensor expected, NpyArray actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        float[] values = actual.ToFloat();
        double max = 0;
        for (int i = 0; i < values.Length; i++) max = Math.Max(max, Math.Abs(values[i] - expected.Data[i]));
        output.WriteLine($"max abs difference SimSeg - PyTorch: {max:G3}");
        Assert.True(max <= Tolerance, $"max abs difference {max:G3} exceeds {Tolerance}");
        Assert.Contains(expected.Data, v => Math.Abs(v) > 0.1f); // the logits are not trivially zero
    }

    private static Tensor Gaussian(Rng rng, int n, int c, int h, int w, float scale = 1, float shift = 0)
    {
        var t = new Tensor(n, c, h, w);
        for (int i = 0; i < t.Length; i++) t.Data[i] = (float)rng.NextGaussian() * scale + shift;
        return t;
    }

    private string WriteNpy(string name, Tensor t)
    {
        string path = Path.Combine(_dir, name);
        NpyWriter.Write<float>(path, t.Shape, t.Data);
        return path;
    }

    /// <summary>tools/pytorch/simseg_unet.py of the repository the tests were built from, or null (reported) when it or the interpreter is absent.</summary>
    private string? Script()
    {
        if (!File.Exists(Python))
        {
            output.WriteLine($"SKIPPED: {Python} is not on this machine.");
            return null;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tools", "pytorch", "simseg_unet.py");
            if (File.Exists(candidate)) return candidate;
        }
        output.WriteLine("SKIPPED: tools/pytorch/simseg_unet.py is not above the test assembly.");
        return null;
    }

    private bool Skipped(int code, string log)
    {
        if (code != TorchMissing) return false;
        output.WriteLine($"SKIPPED: {Python} cannot import torch and numpy: {log}");
        return true;
    }

    private static (int ExitCode, string Log) RunScript(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"simseg_unet.py {arguments[0]} did not finish in 2 minutes.");
        }
        return (process.ExitCode, (stdout.Result + stderr.Result).Trim());
    }
}
