using System.Text.Json;
using SimSeg.Segmentation.Models;
using SimSeg.Segmentation.Training;
using SimSeg.Simulation.Dataset;
using SimSeg.Simulation.GroundTruth;
using SimSeg.Simulation.Presets;

namespace SimSeg.Segmentation.Benchmark;

/// <summary>Settings of <see cref="GroundTruthStudy.Run"/>.</summary>
public sealed record GroundTruthStudyOptions
{
    /// <summary>Samples per dataset, split 60/20/20 into train, val and test (default 1000).</summary>
    public int Count { get; init; } = 1000;

    /// <summary>Side of the simulated images, pixels (default 128, PhySeg's tile).</summary>
    public int TileSize { get; init; } = 128;

    /// <summary>Seed of the simulation; every dataset uses it, so they hold the same images and differ only in their masks (default 1).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The network trained on each dataset (the same for all).</summary>
    public ModelArchitecture Architecture { get; init; } = new();

    /// <summary>Training settings of each model; <see cref="TrainingOptions.MaxMinutes"/> is the budget per model (default 20 epochs, 20 minutes).</summary>
    public TrainingOptions Training { get; init; } = new() { MaxMinutes = 20, TestImages = 0 };

    /// <summary>Most test images scored (default 200).</summary>
    public int MaxTestImages { get; init; } = 200;

    /// <summary>Gallery images (default 4).</summary>
    public int GalleryImages { get; init; } = 4;

    /// <summary>Worker threads of simulation, training and scoring (default: all cores); the results do not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Count < 5) throw new ArgumentException($"--count must be at least 5 samples (train, val and test all need some), got {Count}.", nameof(Count));
        if (TileSize < 8) throw new ArgumentException($"--tile must be at least 8 pixels, got {TileSize}.", nameof(TileSize));
        if (MaxTestImages < 1) throw new ArgumentException($"--max-images must be >= 1, got {MaxTestImages}.", nameof(MaxTestImages));
        if (GalleryImages < 0) throw new ArgumentException($"--gallery must be >= 0, got {GalleryImages}.", nameof(GalleryImages));
        if (Threads < 1) throw new ArgumentException($"--threads must be >= 1, got {Threads}.", nameof(Threads));
        ArgumentNullException.ThrowIfNull(Architecture);
        ModelFactory.Validate(Architecture);
        (Training ?? throw new ArgumentException("training options are missing.", nameof(Training))).Validate();
    }
}

/// <summary>What the study is doing, for progress lines.</summary>
public enum StudyStage
{
    /// <summary>Simulating the dataset of a ground-truth method.</summary>
    Simulate,

    /// <summary>Training the model of a ground-truth method.</summary>
    Train,

    /// <summary>Scoring the models on the shared test set.</summary>
    Score,
}

/// <summary>A progress report of <see cref="GroundTruthStudy.Run"/>.</summary>
/// <param name="Stage">What is running.</param>
/// <param name="Method">The ground-truth method concerned (for <see cref="StudyStage.Score"/>, the model being scored).</param>
/// <param name="Done">Units done: samples simulated, optimiser steps, images scored.</param>
/// <param name="Total">Units planned.</param>
/// <param name="Detail">A short status (epoch and loss while training), or null.</param>
public sealed record StudyProgress(StudyStage Stage, string Method, int Done, int Total, string? Detail);

/// <summary>The outcome of <see cref="GroundTruthStudy.Run"/>.</summary>
/// <param name="Result">The benchmark of the models (rows: the ground truth each was trained on) on the physics test set.</param>
/// <param name="Notes">One line per dataset and model: what was trained, for how long and why it stopped.</param>
public sealed record StudyResult(BenchmarkResult Result, IReadOnlyList<string> Notes);

/// <summary>
/// PhySeg's ground-truth study (Supp. Table 6): one dataset per ground-truth method (physics, Otsu on the noise-free
/// image, Otsu then erosion, noise level), all simulated with one seed so that they hold the same images and differ
/// only in their masks; the same network trained on each; and every model scored against the physics ground truth
/// of the shared test split. Folders under the work directory: <c>data/METHOD/</c> (datasets; a rerun resumes them)
/// and <c>models/METHOD/</c> (a model folder that already holds trained weights is reused, not retrained; an interrupted
/// training run is resumed).
/// </summary>
public static class GroundTruthStudy
{
    /// <summary>The ground-truth methods in table order.</summary>
    public static IReadOnlyList<GroundTruthMethod> Methods { get; } = [GroundTruthMethod.Physics, GroundTruthMethod.Otsu, GroundTruthMethod.OtsuEroded, GroundTruthMethod.NoiseLevel];

    /// <summary>The name of a method as <c>simseg simulate --gt</c> takes it: physics, otsu, otsu-eroded, noise-level.</summary>
    public static string NameOf(GroundTruthMethod method) => JsonNamingPolicy.KebabCaseLower.ConvertName(method.ToString());

    /// <summary>Simulates, trains and scores; see the type's summary.</summary>
    /// <param name="preset">The microscope and structures; its ground-truth method is replaced by each of <see cref="Methods"/>.</param>
    /// <param name="workDirectory">Where the datasets and models go (created if missing).</param>
    /// <param name="options">Sizes, network, training and threads (defaults when null).</param>
    /// <param name="progress">Called as the stages advance.</param>
    /// <param name="cancellationToken">Stops simulation, training (which saves a resumable state) and scoring.</param>
    /// <exception cref="TrainingDivergedException">A model's loss became NaN or infinite.</exception>
    public static StudyResult Run(Preset preset, string workDirectory, GroundTruthStudyOptions? options = null, Action<StudyProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(preset);
        ArgumentException.ThrowIfNullOrWhiteSpace(workDirectory);
        var o = options ?? new GroundTruthStudyOptions();
        o.Validate();
        var notes = new List<string>
        {
            $"preset {preset.Name}, {o.Count} samples of {o.TileSize}² per ground truth (60/20/20), seed {o.Seed}: the datasets hold the same images and differ only in their masks",
            $"network {o.Architecture.Name} (channels {o.Architecture.BaseChannels}, depth {o.Architecture.Depth}), up to {o.Training.Epochs} epoch(s)"
                + (o.Training.MaxMinutes is double m ? $" or {m:0.##} minutes" : "") + $" per model, batch {o.Training.BatchSize}, seed {o.Training.Seed}",
            $"scored against the physics ground truth of the test split of data/{NameOf(GroundTruthMethod.Physics)}",
        };
        var models = new List<BenchmarkMethod>();
        string physicsData = "";
        foreach (var method in Methods)
        {
            string name = NameOf(method);
            string data = Path.Combine(workDirectory, "data", name);
            if (method == GroundTruthMethod.Physics) physicsData = data;
            var datasetOptions = new DatasetOptions { OutputDirectory = data, Count = o.Count, TileSize = o.TileSize, Seed = o.Seed, Threads = o.Threads };
            var withTruth = preset with { GroundTruth = preset.GroundTruth with { Method = method } };
            DatasetWriter.Write(withTruth, datasetOptions, (done, total) => progress?.Invoke(new StudyProgress(StudyStage.Simulate, name, done, total, null)), cancellationToken);

            string modelDir = Path.Combine(workDirectory, "models", name);
            if (Trained(modelDir) is { } config)
            {
                notes.Add($"{name}: reused the model already in models/{name} ({config.Training?.EpochsRun} epoch(s), {config.Training?.Steps} steps)");
            }
            else
            {
                var job = new TrainingJob { DataDirectory = data, OutputDirectory = modelDir, Architecture = o.Architecture, Options = o.Training with { Threads = o.Threads },
                    Resume = File.Exists(Path.Combine(modelDir, TrainingState.FileName)) };
                var result = Trainer.Run(job, p =>
                {
                    if (p.Event == TrainingEvent.EpochEnded || p.Event == TrainingEvent.Started || p.Step == p.StepsPerEpoch || p.Step % Math.Max(1, p.StepsPerEpoch / 5) == 0)
                    {
                        int total = p.Epochs * p.StepsPerEpoch;
                        progress?.Invoke(new StudyProgress(StudyStage.Train, name, (int)Math.Min(p.GlobalStep, total), total,
                            $"epoch {p.Epoch}/{p.Epochs}, loss {p.TrainLoss:0.0000}" + (double.IsNaN(p.BestMeanIoU) ? "" : $", best val mIoU {p.BestMeanIoU:0.000} (against its own ground truth)")));
                    }
                }, cancellationToken);
                cancellationToken.ThrowIfCancellationRequested();
                if (result.Stop == TrainingStop.Cancelled) throw new OperationCanceledException(cancellationToken);
                var t = result.Config.Training;
                notes.Add($"{name}: {t?.EpochsRun} epoch(s), {t?.Steps} steps, {t?.Seconds:0} s ({Describe(result.Stop)}), best val mIoU {t?.BestValidationMeanIoU:0.000} against its own ground truth");
            }
            models.Add(BenchmarkMethod.Model(name, [ModelBundle.Load(modelDir)], description: $"{name}: trained on data/{name}"));
        }

        var testSet = BenchmarkTestSet.Load(physicsData, preset.Name, o.MaxTestImages, o.Threads, cancellationToken);
        var benchmark = BenchmarkRunner.Run([testSet], models, new BenchmarkOptions { GalleryImages = o.GalleryImages, Threads = o.Threads },
            p => progress?.Invoke(new StudyProgress(StudyStage.Score, p.Method, p.Done, p.Total, null)), cancellationToken);
        return new StudyResult(benchmark, notes);
    }

    /// <summary>The config of a model folder that already holds trained weights, or null.</summary>
    private static ModelConfig? Trained(string modelDir)
    {
        string config = Path.Combine(modelDir, ModelConfig.FileName);
        if (!File.Exists(config)) return null;
        var read = ModelConfig.Read(config);
        return read.Training is { BestEpoch: > 0 } && File.Exists(Path.Combine(modelDir, read.Checkpoint)) ? read : null;
    }

    private static string Describe(TrainingStop stop) => stop switch
    {
        TrainingStop.Completed => "all epochs ran",
        TrainingStop.EarlyStopped => "early stopping",
        TrainingStop.TimeBudget => "time budget",
        _ => "interrupted",
    };
}
