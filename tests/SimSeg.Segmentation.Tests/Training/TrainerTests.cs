using SimSeg.Core.Imaging;
using SimSeg.Core.IO;
using SimSeg.Core.Randomness;
using SimSeg.Neural.Checkpoints;
using SimSeg.Neural.Optimizers;
using SimSeg.Segmentation.Baselines;
using SimSeg.Segmentation.Inference;
using SimSeg.Segmentation.Metrics;
using SimSeg.Segmentation.Models;
using SimSeg.Segmentation.Training;
using Xunit.Abstractions;

namespace SimSeg.Segmentation.Tests.Training;

public class TrainerTests(ITestOutputHelper output)
{
    private static readonly ModelArchitecture Tiny = new() { BaseChannels = 4, Depth = 2 };

    private static TrainingJob TinyJob(string outDir, int epochs = 2) => new()
    {
        DataDirectory = TestData.Tiny,
        OutputDirectory = outDir,
        Architecture = Tiny,
        Options = new TrainingOptions { Epochs = epochs, BatchSize = 4, LearningRate = 3e-3, Seed = 7 },
    };

    [Fact]
    [Trait("Category", "Slow")]
    public void Run_SmallEpi1Mito_BeatsOtsuAndATrivialPredictorOnHeldOutImages()
    {
        string outDir = TestData.NewFolder("learn");
        var job = new TrainingJob
        {
            DataDirectory = TestData.Small,
            OutputDirectory = outDir,
            Architecture = new ModelArchitecture { BaseChannels = 8, Depth = 2 },
            Options = new TrainingOptions { Epochs = 10, BatchSize = 8, LearningRate = 3e-3, Seed = 1 },
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = Trainer.Run(job);
        var training = result.Config.Training!;
        Assert.NotNull(training.TestMeanIoU);
        double model = training.TestMeanIoU!.Value;

        // Baselines on the same 40 held-out images: Otsu (PhySeg Table 1) and "no foreground".
        var dataset = SegmentationDataset.Open(TestData.Small);
        var rows = dataset.RowsOf(DatasetSplit.Test);
        var bundle = ModelBundle.Load(outDir);
        double otsu = 0, trivial = 0, reloaded = 0;
        foreach (var row in rows)
        {
            var image = TiffReader.Read(Path.Combine(TestData.Small, row.Image)).ToFloat();
            var truth = TiffReader.Read(Path.Combine(TestData.Small, row.Mask)).ToImage<byte>();
            otsu += SegmentationScore.Compute(OtsuSegmenter.Segment(image), truth).MeanIoU;
            trivial += SegmentationScore.Compute(new Image<byte>(truth.Width, truth.Height), truth).MeanIoU;
            reloaded += SegmentationScore.Compute(ModelSegmenter.Segment(bundle, image).Mask, truth).MeanIoU;
        }
        otsu /= rows.Count;
        trivial /= rows.Count;
        reloaded /= rows.Count;
        output.WriteLine($"test mIoU: model {model:0.0000} (reloaded through tiled inference {reloaded:0.0000}), Otsu {otsu:0.0000}, all background {trivial:0.0000}; " +
            $"val mIoU {training.BestValidationMeanIoU:0.0000} at epoch {training.BestEpoch}; {clock.Elapsed.TotalSeconds:0.0} s");

        // Measured: model 0.854 (val 0.862), Otsu 0.761, all background 0.446 (seed 1, 10 epochs of 15 steps, 14 s on 2 cores).
        Assert.True(model > 0.80, $"test mIoU {model}");
        Assert.True(model > otsu + 0.05, $"model {model}, Otsu {otsu}");
        Assert.True(model > trivial + 0.3, $"model {model}, trivial {trivial}");
        Assert.Equal(model, reloaded, 3);
        Assert.Equal(40, training.TestSamples);
        Assert.True(File.Exists(Path.Combine(outDir, "train-curves.svg")));
    }

    [Fact]
    public void Run_ThresholdCalibration_PicksTheBestValidationThresholdAndScoresTestAtIt()
    {
        string calibrated = TestData.NewFolder("calibrated"), fixedHalf = TestData.NewFolder("fixed");
        var job = TinyJob(calibrated);
        var a = Trainer.Run(job).Config;
        var b = Trainer.Run(job with { OutputDirectory = fixedHalf, Options = job.Options with { CalibrateThreshold = false } }).Config;
        Assert.True(a.Training!.ThresholdCalibrated);
        Assert.False(b.Training!.ThresholdCalibrated);
        Assert.Equal(0.5, b.Threshold);
        Assert.Null(b.Training.CalibratedValidationMeanIoU);
        // The threshold is one of the grid's and never scores worse on validation than 0.5 (same weights: same seed).
        Assert.Contains(Math.Round(a.Threshold * 20) / 20, Enumerable.Range(2, 17).Select(i => Math.Round(0.05 * i, 2)));
        Assert.Equal(a.Threshold, Math.Round(a.Threshold * 20) / 20, 9);
        Assert.True(a.Training.CalibratedValidationMeanIoU >= a.Training.BestValidationMeanIoU - 1e-9,
            $"calibrated {a.Training.CalibratedValidationMeanIoU}, at 0.5 {a.Training.BestValidationMeanIoU}");
        TestData.AssertSameTensors(Path.Combine(fixedHalf, "model.safetensors"), Path.Combine(calibrated, "model.safetensors"));
        // The model folder's threshold is what segment uses; the reloaded config says the same.
        Assert.Equal(a.Threshold, ModelBundle.Load(calibrated).Config.Threshold);
    }

    [Fact]
    public void Run_OneEpochThenResume_EqualsTwoEpochsInOneGo()
    {
        string straight = TestData.NewFolder("straight"), resumed = TestData.NewFolder("resumed");
        Trainer.Run(TinyJob(straight, epochs: 2));
        var first = Trainer.Run(TinyJob(resumed, epochs: 1));
        Assert.Single(first.History);
        var second = Trainer.Run(TinyJob(resumed, epochs: 2) with { DataDirectory = null, Resume = true });
        Assert.Equal(2, second.History.Count);
        TestData.AssertSameTensors(Path.Combine(straight, "last.safetensors"), Path.Combine(resumed, "last.safetensors"));
        TestData.AssertSameTensors(Path.Combine(straight, "model.safetensors"), Path.Combine(resumed, "model.safetensors"));
        TestData.AssertSameTensors(Path.Combine(straight, TrainingState.FileName), Path.Combine(resumed, TrainingState.FileName)); // Adam moments too
        var a = TrainingState.ReadHeader(Path.Combine(straight, TrainingState.FileName));
        var b = TrainingState.ReadHeader(Path.Combine(resumed, TrainingState.FileName));
        Assert.Equal((a.Epoch, a.GlobalStep, a.AdamSteps, a.LearningRate, a.BestMeanIoU), (b.Epoch, b.GlobalStep, b.AdamSteps, b.LearningRate, b.BestMeanIoU));
        Assert.Equal(a.History.Select(r => r with { Seconds = 0 }), b.History.Select(r => r with { Seconds = 0 }));
    }

    [Fact]
    public void Run_TimeBudgetMidEpochThenResume_EqualsAnUninterruptedRun()
    {
        string straight = TestData.NewFolder("budget-straight"), stopped = TestData.NewFolder("budget-stopped");
        Trainer.Run(TinyJob(straight, epochs: 1));
        var partial = Trainer.Run(TinyJob(stopped, epochs: 1) with { Options = TinyJob(stopped).Options with { Epochs = 1, MaxMinutes = 1e-9 } });
        Assert.Equal(TrainingStop.TimeBudget, partial.Stop);
        Assert.False(partial.History.Single().Complete);
        Assert.Equal(1, partial.History.Single().Step);
        Assert.True(File.Exists(Path.Combine(stopped, "model.safetensors")) && File.Exists(Path.Combine(stopped, "last.safetensors")));
        var rest = Trainer.Run(TinyJob(stopped, epochs: 1) with { Resume = true });
        Assert.Equal(TrainingStop.Completed, rest.Stop);
        TestData.AssertSameTensors(Path.Combine(straight, "last.safetensors"), Path.Combine(stopped, "last.safetensors"));
        Assert.Contains(",false,", File.ReadAllText(Path.Combine(stopped, TrainingLog.CsvFileName)));
    }

    [Fact]
    public void Run_CosineSchedule_LowersTheRateEveryStepAndResumesExactly()
    {
        // Three epochs on a half cosine: each epoch starts at the rate of its first step, the last one well below the first;
        // a run stopped after its first step by the time budget and resumed ends with the same weights.
        string straight = TestData.NewFolder("cosine-straight"), stopped = TestData.NewFolder("cosine-stopped");
        TrainingJob Cosine(string dir) => TinyJob(dir, epochs: 3) with { Options = TinyJob(dir, epochs: 3).Options with { Schedule = LearningRateSchedule.Cosine } };
        var result = Trainer.Run(Cosine(straight));
        long steps = result.History[0].Step;
        double[] expected = [3e-3, CosineSchedule.At(3e-3, 1e-6, steps, 3 * steps), CosineSchedule.At(3e-3, 1e-6, 2 * steps, 3 * steps)];
        Assert.Equal(expected, result.History.Select(r => r.LearningRate), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.True(expected[2] < 0.3 * expected[0]);

        var partial = Trainer.Run(Cosine(stopped) with { Options = Cosine(stopped).Options with { MaxMinutes = 1e-9 } });
        Assert.Equal(TrainingStop.TimeBudget, partial.Stop);
        Trainer.Run(Cosine(stopped) with { Resume = true });
        TestData.AssertSameTensors(Path.Combine(straight, "last.safetensors"), Path.Combine(stopped, "last.safetensors"));
    }

    [Fact]
    public void Run_CancelledThenResumed_EqualsAnUninterruptedRun()
    {
        string straight = TestData.NewFolder("cancel-straight"), cancelled = TestData.NewFolder("cancel-stopped");
        Trainer.Run(TinyJob(straight, epochs: 1));
        using var cts = new CancellationTokenSource();
        var stopped = Trainer.Run(TinyJob(cancelled, epochs: 1), p =>
        {
            if (p.Event == TrainingEvent.Step && p.Step == 3) cts.Cancel();
        }, cts.Token);
        Assert.Equal(TrainingStop.Cancelled, stopped.Stop);
        Assert.Empty(stopped.History); // no validation on the way out
        Assert.Equal(3, TrainingState.ReadHeader(Path.Combine(cancelled, TrainingState.FileName)).StepInEpoch);
        var rest = Trainer.Run(TinyJob(cancelled, epochs: 1) with { Resume = true });
        Assert.Equal(TrainingStop.Completed, rest.Stop);
        TestData.AssertSameTensors(Path.Combine(straight, "last.safetensors"), Path.Combine(cancelled, "last.safetensors"));
        TestData.AssertSameTensors(Path.Combine(straight, "model.safetensors"), Path.Combine(cancelled, "model.safetensors"));
        Assert.Equal(File.ReadAllLines(Path.Combine(straight, TrainingLog.CsvFileName)).Select(l => l[..l.LastIndexOf(',')]),
            File.ReadAllLines(Path.Combine(cancelled, TrainingLog.CsvFileName)).Select(l => l[..l.LastIndexOf(',')]));
    }

    [Fact]
    public void Run_OneThreadOrAll_SameWeights()
    {
        string one = TestData.NewFolder("threads1"), all = TestData.NewFolder("threadsN");
        Trainer.Run(TinyJob(one, epochs: 1) with { Options = TinyJob(one).Options with { Epochs = 1, Threads = 1 } });
        Trainer.Run(TinyJob(all, epochs: 1));
        TestData.AssertSameTensors(Path.Combine(one, "last.safetensors"), Path.Combine(all, "last.safetensors"));
    }

    [Fact]
    public void Run_HugeLearningRate_StopsWithAClearError()
    {
        string outDir = TestData.NewFolder("diverge");
        var job = TinyJob(outDir) with { Options = TinyJob(outDir).Options with { LearningRate = 1e30 } };
        var ex = Assert.Throws<TrainingDivergedException>(() => Trainer.Run(job));
        Assert.Contains("diverged", ex.Message);
        Assert.Contains("--lr", ex.Message);
        Assert.False(File.Exists(Path.Combine(outDir, "model.safetensors")));
    }

    [Fact]
    public void Run_DivergingAfterAGoodEpoch_KeepsTheLastGoodCheckpoint()
    {
        string outDir = TestData.NewFolder("diverge-late");
        Trainer.Run(TinyJob(outDir, epochs: 1));
        var files = new[] { "model.safetensors", "last.safetensors", "config.json", TrainingLog.CsvFileName };
        var before = files.Select(f => File.ReadAllBytes(Path.Combine(outDir, f))).ToArray();

        // Resume with the learning rate forced to 1e30 in the saved state.
        string statePath = Path.Combine(outDir, TrainingState.FileName);
        var state = TrainingState.ReadHeader(statePath);
        var model = ModelFactory.Create(state.Architecture, new Rng(0));
        var trainable = model.NamedParameters().Where(p => p.Parameter.Trainable).ToArray();
        var adam = new Adam(trainable.Select(p => p.Parameter).ToArray());
        var names = trainable.Select(p => p.Name).ToArray();
        state.Restore(statePath, model, adam, names);
        (state with { LearningRate = 1e30 }).Save(statePath, model, adam, names);

        var ex = Assert.Throws<TrainingDivergedException>(() => Trainer.Run(TinyJob(outDir, epochs: 3) with { Resume = true }));
        Assert.Contains("last good checkpoint is kept", ex.Message);
        for (int i = 0; i < files.Length; i++) Assert.Equal(before[i], File.ReadAllBytes(Path.Combine(outDir, files[i])));
    }

    [Fact]
    public void Run_ImageWithNaN_InvalidDataNamingTheFile()
    {
        string data = TestData.Handmade("nan", 8, 16, (i, x, y) => i == 2 && x == 3 ? float.NaN : TestData.Squares(16)(i, x, y));
        var ex = Assert.Throws<InvalidDataException>(() => Trainer.Run(TinyJob(TestData.NewFolder("nan-out")) with { DataDirectory = data }));
        Assert.Contains("sample-000002.tif", ex.Message);
        Assert.Contains("NaN", ex.Message);
    }

    [Fact]
    public void Run_BadInputs_ThrowTheDocumentedExceptions()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-data-" + Guid.NewGuid());
        Assert.Throws<DirectoryNotFoundException>(() => Trainer.Run(TinyJob(TestData.NewFolder("x")) with { DataDirectory = missing }));
        Assert.Throws<FileNotFoundException>(() => Trainer.Run(TinyJob(TestData.NewFolder("x")) with { DataDirectory = TestData.NewFolder("empty") }));
        string noTrain = TestData.Handmade("notrain", 4, 16, TestData.Squares(16), splits: ["val", "test"]);
        var ex = Assert.Throws<InvalidDataException>(() => Trainer.Run(TinyJob(TestData.NewFolder("x")) with { DataDirectory = noTrain }));
        Assert.Contains("no training samples", ex.Message);
        Assert.Throws<FileNotFoundException>(() => Trainer.Run(TinyJob(TestData.NewFolder("x")) with { Resume = true }));
        Assert.Throws<ArgumentException>(() => Trainer.Run(TinyJob(TestData.NewFolder("x")) with { Options = new TrainingOptions { TileSize = 30 } }));
        Assert.Throws<ArgumentException>(() => Trainer.Run(TinyJob(TestData.NewFolder("x")) with { Options = new TrainingOptions { BatchSize = 1 } }));
    }

    [Fact]
    public void Run_IntoAnExistingRunWithoutResume_Refuses()
    {
        string outDir = TestData.NewFolder("twice");
        string data = TestData.Handmade("twice-data", 8, 16, TestData.Squares(16));
        Trainer.Run(TinyJob(outDir, epochs: 1) with { DataDirectory = data });
        var ex = Assert.Throws<ArgumentException>(() => Trainer.Run(TinyJob(outDir, epochs: 1) with { DataDirectory = data }));
        Assert.Contains("--resume", ex.Message);
    }

    [Fact]
    public void Run_InitWithFrozenEncoder_TrainsOnlyTheDecoder()
    {
        string data = TestData.Handmade("freeze-data", 12, 16, TestData.Squares(16));
        string baseModel = TestData.NewFolder("freeze-base");
        Trainer.Run(TinyJob(baseModel, epochs: 1) with { DataDirectory = data });
        string tuned = TestData.NewFolder("freeze-tuned");
        var result = Trainer.Run(TinyJob(tuned, epochs: 1) with
        {
            DataDirectory = data, InitFrom = baseModel,
            Architecture = new ModelArchitecture { BaseChannels = 99 }, // ignored: the init model's architecture is used
            Options = TinyJob(tuned).Options with { Epochs = 1, FreezeEncoder = true },
        });
        Assert.Equal(4, result.Config.Architecture.BaseChannels);
        Assert.True(result.Config.Training!.FrozenEncoder);
        Assert.Equal(Path.GetFileName(baseModel), result.Config.Training.InitializedFrom);
        var resumed = Trainer.Run(TinyJob(tuned, epochs: 2) with { DataDirectory = null, Resume = true });
        Assert.Equal((true, Path.GetFileName(baseModel)), (resumed.Config.Training!.FrozenEncoder, resumed.Config.Training.InitializedFrom));
        var before = TestData.Tensors(Path.Combine(baseModel, "last.safetensors"));
        var after = TestData.Tensors(Path.Combine(tuned, "last.safetensors"));
        foreach (var (name, values) in before)
        {
            bool weight = name.EndsWith(".weight", StringComparison.Ordinal) || name.EndsWith(".bias", StringComparison.Ordinal);
            if (!weight) continue;
            if (name.StartsWith("enc.", StringComparison.Ordinal)) Assert.True(values.SequenceEqual(after[name]), $"{name} changed");
            else if (name.StartsWith("dec.", StringComparison.Ordinal) || name.StartsWith("head.", StringComparison.Ordinal)) Assert.False(values.SequenceEqual(after[name]), $"{name} did not change");
        }
    }

    [Fact]
    public void Run_WritesLogPlotConfigAndProgress()
    {
        string outDir = TestData.NewFolder("files");
        var events = new List<TrainingProgress>();
        var result = Trainer.Run(TinyJob(outDir, epochs: 2), events.Add);
        var csv = File.ReadAllLines(Path.Combine(outDir, TrainingLog.CsvFileName));
        Assert.Equal(TrainingLog.Header, csv[0]);
        Assert.Equal(3, csv.Length);
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(outDir, TrainingLog.PlotFileName)));
        var config = ModelConfig.Read(Path.Combine(outDir, ModelConfig.FileName));
        Assert.Equal("epi1-mito", config.Preset);
        Assert.Equal(42, config.PixelSizeNm, 3);
        Assert.Equal(2, config.Training!.EpochsRun);
        Assert.Equal(24, config.Training.TrainSamples);
        Assert.Equal(7UL, config.Training.Seed);
        Assert.Equal(TrainingEvent.Started, events[0].Event);
        Assert.Equal(2, events.Count(e => e.Event == TrainingEvent.EpochEnded));
        Assert.Equal(12, events.Count(e => e.Event == TrainingEvent.Step));
        Assert.Equal(result.History, events.Where(e => e.Record is not null).Select(e => e.Record!));
    }

    [Fact]
    public void EpochOrder_CoversEverySampleAndDependsOnlyOnSeedAndEpoch()
    {
        var order = Trainer.EpochOrder(3, 0, 10, 25);
        Assert.Equal(25, order.Length);
        Assert.Equal(Enumerable.Range(0, 10), order.Take(10).Order());
        Assert.Equal(Enumerable.Range(0, 10), order.Skip(10).Take(10).Order());
        Assert.Equal(order, Trainer.EpochOrder(3, 0, 10, 25));
        Assert.NotEqual(order, Trainer.EpochOrder(3, 1, 10, 25));
    }
}
