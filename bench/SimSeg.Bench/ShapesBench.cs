using System.Diagnostics;
using System.Globalization;
using System.Text;
using SimSeg.Core.Imaging;
using SimSeg.Shapes.Classification;
using SimSeg.Shapes.Instances;
using SimSeg.Shapes.Library;
using SimSeg.Shapes.Rendering;
using SimSeg.Simulation.Presets;

namespace SimSeg.Bench;

/// <summary>
/// Shape-library figures on the UroCell FIB-SEM volumes (Žerovnik Mekuč et al., Comput. Biol. Med. 119, 2020,
/// CC-BY-NC-SA 4.0): extraction time per 256³ volume, instance counts, the agreement of the skeleton class
/// "network or donut" with the experts' branched labels, and rendering speed in views per second.
/// Usage: dotnet run -c Release --project bench/SimSeg.Bench -- shapes --urocell DIR [--voxel-size 15,16,16] [--no-write]
/// </summary>
internal static class ShapesBench
{
    public static int Run(string[] args)
    {
        string dir = Program.Arg(args, "--urocell", "");
        if (dir.Length == 0 || !Directory.Exists(dir))
        {
            Console.Error.WriteLine("shapes: pass --urocell DIR, the folder with mito-instance-*.nii.gz and mito-branched-*.nii.gz.");
            return 2;
        }
        double[] zyx = Program.Arg(args, "--voxel-size", "15,16,16").Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var voxel = new Calibration(zyx[2], zyx[1], zyx[0]);
        bool write = !args.Contains("--no-write");
        string work = Path.Combine(Path.GetTempPath(), $"simseg-shapes-bench-{Environment.ProcessId}");

        var report = new StringBuilder();
        report.AppendLine($"Measured {DateTime.UtcNow:yyyy-MM-dd} on {Program.Machine()}, .NET {Environment.Version}; voxel size {zyx[0]}×{zyx[1]}×{zyx[2]} nm (z×y×x).");
        report.AppendLine();
        report.AppendLine($"Command: `dotnet run -c Release --project bench/SimSeg.Bench -- shapes --urocell ../shared/data/urocell`");
        report.AppendLine();
        report.AppendLine("| volume | labelled objects | instances extracted | touching the border | shapes kept | extraction time (s) | classes of kept shapes |");
        report.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        // Confusion of "network or donut" (predicted branched) against the experts' label (1 branched, 2 not).
        int tp = 0, fp = 0, fn = 0, tn = 0, unlabelled = 0;
        string? firstLibrary = null;
        try
        {
            foreach (string instancePath in Directory.GetFiles(dir, "mito-instance-*.nii.gz").Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(instancePath);
                string branchedPath = Path.Combine(dir, name.Replace("mito-instance-", "mito-branched-", StringComparison.Ordinal));
                var (labels, _) = LabelVolumes.Load(instancePath);
                labels.Calibration = voxel;
                var (branched, _) = LabelVolumes.Load(branchedPath);
                int objects = labels.Data.Where(v => v != 0).Distinct().Count();
                string library = Path.Combine(work, name);
                firstLibrary ??= library;
                var clock = Stopwatch.StartNew();
                var summary = ShapeLibraryBuilder.Build(labels, name, new ShapeLibraryOptions(), library);
                double seconds = clock.Elapsed.TotalSeconds;
                string classes = string.Join(", ", summary.Entries.GroupBy(e => e.Class).OrderBy(g => g.Key).Select(g => $"{LibraryEntry.ClassName(g.Key)} {g.Count()}"));
                report.AppendLine($"| {name} | {objects} | {summary.InstancesFound} | {summary.BorderSkipped} | {summary.Entries.Count} | {seconds:0.0} | {classes} |");

                foreach (var entry in summary.Entries)
                {
                    int expert = ExpertLabel(labels, branched, entry);
                    bool predicted = entry.Class is ShapeClass.Network or ShapeClass.Donut;
                    if (expert == 0) { unlabelled++; continue; }
                    bool truth = expert == 1;
                    if (predicted && truth) tp++;
                    else if (predicted) fp++;
                    else if (truth) fn++;
                    else tn++;
                }
            }
            int total = tp + fp + fn + tn;
            var (rawCorrect, rawTotal) = AgreementWithoutPruning(dir, voxel, work);
            report.AppendLine();
            report.AppendLine("Agreement of the skeleton class with the experts' branched / not-branched labels (majority label over each shape's voxels):");
            report.AppendLine();
            report.AppendLine("| | experts: branched | experts: not branched |");
            report.AppendLine("| --- | --- | --- |");
            report.AppendLine($"| SimSeg: network or donut | {tp} | {fp} |");
            report.AppendLine($"| SimSeg: dot, rod, nano-tunnel or mega | {fn} | {tn} |");
            report.AppendLine();
            report.AppendLine($"Accuracy {(total > 0 ? (tp + tn) / (double)total : 0):0.00} over {total} shapes ({unlabelled} shapes had no expert label), with terminal skeleton spurs shorter than 0.1 µm pruned before classing (the default; `--min-branch-length`). Without pruning, as 3DMSL's rule is written, the accuracy is {(rawTotal > 0 ? rawCorrect / (double)rawTotal : 0):0.00}: 1–3 voxel spurs at surface bumps turn rods into networks.");

            if (firstLibrary is not null)
            {
                report.AppendLine();
                var rates = new List<double>();
                int views = 0;
                foreach (string presetName in new[] { "epi1-mito", "conf1-mito", "conf2-mito" })
                {
                    var preset = PresetCatalog.Load(presetName) with { };
                    string outDir = Path.Combine(work, "render-" + presetName);
                    var clock = Stopwatch.StartNew();
                    var summary = ShapeRenderJob.Run(firstLibrary, preset, new ShapeRenderOptions(), outDir);
                    double rate = summary.Views / clock.Elapsed.TotalSeconds;
                    rates.Add(rate);
                    views = summary.Views;
                    report.AppendLine($"- `shapes render --preset {presetName} --views 6` ({views} views of 128×128, files included): {rate:0} views/s");
                }
                report.AppendLine();
                report.AppendLine("Goal: extraction of one 256³ volume under 20 s; rendering at least 50 views per second.");
            }
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, true);
        }
        Console.WriteLine(report.ToString());
        if (write) Program.UpdateSection("shape-library", report.ToString());
        return 0;
    }

    /// <summary>Correct and total branched/not-branched calls with spur pruning switched off.</summary>
    private static (int Correct, int Total) AgreementWithoutPruning(string dir, Calibration voxel, string work)
    {
        int correct = 0, total = 0;
        var options = new ShapeLibraryOptions { Classes = new ShapeClassThresholds(MinTerminalBranchUm: 0), OccupancyCount = 100 };
        foreach (string instancePath in Directory.GetFiles(dir, "mito-instance-*.nii.gz").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(instancePath);
            var (labels, _) = LabelVolumes.Load(instancePath);
            labels.Calibration = voxel;
            var (branched, _) = LabelVolumes.Load(Path.Combine(dir, name.Replace("mito-instance-", "mito-branched-", StringComparison.Ordinal)));
            var summary = ShapeLibraryBuilder.Build(labels, name, options, Path.Combine(work, "raw-" + name));
            foreach (var entry in summary.Entries)
            {
                int expert = ExpertLabel(labels, branched, entry);
                if (expert == 0) continue;
                total++;
                if ((entry.Class is ShapeClass.Network or ShapeClass.Donut) == (expert == 1)) correct++;
            }
        }
        return (correct, total);
    }

    /// <summary>The experts' label (1 branched, 2 not branched, 0 none) most common over the shape's voxels in the source volume.</summary>
    private static int ExpertLabel(Image<int> labels, Image<int> branched, LibraryEntry entry)
    {
        int[] b = entry.BoundingBox;
        var counts = new int[3];
        for (int z = b[4]; z <= b[5]; z++)
            for (int y = b[2]; y <= b[3]; y++)
                for (int x = b[0]; x <= b[1]; x++)
                {
                    if (labels[x, y, z] != entry.SourceLabel) continue;
                    int v = branched[x, y, z];
                    if (v is 1 or 2) counts[v]++;
                }
        return counts[1] == 0 && counts[2] == 0 ? 0 : counts[1] >= counts[2] ? 1 : 2;
    }
}
