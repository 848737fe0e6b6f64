using System.Reflection;
using SimSeg.Core.IO;
using SimSeg.Core.Randomness;
using SimSeg.Neural.Checkpoints;
using SimSeg.Neural.Models;

namespace SimSeg.Segmentation.Models;

/// <summary>
/// A trained model folder opened for use: its <see cref="ModelConfig"/> and the network rebuilt from it with the
/// weights of its checkpoint. A model folder holds config.json and model.safetensors (the weights, PyTorch names);
/// training also leaves last.safetensors, train-state.safetensors, train-log.csv and train-curves.svg there.
/// </summary>
public sealed class ModelBundle
{
    /// <summary>A bundle of a model already in memory (tests, and models built without a folder).</summary>
    internal ModelBundle(string directory, ModelConfig config, ISegmentationModel model)
    {
        Directory = directory;
        Config = config;
        Model = model;
    }

    /// <summary>The model folder.</summary>
    public string Directory { get; }

    /// <summary>Its config.json.</summary>
    public ModelConfig Config { get; }

    /// <summary>The network with the checkpoint's weights.</summary>
    public ISegmentationModel Model { get; }

    /// <summary>The version of SimSeg (informational version of this assembly, with the source revision when known).</summary>
    public static string SimSegVersion =>
        typeof(ModelBundle).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ModelBundle).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>
    /// Opens <paramref name="directory"/>: reads config.json, builds the network and loads the weights of
    /// <paramref name="checkpoint"/> (default: the config's checkpoint, model.safetensors).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">config.json or the checkpoint is missing.</exception>
    /// <exception cref="InvalidDataException">config.json is not valid.</exception>
    /// <exception cref="ImageFormatException">The checkpoint is corrupt or does not fit the architecture (the message names the file and tensor).</exception>
    public static ModelBundle Load(string directory, string? checkpoint = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!System.IO.Directory.Exists(directory)) throw new DirectoryNotFoundException($"model folder not found: {directory}");
        var config = ModelConfig.Read(Path.Combine(directory, ModelConfig.FileName));
        string weights = Path.Combine(directory, checkpoint ?? config.Checkpoint);
        if (!File.Exists(weights)) throw new FileNotFoundException($"model weights not found: {weights}", weights);
        var model = ModelFactory.Create(config.Architecture, new Rng(0));
        ModelCheckpoint.Load(weights, model.NamedParameters());
        return new ModelBundle(directory, config, model);
    }
}
