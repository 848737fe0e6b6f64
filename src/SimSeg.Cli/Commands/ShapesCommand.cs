using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SimSeg.Core.Imaging;
using SimSeg.Shapes.Classification;
using SimSeg.Shapes.Instances;
using SimSeg.Shapes.Library;
using SimSeg.Shapes.Rendering;
using SimSeg.Simulation.Presets;

namespace SimSeg.Cli.Commands;

/// <summary><c>simseg shapes</c>: the 3D shape library (3DMSL) — extract from EM labels, render through microscopes.</summary>
internal static class ShapesCommand
{
    public static Command Create()
    {
        var command = new Command("shapes",
            "3D mitochondria shape library from EM segmentations (3DMSL): `extract` builds meshes, point clouds,\n" +
            "occupancies and shape classes from a label volume; `render` images them through any microscope preset.\n" +
            "Use a library in training sets with `simseg simulate --shapes LIBRARY`.");
        command.Subcommands.Add(Extract());
        command.Subcommands.Add(Render());
        return command;
    }

    private static Command Extract()
    {
        var labels = new Argument<string>("LABELS") { Description = "Label volume: NIfTI (.nii, .nii.gz), multi-page TIFF or NPY (Z,Y,X), integer labels." };
        var voxel = new Option<string?>("--voxel-size") { Description = "Voxel size as Z,Y,X in nm (e.g. 15,16,16); overrides the file header, required when the header has none." };
        var output = new Option<string>("--out", "-o") { Description = "Library folder to write.", Required = true };
        var input = new Option<string>("--input") { Description = "instances: every label value is one object; binary: all non-zero voxels are foreground to split.", DefaultValueFactory = _ => "instances" };
        var erosion = new Option<double>("--erosion-radius") { Description = "Radius of the ball (voxels) that cuts thin false bridges before connected components (3DMSL: 3.5).", DefaultValueFactory = _ => 3.5 };
        var connectivity = new Option<int>("--connectivity") { Description = "3D connectivity of components: 6, 18 or 26.", DefaultValueFactory = _ => 26 };
        var minVoxels = new Option<int>("--min-voxels") { Description = "Components smaller than this are dust and dropped.", DefaultValueFactory = _ => 100 };
        var resample = new Option<double>("--resample") { Description = "Resample to this isotropic voxel size (nm) first; 0 keeps the volume as it is (3DMSL: 24).", DefaultValueFactory = _ => 0 };
        var keepBorder = new Option<bool>("--keep-border") { Description = "Also keep objects that touch the volume border (they are cut)." };
        var points = new Option<int>("--points") { Description = "Surface points per point cloud (3DMSL: 300).", DefaultValueFactory = _ => 300 };
        var occupancy = new Option<int>("--occupancy-points") { Description = "Occupancy query points per shape (3DMSL: 10,000; 100,000 for evaluation).", DefaultValueFactory = _ => 10_000 };
        var smoothing = new Option<int>("--smoothing") { Description = "Taubin smoothing iterations of each mesh.", DefaultValueFactory = _ => 10 };
        var dot = new Option<double>("--dot-max-length") { Description = "Skeleton length (µm) below which a shape is a dot.", DefaultValueFactory = _ => 1 };
        var nano = new Option<double>("--nano-min-length") { Description = "Skeleton length (µm) above which a shape is a nano-tunnel.", DefaultValueFactory = _ => 30 };
        var megaLength = new Option<double>("--mega-min-length") { Description = "Skeleton length (µm) above which a shape with enough volume is mega.", DefaultValueFactory = _ => 10 };
        var megaVolume = new Option<double>("--mega-min-volume") { Description = "Volume (µm³) above which a long shape is mega.", DefaultValueFactory = _ => 1 };
        var spur = new Option<double>("--min-branch-length") { Description = "Terminal skeleton branches shorter than this (µm) are surface bumps and pruned before classing; 0 keeps all.", DefaultValueFactory = _ => 0.1 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the point-cloud and occupancy sampling.", DefaultValueFactory = _ => 1UL };
        var threads = new Option<int>("--threads") { Description = "Worker threads (the output does not depend on it).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("extract",
            "Cut every mitochondrion out of an EM label volume and build its shape library entry (3DMSL): erosion by a\n" +
            "ball, 3D connected components, dust removal and dilation back inside the mask; marching cubes (watertight)\n" +
            "and Taubin smoothing; point cloud and occupancies in the unit cube; skeleton, branches, loops and class\n" +
            "(donut if the skeleton has a loop; dot < 1 µm; nano-tunnel > 30 µm; mega > 10 µm and > 1 µm³; rod without\n" +
            "branches; network otherwise; terminal spurs under --min-branch-length are pruned first). Writes LIBRARY/library.csv and LIBRARY/shapes/NNNNNN/{mesh.off,\n" +
            "pointcloud.ply, occupancies.npz, meta.json}.\n\n" +
            "Example (UroCell FIB-SEM, Žerovnik Mekuč et al. 2020):\n" +
            "  simseg shapes extract mito-instance-fib1-0-0-0.nii.gz --voxel-size 15,16,16 --out uro-lib")
        {
            labels, voxel, output, input, erosion, connectivity, minVoxels, resample, keepBorder, points, occupancy, smoothing, dot, nano, megaLength, megaVolume, spur, seed, threads,
        };
        command.SetAction((parse, token) => Task.FromResult(CommandRunner.Run(ct =>
        {
            string path = parse.GetValue(labels)!;
            string? voxelText = parse.GetValue(voxel);
            Calibration? voxelSize = voxelText is null ? null : ParseVoxelSize(voxelText); // flags first, before reading
            var (volume, calibration) = LabelVolumes.Load(path);
            volume.Calibration = voxelSize ?? calibration;
            var options = new ShapeLibraryOptions
            {
                Extraction = new ExtractionOptions
                {
                    InputKind = parse.GetValue(input)!.ToLowerInvariant() switch
                    {
                        "instances" => InputKind.Instances,
                        "binary" => InputKind.Binary,
                        string other => throw new CliArgumentException($"--input must be instances or binary, got '{other}'."),
                    },
                    ErosionRadiusVoxels = parse.GetValue(erosion),
                    Connectivity = parse.GetValue(connectivity) switch
                    {
                        6 => Connectivity.Six,
                        18 => Connectivity.Eighteen,
                        26 => Connectivity.TwentySix,
                        int other => throw new CliArgumentException($"--connectivity must be 6, 18 or 26, got {other}."),
                    },
                    MinVoxels = parse.GetValue(minVoxels),
                    ResampleToNm = parse.GetValue(resample),
                },
                SkipBorderObjects = !parse.GetValue(keepBorder),
                PointCloudCount = parse.GetValue(points),
                OccupancyCount = parse.GetValue(occupancy),
                SmoothingIterations = parse.GetValue(smoothing),
                Classes = new ShapeClassThresholds
                {
                    DotMaxLengthUm = parse.GetValue(dot),
                    NanoTunnelMinLengthUm = parse.GetValue(nano),
                    MegaMinLengthUm = parse.GetValue(megaLength),
                    MegaMinVolumeUm3 = parse.GetValue(megaVolume),
                    MinTerminalBranchUm = parse.GetValue(spur),
                },
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
            };
            string outDir = parse.GetValue(output)!;
            var clock = Stopwatch.StartNew();
            var summary = SimulateCommand.WithProgress("extracting shapes", report =>
                ShapeLibraryBuilder.Build(volume, Path.GetFileName(path), options, outDir, report, ct));
            Console.WriteLine($"Extracted {summary.InstancesFound} instances from {path} in {clock.Elapsed.TotalSeconds:0.0} s; " +
                $"{summary.BorderSkipped} touch the border and were {(options.SkipBorderObjects ? "skipped" : "kept")}; {summary.Entries.Count} shapes written.");
            foreach (var group in summary.Entries.GroupBy(e => e.Class).OrderBy(g => g.Key))
                Console.WriteLine($"  {LibraryEntry.ClassName(group.Key),-12} {group.Count()}");
            Console.WriteLine($"  library: {summary.CsvPath}");
            return ExitCodes.Success;
        }, token)));
        return command;
    }

    private static Command Render()
    {
        var library = new Argument<string>("LIBRARY") { Description = "Library folder written by `simseg shapes extract`." };
        var preset = new Option<string>("--preset", "-p") { Description = "Microscope preset (name or JSON path).", DefaultValueFactory = _ => "epi1-mito" };
        var views = new Option<int>("--views") { Description = "Views per shape: 6 = the six 3DMSL views (identity, x180, y180, x90, y90, z90); other numbers = random rotations.", DefaultValueFactory = _ => 6 };
        var zStack = new Option<int?>("--z-stack") { Description = "Slices per view (default: the preset's)." };
        var zStep = new Option<double?>("--z-step") { Description = "Distance between slices, nm (default: the preset's; 3DMSL: 250)." };
        var size = new Option<int>("--size") { Description = "Field side in pixels.", DefaultValueFactory = _ => 128 };
        var seed = new Option<ulong>("--seed") { Description = "Master seed.", DefaultValueFactory = _ => 1UL };
        var threads = new Option<int>("--threads") { Description = "Worker threads (the output does not depend on it).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<string>("--out", "-o") { Description = "Output folder.", Required = true };
        var command = new Command("render",
            "Image every shape of a library through a microscope preset: emitters on the mesh at the preset's density,\n" +
            "focal-plane images or z-stacks with the preset's camera, the 2D physics ground truth and a 3D occupancy\n" +
            "ground truth per view. Writes images/, masks/, occupancy/ and manifest.csv.\n\n" +
            "Examples:\n" +
            "  simseg shapes render uro-lib --preset conf1-mito --views 6 --z-stack 3 --z-step 250 --out uro-conf1\n" +
            "  simseg shapes render uro-lib --preset epi1-mito --views 20 --out uro-epi1-random")
        {
            library, preset, views, zStack, zStep, size, seed, threads, output,
        };
        command.SetAction((parse, token) => Task.FromResult(CommandRunner.Run(ct =>
        {
            var p = PresetCatalog.Load(parse.GetValue(preset)!);
            if (parse.GetValue(zStack) is int slices) p = p with { Microscope = p.Microscope with { ZSlices = CliParse.Positive(slices, "--z-stack") } };
            if (parse.GetValue(zStep) is double step) p = p with { Microscope = p.Microscope with { ZStepNm = CliParse.Positive(step, "--z-step") } };
            var options = new ShapeRenderOptions { Views = parse.GetValue(views), Size = parse.GetValue(size), Seed = parse.GetValue(seed), Threads = parse.GetValue(threads) };
            string outDir = parse.GetValue(output)!;
            var clock = Stopwatch.StartNew();
            var summary = SimulateCommand.WithProgress("rendering views", report => ShapeRenderJob.Run(parse.GetValue(library)!, p, options, outDir, report, ct));
            double seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"Rendered {summary.Views} views with preset {p.Name} in {seconds:0.0} s ({summary.Views / Math.Max(seconds, 1e-9):0} views/s).");
            Console.WriteLine($"  images:    {Path.Combine(outDir, "images")}");
            Console.WriteLine($"  masks:     {Path.Combine(outDir, "masks")}");
            Console.WriteLine($"  occupancy: {Path.Combine(outDir, "occupancy")}");
            Console.WriteLine($"  manifest:  {summary.ManifestPath}");
            return ExitCodes.Success;
        }, token)));
        return command;
    }

    /// <summary>Parses "Z,Y,X" voxel sizes in nm.</summary>
    internal static Calibration ParseVoxelSize(string text)
    {
        string[] parts = text.Split(',');
        var values = new double[parts.Length];
        bool ok = parts.Length == 3;
        for (int i = 0; ok && i < 3; i++)
            ok = double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) && values[i] > 0 && double.IsFinite(values[i]);
        if (!ok) throw new CliArgumentException($"--voxel-size must be three positive numbers Z,Y,X in nm (e.g. 15,16,16), got '{text}'.");
        return new Calibration(values[2], values[1], values[0]);
    }
}
