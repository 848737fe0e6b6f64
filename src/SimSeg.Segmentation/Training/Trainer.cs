using System.Diagnostics;
using SimSeg.Core.Randomness;
using SimSeg.Neural;
using SimSeg.Neural.Checkpoints;
using SimSeg.Neural.Models;
using SimSeg.Neural.Optimizers;
using SimSeg.Segmentation.Metrics;
using SimSeg.Segmentation.Models;

namespace SimSeg.Segmentation.Training;

/// <summary>
/// Trains a segmentation network on a <c>simseg simulate</c> dataset (PhySeg's recipe: Dice + focal loss, Adam,
/// learning-rate reduction and early stopping on validation mIoU; for K classes, <see cref="TrainingOptions.Classes"/>,
/// softmax cross-entropy + multi-class Dice and the mean IoU over the classes) and writes a model folder:
/// <list type="bullet">
/// <item><c>model.safetensors</c> + <c>config.json</c>: the weights of the epoch with the best validation mIoU and
/// everything needed to use them (what <c>simseg segment --model</c> reads);</item>
/// <item><c>last.safetensors</c>: the weights after the last epoch;</item>
/// <item><c>train-state.safetensors</c>: weights, Adam moments, schedule, counters and history for <c>--resume</c>;</item>
/// <item><c>train-log.csv</c> and <c>train-curves.svg</c>: loss and mIoU per epoch.</item>
/// </list>
/// Every file is replaced atomically at the end of each epoch, so an interrupted run leaves the last good epoch.
/// Randomness: the initial weights come from stream (seed, 1); epoch e's sample order from (seed, 2, e); the
/// augmentation of the j-th sample of epoch e from (seed, 3, e, j). A resumed run therefore continues exactly as an
/// uninterrupted one, and the result does not depend on the thread count.
/// </summary>
public static class Trainer
{
    private const ulong InitStream = 1, OrderStream = 2, AugmentStream = 3;

    /// <summary>Runs <paramref name="job"/>; <paramref name="progress"/> is called after every step and epoch (on the training thread).</summary>
    /// <exception cref="ArgumentException">An option is out of range, or the output folder already holds a run and Resume is false.</exception>
    /// <exception cref="DirectoryNotFoundException">The dataset folder or the init model folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The manifest, an image, the init model or (when resuming) the training state is missing.</exception>
    /// <exception cref="InvalidDataException">The dataset has no train or val samples, or its channels do not fit the model.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public static TrainingResult Run(TrainingJob job, Action<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(job.Options);
        ArgumentException.ThrowIfNullOrWhiteSpace(job.OutputDirectory);
        if (job.Options.Threads < 1) throw new ArgumentException($"--threads must be >= 1, got {job.Options.Threads}.", nameof(job));
        return ThreadLimit.Run(job.Options.Threads, () => new Session(job, progress, cancellationToken).Run());
    }

    /// <summary>The sample indices of epoch <paramref name="epoch"/>: shuffled passes over the <paramref name="count"/> samples, concatenated to <paramref name="length"/>.</summary>
    internal static int[] EpochOrder(ulong seed, int epoch, int count, int length)
    {
        var rng = Rng.ForStream(Rng.Mix(seed, OrderStream), (ulong)epoch);
        var order = new int[length];
        var pass = new int[count];
        for (int filled = 0; filled < length;)
        {
            for (int i = 0; i < count; i++) pass[i] = i;
            for (int i = count - 1; i > 0; i--)
            {
                int j = rng.NextInt(i + 1);
                (pass[i], pass[j]) = (pass[j], pass[i]);
            }
            int n = Math.Min(count, length - filled);
            pass.AsSpan(0, n).CopyTo(order.AsSpan(filled));
            filled += n;
        }
        return order;
    }

    /// <summary>The generator of the augmentation of position <paramref name="position"/> in epoch <paramref name="epoch"/>.</summary>
    internal static Rng SampleRng(ulong seed, int epoch, int position) =>
        Rng.ForStream(Rng.Mix(Rng.Mix(seed, AugmentStream), (ulong)epoch), (ulong)position);

    /// <summary>One run: the data, the model, the optimiser and the counters.</summary>
    private sealed class Session
    {
        private readonly TrainingJob _job;
        private readonly Action<TrainingProgress>? _progress;
        private readonly CancellationToken _token;
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public Session(TrainingJob job, Action<TrainingProgress>? progress, CancellationToken token)
        {
            _job = job;
            _progress = progress;
            _token = token;
        }

        public TrainingResult Run()
        {
            string outDir = _job.OutputDirectory;
            string statePath = Path.Combine(outDir, TrainingState.FileName);
            TrainingState? saved = null;
            if (_job.Resume)
            {
                if (!File.Exists(statePath))
                    throw new FileNotFoundException($"nothing to resume: {statePath} not found (start the run without --resume)", statePath);
                saved = TrainingState.ReadHeader(statePath);
            }
            else if (File.Exists(statePath))
            {
                throw new ArgumentException($"--out {outDir} already holds a training run; pass --resume to continue it, or choose another folder.", "out");
            }

            var options = saved is null
                ? _job.Options
                : saved.Options with { Epochs = _job.Options.Epochs, MaxMinutes = _job.Options.MaxMinutes, Threads = _job.Options.Threads };
            options.Validate();
            string dataDir = _job.DataDirectory ?? saved?.DataDirectory ?? throw new ArgumentException("--data is required.", "data");
            var scheme = options.Classes;
            var dataset = SegmentationDataset.Open(dataDir, scheme);
            var info = dataset.Info;
            string manifest = Path.Combine(dataDir, "manifest.csv");
            if (info.TrainCount == 0) throw new InvalidDataException($"{manifest} lists no training samples (split 'train'); simulate with a train fraction above 0 (--split).");
            if (info.ValidationCount == 0) throw new InvalidDataException($"{manifest} lists no validation samples (split 'val'); simulate more samples or a val fraction above 0 (--split).");

            // The network: saved architecture when resuming, the init model's for transfer learning, else the job's.
            ModelBundle? init = null;
            ModelArchitecture architecture;
            if (saved is not null) architecture = saved.Architecture;
            else if (_job.InitFrom is not null)
            {
                init = ModelBundle.Load(_job.InitFrom);
                architecture = init.Config.Architecture;
                if (architecture.OutChannels != scheme.LogitChannels() || !init.Config.ClassNames.SequenceEqual(scheme.ClassNames()))
                    throw new ArgumentException($"--init {_job.InitFrom} segments {string.Join(", ", init.Config.ClassNames)} with {architecture.OutChannels} output channel(s); --classes {scheme.CliName()} needs {string.Join(", ", scheme.ClassNames())} with {scheme.LogitChannels()}.", "init");
            }
            else architecture = _job.Architecture with { InChannels = info.Channels, OutChannels = scheme.LogitChannels() };
            if (architecture.OutChannels != scheme.LogitChannels())
                throw new InvalidDataException($"the saved run's model has {architecture.OutChannels} output channel(s) but --classes {scheme.CliName()} needs {scheme.LogitChannels()}.");
            if (architecture.InChannels != info.Channels)
                throw new InvalidDataException($"the model takes {architecture.InChannels} channel(s) per image but the images of {dataDir} have {info.Channels} plane(s).");
            var model = ModelFactory.Create(architecture, Rng.ForStream(options.Seed, InitStream));
            var named = model.NamedParameters();
            if (init is not null)
            {
                var source = init.Model.NamedParameters();
                for (int i = 0; i < named.Count; i++) source[i].Parameter.Value.Data.CopyTo(named[i].Parameter.Value.Data, 0);
            }

            int multiple = model.SizeMultiple, side = Math.Min(info.Width, info.Height);
            int tile = saved?.TileSize ?? options.TileSize ?? side / multiple * multiple;
            if (tile < multiple || tile % multiple != 0)
                throw new ArgumentException($"--tile-size must be a positive multiple of {multiple} (2^depth) for this model, got {tile}{(options.TileSize is null ? $" (the {info.Width}x{info.Height} images are too small)" : "")}.", "tile-size");
            if (tile > side) throw new ArgumentException($"--tile-size {tile} exceeds the {info.Width}x{info.Height} images of {dataDir}.", "tile-size");
            int validationSide = side / multiple * multiple;

            var train = dataset.Load(DatasetSplit.Train, options.Normalization, threads: options.Threads, cancellationToken: _token);
            var validation = dataset.Load(DatasetSplit.Validation, options.Normalization, options.ValidationImages, options.Threads, _token);
            int batch = options.BatchSize;
            int stepsPerEpoch = saved?.StepsPerEpoch ?? options.StepsPerEpoch ?? (train.Length + batch - 1) / batch;
            var classWeights = saved is not null ? saved.ClassWeights : options.Loss.ClassWeighting switch
            {
                _ when scheme == ClassScheme.Binary => null,
                ClassWeighting.InverseFrequency => ClassWeights.InverseFrequency(train, scheme.ClassCount()),
                ClassWeighting.Manual => options.Loss.ClassWeights!.ToArray(),
                _ => null,
            };

            string? prefix = options.FreezeEncoder ? ModelFactory.EncoderPrefix(architecture.Name) : null;
            var optimised = named.Where(p => p.Parameter.Trainable && (prefix is null || !p.Name.StartsWith(prefix, StringComparison.Ordinal))).ToArray();
            if (optimised.Length == 0) throw new ArgumentException("--freeze-encoder leaves no parameter to train.", "freeze-encoder");
            var optimisedNames = optimised.Select(p => p.Name).ToArray();
            var adam = new Adam(optimised.Select(p => p.Parameter).ToArray(), new AdamOptions(LearningRate: options.LearningRate));
            var plateau = new ReduceLrOnPlateau(adam, MetricMode.Max, options.LearningRateFactor, options.LearningRatePatience, minLearningRate: options.MinLearningRate);
            if (saved is not null)
            {
                saved.Restore(statePath, model, adam, optimisedNames);
                plateau.RestoreState(saved.PlateauBest, saved.PlateauBadEpochs, saved.PlateauCooldown);
            }
            Directory.CreateDirectory(outDir);

            string? initFrom = saved is not null ? saved.InitFrom : _job.InitFrom is null ? null : Path.GetFullPath(_job.InitFrom);
            var run = new Loop(this, model, adam, plateau, options, train, validation, tile, validationSide, stepsPerEpoch, optimisedNames, classWeights)
            {
                Architecture = architecture,
                Info = info,
                DataDirectory = dataDir,
                InitFrom = initFrom,
                State = saved ?? new TrainingState
                {
                    DataDirectory = Path.GetFullPath(dataDir), Architecture = architecture, Options = options, InitFrom = initFrom, TileSize = tile,
                    StepsPerEpoch = stepsPerEpoch, LearningRate = options.LearningRate, PlateauBest = plateau.Best, ClassWeights = classWeights,
                },
                TestSamples = () => dataset.Load(DatasetSplit.Test, options.Normalization, options.TestImages, options.Threads, _token),
            };
            return run.Execute(outDir, statePath);
        }

        public TimeSpan Elapsed => _clock.Elapsed;

        public CancellationToken Token => _token;

        public void Report(TrainingProgress progress) => _progress?.Invoke(progress);
    }

    /// <summary>The epoch loop with its buffers.</summary>
    private sealed class Loop(Session session, ISegmentationModel model, Adam adam, ReduceLrOnPlateau plateau, TrainingOptions options,
        SegmentationSample[] train, SegmentationSample[] validation, int tile, int validationSide, int stepsPerEpoch, string[] optimisedNames,
        IReadOnlyList<double>? classWeights)
    {
        private readonly Parameter[] _allTrainable = model.NamedParameters().Select(p => p.Parameter).Where(p => p.Trainable).ToArray();
        private readonly SegmentationLoss _loss = new(options.Loss, options.Classes.LogitChannels(), classWeights);
        private readonly int _logitChannels = options.Classes.LogitChannels();
        private readonly IReadOnlyList<string>? _logClasses = options.Classes == ClassScheme.Binary ? null : options.Classes.ClassNames();
        private readonly Augmenter _augmenter = new(options.Augmentation, tile);

        public required ModelArchitecture Architecture { get; init; }
        public required DatasetInfo Info { get; init; }
        public required string DataDirectory { get; init; }
        public required string? InitFrom { get; init; }
        public required TrainingState State { get; set; }
        public required Func<SegmentationSample[]> TestSamples { get; init; }

        public TrainingResult Execute(string outDir, string statePath)
        {
            var s = State;
            int channels = Architecture.InChannels, batch = options.BatchSize;
            var x = new Tensor(batch, channels, tile, tile);
            var y = new Tensor(batch, 1, tile, tile);
            var gradient = new Tensor(batch, _logitChannels, tile, tile);
            int epoch = s.Epoch, stepInEpoch = s.StepInEpoch;
            long globalStep = s.GlobalStep;
            double lossSum = s.PartialLossSum, secondsBefore = s.Seconds;
            int lossCount = s.PartialLossCount, bestEpoch = s.BestEpoch, withoutImprovement = s.EpochsWithoutImprovement;
            double best = s.BestMeanIoU, bestF1 = s.BestF1, completeBest = s.History.Where(r => r.Complete).Select(r => r.ValidationMeanIoU).DefaultIfEmpty(double.NaN).Max();
            // The per-class IoU of the best epoch (K classes): the first log row that reached the best mIoU.
            IReadOnlyList<double>? bestClassIoU = s.History.FirstOrDefault(r => r.ValidationMeanIoU == best)?.ValidationClassIoU;
            var history = new List<EpochRecord>(s.History);
            var stop = TrainingStop.Completed;
            double sessionStart = session.Elapsed.TotalSeconds;
            int sessionSteps = 0, validations = 0;
            double validationSeconds = 0;
            ModelConfig? config = File.Exists(Path.Combine(outDir, ModelConfig.FileName)) && bestEpoch > 0 ? TryReadConfig(outDir) : null;

            TimeSpan? Remaining()
            {
                if (sessionSteps == 0) return null;
                double perStep = (session.Elapsed.TotalSeconds - sessionStart - validationSeconds) / sessionSteps;
                double perValidation = validations > 0 ? validationSeconds / validations : perStep * Math.Max(1, validation.Length / (double)batch) / 3;
                long stepsLeft = (long)(options.Epochs - epoch) * stepsPerEpoch - stepInEpoch;
                double seconds = stepsLeft * perStep + (options.Epochs - epoch) * perValidation;
                if (options.MaxMinutes is double m) seconds = Math.Min(seconds, Math.Max(0, m * 60 - session.Elapsed.TotalSeconds) + perValidation);
                return TimeSpan.FromSeconds(Math.Max(0, seconds));
            }

            session.Report(new TrainingProgress(TrainingEvent.Started, epoch + 1, options.Epochs, stepInEpoch, stepsPerEpoch, globalStep,
                lossCount > 0 ? lossSum / lossCount : double.NaN, null, best, adam.LearningRate, session.Elapsed, null));

            // last.safetensors and the resume state, replaced atomically (the state last, as it is what --resume reads).
            void SaveResumeState(double seconds)
            {
                ModelCheckpoint.Save(Path.Combine(outDir, "last.safetensors"), model.NamedParameters());
                State = State with
                {
                    Epoch = epoch, StepInEpoch = stepInEpoch, GlobalStep = globalStep, AdamSteps = adam.StepCount, LearningRate = adam.LearningRate,
                    PlateauBest = plateau.Best, PlateauBadEpochs = plateau.BadEpochs, PlateauCooldown = plateau.CooldownLeft,
                    BestMeanIoU = best, BestF1 = bestF1, BestEpoch = bestEpoch, EpochsWithoutImprovement = withoutImprovement, Seconds = seconds,
                    PartialLossSum = lossSum, PartialLossCount = lossCount, History = history,
                };
                State.Save(statePath, model, adam, optimisedNames);
            }

            while (epoch < options.Epochs)
            {
                var order = EpochOrder(options.Seed, epoch, train.Length, stepsPerEpoch * batch);
                if (options.Schedule == LearningRateSchedule.Cosine)
                    adam.LearningRate = CosineSchedule.At(options.LearningRate, options.MinLearningRate, globalStep, (long)options.Epochs * stepsPerEpoch);
                double learningRate = adam.LearningRate;
                int newSteps = 0;
                while (stepInEpoch < stepsPerEpoch)
                {
                    if (options.Schedule == LearningRateSchedule.Cosine)
                        adam.LearningRate = CosineSchedule.At(options.LearningRate, options.MinLearningRate, globalStep, (long)options.Epochs * stepsPerEpoch);
                    FillBatch(order, epoch, stepInEpoch, x, y);
                    var logits = model.Forward(x, training: true);
                    double loss = _loss.Compute(logits, y, gradient);
                    if (!double.IsFinite(loss)) throw Diverged(outDir, $"the training loss became {loss} at epoch {epoch + 1}, step {stepInEpoch + 1}", learningRate, bestEpoch);
                    foreach (var p in _allTrainable) Array.Clear(p.Gradient.Data);
                    model.Backward(gradient);
                    adam.Step();
                    stepInEpoch++;
                    newSteps++;
                    globalStep++;
                    sessionSteps++;
                    lossSum += loss;
                    lossCount++;
                    session.Report(new TrainingProgress(TrainingEvent.Step, epoch + 1, options.Epochs, stepInEpoch, stepsPerEpoch, globalStep,
                        lossSum / lossCount, null, best, learningRate, session.Elapsed, Remaining()));
                    if (options.MaxMinutes is double minutes && session.Elapsed.TotalMinutes >= minutes)
                    {
                        stop = TrainingStop.TimeBudget;
                        break;
                    }
                    if (session.Token.IsCancellationRequested)
                    {
                        stop = TrainingStop.Cancelled;
                        break;
                    }
                }
                if (newSteps == 0) break; // cancelled or out of time before the first step: nothing new to save
                if (stop == TrainingStop.Cancelled)
                {
                    // Ctrl+C: save what --resume needs at once, without validating (the command line gives a cancelled
                    // command about two seconds before it ends the process).
                    SaveResumeState(secondsBefore + session.Elapsed.TotalSeconds);
                    break;
                }

                bool complete = stepInEpoch == stepsPerEpoch;
                double validationStart = session.Elapsed.TotalSeconds;
                var (validationLoss, meanIoUs, f1s, classIoU) = Evaluate(validation, [0.5]);
                double meanIoU = meanIoUs[0], f1 = f1s[0];
                validationSeconds += session.Elapsed.TotalSeconds - validationStart;
                validations++;
                if (!double.IsFinite(validationLoss))
                    throw Diverged(outDir, $"the validation loss became {validationLoss} after epoch {epoch + 1} (the weights are no longer finite)", learningRate, bestEpoch);
                double seconds = secondsBefore + session.Elapsed.TotalSeconds;
                var record = new EpochRecord(epoch + 1, globalStep, complete, lossSum / lossCount, validationLoss, meanIoU, f1, learningRate, seconds, classIoU);
                history.Add(record);

                if (double.IsNaN(best) || meanIoU > best)
                {
                    best = meanIoU;
                    bestF1 = f1;
                    bestEpoch = epoch + 1;
                    bestClassIoU = classIoU;
                    ModelCheckpoint.Save(Path.Combine(outDir, "model.safetensors"), model.NamedParameters());
                    config = BuildConfig(history, globalStep, best, bestF1, bestClassIoU, bestEpoch, seconds, null);
                    config.Write(Path.Combine(outDir, ModelConfig.FileName));
                }
                if (complete)
                {
                    bool improved = double.IsNaN(completeBest) || meanIoU > completeBest;
                    if (improved) completeBest = meanIoU;
                    withoutImprovement = improved ? 0 : withoutImprovement + 1;
                    if (options.Schedule == LearningRateSchedule.Plateau) plateau.Step(meanIoU);
                    epoch++;
                    stepInEpoch = 0;
                    lossSum = 0;
                    lossCount = 0;
                }
                SaveResumeState(seconds);
                TrainingLog.Write(outDir, history, stepsPerEpoch, _logClasses);
                session.Report(new TrainingProgress(TrainingEvent.EpochEnded, record.Epoch, options.Epochs, complete ? stepsPerEpoch : stepInEpoch, stepsPerEpoch,
                    globalStep, record.TrainLoss, record, best, adam.LearningRate, session.Elapsed, Remaining()));

                if (stop != TrainingStop.Completed) break;
                if (complete && withoutImprovement >= options.Patience)
                {
                    stop = TrainingStop.EarlyStopped;
                    break;
                }
            }

            double totalSeconds = State.Seconds;
            if (stop != TrainingStop.Cancelled && bestEpoch > 0)
            {
                // The held-out score of the saved (best) weights.
                double? testIoU = null, testF1 = null;
                IReadOnlyList<double>? testClassIoU = null;
                int testCount = 0;
                ModelCheckpoint.Load(Path.Combine(outDir, "model.safetensors"), model.NamedParameters());
                (double Threshold, double MeanIoU)? calibration = null;
                if (options.CalibrateThreshold && _logitChannels == 1 && validation.Length > 0)
                {
                    var (_, ious, _, _) = Evaluate(validation, CalibrationThresholds);
                    int bestIndex = Array.IndexOf(CalibrationThresholds, 0.5);
                    for (int i = 0; i < ious.Length; i++)
                        if (ious[i] > ious[bestIndex] + 1e-9) bestIndex = i; // 0.5 wins ties
                    calibration = (CalibrationThresholds[bestIndex], ious[bestIndex]);
                }
                if (options.TestImages > 0 && Info.TestCount > 0)
                {
                    var test = TestSamples();
                    var (_, iou, testDice, classIoU) = Evaluate(test, [calibration?.Threshold ?? 0.5]);
                    (testIoU, testF1, testClassIoU, testCount) = (iou[0], testDice[0], classIoU, test.Length);
                }
                config = BuildConfig(history, globalStep, best, bestF1, bestClassIoU, bestEpoch, totalSeconds, (testIoU, testF1, testClassIoU, testCount), calibration);
                config.Write(Path.Combine(outDir, ModelConfig.FileName));
            }
            config ??= BuildConfig(history, globalStep, best, bestF1, bestClassIoU, bestEpoch, totalSeconds, null);
            return new TrainingResult(stop, config, history, outDir);
        }

        /// <summary>Augments the batch of step <paramref name="step"/> into x and y, one sample per worker.</summary>
        private void FillBatch(int[] order, int epoch, int step, Tensor x, Tensor y)
        {
            int batch = x.N, imageSize = x.C * tile * tile, maskSize = tile * tile;
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads };
            Parallel.For(0, batch, parallel, b =>
            {
                int position = step * batch + b;
                _augmenter.Apply(train[order[position]], SampleRng(options.Seed, epoch, position),
                    x.Data.AsSpan(b * imageSize, imageSize), y.Data.AsSpan(b * maskSize, maskSize));
            });
        }

        /// <summary>Thresholds tried by the calibration: 0.10, 0.15, …, 0.90.</summary>
        private static readonly double[] CalibrationThresholds = Enumerable.Range(2, 17).Select(i => Math.Round(0.05 * i, 2)).ToArray();

        /// <summary>
        /// Loss, and mIoU and foreground F1 of the model in evaluation mode on central crops of <c>validationSide</c>² (the
        /// whole image when its sides are multiples of the size multiple). A binary model: at each probability threshold of
        /// <paramref name="thresholds"/>, each the mean over images of the per-image value (one forward pass serves every
        /// threshold); no class IoU. A K-class model: the argmax class map, scored per class with the intersections and
        /// unions pooled over all images (a class absent from some images has no per-image IoU); mIoU is the mean of
        /// the K class IoUs, background included, F1 the mean Dice of the foreground classes (one value, whatever the
        /// thresholds). The loss is the mean over images of the per-image loss.
        /// </summary>
        private (double Loss, double[] MeanIoU, double[] F1, double[]? ClassIoU) Evaluate(SegmentationSample[] samples, double[] thresholds)
        {
            int batch = options.BatchSize, side = validationSide, channels = Architecture.InChannels, plane = side * side, k = _logitChannels;
            var x = new Tensor(batch, channels, side, side);
            var y = new Tensor(batch, 1, side, side);
            var oneLogits = new Tensor(1, k, side, side);
            var oneTarget = new Tensor(1, 1, side, side);
            var probabilities = new float[plane];
            // p > t  ⇔  logit > ln(t / (1 − t)): thresholds compare on logits, no sigmoid needed.
            var cuts = thresholds.Select(t => (float)Math.Log(t / (1 - t))).ToArray();
            double lossSum = 0;
            var iouSums = new double[thresholds.Length];
            var f1Sums = new double[thresholds.Length];
            var classes = k > 1 ? new ClassPixelCounts(k) : null;
            for (int start = 0; start < samples.Length; start += batch)
            {
                int count = Math.Min(batch, samples.Length - start);
                for (int b = 0; b < batch; b++)
                {
                    // A short last batch repeats its first sample, so the buffers keep their shape; the copies are not scored.
                    var sample = samples[start + (b < count ? b : 0)];
                    CentralCrop(sample, side, x.Data.AsSpan(b * channels * plane, channels * plane), y.Data.AsSpan(b * plane, plane));
                }
                var logits = model.Forward(x, training: false);
                for (int b = 0; b < count; b++)
                {
                    logits.Data.AsSpan(b * k * plane, k * plane).CopyTo(oneLogits.Data);
                    y.Data.AsSpan(b * plane, plane).CopyTo(oneTarget.Data);
                    lossSum += _loss.Compute(oneLogits, oneTarget, null);
                    if (classes is not null)
                    {
                        classes.AddScores(oneLogits.Data, oneTarget.Data);
                        continue;
                    }
                    for (int t = 0; t < cuts.Length; t++)
                    {
                        for (int i = 0; i < plane; i++) probabilities[i] = oneLogits.Data[i] > cuts[t] ? 1 : 0;
                        var counts = PixelCounts.Of(probabilities, oneTarget.Data);
                        iouSums[t] += counts.MeanIoU;
                        f1Sums[t] += counts.Dice;
                    }
                }
            }
            double loss = lossSum / samples.Length;
            if (classes is not null)
            {
                var iou = classes.IoU();
                return (loss, [iou.Average()], [classes.ForegroundDice()], iou);
            }
            return (loss, iouSums.Select(v => v / samples.Length).ToArray(), f1Sums.Select(v => v / samples.Length).ToArray(), null);
        }

        private static void CentralCrop(SegmentationSample sample, int side, Span<float> image, Span<float> mask)
        {
            int x0 = (sample.Width - side) / 2, y0 = (sample.Height - side) / 2, size = sample.Width * sample.Height;
            for (int c = 0; c < sample.Channels; c++)
                for (int r = 0; r < side; r++)
                    sample.Image.AsSpan(c * size + (y0 + r) * sample.Width + x0, side).CopyTo(image.Slice((c * side + r) * side, side));
            for (int r = 0; r < side; r++)
            {
                var source = sample.Mask.AsSpan((y0 + r) * sample.Width + x0, side);
                var target = mask.Slice(r * side, side);
                for (int i = 0; i < side; i++) target[i] = source[i];
            }
        }

        private ModelConfig BuildConfig(List<EpochRecord> history, long steps, double best, double bestF1, IReadOnlyList<double>? bestClassIoU, int bestEpoch,
            double seconds, (double? IoU, double? F1, IReadOnlyList<double>? ClassIoU, int Count)? test, (double Threshold, double MeanIoU)? calibration = null) => new()
        {
            Threshold = calibration?.Threshold ?? 0.5,
            Architecture = Architecture,
            Classes = options.Classes.ClassNames(),
            Normalization = options.Normalization,
            PixelSizeNm = Math.Round(Info.PixelSizeNm, 3), // TIFF resolutions are rationals: 41.99999999720603 → 42
            Preset = Info.Preset,
            Training = new TrainingProvenance
            {
                Data = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(DataDirectory))),
                TrainSamples = train.Length,
                ValidationSamples = validation.Length,
                TestSamples = test?.Count ?? 0,
                EpochsRun = history.Count(r => r.Complete) + (history.Count > 0 && !history[^1].Complete ? 1 : 0),
                Steps = steps,
                BestEpoch = bestEpoch,
                BestValidationMeanIoU = best,
                BestValidationF1 = bestF1,
                BestValidationClassIoU = bestClassIoU,
                TestMeanIoU = test?.IoU,
                TestF1 = test?.F1,
                TestClassIoU = test?.ClassIoU,
                ClassWeights = classWeights,
                Seed = options.Seed,
                TileSize = tile,
                BatchSize = options.BatchSize,
                LearningRate = options.LearningRate,
                Augmentations = options.Augmentation.EnabledNames(),
                Loss = options.Loss.Describe(options.Classes),
                Schedule = options.Schedule.ToString().ToLowerInvariant(),
                InitializedFrom = InitFrom is null ? null : Path.GetFileName(Path.TrimEndingDirectorySeparator(InitFrom)),
                FrozenEncoder = options.FreezeEncoder,
                ThresholdCalibrated = calibration is not null,
                CalibratedValidationMeanIoU = calibration?.MeanIoU,
                Seconds = Math.Round(seconds, 1),
                Date = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                SimSegVersion = ModelBundle.SimSegVersion,
            },
        };

        private static ModelConfig? TryReadConfig(string outDir)
        {
            try
            {
                return ModelConfig.Read(Path.Combine(outDir, ModelConfig.FileName));
            }
            catch (InvalidDataException)
            {
                return null;
            }
        }

        private static TrainingDivergedException Diverged(string outDir, string what, double learningRate, int bestEpoch) =>
            new($"training diverged: {what} (learning rate {learningRate:g3}); try a lower --lr. " +
                (bestEpoch > 0 ? $"The last good checkpoint is kept in {outDir}." : "No checkpoint had been written yet."));
    }
}
