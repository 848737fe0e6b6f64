using System.CommandLine;
using System.Diagnostics;
using SimSeg.Core.IO;
using SimSeg.Simulation.Dataset;
using SimSeg.Simulation.GroundTruth;
using SimSeg.Simulation.Presets;
using Spectre.Console;

namespace SimSeg.Cli.Commands;

/// <summary><c>simseg simulate</c>: writes a simulation-supervised dataset.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset", "-p") { Description = "Preset name (see `simseg presets`) or path to a preset JSON file.", DefaultValueFactory = _ => "epi1-mito" };
        var count = new Option<int>("--count", "-n") { Description = "Number of samples in the whole dataset (all shards together).", DefaultValueFactory = _ => 64 };
        var output = new Option<string>("--out", "-o") { Description = "Output folder (created if missing; a rerun resumes, skipping complete samples).", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Master seed. The same seed gives byte-identical files whatever the thread count.", DefaultValueFactory = _ => 1UL };
        var tile = new Option<int>("--tile") { Description = "Tile side in pixels (PhySeg: 128).", DefaultValueFactory = _ => 128 };
        var montage = new Option<int>("--montage") { Description = "Tiles per side of each sample: 2 gives PhySeg's 2x2 montage (256x256 for 128-pixel tiles).", DefaultValueFactory = _ => 1 };
        var split = new Option<string>("--split") { Description = "Train,validation,test fractions.", DefaultValueFactory = _ => "0.6,0.2,0.2" };
        var shard = new Option<string>("--shard") { Description = "Run only shard I of N (0-based, e.g. 3/8) for cluster array jobs; join with `simseg merge-manifest`.", DefaultValueFactory = _ => "0/1" };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all cores). Does not change the output.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var gt = new Option<string>("--gt") { Description = "Ground truth in the masks: physics (default, from emitter positions), otsu, otsu-eroded or noise-level (PhySeg Supp. Table 6).", DefaultValueFactory = _ => "" };
        var previews = new Option<int>("--previews") { Description = "Also write PNG previews (image | class overlay) of the first N samples into previews/.", DefaultValueFactory = _ => 0 };
        var shapes = new Option<string?>("--shapes") { Description = "Draw mitochondria from this shape library (from `simseg shapes extract`) instead of tubes, at their physical size with random rotations." };
        var compression = new Option<string>("--compression") { Description = "TIFF compression: none, lzw, deflate or packbits.", DefaultValueFactory = _ => "none" };

        var command = new Command("simulate",
            "Simulate noisy microscope images of mitochondria and vesicles with physics-based ground truth.\n\n" +
            "Writes images/ (uint16 TIFF), masks/ (0/1), instances/ (object ids), classes/ (1 mitochondrion, 2 vesicle),\n" +
            "meta/ (a JSON sidecar per sample with every parameter and seed) and manifest.csv.\n\n" +
            "Examples:\n" +
            "  simseg simulate --preset epi1-mito --count 64 --out demo-data\n" +
            "  simseg simulate --preset airy1-vesicle --count 7000 --montage 2 --out airy-ves --seed 7\n" +
            "  simseg simulate --preset my-microscope.json --count 3000 --out transfer --shard 0/4")
        {
            preset, count, output, seed, tile, montage, split, shard, threads, gt, compression, previews, shapes,
        };
        command.SetAction((parse, token) => Task.FromResult(CommandRunner.Run(ct =>
        {
            var p = PresetCatalog.Load(parse.GetValue(preset)!);
            string gtName = parse.GetValue(gt)!;
            if (gtName.Length > 0) p = p with { GroundTruth = p.GroundTruth with { Method = ParseGroundTruth(gtName) } };
            if (parse.GetValue(shapes) is string library) p = WithShapeLibrary(p, library);
            var options = new DatasetOptions
            {
                OutputDirectory = parse.GetValue(output)!,
                Count = parse.GetValue(count),
                Seed = parse.GetValue(seed),
                TileSize = parse.GetValue(tile),
                Montage = parse.GetValue(montage),
                Split = SplitFractions.Parse(parse.GetValue(split)!),
                Shard = Shard.Parse(parse.GetValue(shard)!),
                Threads = parse.GetValue(threads),
                Compression = CliParse.Compression(parse.GetValue(compression)!),
            };
            options.Validate();
            var clock = Stopwatch.StartNew();
            var summary = WithProgress($"simulating {p.Name}", (report) => DatasetWriter.Write(p, options, report, ct));
            double seconds = clock.Elapsed.TotalSeconds;
            string root = options.OutputDirectory;
            int previewCount = parse.GetValue(previews);
            if (previewCount < 0) throw new CliArgumentException($"--previews must be >= 0, got {previewCount}.");
            string? previewDir = previewCount > 0 ? WritePreviews(root, options, previewCount) : null;
            Console.WriteLine($"Simulated {summary.Written} samples ({summary.Skipped} already complete) with preset {p.Name} in {seconds:0.0} s.");
            Console.WriteLine($"  images:    {Path.Combine(root, "images")}");
            Console.WriteLine($"  masks:     {Path.Combine(root, "masks")}  (ground truth: {System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(p.GroundTruth.Method.ToString())})");
            Console.WriteLine($"  instances: {Path.Combine(root, "instances")}");
            Console.WriteLine($"  classes:   {Path.Combine(root, "classes")}");
            Console.WriteLine($"  sidecars:  {Path.Combine(root, "meta")}");
            Console.WriteLine($"  manifest:  {summary.ManifestPath}");
            if (previewDir is not null) Console.WriteLine($"  previews:  {previewDir}");
            return ExitCodes.Success;
        }, token)));
        return command;
    }

    /// <summary>
    /// The preset with its tubular mitochondria replaced by meshes of a shape library: as many shapes per field
    /// as the preset had mitochondria, each a random library entry at its physical size with a random rotation.
    /// </summary>
    internal static Preset WithShapeLibrary(Preset preset, string library)
    {
        var entries = SimSeg.Shapes.Library.ShapeLibraryBuilder.Read(library);
        if (entries.Count == 0) throw new InvalidDataException($"{library}: the library holds no shapes.");
        var files = entries.Select(e => SimSeg.Shapes.Library.ShapeLibraryBuilder.MeshPath(library, e)).ToArray();
        var scene = preset.Scene;
        return preset with
        {
            Name = preset.Name + "+shapes",
            Scene = scene with
            {
                MeshFiles = files,
                MeshesPerField = scene.MitochondriaPerField,
                MitochondriaPerField = new SimSeg.Core.IntInterval(0, 0),
                MeshZRangeNm = scene.Mitochondria.ZRangeNm,
            },
        };
    }

    /// <summary>Writes previews/sample-*.png for the first <paramref name="count"/> samples of this shard.</summary>
    private static string WritePreviews(string root, DatasetOptions options, int count)
    {
        string dir = Path.Combine(root, "previews");
        Directory.CreateDirectory(dir);
        foreach (int index in Enumerable.Range(0, options.Count).Where(options.Shard.Owns).Take(count))
        {
            string id = DatasetWriter.SampleId(index);
            var image = TiffReader.Read(Path.Combine(root, "images", id + ".tif")).ToImage<ushort>();
            var classes = TiffReader.Read(Path.Combine(root, "classes", id + ".tif")).ToImage<byte>();
            var (rgb, width) = Overlay.SideBySide(image, classes, (image.Depth - 1) / 2);
            PngWriter.WriteRgb8(Path.Combine(dir, id + ".png"), width, image.Height, rgb);
        }
        return dir;
    }

    private static GroundTruthMethod ParseGroundTruth(string name) => name.ToLowerInvariant() switch
    {
        "physics" => GroundTruthMethod.Physics,
        "otsu" => GroundTruthMethod.Otsu,
        "otsu-eroded" => GroundTruthMethod.OtsuEroded,
        "noise-level" => GroundTruthMethod.NoiseLevel,
        _ => throw new CliArgumentException($"--gt must be one of physics, otsu, otsu-eroded, noise-level; got '{name}'."),
    };

    /// <summary>Runs <paramref name="work"/> with a progress bar on an interactive terminal, or periodic lines otherwise.</summary>
    internal static T WithProgress<T>(string label, Func<Action<int, int>, T> work)
    {
        if (!CommandRunner.Interactive)
        {
            int lastPercent = -10;
            return work((done, total) =>
            {
                int percent = total == 0 ? 100 : done * 100 / total;
                if (percent >= lastPercent + 10 || done == total)
                {
                    lastPercent = percent;
                    Console.Error.WriteLine($"simseg: {label}: {done}/{total}");
                }
            });
        }
        T result = default!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(label);
                result = work((done, total) =>
                {
                    task.MaxValue = Math.Max(1, total);
                    task.Value = done;
                });
                task.Value = task.MaxValue;
            });
        return result;
    }
}
