namespace SimSeg.Neural.Layers;

/// <summary>
/// Layers applied one after another, each under a name (PyTorch's nn.Sequential, whose names are "0", "1", …, or a
/// module's attribute names such as "conv1", "bn1"): parameters are named <c>name.parameter</c>. An empty name puts a
/// layer's own names at this level, for a part the reference module keeps inline (EfficientNet's squeeze-excitation).
/// Names need only be unique among layers that have parameters. Forward and backward run the layers in order and
/// in reverse.
/// </summary>
public sealed class Sequential : INamedLayer
{
    private readonly (string Name, ILayer Layer)[] _layers;

    /// <summary>A sequence of named layers.</summary>
    /// <exception cref="ArgumentException">No layers, a null layer or a null name.</exception>
    public Sequential(params (string Name, ILayer Layer)[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0) throw new ArgumentException("a Sequential needs at least one layer.", nameof(layers));
        foreach (var (name, layer) in layers)
        {
            if (name is null) throw new ArgumentException("every layer needs a name (empty for inline names).", nameof(layers));
            if (layer is null) throw new ArgumentException($"layer '{name}' is null.", nameof(layers));
        }
        _layers = ((string, ILayer)[])layers.Clone();
    }

    /// <summary>A sequence named "0", "1", … as nn.Sequential(*layers).</summary>
    public static Sequential Indexed(params ILayer[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        return new Sequential(layers.Select((l, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), l)).ToArray());
    }

    /// <summary>Number of layers.</summary>
    public int Count => _layers.Length;

    /// <summary>The layer at <paramref name="index"/>.</summary>
    public ILayer this[int index] => _layers[index].Layer;

    /// <summary>The name of the layer at <paramref name="index"/>.</summary>
    public string NameAt(int index) => _layers[index].Name;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => _layers.SelectMany(l => l.Layer.Parameters).ToArray();

    /// <inheritdoc/>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters() => _layers.SelectMany(l => NamedLayers.Of(l.Layer, l.Name));

    /// <inheritdoc/>
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor x = input;
        foreach (var (_, layer) in _layers) x = layer.Forward(x, training);
        return x;
    }

    /// <inheritdoc/>
    public Tensor Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        Tensor g = outputGradient;
        for (int i = _layers.Length - 1; i >= 0; i--) g = _layers[i].Layer.Backward(g);
        return g;
    }
}
