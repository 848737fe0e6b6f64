using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using SimSeg.Core.Randomness;
using SimSeg.Simulation;
using SimSeg.Simulation.Dataset;
using SimSeg.Simulation.Presets;

namespace SimSeg.Bench;

/// <summary>
/// Simulator throughput in 128x128 image + ground-truth pairs per second, written into docs/BENCHMARKS.md.
/// Usage: dotnet run -c Release --project bench/SimSeg.Bench -- [--preset epi1-mito] [--pairs 2000] [--runs 5] [--no-write];
/// the shape-library measurements are `... -- shapes --urocell DIR` (see <see cref="ShapesBench"/>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "shapes") return ShapesBench.Run(args[1..]);
        if (args.Length > 0 && args[0] == "analysis") return AnalysisBench.Run(args[1..]);
        string presetName = Arg(args, "--preset", "epi1-mito");
        int pairs = int.Parse(Arg(args, "--pairs", "2000"), CultureInfo.InvariantCulture);
        int runs = int.Parse(Arg(args, "--runs", "5"), CultureInfo.InvariantCulture);
        bool write = !args.Contains("--no-write");
        var preset = PresetCatalog.Load(presetName);

        var clock = Stopwatch.StartNew();
        var simulator = new FieldSimulator(preset);
        // Warm up: builds the PSF table and the kernels of the defocus planes in use, and JIT-compiles.
        for (int i = 0; i < 50; i++) simulator.Simulate(128, 128, Rng.ForStream(99, (ulong)i));
        double setupSeconds = clock.Elapsed.TotalSeconds;

        var single = new List<double>();
        var parallel = new List<double>();
        var dataset = new List<double>();
        var systemMsPerFile = new List<double>();
        for (int r = 0; r < runs; r++)
        {
            single.Add(Measure(pairs / 4, 1, simulator, r));
            parallel.Add(Measure(pairs, Environment.ProcessorCount, simulator, r));
            var (rate, systemMs) = MeasureDataset(preset, pairs, r);
            dataset.Add(rate);
            systemMsPerFile.Add(systemMs / (pairs * 5.0));
        }
        double s = Median(single), p = Median(parallel), d = Median(dataset);
        string machine = Machine();
        Console.WriteLine($"{presetName}: {s:0} pairs/s on 1 thread, {p:0} pairs/s on {Environment.ProcessorCount} threads (in memory), {d:0} pairs/s writing a dataset; setup {setupSeconds:0.00} s; {machine}");

        if (write)
        {
            var sb = new StringBuilder();
            sb.AppendLine($"Measured {DateTime.UtcNow:yyyy-MM-dd} on {machine}, .NET {Environment.Version}.");
            sb.AppendLine();
            sb.AppendLine($"Command: `dotnet run -c Release --project bench/SimSeg.Bench -- --preset {presetName} --pairs {pairs} --runs {runs}`");
            sb.AppendLine();
            sb.AppendLine("| preset | threads | what is timed | 128x128 image+GT pairs/s (median of " + runs + " runs) |");
            sb.AppendLine("| --- | --- | --- | --- |");
            sb.AppendLine($"| {presetName} | 1 | `FieldSimulator.Simulate` (geometry → camera + physics GT), in memory | {s:0} |");
            sb.AppendLine($"| {presetName} | {Environment.ProcessorCount} | the same, one field per task | {p:0} |");
            sb.AppendLine($"| {presetName} | {Environment.ProcessorCount} | `DatasetWriter.Write`: the above plus 4 TIFFs and a JSON sidecar per sample, manifest | {d:0} |");
            sb.AppendLine();
            sb.AppendLine($"The gap between the last two rows is file-system work: writing a dataset cost {Median(systemMsPerFile):0.00} ms of kernel CPU time per file (median over runs), and each sample is five files (four TIFFs and the sidecar, each written to a temporary name and renamed). TIFF compression does not change it: it is the number of files, not their bytes.");
            sb.AppendLine();
            sb.AppendLine($"One-off setup (PSF table, kernel bank for the defocus planes used, JIT): {setupSeconds:0.00} s. Goal: ≥ 500 pairs/s on this 2-core machine; the Python reference simulator takes seconds per image.");
            UpdateSection("simulator-throughput", sb.ToString());
        }
        return 0;
    }

    private static double Measure(int pairs, int threads, FieldSimulator simulator, int run)
    {
        var clock = Stopwatch.StartNew();
        Parallel.For(0, pairs, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
            simulator.Simulate(128, 128, Rng.ForStream((ulong)(1000 + run), (ulong)i)));
        return pairs / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Pairs per second writing a dataset, and the kernel (system) CPU time the process spent, ms.</summary>
    private static (double Rate, double SystemMs) MeasureDataset(Preset preset, int pairs, int run)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"simseg-bench-{Environment.ProcessId}-{run}");
        try
        {
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var systemBefore = process.PrivilegedProcessorTime;
            var clock = Stopwatch.StartNew();
            DatasetWriter.Write(preset, new DatasetOptions { OutputDirectory = dir, Count = pairs, Seed = (ulong)run + 1 });
            double rate = pairs / clock.Elapsed.TotalSeconds;
            process.Refresh();
            return (rate, (process.PrivilegedProcessorTime - systemBefore).TotalMilliseconds);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    internal static string Arg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    internal static string Machine()
    {
        string cpu = RuntimeInformation.ProcessArchitecture.ToString();
        if (File.Exists("/proc/cpuinfo"))
        {
            string? model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (model is not null) cpu = model[(model.IndexOf(':') + 1)..].Trim();
        }
        return $"{cpu}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}";
    }

    /// <summary>Replaces the text between &lt;!-- name --&gt; and &lt;!-- /name --&gt; in docs/BENCHMARKS.md.</summary>
    internal static void UpdateSection(string name, string body)
    {
        string path = FindBenchmarksFile();
        string text = File.ReadAllText(path);
        string open = $"<!-- {name} -->", close = $"<!-- /{name} -->";
        int a = text.IndexOf(open, StringComparison.Ordinal), b = text.IndexOf(close, StringComparison.Ordinal);
        string block = open + "\n" + body.TrimEnd() + "\n" + close;
        text = a >= 0 && b > a ? text[..a] + block + text[(b + close.Length)..] : text.TrimEnd() + "\n\n" + block + "\n";
        File.WriteAllText(path, text);
        Console.WriteLine($"updated {path}");
    }

    private static string FindBenchmarksFile()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "docs", "BENCHMARKS.md");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("docs/BENCHMARKS.md not found above the current folder; run from the repository.");
    }
}
