using SimSeg.Analysis.Classification;
using SimSeg.Segmentation.Metrics;
using SimSeg.Segmentation.Models;
using SimSeg.Segmentation.Training;

namespace SimSeg.Segmentation.Demo;

/// <summary>
/// Settings of <see cref="DemoPipeline"/>. The defaults are those of <c>simseg demo</c>: the epi1-mixed preset
/// (mitochondria and vesicles, widefield), a training set sized to the time budget, a plain U-Net of 16 channels and
/// depth 3 trained for most of the budget, a 1024 × 1024 cell image. Tests shrink every size with <c>with</c>.
/// </summary>
public sealed record DemoOptions
{
    /// <summary>Folder for every product (created; a previous demo's products in it are replaced).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Wall-clock budget of the whole run, minutes (default 10): training gets what the other stages leave.</summary>
    public double Minutes { get; init; } = 10;

    /// <summary>Master seed of the training set, the cell image and the training (default 1).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Side of the simulated cell image, pixels (default 1024).</summary>
    public int CellSize { get; init; } = 1024;

    /// <summary>Worker threads (default: all cores).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Preset name or file (default "epi1-mixed": mitochondria and vesicles under the Epi1 widefield microscope).</summary>
    public string Preset { get; init; } = "epi1-mixed";

    /// <summary>Simulated training images (80% train, 20% validation); null: 150 per budget minute, between 100 and 1500.</summary>
    public int? TrainingImages { get; init; }

    /// <summary>Side of a training image, pixels (default 128, PhySeg's tile).</summary>
    public int TileSize { get; init; } = 128;

    /// <summary>The network (default: plain U-Net, 16 channels, depth 3).</summary>
    public ModelArchitecture Architecture { get; init; } = new() { Name = "unet", BaseChannels = 16, Depth = 3 };

    /// <summary>Images per training step (default 16).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Most epochs (default 1000: the time budget or early stopping ends training first).</summary>
    public int Epochs { get; init; } = 1000;

    /// <summary>Validation images scored after each epoch (default 128, to keep validation cheap).</summary>
    public int ValidationImages { get; init; } = 128;

    /// <summary>
    /// Objects of the cell image relative to the preset's density (default 0.5): the mean number of mitochondria and
    /// vesicles of a training tile, scaled to the cell's area and multiplied by this factor (at least one of each).
    /// </summary>
    public double CellDensity { get; init; } = 0.5;

    /// <summary>Longer side of the pictures in the report, pixels (default 512; larger images are shrunk by block averages).</summary>
    public int DisplaySize { get; init; } = 512;

    /// <summary>The command that started the run, shown in the report's "how this was made"; null for none.</summary>
    public string? CommandLine { get; init; }

    /// <summary>The training images simulated: <see cref="TrainingImages"/> or 150 per budget minute, clamped to 100–1500.</summary>
    public int PlannedTrainingImages => TrainingImages ?? (int)Math.Clamp(Math.Round(150 * Minutes), 100, 1500);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting, its value and what is accepted.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(OutputDirectory, nameof(OutputDirectory));
        if (!(Minutes > 0) || !double.IsFinite(Minutes) || Minutes > 24 * 60)
            throw new ArgumentException($"--minutes must be a number of minutes > 0 (at most 1440), got {Minutes}.", nameof(Minutes));
        if (CellSize is < 64 or > 8192) throw new ArgumentException($"--size must be 64-8192 pixels, got {CellSize}.", nameof(CellSize));
        if (Threads < 1) throw new ArgumentException($"--threads must be >= 1, got {Threads}.", nameof(Threads));
        ArgumentException.ThrowIfNullOrWhiteSpace(Preset, nameof(Preset));
        if (TrainingImages is < 10 or > 100_000) throw new ArgumentException($"the training images must be 10-100000, got {TrainingImages}.", nameof(TrainingImages));
        ModelFactory.Validate(Architecture);
        int multiple = 1 << Architecture.Depth;
        if (TileSize < multiple || TileSize % multiple != 0 || TileSize > 1024)
            throw new ArgumentException($"the training tile must be a multiple of {multiple} (2^depth) up to 1024 pixels, got {TileSize}.", nameof(TileSize));
        if (BatchSize is < 2 or > 256) throw new ArgumentException($"the batch must be 2-256 images, got {BatchSize}.", nameof(BatchSize));
        if (Epochs < 1) throw new ArgumentException($"the epochs must be >= 1, got {Epochs}.", nameof(Epochs));
        if (ValidationImages < 1) throw new ArgumentException($"the validation images must be >= 1, got {ValidationImages}.", nameof(ValidationImages));
        if (!(CellDensity > 0) || !double.IsFinite(CellDensity) || CellDensity > 10)
            throw new ArgumentException($"the cell density factor must be in (0, 10], got {CellDensity}.", nameof(CellDensity));
        if (DisplaySize is < 64 or > 4096) throw new ArgumentException($"the display size must be 64-4096 pixels, got {DisplaySize}.", nameof(DisplaySize));
    }
}

/// <summary>The stages of a demo run, in the order they run.</summary>
public enum DemoStage
{
    /// <summary>Simulating the training set.</summary>
    SimulateTrainingSet,

    /// <summary>Simulating the cell image and its physics ground truth.</summary>
    SimulateCell,

    /// <summary>Segmenting the cell with the classical baselines and scoring them.</summary>
    Baselines,

    /// <summary>Training the U-Net under the time left.</summary>
    Train,

    /// <summary>Segmenting the cell with the U-Net (tiled inference) and scoring it.</summary>
    SegmentUNet,

    /// <summary>Morphology analytics of the U-Net mask and of the ground truth.</summary>
    Analyze,

    /// <summary>Writing report.html.</summary>
    Report,
}

/// <summary>A progress line of a demo run.</summary>
/// <param name="Stage">The stage it is about.</param>
/// <param name="Message">What happened, one line.</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Budget">The run's budget.</param>
public sealed record DemoProgress(DemoStage Stage, string Message, TimeSpan Elapsed, TimeSpan Budget)
{
    /// <summary>1-based position of the stage and the number of stages, e.g. "4/7".</summary>
    public string Step => $"{(int)Stage + 1}/{Enum.GetValues<DemoStage>().Length}";
}

/// <summary>One segmentation method applied to the cell.</summary>
/// <param name="Name">Short name: unet, otsu, adaptive, mitometer.</param>
/// <param name="Label">Name for people: "U-Net", "Otsu", ….</param>
/// <param name="Description">Its settings, one line.</param>
/// <param name="Score">Scores against the physics ground truth.</param>
/// <param name="Seconds">Time to segment the cell, seconds.</param>
/// <param name="MaskPath">The mask written (uint8 0/1 TIFF).</param>
public sealed record DemoMethod(string Name, string Label, string Description, SegmentationScore Score, double Seconds, string MaskPath);

/// <summary>How long a stage took.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Seconds">Wall-clock seconds.</param>
/// <param name="Detail">What it did, e.g. "1500 images of 128²".</param>
public sealed record DemoTiming(DemoStage Stage, double Seconds, string Detail);

/// <summary>The simulated cell image.</summary>
/// <param name="Width">Columns, pixels.</param>
/// <param name="Height">Rows, pixels.</param>
/// <param name="PixelSizeNm">Pixel size, nm.</param>
/// <param name="Mitochondria">Mitochondria placed.</param>
/// <param name="Vesicles">Vesicles placed.</param>
/// <param name="Emitters">Fluorophores labelling them.</param>
/// <param name="BackgroundPhotons">Background level drawn for the camera, photons per pixel.</param>
/// <param name="SignalToBackground">Signal-to-background ratio drawn.</param>
/// <param name="ForegroundFraction">Share of pixels in the physics ground truth.</param>
public sealed record DemoCell(int Width, int Height, double PixelSizeNm, int Mitochondria, int Vesicles, int Emitters,
    double BackgroundPhotons, double SignalToBackground, double ForegroundFraction);

/// <summary>What a demo run did and where it wrote it.</summary>
/// <param name="Options">The settings.</param>
/// <param name="ReportPath">report.html.</param>
/// <param name="Methods">Every method with its scores: the U-Net first, then the baselines.</param>
/// <param name="Timings">Seconds per stage.</param>
/// <param name="Training">The training run (model folder, history, why it stopped).</param>
/// <param name="Cell">The cell image.</param>
/// <param name="UNetAnalysis">Morphology of the U-Net mask.</param>
/// <param name="TruthAnalysis">Morphology of the ground-truth mask.</param>
/// <param name="TrainingImages">Images simulated for training (train and validation).</param>
/// <param name="Seconds">Wall-clock seconds of the whole run.</param>
public sealed record DemoResult(DemoOptions Options, string ReportPath, IReadOnlyList<DemoMethod> Methods, IReadOnlyList<DemoTiming> Timings,
    TrainingResult Training, DemoCell Cell, ImageAnalysis UNetAnalysis, ImageAnalysis TruthAnalysis, int TrainingImages, double Seconds)
{
    /// <summary>The U-Net.</summary>
    public DemoMethod UNet => Methods.First(m => m.Name == "unet");

    /// <summary>The baseline with the highest mIoU.</summary>
    public DemoMethod BestBaseline => Methods.Where(m => m.Name != "unet").MaxBy(m => m.Score.MeanIoU)!;

    /// <summary>True when the run took longer than its budget.</summary>
    public bool OverBudget => Seconds > Options.Minutes * 60;
}
