namespace SimSeg.Neural;

/// <summary>
/// Float arrays handed out as tensors and taken back, so that a network's activations and gradients share memory
/// the way llm.c plans it: a gradient lives from the layer that writes it to the layer that reads it, an evaluation
/// activation from its layer to its last consumer, and an array freed by one is handed to the next tensor of the
/// same size. A network that rents every intermediate from one pool holds at any moment only what is alive, instead
/// of one buffer per layer and per direction.
/// </summary>
/// <remarks>
/// Contents of a rented tensor are undefined (the previous tenant's values): every layer writes all of its output.
/// Arrays are matched by exact length; <see cref="Trim"/> lets the garbage collector have the free ones, for when the
/// shapes change (another batch or image size, or evaluation after training). Not thread-safe: one network, one
/// caller.
/// </remarks>
public sealed class TensorPool
{
    private readonly Dictionary<int, Stack<float[]>> _free = [];
    private readonly HashSet<float[]> _rented = new(ReferenceEqualityComparer.Instance);
    private long _heldFloats;

    /// <summary>A tensor of <paramref name="shape"/> over a pooled array (contents undefined), owned by the caller until <see cref="Return"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive.</exception>
    public Tensor Rent(params ReadOnlySpan<int> shape)
    {
        long length = 1;
        foreach (int d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(d, 1, nameof(shape));
            length *= d;
        }
        if (length > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(shape), $"[{string.Join(", ", shape.ToArray())}] holds more elements than one array can.");
        float[] data;
        if (_free.TryGetValue((int)length, out var stack) && stack.Count > 0) data = stack.Pop();
        else
        {
            data = GC.AllocateUninitializedArray<float>((int)length);
            _heldFloats += length;
            PeakFloats = Math.Max(PeakFloats, _heldFloats);
        }
        _rented.Add(data);
        RentedFloats += length;
        PeakRentedFloats = Math.Max(PeakRentedFloats, RentedFloats);
        return new Tensor(data, shape.ToArray());
    }

    /// <summary>Gives the array of <paramref name="tensor"/> back for the next <see cref="Rent"/> of the same size; the tensor must not be used afterwards.</summary>
    /// <exception cref="InvalidOperationException">The tensor is not rented from this pool (or was already returned).</exception>
    public void Return(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!_rented.Remove(tensor.Data))
            throw new InvalidOperationException($"a tensor of shape {tensor.ShapeText} was returned to a pool that did not rent it, or returned twice.");
        RentedFloats -= tensor.Length;
        Free(tensor.Data);
    }

    private void Free(float[] data)
    {
        if (!_free.TryGetValue(data.Length, out var stack)) _free[data.Length] = stack = new Stack<float[]>();
        stack.Push(data);
    }

    /// <summary>Takes back every tensor still rented out (the tenants must not use them afterwards).</summary>
    public void ReturnAll()
    {
        foreach (var data in _rented) Free(data);
        _rented.Clear();
        RentedFloats = 0;
    }

    /// <summary>Drops every free array (rented ones stay with their tenants), so the garbage collector can reclaim them.</summary>
    public void Trim()
    {
        foreach (var stack in _free.Values) _heldFloats -= stack.Sum(a => (long)a.Length);
        _free.Clear();
    }

    /// <summary>Floats now rented out.</summary>
    public long RentedFloats { get; private set; }

    /// <summary>The most floats rented out at one time since creation (what the live tensors needed at their peak).</summary>
    public long PeakRentedFloats { get; private set; }

    /// <summary>The most floats the pool held at one time (rented plus free) since creation.</summary>
    public long PeakFloats { get; private set; }

    /// <summary>Floats the pool holds now, rented plus free.</summary>
    public long HeldFloats => _heldFloats;
}
