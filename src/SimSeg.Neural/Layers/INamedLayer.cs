namespace SimSeg.Neural.Layers;

/// <summary>
/// A layer built from sub-layers whose parameters carry dotted PyTorch names below it ("conv1.weight",
/// "downsample.1.running_var", "0.weight"), the way a PyTorch module's state_dict names them.
/// </summary>
public interface INamedLayer : ILayer
{
    /// <summary>Every parameter and buffer with its dotted name inside this layer, in a fixed order.</summary>
    IEnumerable<(string Name, Parameter Parameter)> NamedParameters();
}

/// <summary>Naming of the parameters of any layer.</summary>
public static class NamedLayers
{
    /// <summary>
    /// The parameters of <paramref name="layer"/> named <c>prefix.name</c>: nested names for an
    /// <see cref="INamedLayer"/>, the parameter's own name ("weight", "running_mean") otherwise. An empty prefix
    /// adds nothing.
    /// </summary>
    public static IEnumerable<(string Name, Parameter Parameter)> Of(ILayer layer, string prefix)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(prefix);
        string head = prefix.Length == 0 ? "" : prefix + ".";
        if (layer is INamedLayer named)
        {
            foreach (var (name, p) in named.NamedParameters()) yield return (head + name, p);
        }
        else
        {
            foreach (var p in layer.Parameters) yield return (head + p.Name, p);
        }
    }
}
