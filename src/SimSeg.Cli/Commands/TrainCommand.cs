using System.CommandLine;
using System.Globalization;
using SimSeg.Segmentation.Models;
using SimSeg.Segmentation.Training;
using Spectre.Console;

namespace SimSeg.Cli.Commands;

/// <summary><c>simseg train</c>: trains a segmentation network on a simulated dataset and writes a model folder.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data", "-d") { Description = "Dataset folder written by `simseg simulate` (manifest.csv with train/val/test splits). Optional with --resume." };
        var output = new Option<string>("--out", "-o") { Description = "Model folder to write: config.json + model.safetensors (best epoch), last.safetensors, train-state.safetensors, train-log.csv, train-curves.svg.", Required = true };
        var classes = new Option<string>("--classes") { Description = "What the model segments: binary (foreground from masks/, one sigmoid output, Dice + focal loss) or mito-vesicle (background, mitochondrion and vesicle from classes/, softmax over 3 outputs, cross-entropy + multi-class Dice, validated by the mean IoU over the 3 classes).", DefaultValueFactory = _ => "binary" };
        var classWeights = new Option<string>("--class-weights") { Description = "mito-vesicle: class weights of the cross-entropy: none; auto (inverse frequency in the training set, class k weighs 1/(K*f_k), f_k its pixel share, K the classes present); or one number per class in order background,mitochondrion,vesicle, e.g. 1,2,4.", DefaultValueFactory = _ => "none" };
        var ceWeight = new Option<double>("--ce-weight") { Description = "mito-vesicle: weight of the softmax cross-entropy (--dice-weight weighs the multi-class Dice).", DefaultValueFactory = _ => 1 };
        var arch = new Option<string>("--arch") { Description = "Architecture: " + string.Join(", ", ModelFactory.Names) + ".", DefaultValueFactory = _ => "unet" };
        var channels = new Option<int>("--channels") { Description = "Channels of the first stage (doubled at every down-sampling).", DefaultValueFactory = _ => 16 };
        var depth = new Option<int>("--depth") { Description = "Down-sampling steps (image sides must be multiples of 2^depth).", DefaultValueFactory = _ => 4 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs at most (with --resume: the new total).", DefaultValueFactory = _ => 20 };
        var batch = new Option<int>("--batch") { Description = "Images per step.", DefaultValueFactory = _ => 16 };
        var lr = new Option<double?>("--lr") { Description = "Initial Adam learning rate (default 1e-3, from scratch and with --init; PhySeg used 1e-4, which fine-tunes more slowly in a short budget)." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the weights, sample order and augmentation. Same seed, same model, whatever --threads.", DefaultValueFactory = _ => 1UL };
        var tileSize = new Option<int?>("--tile-size") { Description = "Side of the random training crops, pixels (default: the dataset's image size; a multiple of 2^depth)." };
        var stepsPerEpoch = new Option<int?>("--steps-per-epoch") { Description = "Steps per epoch (default: one pass over the training images)." };
        var valImages = new Option<int>("--val-images") { Description = "Validation images scored after each epoch (the first ones of the val split).", DefaultValueFactory = _ => 256 };
        var testImages = new Option<int>("--test-images") { Description = "Test images scored with the best weights at the end (0: none).", DefaultValueFactory = _ => 256 };
        var patience = new Option<int>("--patience") { Description = "Early stopping: epochs without a better validation mIoU before training stops.", DefaultValueFactory = _ => 8 };
        var lrPatience = new Option<int>("--lr-patience") { Description = "Epochs without a better validation mIoU before the learning rate is halved (--schedule plateau).", DefaultValueFactory = _ => 2 };
        var schedule = new Option<string>("--schedule")
        {
            Description = "Learning rate: plateau (halved after --lr-patience epochs without a better validation mIoU) or cosine (lowered every step " +
                "along a half cosine from --lr to 1e-6 over --epochs; with --max-minutes, choose --epochs so that they fit, from the first epoch's time).",
            DefaultValueFactory = _ => "plateau",
        };
        var maxMinutes = new Option<double?>("--max-minutes") { Description = "Time budget: stop cleanly after the step that crosses it (then validate and save)." };
        var augment = new Option<string>("--augment") { Description = "Augmentations: all, none, or a comma list of flip, rot90, rotate, intensity, noise, blur.", DefaultValueFactory = _ => "all" };
        var diceWeight = new Option<double>("--dice-weight") { Description = "Weight of the soft Dice loss.", DefaultValueFactory = _ => 1 };
        var focalWeight = new Option<double>("--focal-weight") { Description = "binary: weight of the focal loss (alpha 0.25, gamma 2).", DefaultValueFactory = _ => 1 };
        var bceWeight = new Option<double>("--bce-weight") { Description = "binary: weight of binary cross-entropy.", DefaultValueFactory = _ => 0 };
        var lovaszWeight = new Option<double>("--lovasz-weight")
        {
            Description = "binary: weight of the Lovász hinge loss, image by image (Berman et al. 2018), a surrogate of the mean per-image IoU; for example `--init MODEL --lovasz-weight 1 --dice-weight 0 --focal-weight 0.2` fine-tunes a model for IoU.",
            DefaultValueFactory = _ => 0,
        };
        var init = new Option<string?>("--init") { Description = "Start from the weights of this model folder (transfer learning, PhySeg Fig. 3); its architecture is used." };
        var freeze = new Option<bool>("--freeze-encoder") { Description = "Keep the encoder's weights fixed (with --init): only the decoder and head learn." };
        var calibrate = new Option<bool>("--calibrate-threshold") { Description = "binary: after training, pick the probability threshold (0.10-0.90) with the best validation mIoU for the saved model and write it into config.json; `--calibrate-threshold false` keeps 0.5. (mito-vesicle models take the most probable class.)", DefaultValueFactory = _ => true };
        var resume = new Option<bool>("--resume") { Description = "Continue the run saved in --out (weights, Adam moments, schedule, epoch, random state): the result equals an uninterrupted run." };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all cores). Does not change the result.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("train",
            "Train a U-Net on a simulated dataset (simulation-supervised learning, PhySeg): Dice + focal loss, Adam,\n" +
            "learning-rate halving and early stopping on validation mIoU, seeded augmentation. The model folder keeps the\n" +
            "best epoch (model.safetensors + config.json, for `simseg segment --model`), the last epoch and a resumable state.\n" +
            "--classes mito-vesicle trains one model for mitochondria and vesicles (softmax over background, mitochondrion,\n" +
            "vesicle) on the class maps of a mixed dataset.\n\n" +
            "Examples:\n" +
            "  simseg simulate --preset epi1-mito --count 7000 --out epi1-mito\n" +
            "  simseg train --data epi1-mito --out models/epi1-mito --epochs 20 --max-minutes 60\n" +
            "  simseg train --data epi1-vesicle --out models/epi1-vesicle --epochs 10 --schedule cosine --max-minutes 57\n" +
            "  simseg simulate --preset epi1-mixed --count 7000 --out epi1-mixed\n" +
            "  simseg train --data epi1-mixed --classes mito-vesicle --out models/epi1-mixed --max-minutes 60\n" +
            "  simseg train --out models/epi1-mito --epochs 30 --resume\n" +
            "  simseg simulate --preset conf1-mito --count 3000 --out conf1-mito\n" +
            "  simseg train --data conf1-mito --init models/epi1-mito --freeze-encoder --epochs 10 --out models/conf1-mito\n" +
            "  simseg segment cells/ --model models/epi1-mito --out cells-seg")
        {
            data, output, classes, classWeights, ceWeight, arch, channels, depth, epochs, batch, lr, seed, tileSize, stepsPerEpoch, valImages, testImages, patience, lrPatience, schedule,
            maxMinutes, augment, diceWeight, focalWeight, bceWeight, lovaszWeight, init, freeze, calibrate, resume, threads,
        };
        command.SetAction((parse, token) => Task.FromResult(CommandRunner.Run(ct =>
        {
            bool resuming = parse.GetValue(resume);
            string? dataDir = parse.GetValue(data);
            if (dataDir is null && !resuming) throw new CliArgumentException("--data is required: the dataset folder written by `simseg simulate`.");
            string? initDir = parse.GetValue(init);
            bool frozen = parse.GetValue(freeze);
            if (frozen && initDir is null && !resuming) throw new CliArgumentException("--freeze-encoder needs --init MODEL_DIR (a random encoder should not be frozen).");
            double learningRate = parse.GetValue(lr) ?? 1e-3;
            CheckPositive(learningRate, "--lr");
            double? minutes = parse.GetValue(maxMinutes);
            if (minutes is double m) CheckPositive(m, "--max-minutes");
            var scheme = ParseClasses(parse.GetValue(classes)!);
            bool Given(Option option) => parse.GetResult(option) is { Implicit: false };
            if (scheme == ClassScheme.Binary)
            {
                foreach (var option in new Option[] { classWeights, ceWeight })
                    if (Given(option)) throw new CliArgumentException($"{option.Name} applies to K-class models (--classes mito-vesicle); binary models use --dice-weight, --focal-weight, --bce-weight and --lovasz-weight.");
            }
            else
            {
                foreach (var option in new Option[] { focalWeight, bceWeight, lovaszWeight })
                    if (Given(option)) throw new CliArgumentException($"{option.Name} applies to binary models; --classes {scheme.CliName()} trains with softmax cross-entropy (--ce-weight, --class-weights) and multi-class Dice (--dice-weight).");
            }
            var (weighting, weights) = ParseClassWeights(parse.GetValue(classWeights)!, scheme);
            var options = new TrainingOptions
            {
                Epochs = CliParse.Positive(parse.GetValue(epochs), "--epochs"),
                BatchSize = parse.GetValue(batch) >= 2 ? parse.GetValue(batch) : throw new CliArgumentException($"--batch must be at least 2 (batch norm needs two images), got {parse.GetValue(batch)}."),
                LearningRate = learningRate,
                Seed = parse.GetValue(seed),
                TileSize = parse.GetValue(tileSize) is int t ? CliParse.Positive(t, "--tile-size") : null,
                StepsPerEpoch = parse.GetValue(stepsPerEpoch) is int s ? CliParse.Positive(s, "--steps-per-epoch") : null,
                ValidationImages = CliParse.Positive(parse.GetValue(valImages), "--val-images"),
                TestImages = parse.GetValue(testImages) >= 0 ? parse.GetValue(testImages) : throw new CliArgumentException($"--test-images must be >= 0, got {parse.GetValue(testImages)}."),
                Patience = CliParse.Positive(parse.GetValue(patience), "--patience"),
                Schedule = parse.GetValue(schedule)!.ToLowerInvariant() switch
                {
                    "plateau" => LearningRateSchedule.Plateau,
                    "cosine" => LearningRateSchedule.Cosine,
                    string other => throw new CliArgumentException($"--schedule must be plateau or cosine, got '{other}'."),
                },
                LearningRatePatience = parse.GetValue(lrPatience) >= 0 ? parse.GetValue(lrPatience) : throw new CliArgumentException($"--lr-patience must be >= 0, got {parse.GetValue(lrPatience)}."),
                MinLearningRate = Math.Min(1e-6, learningRate),
                MaxMinutes = minutes,
                FreezeEncoder = frozen,
                CalibrateThreshold = parse.GetValue(calibrate),
                Classes = scheme,
                Loss = new LossOptions
                {
                    DiceWeight = parse.GetValue(diceWeight), FocalWeight = parse.GetValue(focalWeight), BceWeight = parse.GetValue(bceWeight),
                    LovaszWeight = parse.GetValue(lovaszWeight),
                    CrossEntropyWeight = parse.GetValue(ceWeight), ClassWeighting = weighting, ClassWeights = weights,
                },
                Augmentation = ParseAugmentation(parse.GetValue(augment)!),
                Threads = CliParse.Positive(parse.GetValue(threads), "--threads"),
            };
            options.Validate();
            var architecture = new ModelArchitecture
            {
                Name = parse.GetValue(arch)!.ToLowerInvariant(),
                BaseChannels = CliParse.Positive(parse.GetValue(channels), "--channels"),
                Depth = CliParse.Positive(parse.GetValue(depth), "--depth"),
            };
            ModelFactory.Validate(architecture);
            var job = new TrainingJob
            {
                DataDirectory = dataDir, OutputDirectory = parse.GetValue(output)!, Architecture = architecture, Options = options,
                InitFrom = initDir, Resume = resuming,
            };
            TrainingResult result;
            try
            {
                result = WithProgress(job, ct);
            }
            catch (TrainingDivergedException ex)
            {
                CommandRunner.Error(ex.Message);
                return ExitCodes.TrainingDiverged;
            }
            Summarize(result);
            if (result.Stop == TrainingStop.Cancelled)
            {
                CommandRunner.Note($"interrupted; the state is saved: continue with `simseg train --out {result.OutputDirectory} --resume`.");
                return ExitCodes.Cancelled;
            }
            return ExitCodes.Success;
        }, token)));
        return command;
    }

    /// <summary>Parses --classes: binary or mito-vesicle.</summary>
    internal static ClassScheme ParseClasses(string text)
    {
        try
        {
            return ClassSchemes.Parse(text);
        }
        catch (ArgumentException)
        {
            throw new CliArgumentException($"--classes must be one of {string.Join(", ", ClassSchemes.CliNames)}; got '{text}'.");
        }
    }

    /// <summary>Parses --class-weights: none, auto, or K numbers in class order.</summary>
    internal static (ClassWeighting Weighting, double[]? Weights) ParseClassWeights(string text, ClassScheme scheme)
    {
        string value = text.Trim().ToLowerInvariant();
        if (value == "none") return (ClassWeighting.None, null);
        if (value == "auto") return (ClassWeighting.InverseFrequency, null);
        var names = scheme.ClassNames();
        var weights = new List<double>();
        foreach (string part in value.Split(','))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double w) || !(w >= 0) || double.IsInfinity(w)) break;
            weights.Add(w);
        }
        if (weights.Count != names.Count || value.Split(',').Length != names.Count || weights.All(w => w == 0))
            throw new CliArgumentException($"--class-weights must be none, auto, or {names.Count} numbers >= 0 (not all 0) for {string.Join(",", names)}; got '{text}'.");
        return (ClassWeighting.Manual, weights.ToArray());
    }

    /// <summary>Parses --augment: all, none, or a comma list of names.</summary>
    internal static AugmentationOptions ParseAugmentation(string text)
    {
        string value = text.Trim().ToLowerInvariant();
        if (value == "all") return new AugmentationOptions();
        if (value == "none") return AugmentationOptions.None;
        try
        {
            return new AugmentationOptions().Only(value.Split(',', StringSplitOptions.RemoveEmptyEntries));
        }
        catch (ArgumentException)
        {
            throw new CliArgumentException($"--augment must be all, none, or a comma list of flip, rot90, rotate, intensity, noise, blur; got '{text}'.");
        }
    }

    private static void CheckPositive(double value, string flag)
    {
        if (!(value > 0) || double.IsInfinity(value)) throw new CliArgumentException($"{flag} must be a finite number > 0, got {value.ToString(CultureInfo.InvariantCulture)}.");
    }

    /// <summary>Runs the trainer with a progress bar on a terminal, or a line per epoch (and every tenth of an epoch or minute) otherwise.</summary>
    private static TrainingResult WithProgress(TrainingJob job, CancellationToken ct)
    {
        if (!CommandRunner.Interactive)
        {
            var lastLine = TimeSpan.Zero;
            int lastStep = 0;
            return Trainer.Run(job, p =>
            {
                switch (p.Event)
                {
                    case TrainingEvent.Started:
                        CommandRunner.Note($"training: epoch {p.Epoch}/{p.Epochs}, {p.StepsPerEpoch} steps per epoch{(p.GlobalStep > 0 ? $", resuming after step {p.GlobalStep}" : "")}");
                        break;
                    case TrainingEvent.Step:
                        if (p.Step - lastStep >= Math.Max(1, p.StepsPerEpoch / 10) || p.Elapsed - lastLine >= TimeSpan.FromMinutes(1))
                        {
                            lastStep = p.Step;
                            lastLine = p.Elapsed;
                            CommandRunner.Note($"epoch {p.Epoch}/{p.Epochs} step {p.Step}/{p.StepsPerEpoch}: loss {p.TrainLoss:0.0000}{Eta(p.Remaining)}");
                        }
                        break;
                    case TrainingEvent.EpochEnded:
                        lastStep = 0;
                        var r = p.Record!;
                        CommandRunner.Note($"epoch {r.Epoch}/{p.Epochs}{(r.Complete ? "" : " (partial)")}: train loss {r.TrainLoss:0.0000}, val loss {r.ValidationLoss:0.0000}, " +
                            $"val mIoU {r.ValidationMeanIoU:0.0000} (best {p.BestMeanIoU:0.0000}), val F1 {r.ValidationF1:0.0000}" +
                            (r.ValidationClassIoU is { } iou ? $", val IoU per class {string.Join("/", iou.Select(v => v.ToString("0.0000", CultureInfo.InvariantCulture)))}" : "") +
                            $", lr {r.LearningRate:g3}, {r.Seconds:0} s{Eta(p.Remaining)}");
                        break;
                }
            }, ct);
        }
        TrainingResult result = null!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training");
                double validation = double.NaN;
                result = Trainer.Run(job, p =>
                {
                    task.MaxValue = Math.Max(1, (double)p.Epochs * p.StepsPerEpoch);
                    task.Value = Math.Min(task.MaxValue, (double)(p.Epoch - 1) * p.StepsPerEpoch + p.Step);
                    if (p.Record is not null) validation = p.Record.ValidationMeanIoU;
                    task.Description = Markup.Escape($"epoch {p.Epoch}/{p.Epochs}  loss {Format(p.TrainLoss)}  val mIoU {Format(validation)}  best {Format(p.BestMeanIoU)}");
                }, ct);
                task.Value = task.MaxValue;
            });
        return result;
    }

    private static string Format(double value) => double.IsNaN(value) ? "-" : value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Eta(TimeSpan? remaining) => remaining is TimeSpan r ? $", ETA {(r.TotalHours >= 1 ? $"{(int)r.TotalHours} h {r.Minutes} min" : r.TotalMinutes >= 1 ? $"{(int)r.TotalMinutes} min {r.Seconds} s" : $"{r.Seconds} s")}" : "";

    private static void Summarize(TrainingResult result)
    {
        var c = result.Config;
        var t = c.Training;
        string why = result.Stop switch
        {
            TrainingStop.Completed => "all epochs ran",
            TrainingStop.EarlyStopped => "early stopping",
            TrainingStop.TimeBudget => "time budget",
            _ => "interrupted",
        };
        Console.WriteLine($"Trained {c.Architecture.Name} (channels {c.Architecture.BaseChannels}, depth {c.Architecture.Depth}) on {t?.TrainSamples} images for {t?.EpochsRun} epoch(s), {t?.Steps} steps ({why}).");
        if (t is { BestEpoch: > 0 })
        {
            Console.WriteLine($"  best val mIoU {t.BestValidationMeanIoU:0.0000}, F1 {t.BestValidationF1:0.0000} (epoch {t.BestEpoch})" +
                (t.TestMeanIoU is double ti ? $"; test mIoU {ti:0.0000}, F1 {t.TestF1:0.0000} on {t.TestSamples} images" : ""));
            if (t.BestValidationClassIoU is { } val)
            {
                string PerClass(IReadOnlyList<double> iou) => string.Join(", ", c.ClassNames.Select((n, k) => $"{n} {iou[k]:0.0000}"));
                Console.WriteLine($"  val IoU per class: {PerClass(val)}" + (t.TestClassIoU is { } test ? $"; test: {PerClass(test)}" : ""));
            }
        }
        string dir = result.OutputDirectory;
        if (t is { BestEpoch: > 0 })
        {
            Console.WriteLine($"  model:  {Path.Combine(dir, ModelConfig.FileName)} + {Path.Combine(dir, c.Checkpoint)}");
            Console.WriteLine($"  log:    {Path.Combine(dir, TrainingLog.CsvFileName)}, {Path.Combine(dir, TrainingLog.PlotFileName)}");
        }
        Console.WriteLine($"  resume: simseg train --out {dir} --resume --epochs N");
    }
}
