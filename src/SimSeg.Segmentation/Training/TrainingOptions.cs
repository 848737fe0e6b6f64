using SimSeg.Segmentation.Models;

namespace SimSeg.Segmentation.Training;

/// <summary>
/// Settings of a training run. The defaults follow PhySeg (Dice + focal loss, Adam, 20 epochs, learning-rate
/// reduction and early stopping on validation mIoU, flip and rotation augmentation) except the batch (16 rather
/// than 32, for CPU memory) and the learning rate: 1e-3 rather than PhySeg's 1e-4, which trains and fine-tunes
/// more slowly within the minutes a CPU run gets (docs/BENCHMARKS.md, transfer learning).
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>
    /// What the model segments (default <see cref="ClassScheme.Binary"/>: foreground from masks/, one sigmoid logit;
    /// <see cref="ClassScheme.MitoVesicle"/>: background, mitochondrion and vesicle from classes/, three softmax logits).
    /// </summary>
    public ClassScheme Classes { get; init; } = ClassScheme.Binary;

    /// <summary>Epochs to run at most (default 20).</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>Images per optimiser step (default 16).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Initial Adam learning rate (default 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Master seed: weights, sample order and augmentation all derive from it (default 1).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Side of the random training crops, pixels; null for the dataset's image size. A multiple of the model's size multiple.</summary>
    public int? TileSize { get; init; }

    /// <summary>Steps per epoch; null for one pass over the training set (⌈samples / batch⌉).</summary>
    public int? StepsPerEpoch { get; init; }

    /// <summary>Validation images scored after each epoch (the first ones of the val split; default 256).</summary>
    public int ValidationImages { get; init; } = 256;

    /// <summary>Test images scored with the best weights at the end (the first ones of the test split; default 256, 0 for none).</summary>
    public int TestImages { get; init; } = 256;

    /// <summary>Epochs without a better validation mIoU before training stops (default 8).</summary>
    public int Patience { get; init; } = 8;

    /// <summary>
    /// How the learning rate moves: <see cref="LearningRateSchedule.Plateau"/> (default) halves it when the validation mIoU
    /// stalls; <see cref="LearningRateSchedule.Cosine"/> lowers it every step along a half cosine from <see cref="LearningRate"/>
    /// to <see cref="MinLearningRate"/> over Epochs × steps per epoch.
    /// </summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Plateau;

    /// <summary>Epochs without a better validation mIoU before the learning rate is reduced (default 2; plateau schedule).</summary>
    public int LearningRatePatience { get; init; } = 2;

    /// <summary>Factor of each learning-rate reduction (default 0.5).</summary>
    public double LearningRateFactor { get; init; } = 0.5;

    /// <summary>Floor of the learning rate (default 1e-6).</summary>
    public double MinLearningRate { get; init; } = 1e-6;

    /// <summary>Wall-clock budget in minutes; training stops cleanly after the step that crosses it (null: none).</summary>
    public double? MaxMinutes { get; init; }

    /// <summary>Keep the encoder's weights fixed (transfer learning); see <see cref="ModelFactory.EncoderPrefix"/>.</summary>
    public bool FreezeEncoder { get; init; }

    /// <summary>
    /// After training, choose the probability threshold (0.10, 0.15, …, 0.90) that gives the saved weights the best
    /// mean validation mIoU, and write it into config.json for inference (default true; false keeps 0.5). The test
    /// split is scored at the chosen threshold, so it stays held out. Binary models only: a K-class model takes the
    /// most probable class of each pixel and ignores this setting.
    /// </summary>
    public bool CalibrateThreshold { get; init; } = true;

    /// <summary>Loss terms and weights.</summary>
    public LossOptions Loss { get; init; } = new();

    /// <summary>Augmentation of the training crops.</summary>
    public AugmentationOptions Augmentation { get; init; } = new();

    /// <summary>Input normalisation (stored in config.json for inference).</summary>
    public NormalizationOptions Normalization { get; init; } = new();

    /// <summary>Worker threads (default: all cores); the result does not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Epochs is < 1 or > 100_000) throw new ArgumentException($"--epochs must be 1-100000, got {Epochs}.", nameof(Epochs));
        if (BatchSize is < 2 or > 4096) throw new ArgumentException($"--batch must be 2-4096 (batch norm needs at least two images), got {BatchSize}.", nameof(BatchSize));
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"--lr must be a finite number > 0, got {LearningRate}.", nameof(LearningRate));
        if (TileSize is < 8 or > 8192) throw new ArgumentException($"--tile-size must be 8-8192 pixels, got {TileSize}.", nameof(TileSize));
        if (StepsPerEpoch is < 1) throw new ArgumentException($"--steps-per-epoch must be >= 1, got {StepsPerEpoch}.", nameof(StepsPerEpoch));
        if (ValidationImages < 1) throw new ArgumentException($"--val-images must be >= 1, got {ValidationImages}.", nameof(ValidationImages));
        if (TestImages < 0) throw new ArgumentException($"--test-images must be >= 0, got {TestImages}.", nameof(TestImages));
        if (Patience < 1) throw new ArgumentException($"--patience must be >= 1 epoch, got {Patience}.", nameof(Patience));
        if (LearningRatePatience < 0) throw new ArgumentException($"--lr-patience must be >= 0 epochs, got {LearningRatePatience}.", nameof(LearningRatePatience));
        if (!(LearningRateFactor > 0 && LearningRateFactor < 1)) throw new ArgumentException($"--lr-factor must lie in (0, 1), got {LearningRateFactor}.", nameof(LearningRateFactor));
        if (!(MinLearningRate >= 0) || MinLearningRate > LearningRate) throw new ArgumentException($"the minimum learning rate must lie in [0, --lr], got {MinLearningRate}.", nameof(MinLearningRate));
        if (MaxMinutes is double m && (!(m > 0) || double.IsInfinity(m))) throw new ArgumentException($"--max-minutes must be a finite number > 0, got {m}.", nameof(MaxMinutes));
        if (Threads < 1) throw new ArgumentException($"--threads must be >= 1, got {Threads}.", nameof(Threads));
        if (!Enum.IsDefined(Classes)) throw new ArgumentException($"--classes must be one of {string.Join(", ", ClassSchemes.CliNames)}, got {Classes}.", nameof(Classes));
        (Loss ?? throw new ArgumentException("loss options are missing.", nameof(Loss))).Validate(Classes);
        (Augmentation ?? throw new ArgumentException("augmentation options are missing.", nameof(Augmentation))).Validate();
        (Normalization ?? throw new ArgumentException("normalisation options are missing.", nameof(Normalization))).Validate();
    }
}

/// <summary>What to train and where to put it.</summary>
public sealed record TrainingJob
{
    /// <summary>Dataset folder (a <c>simseg simulate</c> output); may be null when resuming (the saved one is used).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Model folder to write (created if missing).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Network to build; its input channels are set from the dataset. Ignored with <see cref="InitFrom"/> (that model's architecture is used) and when resuming.</summary>
    public ModelArchitecture Architecture { get; init; } = new();

    /// <summary>Settings; when resuming, only Epochs, MaxMinutes and Threads are taken from here, the rest from the saved run.</summary>
    public TrainingOptions Options { get; init; } = new();

    /// <summary>A model folder whose weights start the training (transfer learning), or null for random weights.</summary>
    public string? InitFrom { get; init; }

    /// <summary>Continue the run saved in <see cref="OutputDirectory"/> (weights, optimiser, schedule, epoch, random state).</summary>
    public bool Resume { get; init; }
}

/// <summary>What a progress report is about.</summary>
public enum TrainingEvent
{
    /// <summary>The run starts (or resumes); the totals are known.</summary>
    Started,

    /// <summary>An optimiser step finished.</summary>
    Step,

    /// <summary>An epoch (or the partial epoch ended by the time budget) was validated and saved.</summary>
    EpochEnded,
}

/// <summary>A progress report of <see cref="Trainer.Run"/>.</summary>
/// <param name="Event">What happened.</param>
/// <param name="Epoch">Current epoch, 1-based.</param>
/// <param name="Epochs">Epochs planned.</param>
/// <param name="Step">Steps done in the current epoch.</param>
/// <param name="StepsPerEpoch">Steps per epoch.</param>
/// <param name="GlobalStep">Steps done in the whole run.</param>
/// <param name="TrainLoss">Mean training loss of the current epoch so far.</param>
/// <param name="Record">The epoch's log row (for <see cref="TrainingEvent.EpochEnded"/>), else null.</param>
/// <param name="BestMeanIoU">Best validation mIoU so far (NaN before the first validation).</param>
/// <param name="LearningRate">Current learning rate.</param>
/// <param name="Elapsed">Training time of this session.</param>
/// <param name="Remaining">Estimated time to the planned end (or the time budget), or null before it can be estimated.</param>
public sealed record TrainingProgress(TrainingEvent Event, int Epoch, int Epochs, int Step, int StepsPerEpoch, long GlobalStep, double TrainLoss,
    EpochRecord? Record, double BestMeanIoU, double LearningRate, TimeSpan Elapsed, TimeSpan? Remaining);

/// <summary>One row of train-log.csv.</summary>
/// <param name="Epoch">Epoch, 1-based.</param>
/// <param name="Step">Steps done in the whole run when the row was written.</param>
/// <param name="Complete">False for a partial epoch stopped by the time budget or a cancellation.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's steps so far (a resumed epoch includes the steps before the interruption).</param>
/// <param name="ValidationLoss">Loss on the validation images.</param>
/// <param name="ValidationMeanIoU">Mean over validation images of their mIoU.</param>
/// <param name="ValidationF1">Mean over validation images of their foreground F1 (Dice).</param>
/// <param name="LearningRate">Learning rate during the epoch.</param>
/// <param name="Seconds">Training time since the run started (all sessions), seconds.</param>
/// <param name="ValidationClassIoU">K-class models: the IoU of each class (background first) pooled over the validation images; null for binary models.</param>
/// <remarks>
/// For a K-class model <paramref name="ValidationMeanIoU"/> is the mean of <paramref name="ValidationClassIoU"/> and
/// <paramref name="ValidationF1"/> the mean Dice of the foreground classes, each pooled over the validation images.
/// </remarks>
public sealed record EpochRecord(int Epoch, long Step, bool Complete, double TrainLoss, double ValidationLoss, double ValidationMeanIoU,
    double ValidationF1, double LearningRate, double Seconds, IReadOnlyList<double>? ValidationClassIoU = null);

/// <summary>How a training run ended.</summary>
public enum TrainingStop
{
    /// <summary>All planned epochs ran.</summary>
    Completed,

    /// <summary>The validation mIoU stopped improving for Patience epochs.</summary>
    EarlyStopped,

    /// <summary>The time budget ran out.</summary>
    TimeBudget,

    /// <summary>The caller cancelled; the state was saved and the run can be resumed.</summary>
    Cancelled,
}

/// <summary>The outcome of <see cref="Trainer.Run"/>.</summary>
/// <param name="Stop">Why training ended.</param>
/// <param name="Config">The config.json written (of the best weights).</param>
/// <param name="History">Every log row of the run.</param>
/// <param name="OutputDirectory">The model folder.</param>
public sealed record TrainingResult(TrainingStop Stop, ModelConfig Config, IReadOnlyList<EpochRecord> History, string OutputDirectory);

/// <summary>Training stopped because the loss or the weights became NaN or infinite; the last good checkpoint is kept.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);

/// <summary>How <see cref="Trainer"/> moves the learning rate.</summary>
public enum LearningRateSchedule
{
    /// <summary>Reduce by <see cref="TrainingOptions.LearningRateFactor"/> after <see cref="TrainingOptions.LearningRatePatience"/> epochs without a better validation mIoU.</summary>
    Plateau,

    /// <summary>A half cosine per step from the initial rate to the minimum over all planned steps (Loshchilov &amp; Hutter, SGDR, without restarts).</summary>
    Cosine,
}
