using System.Text.Json;
using SimSeg.Core.IO;
using SimSeg.Neural;
using SimSeg.Neural.Checkpoints;
using SimSeg.Neural.Models;
using SimSeg.Neural.Optimizers;
using SimSeg.Segmentation.Models;

namespace SimSeg.Segmentation.Training;

/// <summary>
/// Everything a resumed run needs besides the data, saved as one safetensors file (train-state.safetensors, written
/// atomically at the end of every epoch and when the time budget stops a run): the model's parameters and buffers
/// ("model/NAME"), Adam's moments ("adam.m/NAME", "adam.v/NAME") and, as JSON in the header's metadata, the step
/// counters, the schedule and early-stopping state, the history and the settings. The random state needs no
/// saving: the sample order and augmentations of epoch e, step s are drawn from streams of (seed, e, s).
/// </summary>
internal sealed record TrainingState
{
    public const string FileName = "train-state.safetensors";
    private const string MetadataKey = "simseg.train-state";

    public int Version { get; init; } = 1;
    public required string DataDirectory { get; init; }
    public required ModelArchitecture Architecture { get; init; }
    public required TrainingOptions Options { get; init; }
    public string? InitFrom { get; init; }
    public int TileSize { get; init; }
    public int StepsPerEpoch { get; init; }

    /// <summary>The class weights of the cross-entropy as resolved at the start of the run (K-class models; null: none).</summary>
    public IReadOnlyList<double>? ClassWeights { get; init; }

    /// <summary>Epochs completed.</summary>
    public int Epoch { get; init; }

    /// <summary>Steps done in epoch <see cref="Epoch"/> (non-zero after a partial epoch).</summary>
    public int StepInEpoch { get; init; }

    public long GlobalStep { get; init; }
    public int AdamSteps { get; init; }
    public double LearningRate { get; init; }
    public double PlateauBest { get; init; }
    public int PlateauBadEpochs { get; init; }
    public int PlateauCooldown { get; init; }
    public double BestMeanIoU { get; init; } = double.NaN;
    public double BestF1 { get; init; } = double.NaN;
    public int BestEpoch { get; init; }
    public int EpochsWithoutImprovement { get; init; }
    public double Seconds { get; init; }

    /// <summary>Sum and count of the training losses of the current partial epoch.</summary>
    public double PartialLossSum { get; init; }

    public int PartialLossCount { get; init; }
    public List<EpochRecord> History { get; init; } = [];

    /// <summary>Writes the state, <paramref name="model"/>'s tensors and <paramref name="adam"/>'s moments to <paramref name="path"/> atomically.</summary>
    public void Save(string path, ISegmentationModel model, Adam adam, IReadOnlyList<string> optimisedNames)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, p) in model.NamedParameters()) tensors["model/" + name] = p.Value;
        for (int k = 0; k < optimisedNames.Count; k++)
        {
            var shape = adam.Parameters[k].Value.Shape;
            tensors["adam.m/" + optimisedNames[k]] = new Tensor(adam.FirstMoments[k], shape);
            tensors["adam.v/" + optimisedNames[k]] = new Tensor(adam.SecondMoments[k], shape);
        }
        var metadata = new Dictionary<string, string> { [MetadataKey] = JsonSerializer.Serialize(this, ModelConfig.JsonOptions) };
        SafeTensors.Write(path, tensors, metadata);
    }

    /// <summary>Reads the JSON part of a state file.</summary>
    /// <exception cref="InvalidDataException">The file holds no valid state.</exception>
    public static TrainingState ReadHeader(string path)
    {
        var metadata = SafeTensors.ReadMetadata(path);
        if (!metadata.TryGetValue(MetadataKey, out string? json)) throw new InvalidDataException($"{path}: not a SimSeg training state (no '{MetadataKey}' metadata).");
        try
        {
            var state = JsonSerializer.Deserialize<TrainingState>(json, ModelConfig.JsonOptions) ?? throw new InvalidDataException($"{path}: the training state is null.");
            if (state.Version != 1) throw new InvalidDataException($"{path}: training state version {state.Version} is not supported.");
            return state;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a valid training state: {ex.Message}", ex);
        }
    }

    /// <summary>Copies the saved weights into <paramref name="model"/> and restores <paramref name="adam"/> (moments, step count, learning rate).</summary>
    /// <exception cref="ImageFormatException">A tensor is missing or has another shape.</exception>
    public void Restore(string path, ISegmentationModel model, Adam adam, IReadOnlyList<string> optimisedNames)
    {
        var tensors = SafeTensors.Read(path);
        Tensor Get(string name, int[] shape)
        {
            if (!tensors.TryGetValue(name, out var t)) throw new ImageFormatException(path, $"the training state has no tensor '{name}'");
            if (!t.Shape.AsSpan().SequenceEqual(shape))
                throw new ImageFormatException(path, $"tensor '{name}' has shape {t.ShapeText} in the training state but [{string.Join(", ", shape)}] in the model");
            return t;
        }
        var named = model.NamedParameters();
        var weights = named.Select(p => Get("model/" + p.Name, p.Parameter.Value.Shape)).ToArray();
        var m = new float[optimisedNames.Count][];
        var v = new float[optimisedNames.Count][];
        for (int k = 0; k < optimisedNames.Count; k++)
        {
            var shape = adam.Parameters[k].Value.Shape;
            m[k] = Get("adam.m/" + optimisedNames[k], shape).Data;
            v[k] = Get("adam.v/" + optimisedNames[k], shape).Data;
        }
        for (int i = 0; i < named.Count; i++) weights[i].Data.CopyTo(named[i].Parameter.Value.Data, 0);
        adam.RestoreState(AdamSteps, m, v, LearningRate);
    }
}
