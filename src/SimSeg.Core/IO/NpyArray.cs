using System.Numerics;

namespace SimSeg.Core.IO;

/// <summary>
/// An n-dimensional array as stored in a numpy .npy file: a shape, an element type and the elements in C order
/// (last index fastest), held in machine byte order.
/// </summary>
/// <remarks>
/// Element types: bool ('|b1'), sbyte ('|i1'), byte ('|u1'), short ('i2'), ushort ('u2'), int ('i4'), uint ('u4'),
/// long ('i8'), ulong ('u8'), <see cref="Half"/> ('f2'), float ('f4') and double ('f8').
/// </remarks>
public sealed class NpyArray
{
    private readonly int[] _shape;

    private NpyArray(int[] shape, string descriptor, Array data)
    {
        _shape = shape;
        Descriptor = descriptor;
        Data = data;
    }

    /// <summary>
    /// Wraps <paramref name="data"/> (not copied) as an array of the given shape, e.g. for <see cref="NpzWriter"/>.
    /// </summary>
    /// <param name="shape">Dimensions, each ≥ 0; empty for a scalar. Their product must equal data.Length.</param>
    /// <param name="data">Elements in C order.</param>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not a supported element type, or the shape does not fit the data.</exception>
    public static NpyArray Create<T>(ReadOnlySpan<int> shape, T[] data) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        NpyDType type = NpyDType.Of<T>() ?? throw new ArgumentException($"{typeof(T).Name} is not a supported .npy element type.", nameof(data));
        int[] dims = CheckShape(shape, data.LongLength);
        return new NpyArray(dims, type.Descriptor(bigEndian: false), data);
    }

    internal static NpyArray FromDecoded(int[] shape, string descriptor, Array data) => new(shape, descriptor, data);

    /// <summary>Validates a shape against an element count and returns a copy of it.</summary>
    internal static int[] CheckShape(ReadOnlySpan<int> shape, long length)
    {
        long product = 1;
        foreach (int dim in shape)
        {
            if (dim < 0) throw new ArgumentException($"Shape ({string.Join(", ", shape.ToArray())}) has a negative dimension.", nameof(shape));
            product *= dim;
            if (product > Array.MaxLength) throw new ArgumentException($"Shape ({string.Join(", ", shape.ToArray())}) has more elements than an array can hold.", nameof(shape));
        }
        if (product != length)
            throw new ArgumentException($"Shape ({string.Join(", ", shape.ToArray())}) holds {product} elements but the data has {length}.", nameof(shape));
        return shape.ToArray();
    }

    /// <summary>Dimensions (a copy); empty for a scalar.</summary>
    public int[] Shape => (int[])_shape.Clone();

    /// <summary>
    /// The numpy dtype descriptor as stored, e.g. "&lt;u2" or "&gt;f4" for a big-endian file (the elements themselves
    /// are always converted to machine order).
    /// </summary>
    public string Descriptor { get; }

    /// <summary>The CLR element type, e.g. typeof(ushort) for "&lt;u2".</summary>
    public Type ElementType => Data.GetType().GetElementType()!;

    /// <summary>Number of elements (the product of <see cref="Shape"/>).</summary>
    public int Length => Data.Length;

    internal Array Data { get; }

    internal ReadOnlySpan<int> ShapeSpan => _shape;

    /// <summary>
    /// The elements in C order, without copying: the returned array is this object's buffer.
    /// </summary>
    /// <typeparam name="T">Must be exactly <see cref="ElementType"/>.</typeparam>
    /// <exception cref="ImageFormatException"><typeparamref name="T"/> is not the stored type; the message names both.</exception>
    public T[] ToArray<T>() where T : unmanaged
    {
        // Compare exact types: the runtime lets an int[] pass as a uint[].
        if (Data.GetType() != typeof(T[]))
            throw new ImageFormatException(null, $"the array holds {ElementType.Name} elements ('{Descriptor}'), not {typeof(T).Name}; use ToArray<{ElementType.Name}>(), ToFloat() or ToDouble().");
        return (T[])Data;
    }

    /// <summary>The elements converted to float (a new array; bool becomes 0 or 1; wide integers may lose precision).</summary>
    public float[] ToFloat()
    {
        var result = new float[Data.Length];
        if (Data.GetType() == typeof(bool[]))
        {
            bool[] flags = (bool[])Data;
            for (int i = 0; i < flags.Length; i++) result[i] = flags[i] ? 1 : 0;
        }
        else
        {
            ConvertTo(result);
        }
        return result;
    }

    /// <summary>The elements converted to double (a new array; bool becomes 0 or 1; 64-bit integers may lose precision).</summary>
    public double[] ToDouble()
    {
        var result = new double[Data.Length];
        if (Data.GetType() == typeof(bool[]))
        {
            bool[] flags = (bool[])Data;
            for (int i = 0; i < flags.Length; i++) result[i] = flags[i] ? 1 : 0;
        }
        else
        {
            ConvertTo(result);
        }
        return result;
    }

    private void ConvertTo<TResult>(TResult[] result) where TResult : INumberBase<TResult>
    {
        Type type = ElementType;
        if (type == typeof(byte)) Convert((byte[])Data, result);
        else if (type == typeof(sbyte)) Convert((sbyte[])Data, result);
        else if (type == typeof(short)) Convert((short[])Data, result);
        else if (type == typeof(ushort)) Convert((ushort[])Data, result);
        else if (type == typeof(int)) Convert((int[])Data, result);
        else if (type == typeof(uint)) Convert((uint[])Data, result);
        else if (type == typeof(long)) Convert((long[])Data, result);
        else if (type == typeof(ulong)) Convert((ulong[])Data, result);
        else if (type == typeof(Half)) Convert((Half[])Data, result);
        else if (type == typeof(float)) Convert((float[])Data, result);
        else Convert((double[])Data, result);
    }

    private static void Convert<TSource, TResult>(TSource[] source, TResult[] result)
        where TSource : INumberBase<TSource> where TResult : INumberBase<TResult>
    {
        for (int i = 0; i < source.Length; i++) result[i] = TResult.CreateTruncating(source[i]);
    }
}
