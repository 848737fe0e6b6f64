using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SimSeg.Analysis.Classification;
using SimSeg.Analysis.Labels;
using SimSeg.Core;
using SimSeg.Core.Imaging;
using SimSeg.Core.IO;
using SimSeg.Core.Randomness;
using SimSeg.Segmentation.Baselines;
using SimSeg.Segmentation.Inference;
using SimSeg.Segmentation.Metrics;
using SimSeg.Segmentation.Models;
using SimSeg.Segmentation.Training;
using SimSeg.Simulation;
using SimSeg.Simulation.Dataset;
using SimSeg.Simulation.Geometry;
using SimSeg.Simulation.Presets;

namespace SimSeg.Segmentation.Demo;

/// <summary>
/// The whole story in one run, from nothing but the program: simulate a training set (PhySeg's simulation-supervised
/// learning), simulate a large "cell" image with its physics ground truth, segment it with the classical baselines
/// (Otsu, adaptive threshold, Mitometer), train a U-Net for the time that is left, segment the cell with it, score
/// every method against the ground truth, run the morphology analytics on the U-Net mask and on the truth, and write a
/// self-contained report.html. The stages whose cost is known run first, so that training gets the rest of the budget
/// less a reserve for the stages after it; the trainer stops cleanly when its share is spent.
/// </summary>
/// <remarks>
/// Products under <see cref="DemoOptions.OutputDirectory"/>: <c>data/</c> (the training set), <c>model/</c> (the
/// trained U-Net with train-log.csv and train-curves.svg), <c>cell.tif</c>, <c>truth.tif</c> and
/// <c>truth-classes.tif</c>, <c>masks/</c> (one 0/1 mask per method and the U-Net's probabilities),
/// <c>metrics.csv</c>, <c>timings.csv</c>, <c>analysis/</c> (objects, branches, summary, labels, plots),
/// <c>report.html</c> and <c>demo.json</c> (settings and results; it also marks the folder as a demo's, so a later
/// run may replace it).
/// </remarks>
public static class DemoPipeline
{
    /// <summary>The file that marks a folder as a demo's and records its settings and results.</summary>
    public const string MarkerFileName = "demo.json";

    /// <summary>The report's file name.</summary>
    public const string ReportFileName = "report.html";

    private const ulong CellStream = 0x63656C6C; // "cell"

    /// <summary>The baselines run on the cell, in the order the report lists them (the slow Kanezaki method is left out).</summary>
    public static IReadOnlyList<string> Baselines { get; } = ["otsu", "adaptive", "mitometer"];

    /// <summary>Runs the demo; see <see cref="DemoPipeline"/>.</summary>
    /// <param name="options">Settings (validated first).</param>
    /// <param name="progress">Called with a line at the start and end of each stage and during training, one call at a time.</param>
    /// <param name="cancellationToken">Stops the run between stages and during simulation and training.</param>
    /// <exception cref="ArgumentException">A setting is invalid, the output path is a file, or the output folder holds other files than a previous demo's.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    /// <exception cref="TrainingDivergedException">Training diverged.</exception>
    public static DemoResult Run(DemoOptions options, Action<DemoProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var preset = PresetCatalog.Load(options.Preset);
        if (preset.Microscope.ZSlices != 1)
            throw new ArgumentException($"the demo needs a preset of single images; '{preset.Name}' simulates z-stacks of {preset.Microscope.ZSlices} slices.", nameof(options));
        return new DemoRun(options, preset, progress, cancellationToken).Execute();
    }

    /// <summary>
    /// Checks, without changing anything, that <paramref name="directory"/> can take a demo's products: it must not be
    /// a file, and when it exists and is not empty it must hold a previous demo (its <see cref="MarkerFileName"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The path is a file, or a folder holding other files.</exception>
    public static void CheckOutput(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (File.Exists(directory))
            throw new ArgumentException($"--out {directory} is a file; the demo writes a folder of results: give a folder path.", "out");
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any() && !File.Exists(Path.Combine(directory, MarkerFileName)))
            throw new ArgumentException($"--out {directory} already holds other files; give a new or empty folder (or a previous demo's folder, whose results are replaced).", "out");
    }

    /// <summary>
    /// Makes <paramref name="directory"/> ready for a run (see <see cref="CheckOutput"/>): creates it, or removes the
    /// products of the previous demo it holds (data/, model/, masks/, analysis/; files are overwritten).
    /// </summary>
    /// <exception cref="ArgumentException">The path is a file, or a folder holding other files.</exception>
    public static void PrepareOutput(string directory)
    {
        CheckOutput(directory);
        if (File.Exists(Path.Combine(directory, MarkerFileName)))
        {
            foreach (string folder in new[] { "data", "model", "masks", "analysis" })
            {
                string path = Path.Combine(directory, folder);
                if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            }
        }
        Directory.CreateDirectory(directory);
    }

    /// <summary>The mitochondria and vesicles placed in a <paramref name="width"/> × <paramref name="height"/> cell: the preset's mean per 128² field, scaled to the area and by <paramref name="density"/>, at least one of each kind the preset has.</summary>
    public static (int Mitochondria, int Vesicles) CellObjectCounts(SceneOptions scene, int width, int height, double density)
    {
        ArgumentNullException.ThrowIfNull(scene);
        double fields = (double)width * height / (128.0 * 128.0);
        static int Count(IntInterval perField, double fields, double density)
        {
            double mean = 0.5 * (perField.Min + perField.Max);
            return mean <= 0 ? 0 : Math.Max(1, (int)Math.Round(mean * fields * density));
        }
        return (Count(scene.MitochondriaPerField, fields, density), Count(scene.VesiclesPerField, fields, density));
    }

    /// <summary>One run with its clock, its products and its progress lines.</summary>
    private sealed class DemoRun(DemoOptions options, Preset preset, Action<DemoProgress>? progress, CancellationToken token)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly TimeSpan _budget = TimeSpan.FromMinutes(options.Minutes);
        private readonly List<DemoTiming> _timings = [];
        private readonly string _dir = options.OutputDirectory;

        private string PathOf(string relative) => Path.Combine(_dir, relative);

        public DemoResult Execute()
        {
            PrepareOutput(_dir);
            WriteMarker(null);
            int trainingImages = options.PlannedTrainingImages;

            // 1. Training set: tiles of the preset, 80% train and 20% validation (the cell is the test).
            string data = PathOf("data");
            Stage(DemoStage.SimulateTrainingSet, $"simulating {trainingImages} training images of {options.TileSize}² ({preset.Name})", () =>
            {
                int lastTenth = 0;
                DatasetWriter.Write(preset, new DatasetOptions
                {
                    OutputDirectory = data, Count = trainingImages, Seed = options.Seed, TileSize = options.TileSize,
                    Split = new SplitFractions(0.8, 0.2, 0), Threads = options.Threads, Compression = TiffCompression.Deflate,
                }, (done, total) =>
                {
                    int tenth = done * 10 / Math.Max(1, total);
                    if (tenth > lastTenth && tenth < 10)
                    {
                        lastTenth = tenth;
                        Say(DemoStage.SimulateTrainingSet, $"{done}/{total} images");
                    }
                }, token);
                return $"{trainingImages} images of {options.TileSize}² px";
            });

            // 2. The cell and its physics ground truth.
            SimulatedField field = null!;
            DemoCell cell = null!;
            Stage(DemoStage.SimulateCell, $"simulating a {options.CellSize}² cell image", () =>
            {
                (field, cell) = SimulateCell();
                return $"{cell.Width}² px, {cell.Mitochondria} mitochondria, {cell.Vesicles} vesicles, {cell.Emitters:N0} fluorophores";
            });
            var truth = field.Physics.Mask;
            var image = ToFloat(field.Image);

            // 3. Baselines, scored against the truth.
            Directory.CreateDirectory(PathOf("masks"));
            var methods = new List<DemoMethod>();
            var masks = new Dictionary<string, Image<byte>>();
            Stage(DemoStage.Baselines, $"segmenting with {string.Join(", ", Baselines)}", () => ThreadLimit.Run(options.Threads, () =>
            {
                foreach (string name in Baselines)
                {
                    token.ThrowIfCancellationRequested();
                    var (label, description, segment) = Baseline(name);
                    var clock = Stopwatch.StartNew();
                    var mask = segment(image);
                    double seconds = clock.Elapsed.TotalSeconds;
                    methods.Add(Score(name, label, description, mask, truth, seconds));
                    masks[name] = mask;
                    Say(DemoStage.Baselines, $"{label}: mIoU {methods[^1].Score.MeanIoU:0.000}, F1 {methods[^1].Score.Dice:0.000} ({seconds:0.0} s)");
                }
                return string.Join(", ", methods.Select(m => $"{m.Name} {m.Seconds:0.0} s"));
            }));

            // 4. Training, for the time left less a reserve for the stages after it.
            TrainingResult training = null!;
            Stage(DemoStage.Train, null, () =>
            {
                training = Train(data);
                var t = training.Config.Training;
                return $"{t?.EpochsRun} epoch(s), {t?.Steps} steps, best val mIoU {t?.BestValidationMeanIoU:0.000} ({StopReason(training.Stop)})";
            });

            // 5. The U-Net on the cell.
            Stage(DemoStage.SegmentUNet, "segmenting the cell with the U-Net (tiled inference)", () => ThreadLimit.Run(options.Threads, () =>
            {
                var bundle = ModelBundle.Load(training.OutputDirectory);
                var tiling = new TilingOptions();
                var clock = Stopwatch.StartNew();
                var segmentation = ModelSegmenter.Segment(bundle, image, tiling, cancellationToken: token);
                double seconds = clock.Elapsed.TotalSeconds;
                var mask = segmentation.Mask;
                TiffWriter.Write(PathOf("masks/unet.prob.tif"), segmentation.Probabilities);
                var a = bundle.Config.Architecture;
                methods.Insert(0, Score("unet", "U-Net", $"plain U-Net, {a.BaseChannels} channels, depth {a.Depth}, trained on the simulated set; tiles {tiling.TileSize}² with {tiling.Overlap} px overlap, threshold {bundle.Config.Threshold}",
                    mask, truth, seconds));
                masks["unet"] = mask;
                return $"mIoU {methods[0].Score.MeanIoU:0.000}, F1 {methods[0].Score.Dice:0.000} ({seconds:0.0} s)";
            }));
            WriteMetrics(methods);

            // 6. Morphology of the U-Net's objects and of the true ones.
            ImageAnalysis unetAnalysis = null!, truthAnalysis = null!;
            Image<int> unetLabels = null!;
            Stage(DemoStage.Analyze, "morphology analytics (dot/rod/network, vesicle sizes)", () => ThreadLimit.Run(options.Threads, () =>
            {
                (unetAnalysis, unetLabels) = Analyze(masks["unet"], "unet");
                (truthAnalysis, _) = Analyze(truth, "truth");
                var named = new List<NamedAnalysis> { new(unetAnalysis, "unet", "U-Net"), new(truthAnalysis, "truth", "ground truth") };
                AnalysisCsv.WriteObjects(PathOf("analysis/objects.csv"), named);
                AnalysisCsv.WriteBranches(PathOf("analysis/branches.csv"), named);
                AnalysisCsv.WriteSummary(PathOf("analysis/summary.csv"), named);
                Directory.CreateDirectory(PathOf("analysis/plots"));
                AnalysisPlots.WriteAll(PathOf("analysis/plots"), named);
                return $"U-Net {unetAnalysis.Objects.Count} objects, truth {truthAnalysis.Objects.Count}";
            }));

            // 7. The report: its pictures are made first, so the page can list its own time.
            string reportPath = PathOf(ReportFileName);
            DemoResult result = null!;
            Stage(DemoStage.Report, "writing report.html", () =>
            {
                var clock = Stopwatch.StartNew();
                var artifacts = new DemoArtifacts(field, image, masks, unetLabels);
                var pictures = DemoReport.Pictures(artifacts, methods, unetAnalysis, options.DisplaySize);
                var timings = _timings.Append(new DemoTiming(DemoStage.Report, clock.Elapsed.TotalSeconds, "report pictures")).ToList();
                result = new DemoResult(options, reportPath, methods, timings, training, cell, unetAnalysis, truthAnalysis, trainingImages, _clock.Elapsed.TotalSeconds);
                DemoReport.Build(result, pictures, preset).Save(reportPath);
                return $"{new FileInfo(reportPath).Length / 1024.0 / 1024.0:0.0} MB";
            });
            result = result with { Timings = _timings.ToList(), Seconds = _clock.Elapsed.TotalSeconds };
            WriteTimings();
            WriteMarker(result);
            return result;
        }

        private void Say(DemoStage stage, string message) => progress?.Invoke(new DemoProgress(stage, message, _clock.Elapsed, _budget));

        /// <summary>Runs one stage: announces it, times it, records the timing and says how the clock stands.</summary>
        private void Stage(DemoStage stage, string? start, Func<string> body)
        {
            token.ThrowIfCancellationRequested();
            if (start is not null) Say(stage, start);
            var clock = Stopwatch.StartNew();
            string detail = body();
            double seconds = clock.Elapsed.TotalSeconds;
            _timings.Add(new DemoTiming(stage, seconds, detail));
            var left = _budget - _clock.Elapsed;
            Say(stage, $"done in {Clock(seconds)}: {detail}; " + (left >= TimeSpan.Zero ? $"{Clock(left.TotalSeconds)} of the budget left" : $"over the budget by {Clock(-left.TotalSeconds)}"));
        }

        private (SimulatedField Field, DemoCell Cell) SimulateCell()
        {
            int size = options.CellSize;
            double pixel = preset.Microscope.PixelSizeNm;
            var (mitochondria, vesicles) = CellObjectCounts(preset.Scene, size, size, options.CellDensity);
            double side = size * pixel;
            var sceneOptions = preset.Scene with
            {
                FieldWidthNm = side, FieldHeightNm = side, MarginNm = Math.Min(1000, 0.2 * side),
                MitochondriaPerField = new IntInterval(mitochondria, mitochondria), VesiclesPerField = new IntInterval(vesicles, vesicles),
                MeshesPerField = new IntInterval(0, 0),
            };
            var rng = Rng.ForStream(Rng.Mix(options.Seed, CellStream), 0);
            var scene = SceneGenerator.Generate(sceneOptions, rng);
            var field = new FieldSimulator(preset).Simulate(scene, size, size, rng);
            TiffWriter.Write(PathOf("cell.tif"), field.Image);
            TiffWriter.Write(PathOf("truth.tif"), field.Physics.Mask);
            TiffWriter.Write(PathOf("truth-classes.tif"), field.Physics.Classes);
            long foreground = field.Physics.Mask.Data.Count(v => v != 0);
            var cell = new DemoCell(size, size, pixel, mitochondria, vesicles, field.EmitterCount, field.Levels.BackgroundPhotons,
                field.Levels.SignalToBackground, foreground / (double)field.Physics.Mask.Data.Length);
            return (field, cell);
        }

        /// <summary>A baseline with the settings of <c>simseg segment --method NAME</c>'s defaults.</summary>
        private static (string Label, string Description, Func<Image<float>, Image<byte>> Segment) Baseline(string name) => name switch
        {
            "otsu" => ("Otsu", "Gaussian smoothing σ 1 px, then Otsu's global threshold", image => OtsuSegmenter.Segment(image, 1.0)),
            "adaptive" => ("Adaptive threshold", "smoothing σ 1 px, then pixel > Gaussian-weighted local mean (51 px window), offset 0",
                image => AdaptiveThresholdSegmenter.Segment(image, AdaptiveThresholdOptions.Default)),
            "mitometer" => ("Mitometer", "background = minimum of disc medians of radius 0.3–1 µm, subtracted; smoothing σ 1 px; Otsu",
                image => MitometerSegmenter.Segment(image, MitometerOptions.Default)),
            _ => throw new ArgumentException($"unknown baseline '{name}'.", nameof(name)),
        };

        private DemoMethod Score(string name, string label, string description, Image<byte> mask, Image<byte> truth, double seconds)
        {
            string path = PathOf($"masks/{name}.tif");
            TiffWriter.Write(path, mask);
            return new DemoMethod(name, label, description, SegmentationScore.Compute(mask, truth), seconds, path);
        }

        private TrainingResult Train(string data)
        {
            // Reserve for U-Net inference, analytics and the report: a fixed part, a share of the budget, and more for larger cells.
            double cellArea = (double)options.CellSize * options.CellSize / (1024.0 * 1024.0);
            double reserve = 10 + 0.03 * _budget.TotalSeconds + 8 * cellArea;
            double seconds = _budget.TotalSeconds - _clock.Elapsed.TotalSeconds - reserve;
            if (seconds < 10)
            {
                Say(DemoStage.Train, $"only {Math.Max(0, seconds):0} s are left for training; training for 10 s, so the run will end late");
                seconds = 10;
            }
            var a = options.Architecture;
            Say(DemoStage.Train, $"training a {a.Name} (channels {a.BaseChannels}, depth {a.Depth}) for up to {Clock(seconds)}");
            var job = new TrainingJob
            {
                DataDirectory = PathOf("data"),
                OutputDirectory = PathOf("model"),
                Architecture = a,
                Options = new TrainingOptions
                {
                    Epochs = options.Epochs, BatchSize = options.BatchSize, Seed = options.Seed, ValidationImages = options.ValidationImages,
                    TestImages = 0, MaxMinutes = seconds / 60, Threads = options.Threads,
                },
            };
            var lastLine = TimeSpan.Zero;
            var result = Trainer.Run(job, p =>
            {
                switch (p.Event)
                {
                    case TrainingEvent.Started:
                        Say(DemoStage.Train, $"{p.StepsPerEpoch} steps of {options.BatchSize} images per epoch");
                        break;
                    case TrainingEvent.Step when p.Elapsed - lastLine >= TimeSpan.FromSeconds(30):
                        lastLine = p.Elapsed;
                        Say(DemoStage.Train, $"epoch {p.Epoch} step {p.Step}/{p.StepsPerEpoch}: loss {p.TrainLoss:0.0000}");
                        break;
                    case TrainingEvent.EpochEnded:
                        lastLine = p.Elapsed;
                        var r = p.Record!;
                        Say(DemoStage.Train, $"epoch {r.Epoch}{(r.Complete ? "" : " (partial)")}: train loss {r.TrainLoss:0.0000}, val mIoU {r.ValidationMeanIoU:0.000} (best {p.BestMeanIoU:0.000})");
                        break;
                }
            }, token);
            if (result.Stop == TrainingStop.Cancelled) throw new OperationCanceledException(token);
            return result;
        }

        private (ImageAnalysis Analysis, Image<int> Labels) Analyze(Image<byte> mask, string name)
        {
            var (labels, _) = Measure.Label(mask, Connectivity2D.Eight);
            double pixel = preset.Microscope.PixelSizeNm;
            labels.Calibration = Calibration.Square(pixel);
            var analysis = ObjectAnalyzer.Analyze(labels, new AnalyzeOptions { Kind = AnalysisKind.Auto, PixelSizeNm = pixel });
            Directory.CreateDirectory(PathOf("analysis/labels"));
            TiffWriter.Write(PathOf($"analysis/labels/{name}.tif"), labels);
            return (analysis, labels);
        }

        private void WriteMetrics(IEnumerable<DemoMethod> methods)
        {
            var c = CultureInfo.InvariantCulture;
            var sb = new StringBuilder("method,miou,iou,f1,precision,recall,object_f1\n");
            foreach (var m in methods)
            {
                var s = m.Score;
                sb.Append(m.Name);
                foreach (double v in new[] { s.MeanIoU, s.IoU, s.Dice, s.Precision, s.Recall, s.ObjectF1 }) sb.Append(',').Append(v.ToString("0.######", c));
                sb.Append('\n');
            }
            AtomicFile.WriteAllText(PathOf("metrics.csv"), sb.ToString());
        }

        private void WriteTimings()
        {
            var c = CultureInfo.InvariantCulture;
            var sb = new StringBuilder("stage,seconds,detail\n");
            foreach (var t in _timings) sb.Append(StageName(t.Stage)).Append(',').Append(t.Seconds.ToString("0.0", c)).Append(',').Append(CsvLine.Quote(t.Detail)).Append('\n');
            sb.Append("total,").Append(_clock.Elapsed.TotalSeconds.ToString("0.0", c)).Append(",\n");
            AtomicFile.WriteAllText(PathOf("timings.csv"), sb.ToString());
        }

        private void WriteMarker(DemoResult? result)
        {
            var marker = new
            {
                format = "simseg-demo",
                simSegVersion = ModelBundle.SimSegVersion,
                commandLine = options.CommandLine,
                options = new
                {
                    options.Minutes, options.Seed, options.CellSize, options.Threads, options.Preset, trainingImages = options.PlannedTrainingImages,
                    options.TileSize, options.Architecture, options.BatchSize, options.Epochs, options.ValidationImages, options.CellDensity,
                },
                seconds = result is null ? (double?)null : Math.Round(result.Seconds, 1),
                timings = result?.Timings.Select(t => new { stage = StageName(t.Stage), seconds = Math.Round(t.Seconds, 1), t.Detail }),
                scores = result?.Methods.Select(m => new
                {
                    method = m.Name, miou = m.Score.MeanIoU, iou = m.Score.IoU, f1 = m.Score.Dice, precision = m.Score.Precision,
                    recall = m.Score.Recall, objectF1 = m.Score.ObjectF1, seconds = Math.Round(m.Seconds, 2),
                }),
            };
            var json = new JsonSerializerOptions
            {
                WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
                Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // "1.0.0+abc", "128²" as written
            };
            AtomicFile.WriteAllText(PathOf(MarkerFileName), JsonSerializer.Serialize(marker, json) + "\n");
        }

        private static Image<float> ToFloat(Image<ushort> image)
        {
            var result = new Image<float>(image.Width, image.Height, image.Depth, image.Calibration);
            for (int i = 0; i < result.Data.Length; i++) result.Data[i] = image.Data[i];
            return result;
        }
    }

    /// <summary>A stage's name in tables: simulate, cell, baselines, train, unet, analyze, report.</summary>
    public static string StageName(DemoStage stage) => stage switch
    {
        DemoStage.SimulateTrainingSet => "simulate",
        DemoStage.SimulateCell => "cell",
        DemoStage.Baselines => "baselines",
        DemoStage.Train => "train",
        DemoStage.SegmentUNet => "unet",
        DemoStage.Analyze => "analyze",
        _ => "report",
    };

    /// <summary>Why training ended, in words.</summary>
    public static string StopReason(TrainingStop stop) => stop switch
    {
        TrainingStop.Completed => "all epochs ran",
        TrainingStop.EarlyStopped => "early stopping",
        TrainingStop.TimeBudget => "time budget",
        _ => "interrupted",
    };

    /// <summary>Seconds as "42 s" or "3 min 05 s".</summary>
    public static string Clock(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0) seconds = 0;
        if (seconds < 60) return seconds < 10 ? $"{seconds.ToString("0.0", CultureInfo.InvariantCulture)} s" : $"{Math.Round(seconds).ToString(CultureInfo.InvariantCulture)} s";
        int whole = (int)Math.Round(seconds);
        return string.Create(CultureInfo.InvariantCulture, $"{whole / 60} min {whole % 60:00} s");
    }
}

/// <summary>The images a demo run keeps in memory for its report.</summary>
/// <param name="Field">The simulated cell with its ground truth.</param>
/// <param name="Image">The cell as floats.</param>
/// <param name="Masks">Each method's mask by short name.</param>
/// <param name="UNetLabels">The U-Net's objects, labelled as in its analysis.</param>
internal sealed record DemoArtifacts(SimulatedField Field, Image<float> Image, IReadOnlyDictionary<string, Image<byte>> Masks, Image<int> UNetLabels);
