using System.Text.Json;
using System.Text.Json.Serialization;
using SimSeg.Core.IO;
using SimSeg.Segmentation.Training;

namespace SimSeg.Segmentation.Models;

/// <summary>
/// config.json of a model folder: everything needed to rebuild the network and feed it images as in training
/// (architecture, normalisation, pixel size, classes, threshold), and where the weights came from. A binary model
/// has one logit channel (sigmoid foreground probability, cut at <see cref="Threshold"/>); a K-class model has
/// K = <see cref="ModelArchitecture.OutChannels"/> logit channels, one per entry of <see cref="Classes"/> (softmax,
/// the class map is the argmax).
/// </summary>
public sealed record ModelConfig
{
    /// <summary>The file name inside a model folder.</summary>
    public const string FileName = "config.json";

    /// <summary>Identifies the file ("simseg-model").</summary>
    public string Format { get; init; } = "simseg-model";

    /// <summary>Version of this layout (1).</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>Network name and hyper-parameters.</summary>
    public ModelArchitecture Architecture { get; init; } = new();

    /// <summary>Per-image input normalisation used in training and to be used at inference.</summary>
    public NormalizationOptions Normalization { get; init; } = new();

    /// <summary>Pixel size of the training images, nm (0 when unknown); images at another pixel size may need resampling.</summary>
    public double PixelSizeNm { get; init; }

    /// <summary>Simulation preset of the training data (e.g. "epi1-mito"), or null.</summary>
    public string? Preset { get; init; }

    /// <summary>
    /// The class names, index = value in the class map, background first: ["background", "foreground"] for a binary
    /// model (null in config files written before classes were recorded), K names for a K-class model, e.g.
    /// ["background", "mitochondrion", "vesicle"].
    /// </summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>The number of classes K, background included (2 for a binary model). Written for readers; computed from <see cref="Classes"/>.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary><see cref="Classes"/>, or ["background", "foreground"] when it is null.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> ClassNames => Classes ?? ClassScheme.Binary.ClassNames();

    /// <summary>True for a K-class (softmax) model, false for a binary (sigmoid) one.</summary>
    [JsonIgnore]
    public bool IsMultiClass => Architecture.OutChannels > 1;

    /// <summary>Probability above which a pixel is foreground (default 0.5; binary models only, K-class models take the most probable class).</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>Weights file inside the folder (default "model.safetensors", the best epoch).</summary>
    public string Checkpoint { get; init; } = "model.safetensors";

    /// <summary>How the weights were trained, or null for a model made by hand.</summary>
    public TrainingProvenance? Training { get; init; }

    /// <summary>The JSON settings of config.json and the training state: camelCase, indented, enums in kebab case.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        if (Format != "simseg-model") throw new ArgumentException($"format must be 'simseg-model', got '{Format}'.", nameof(Format));
        if (FormatVersion != 1) throw new ArgumentException($"formatVersion {FormatVersion} is not supported (this SimSeg reads version 1).", nameof(FormatVersion));
        ModelFactory.Validate(Architecture ?? throw new ArgumentException("architecture is missing.", nameof(Architecture)));
        (Normalization ?? throw new ArgumentException("normalization is missing.", nameof(Normalization))).Validate();
        if (!(Threshold > 0 && Threshold < 1)) throw new ArgumentException($"threshold must lie in (0, 1), got {Threshold}.", nameof(Threshold));
        if (Classes is not null)
        {
            int expected = Architecture.OutChannels == 1 ? 2 : Architecture.OutChannels;
            if (Classes.Count != expected)
                throw new ArgumentException($"classes lists {Classes.Count} name(s) but the model has {Architecture.OutChannels} output channel(s), so {expected} classes.", nameof(Classes));
            if (Classes.Any(string.IsNullOrWhiteSpace) || Classes.Distinct(StringComparer.Ordinal).Count() != Classes.Count)
                throw new ArgumentException($"classes must be distinct non-empty names, got [{string.Join(", ", Classes)}].", nameof(Classes));
        }
        else if (Architecture.OutChannels > 1)
        {
            throw new ArgumentException($"a model with {Architecture.OutChannels} output channels needs 'classes', one name per channel.", nameof(Classes));
        }
        if (!(PixelSizeNm >= 0) || double.IsInfinity(PixelSizeNm)) throw new ArgumentException($"pixelSizeNm must be finite and >= 0, got {PixelSizeNm}.", nameof(PixelSizeNm));
        if (string.IsNullOrWhiteSpace(Checkpoint) || Path.GetFileName(Checkpoint) != Checkpoint)
            throw new ArgumentException($"checkpoint must be a file name inside the model folder, got '{Checkpoint}'.", nameof(Checkpoint));
    }

    /// <summary>Writes the config as JSON to <paramref name="path"/> atomically.</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions) + "\n");

    /// <summary>Reads and validates a config.json.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">It is not valid JSON or not a valid model config; the message names the file.</exception>
    public static ModelConfig Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"model config not found: {path}", path);
        ModelConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<ModelConfig>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a valid model config: {ex.Message}", ex);
        }
        if (config is null) throw new InvalidDataException($"{path}: not a valid model config: the file holds null.");
        try
        {
            config.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message.Split(" (Parameter")[0]}", ex);
        }
        return config;
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            AllowTrailingCommas = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // "1.0.0+abc", not "1.0.0\u002Babc"
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        return options;
    }
}

/// <summary>Where a model's weights came from (written by the trainer).</summary>
public sealed record TrainingProvenance
{
    /// <summary>Name of the training data folder.</summary>
    public string Data { get; init; } = "";

    /// <summary>Training samples.</summary>
    public int TrainSamples { get; init; }

    /// <summary>Validation samples scored each epoch.</summary>
    public int ValidationSamples { get; init; }

    /// <summary>Test samples scored at the end (0 when the dataset has none).</summary>
    public int TestSamples { get; init; }

    /// <summary>Epochs completed (a final partial epoch counts when the time budget stopped it).</summary>
    public int EpochsRun { get; init; }

    /// <summary>Optimiser steps taken.</summary>
    public long Steps { get; init; }

    /// <summary>Epoch (1-based) of the saved weights: the one with the best validation mIoU.</summary>
    public int BestEpoch { get; init; }

    /// <summary>Validation mIoU of the saved weights (binary: mean over images of the foreground/background mean; K classes: mean over the classes of their IoU pooled over the images).</summary>
    public double BestValidationMeanIoU { get; init; }

    /// <summary>Validation foreground F1 (Dice) of the saved weights (K classes: the mean Dice of the foreground classes).</summary>
    public double BestValidationF1 { get; init; }

    /// <summary>K-class models: validation IoU of each class of the saved weights, in class order; null for binary models.</summary>
    public IReadOnlyList<double>? BestValidationClassIoU { get; init; }

    /// <summary>Whether the threshold in the config was chosen on the validation split (false: the default 0.5).</summary>
    public bool ThresholdCalibrated { get; init; }

    /// <summary>Validation mIoU of the saved weights at the calibrated threshold (null when not calibrated).</summary>
    public double? CalibratedValidationMeanIoU { get; init; }

    /// <summary>Test mIoU of the saved weights, or null when not measured.</summary>
    public double? TestMeanIoU { get; init; }

    /// <summary>Test foreground F1 of the saved weights, or null when not measured.</summary>
    public double? TestF1 { get; init; }

    /// <summary>K-class models: test IoU of each class of the saved weights, in class order; null for binary models or when not measured.</summary>
    public IReadOnlyList<double>? TestClassIoU { get; init; }

    /// <summary>K-class models: the class weights of the cross-entropy, in class order; null when the classes were not weighted.</summary>
    public IReadOnlyList<double>? ClassWeights { get; init; }

    /// <summary>Master seed of the run.</summary>
    public ulong Seed { get; init; }

    /// <summary>Training crop side, pixels.</summary>
    public int TileSize { get; init; }

    /// <summary>Images per step.</summary>
    public int BatchSize { get; init; }

    /// <summary>Initial learning rate.</summary>
    public double LearningRate { get; init; }

    /// <summary>Augmentations that were on.</summary>
    public IReadOnlyList<string> Augmentations { get; init; } = [];

    /// <summary>The loss terms and their weights, e.g. "dice 1 + focal 1"; null in configs written before it was recorded.</summary>
    public string? Loss { get; init; }

    /// <summary>The learning-rate schedule (plateau or cosine); null in configs written before it was recorded.</summary>
    public string? Schedule { get; init; }

    /// <summary>Name of the model folder the weights started from (transfer learning), or null.</summary>
    public string? InitializedFrom { get; init; }

    /// <summary>True when the encoder was frozen.</summary>
    public bool FrozenEncoder { get; init; }

    /// <summary>Wall-clock training time, seconds (all sessions of a resumed run).</summary>
    public double Seconds { get; init; }

    /// <summary>When the weights were last written, UTC ISO 8601.</summary>
    public string Date { get; init; } = "";

    /// <summary>SimSeg version that trained the model.</summary>
    public string SimSegVersion { get; init; } = "";
}
