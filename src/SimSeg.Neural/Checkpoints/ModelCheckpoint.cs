using SimSeg.Core.IO;

namespace SimSeg.Neural.Checkpoints;

/// <summary>Saves and restores a model's named parameters and buffers as safetensors (PyTorch names and layouts).</summary>
public static class ModelCheckpoint
{
    /// <summary>Writes every named parameter and buffer to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, IReadOnlyList<(string Name, Parameter Parameter)> parameters, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, p) in parameters)
            if (!tensors.TryAdd(name, p.Value)) throw new ArgumentException($"parameter name '{name}' appears twice.", nameof(parameters));
        SafeTensors.Write(path, tensors, metadata);
    }

    /// <summary>
    /// Copies the tensors of <paramref name="path"/> into <paramref name="parameters"/>. Every parameter must be in the
    /// file with the same shape; tensors the model does not have are an error too, so a checkpoint of another
    /// architecture is never half-loaded (nothing is changed unless everything matches).
    /// </summary>
    /// <exception cref="ImageFormatException">The file is unreadable or does not match the model; the message names the tensor.</exception>
    public static void Load(string path, IReadOnlyList<(string Name, Parameter Parameter)> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var tensors = SafeTensors.Read(path);
        foreach (var (name, p) in parameters)
        {
            if (!tensors.TryGetValue(name, out var t))
                throw new ImageFormatException(path, $"the checkpoint has no tensor '{name}' (is it a checkpoint of another architecture?)");
            if (!t.SameShape(p.Value))
                throw new ImageFormatException(path, $"tensor '{name}' has shape {t.ShapeText} in the checkpoint but {p.Value.ShapeText} in the model");
        }
        var known = parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var extra = tensors.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal).ToArray();
        if (extra.Length > 0)
            throw new ImageFormatException(path, $"the checkpoint has tensors the model lacks: {string.Join(", ", extra.Take(5))}{(extra.Length > 5 ? ", …" : "")}");
        foreach (var (name, p) in parameters) tensors[name].Data.CopyTo(p.Value.Data, 0);
    }
}
