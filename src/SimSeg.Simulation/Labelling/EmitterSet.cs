namespace SimSeg.Simulation.Labelling;

/// <summary>
/// Fluorophore positions of one field of view, as structure-of-arrays: x, y, z in nanometres in the sample
/// frame (x along image columns from the left edge of pixel column 0, y along rows from the top edge of
/// pixel row 0, z along the optical axis from the coverslip), and the id of the object each emitter labels
/// (1-based; 0 is never used).
/// </summary>
public sealed class EmitterSet
{
    private float[] _x, _y, _z;
    private int[] _objectId;

    /// <summary>Creates an empty set with room for <paramref name="capacity"/> emitters.</summary>
    public EmitterSet(int capacity = 1024)
    {
        capacity = Math.Max(capacity, 16);
        _x = new float[capacity];
        _y = new float[capacity];
        _z = new float[capacity];
        _objectId = new int[capacity];
    }

    /// <summary>Number of emitters.</summary>
    public int Count { get; private set; }

    /// <summary>x positions (nm).</summary>
    public ReadOnlySpan<float> X => _x.AsSpan(0, Count);

    /// <summary>y positions (nm).</summary>
    public ReadOnlySpan<float> Y => _y.AsSpan(0, Count);

    /// <summary>z positions (nm).</summary>
    public ReadOnlySpan<float> Z => _z.AsSpan(0, Count);

    /// <summary>Object id of each emitter (1-based).</summary>
    public ReadOnlySpan<int> ObjectId => _objectId.AsSpan(0, Count);

    /// <summary>Appends one emitter.</summary>
    public void Add(double x, double y, double z, int objectId)
    {
        if (Count == _x.Length) Grow();
        _x[Count] = (float)x;
        _y[Count] = (float)y;
        _z[Count] = (float)z;
        _objectId[Count] = objectId;
        Count++;
    }

    /// <summary>Makes room for at least <paramref name="capacity"/> emitters in total.</summary>
    internal void EnsureCapacity(int capacity)
    {
        if (capacity <= _x.Length) return;
        int n = Math.Max(capacity, _x.Length * 2);
        Array.Resize(ref _x, n);
        Array.Resize(ref _y, n);
        Array.Resize(ref _z, n);
        Array.Resize(ref _objectId, n);
    }

    /// <summary>A coordinate array.</summary>
    internal enum Axis
    {
        /// <summary>x.</summary>
        X,

        /// <summary>y.</summary>
        Y,

        /// <summary>z.</summary>
        Z,
    }

    /// <summary>
    /// The whole buffer of one coordinate (capacity, not <see cref="Count"/>), for bulk writers that append
    /// after <see cref="EnsureCapacity"/> and then call <see cref="Commit"/>.
    /// </summary>
    internal Span<float> Writable(Axis axis) => axis switch { Axis.X => _x, Axis.Y => _y, _ => _z };

    /// <summary>Takes the coordinates written at [Count, <paramref name="newCount"/>) as emitters of <paramref name="objectId"/>.</summary>
    internal void Commit(int newCount, int objectId)
    {
        if (newCount < Count || newCount > _x.Length) throw new ArgumentOutOfRangeException(nameof(newCount));
        _objectId.AsSpan(Count, newCount - Count).Fill(objectId);
        Count = newCount;
    }

    /// <summary>Removes all emitters, keeping the buffers.</summary>
    public void Clear() => Count = 0;

    private void Grow()
    {
        int n = _x.Length * 2;
        Array.Resize(ref _x, n);
        Array.Resize(ref _y, n);
        Array.Resize(ref _z, n);
        Array.Resize(ref _objectId, n);
    }
}
