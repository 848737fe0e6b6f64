using System.CommandLine;
using System.Globalization;
using SimSeg.Segmentation.Baselines;
using SimSeg.Segmentation.Benchmark;
using SimSeg.Segmentation.Inference;
using SimSeg.Segmentation.Models;
using SimSeg.Segmentation.Training;
using SimSeg.Simulation.Presets;

namespace SimSeg.Cli.Commands;

/// <summary>
/// <c>simseg benchmark</c>: PhySeg's Table 1 on simulated test sets (rows methods, columns test sets, mIoU / F1), and
/// <c>simseg benchmark gt-methods</c>: the ground-truth study of PhySeg's Supp. Table 6.
/// </summary>
internal static class BenchmarkCommand
{
    /// <summary>The name of the trained-network row.</summary>
    private const string Unet = "unet";

    /// <summary>
    /// Default --methods: the fast baselines and the network. PhySeg's Table 1 also has kanezaki ("backpropagation"),
    /// which trains a network on every image and is therefore named explicitly.
    /// </summary>
    private const string DefaultMethods = "otsu,adaptive,mitometer,vesselness,unet";

    public static Command Create()
    {
        var tests = new Option<string[]>("--test", "-t") { Description = "A dataset folder written by `simseg simulate` (manifest.csv with a test split): one column of the table. Repeat for several.", AllowMultipleArgumentsPerToken = false };
        var methods = new Option<string>("--methods", "-m") { Description = $"Comma-separated rows: {string.Join(", ", BaselineMethods.Names)}, {Unet} (default: {DefaultMethods}, without unet when no --model is given).", };
        var models = new Option<string[]>("--model") { Description = "A model folder from `simseg train` for the unet row: once for every test set, or once per --test in the same order.", AllowMultipleArgumentsPerToken = false };
        var output = new Option<string>("--out", "-o") { Description = "Output folder: table.csv, table.md, table.html, per-image.csv, miou.svg, gallery/." };
        var maxImages = new Option<int>("--max-images") { Description = "Test images per test set at most (the first ones in manifest order).", DefaultValueFactory = _ => 200 };
        var gallery = new Option<int>("--gallery") { Description = "Test images per test set shown in the gallery (0: none).", DefaultValueFactory = _ => 4 };
        var kanezakiIterations = new Option<int>("--kanezaki-iterations") { Description = "kanezaki: most training iterations per image (the paper's code: 1000; lowered because it trains a network on every image).", DefaultValueFactory = _ => 50 };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all cores). Does not change the scores.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var tta = new Option<bool>("--tta") { Description = "unet: test-time augmentation, the probabilities averaged over the 8 flips and 90° rotations of each image (8× the time); the row is named unet-tta." };
        var command = new Command("benchmark",
            "Compare segmentation methods on the test splits of simulated datasets, scored against their ground truth\n" +
            "(PhySeg Table 1: rows methods, columns test sets, cells mIoU / F1 as mean ± sample std over the images).\n" +
            "Writes table.csv (tidy: method, test_set, metric, mean, std, n), table.md, table.html (self-contained, with\n" +
            "the mIoU chart and a gallery), per-image.csv, miou.svg and gallery/*.png (input | truth | each method:\n" +
            "white true positive, magenta false positive, green false negative). Baselines run with their defaults.\n" +
            "kanezaki (Table 1's backpropagation row) trains a network on every image: at 50 iterations about 3 s per 64²\n" +
            "image and 10-20 s per 128² image on 2 cores, so it is not in the default list; name it, with fewer --max-images.\n\n" +
            "Examples:\n" +
            "  simseg benchmark --test epi1-mito --test epi1-vesicle --model models/epi1-mito --out table1\n" +
            "  simseg benchmark --test epi1-mito --methods otsu,adaptive,kanezaki,unet --model models/epi1-mito --max-images 50 --out table1-rows\n" +
            "  simseg benchmark --test epi1-mito --methods otsu,oracle-threshold,mitometer,vesselness --max-images 500 --out baselines\n" +
            "  simseg benchmark --test epi1-mito --test epi1-vesicle --model models/mito --model models/vesicle --out per-set-models\n" +
            "  simseg benchmark --test epi1-vesicle --methods otsu,unet --model models/epi1-vesicle --tta --out with-tta\n" +
            "  simseg benchmark gt-methods --preset epi1-mito --count 1000 --epochs 20 --max-minutes 20 --out gt-study")
        {
            tests, methods, models, output, maxImages, gallery, kanezakiIterations, threads, tta,
        };
        command.Subcommands.Add(GroundTruthMethods());
        command.SetAction((parse, token) => Task.FromResult(CommandRunner.Run(ct =>
        {
            string[] testDirs = parse.GetValue(tests) ?? [];
            string[] modelDirs = parse.GetValue(models) ?? [];
            if (testDirs.Length == 0) throw new CliArgumentException("--test is required: a dataset folder written by `simseg simulate` (repeat --test for several).");
            string outDir = parse.GetValue(output) ?? throw new CliArgumentException("--out is required: the folder for the tables, chart and gallery.");
            var names = ParseMethods(parse.GetValue(methods) ?? (modelDirs.Length > 0 ? DefaultMethods : DefaultMethods.Replace("," + Unet, "", StringComparison.Ordinal)));
            bool unet = names.Contains(Unet);
            if (unet && modelDirs.Length == 0) throw new CliArgumentException("--methods unet needs --model MODEL_DIR (a folder written by `simseg train`).");
            if (!unet && modelDirs.Length > 0) throw new CliArgumentException("--model is for the unet row; add unet to --methods or leave out --model.");
            if (modelDirs.Length > 1 && modelDirs.Length != testDirs.Length)
                throw new CliArgumentException($"--model must be given once (for every test set) or once per --test ({testDirs.Length}), got {modelDirs.Length}.");
            int max = CliParse.Positive(parse.GetValue(maxImages), "--max-images");
            int shown = parse.GetValue(gallery) >= 0 ? parse.GetValue(gallery) : throw new CliArgumentException($"--gallery must be >= 0, got {parse.GetValue(gallery)}.");
            int iterations = parse.GetValue(kanezakiIterations) >= 0 ? parse.GetValue(kanezakiIterations) : throw new CliArgumentException($"--kanezaki-iterations must be >= 0, got {parse.GetValue(kanezakiIterations)}.");
            int workers = CliParse.Positive(parse.GetValue(threads), "--threads");

            var sets = new List<BenchmarkTestSet>();
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (string dir in testDirs)
            {
                string name = BenchmarkTestSet.DefaultName(dir);
                for (int k = 2; !used.Add(name); k++) name = $"{BenchmarkTestSet.DefaultName(dir)}-{k}";
                var set = BenchmarkTestSet.Load(dir, name, max, workers, ct);
                CommandRunner.Note($"{name}: {set.Images.Count} test image(s) of {set.Info.Width}x{set.Info.Height}" + (set.Info.Preset is null ? "" : $", preset {set.Info.Preset}"));
                sets.Add(set);
            }
            var bundles = modelDirs.Select(d => ModelBundle.Load(d)).ToArray();
            for (int i = 0; i < bundles.Length; i++)
            {
                foreach (var set in bundles.Length == 1 ? sets : [sets[i]])
                {
                    double trained = bundles[i].Config.PixelSizeNm, actual = set.Info.PixelSizeNm;
                    if (trained > 0 && actual > 0 && Math.Abs(actual / trained - 1) > 0.1)
                        CommandRunner.Note($"{set.Name} has {actual:0.#} nm pixels; the model in {modelDirs[i]} was trained at {trained:0.#} nm.");
                }
            }

            var settings = BaselineSettings.Default with { Kanezaki = KanezakiOptions.Default with { MaxIterations = iterations } };
            var rows = new List<BenchmarkMethod>();
            var notes = new List<string>();
            foreach (string name in names)
            {
                if (name == Unet)
                {
                    bool augmented = parse.GetValue(tta);
                    rows.Add(BenchmarkMethod.Model(augmented ? Unet + "-tta" : Unet, bundles, augmented ? new TilingOptions { TestTimeAugmentation = true } : null));
                    notes.Add($"unet: {(bundles.Length == 1 ? "one model for every test set" : "one model per test set")}: " +
                        string.Join(", ", bundles.Select(b => $"{b.Directory} ({b.Config.Architecture.Name}, channels {b.Config.Architecture.BaseChannels}, depth {b.Config.Architecture.Depth})")));
                    continue;
                }
                rows.Add(BenchmarkMethod.Baseline(name, settings));
                if (name == BaselineMethods.Kanezaki)
                    notes.Add($"kanezaki: {iterations} iterations at most per image (--kanezaki-iterations; 1000 in the paper's code), {settings.Kanezaki.Channels} channels, seed {settings.Kanezaki.Seed}");
                if (name == BaselineMethods.OracleThreshold)
                    notes.Add("oracle-threshold: the global threshold that maximises each image's mIoU against its own ground truth: an upper bound of global thresholds, not a method");
            }
            notes.Add("baselines run with the defaults of `simseg segment`; z-stacks: baselines segment the middle plane, models take every plane");
            notes.Add($"scores against each dataset's own ground truth (masks/); at most {max} test image(s) per test set, in manifest order");

            var result = BenchmarkRunner.Run(sets, rows, new BenchmarkOptions { GalleryImages = shown, Threads = workers }, ProgressLines(), ct);
            var report = new BenchmarkReportOptions { Title = "SimSeg benchmark (PhySeg Table 1 on simulated test sets)", Notes = notes };
            Directory.CreateDirectory(outDir);
            var files = BenchmarkReport.Write(outDir, result, report);
            PrintSummary(result, report, files);
            return ExitCodes.Success;
        }, token)));
        return command;
    }

    /// <summary><c>simseg benchmark gt-methods</c>: one dataset and one model per ground-truth method, all scored against the physics ground truth.</summary>
    private static Command GroundTruthMethods()
    {
        var preset = new Option<string>("--preset", "-p") { Description = "Preset name (see `simseg presets`) or path to a preset JSON file.", DefaultValueFactory = _ => "epi1-mito" };
        var output = new Option<string>("--out", "-o") { Description = "Output folder: data/METHOD/ (datasets), models/METHOD/ (models), and the tables, chart and gallery as `simseg benchmark` writes them.", Required = true };
        var count = new Option<int>("--count", "-n") { Description = "Samples per dataset (60/20/20 train/val/test).", DefaultValueFactory = _ => 1000 };
        var tile = new Option<int>("--tile") { Description = "Image side, pixels.", DefaultValueFactory = _ => 128 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the simulation (shared by the datasets, so they hold the same images) and of the training.", DefaultValueFactory = _ => 1UL };
        var epochs = new Option<int>("--epochs") { Description = "Epochs per model at most.", DefaultValueFactory = _ => 20 };
        var maxMinutes = new Option<double>("--max-minutes") { Description = "Training time budget per model, minutes.", DefaultValueFactory = _ => 20 };
        var channels = new Option<int>("--channels") { Description = "Channels of the U-Net's first stage.", DefaultValueFactory = _ => 16 };
        var depth = new Option<int>("--depth") { Description = "Down-sampling steps of the U-Net.", DefaultValueFactory = _ => 4 };
        var batch = new Option<int>("--batch") { Description = "Images per training step.", DefaultValueFactory = _ => 16 };
        var maxImages = new Option<int>("--max-images") { Description = "Test images scored at most.", DefaultValueFactory = _ => 200 };
        var gallery = new Option<int>("--gallery") { Description = "Test images shown in the gallery (0: none).", DefaultValueFactory = _ => 4 };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all cores). Does not change the results.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("gt-methods",
            "PhySeg's ground-truth study (Supp. Table 6): simulates one dataset per ground-truth method (physics, otsu,\n" +
            "otsu-eroded, noise-level; same seed, so the same images with different masks), trains the same U-Net on each\n" +
            "(within --max-minutes per model), and scores all of them against the physics ground truth of the shared test\n" +
            "split. Rows: the ground truth a model was trained on. A rerun resumes the datasets and reuses trained models.\n\n" +
            "Examples:\n" +
            "  simseg benchmark gt-methods --preset epi1-mito --out gt-study\n" +
            "  simseg benchmark gt-methods --preset conf1-mito --count 3000 --epochs 30 --max-minutes 45 --out gt-conf1")
        {
            preset, output, count, tile, seed, epochs, maxMinutes, channels, depth, batch, maxImages, gallery, threads,
        };
        command.SetAction((parse, token) => Task.FromResult(CommandRunner.Run(ct =>
        {
            var p = PresetCatalog.Load(parse.GetValue(preset)!);
            double minutes = CliParse.Positive(parse.GetValue(maxMinutes), "--max-minutes");
            int batchSize = parse.GetValue(batch) >= 2 ? parse.GetValue(batch) : throw new CliArgumentException($"--batch must be at least 2 (batch norm needs two images), got {parse.GetValue(batch)}.");
            var architecture = new ModelArchitecture { BaseChannels = CliParse.Positive(parse.GetValue(channels), "--channels"), Depth = CliParse.Positive(parse.GetValue(depth), "--depth") };
            var options = new GroundTruthStudyOptions
            {
                Count = CliParse.Positive(parse.GetValue(count), "--count"),
                TileSize = CliParse.Positive(parse.GetValue(tile), "--tile"),
                Seed = parse.GetValue(seed),
                Architecture = architecture,
                Training = new TrainingOptions { Epochs = CliParse.Positive(parse.GetValue(epochs), "--epochs"), BatchSize = batchSize, MaxMinutes = minutes, Seed = parse.GetValue(seed), TestImages = 0 },
                MaxTestImages = CliParse.Positive(parse.GetValue(maxImages), "--max-images"),
                GalleryImages = parse.GetValue(gallery) >= 0 ? parse.GetValue(gallery) : throw new CliArgumentException($"--gallery must be >= 0, got {parse.GetValue(gallery)}."),
                Threads = CliParse.Positive(parse.GetValue(threads), "--threads"),
            };
            options.Validate();
            if (options.TileSize % (1 << architecture.Depth) != 0)
                throw new CliArgumentException($"--tile must be a multiple of 2^depth = {1 << architecture.Depth} for the U-Net, got {options.TileSize}.");
            string outDir = parse.GetValue(output)!;
            StudyResult study;
            try
            {
                study = GroundTruthStudy.Run(p, outDir, options, StudyProgressLines(), ct);
            }
            catch (TrainingDivergedException ex)
            {
                CommandRunner.Error(ex.Message);
                return ExitCodes.TrainingDiverged;
            }
            var report = new BenchmarkReportOptions
            {
                Title = "Ground truth for training (PhySeg Supp. Table 6), scored against the physics ground truth",
                RowHeading = "training ground truth",
                Notes = study.Notes,
            };
            var files = BenchmarkReport.Write(outDir, study.Result, report);
            PrintSummary(study.Result, report, files);
            Console.WriteLine($"  data:     {Path.Combine(outDir, "data")}");
            Console.WriteLine($"  models:   {Path.Combine(outDir, "models")}");
            return ExitCodes.Success;
        }, token)));
        return command;
    }

    /// <summary>Parses --methods: known names, no repeats, in the given order.</summary>
    internal static string[] ParseMethods(string text)
    {
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(n => n.ToLowerInvariant()).ToArray();
        string accepted = string.Join(", ", BaselineMethods.Names.Append(Unet));
        if (names.Length == 0) throw new CliArgumentException($"--methods must list at least one of {accepted}.");
        foreach (string name in names)
            if (name != Unet && !BaselineMethods.IsBaseline(name)) throw new CliArgumentException($"--methods: unknown method '{name}'; accepted: {accepted}.");
        var repeated = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new CliArgumentException($"--methods lists {repeated.Key} twice.");
        return names;
    }

    /// <summary>A line on stderr when a method starts on a test set and at every tenth of its images, with the time per image and the time left.</summary>
    private static Action<BenchmarkProgress> ProgressLines()
    {
        var last = new Dictionary<(string, string), int>();
        return p =>
        {
            var key = (p.Method, p.TestSet);
            int step = Math.Max(1, p.Total / 10);
            if (p.Done == 0)
            {
                last[key] = 0;
                CommandRunner.Note($"{p.Method} on {p.TestSet}: {p.Total} image(s)");
                return;
            }
            if (p.Done < p.Total && p.Done - last.GetValueOrDefault(key) < step) return;
            last[key] = p.Done;
            double perImage = p.Elapsed.TotalSeconds / p.Done;
            CommandRunner.Note($"{p.Method} on {p.TestSet}: {p.Done}/{p.Total} ({perImage.ToString(perImage < 1 ? "0.000" : "0.0", CultureInfo.InvariantCulture)} s per image" +
                (p.Done < p.Total ? $", about {Remaining(perImage * (p.Total - p.Done))} left)" : ")"));
        };
    }

    /// <summary>Lines on stderr as the study simulates, trains and scores.</summary>
    private static Action<StudyProgress> StudyProgressLines()
    {
        var last = new Dictionary<(StudyStage, string), int>();
        return p =>
        {
            var key = (p.Stage, p.Method);
            int step = Math.Max(1, p.Total / 10);
            bool first = !last.ContainsKey(key);
            if (!first && p.Done < p.Total && p.Done - last[key] < step) return;
            if (!first && p.Done == last[key]) return;
            last[key] = p.Done;
            string verb = p.Stage switch { StudyStage.Simulate => "simulating", StudyStage.Train => "training", _ => "scoring" };
            CommandRunner.Note($"{verb} {p.Method}: {p.Done}/{p.Total}" + (p.Detail is null ? "" : $" ({p.Detail})"));
        };
    }

    private static string Remaining(double seconds) =>
        seconds >= 3600 ? $"{(int)(seconds / 3600)} h {(int)(seconds % 3600 / 60)} min" : seconds >= 60 ? $"{(int)(seconds / 60)} min {(int)(seconds % 60)} s" : $"{seconds:0} s";

    private static void PrintSummary(BenchmarkResult result, BenchmarkReportOptions report, BenchmarkFiles files)
    {
        Console.Write(BenchmarkReport.Markdown(result, report with { Notes = [] }));
        Console.WriteLine();
        Console.WriteLine($"  table:     {files.Table} (tidy), {files.Markdown}");
        Console.WriteLine($"  report:    {files.Html}");
        Console.WriteLine($"  per image: {files.PerImage}");
        Console.WriteLine($"  chart:     {files.Chart}");
        if (files.Gallery.Count > 0) Console.WriteLine($"  gallery:   {Path.GetDirectoryName(files.Gallery[0])} ({files.Gallery.Count} PNG)");
    }
}
