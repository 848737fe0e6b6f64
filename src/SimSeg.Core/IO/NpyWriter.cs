using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace SimSeg.Core.IO;

/// <summary>
/// Writes numpy .npy files (format 1.0, or 2.0 when the header exceeds 64 KiB): little-endian, C order, header
/// padded so the data starts at a multiple of 64 bytes.
/// </summary>
public static class NpyWriter
{
    private const int ChunkElements = 1 << 16;

    /// <summary>Writes an array atomically (temporary file in the same folder, renamed when complete).</summary>
    /// <typeparam name="T">bool, sbyte, byte, short, ushort, int, uint, long, ulong, Half, float or double.</typeparam>
    /// <param name="path">Destination, conventionally ending in ".npy"; its folder must exist.</param>
    /// <param name="shape">Dimensions, each ≥ 0 (empty for a scalar); their product must equal data.Length.</param>
    /// <param name="data">Elements in C order (last index fastest).</param>
    /// <exception cref="ArgumentException">Unsupported <typeparamref name="T"/>, or the shape does not fit the data.</exception>
    public static void Write<T>(string path, ReadOnlySpan<int> shape, ReadOnlySpan<T> data) where T : unmanaged
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        NpyDType type = Check<T>(shape, data.Length);
        using var file = new AtomicFile(path);
        WriteCore(file.Stream, type, shape, data);
        file.Commit();
    }

    /// <summary>Writes an array to <paramref name="stream"/> (left open; need not be seekable).</summary>
    /// <inheritdoc cref="Write{T}(string, ReadOnlySpan{int}, ReadOnlySpan{T})" path="/typeparam"/>
    /// <param name="stream">A writable stream.</param>
    /// <param name="shape">Dimensions, each ≥ 0 (empty for a scalar); their product must equal data.Length.</param>
    /// <param name="data">Elements in C order (last index fastest).</param>
    /// <exception cref="ArgumentException">Unsupported <typeparamref name="T"/>, or the shape does not fit the data.</exception>
    public static void Write<T>(Stream stream, ReadOnlySpan<int> shape, ReadOnlySpan<T> data) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(stream);
        NpyDType type = Check<T>(shape, data.Length);
        WriteCore(stream, type, shape, data);
    }

    /// <summary>Writes <paramref name="array"/> to <paramref name="stream"/> (left open).</summary>
    public static void Write(Stream stream, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        switch (array.Data)
        {
            case var d when d.GetType() == typeof(bool[]): Write(stream, array.ShapeSpan, (ReadOnlySpan<bool>)(bool[])d); break;
            case var d when d.GetType() == typeof(sbyte[]): Write(stream, array.ShapeSpan, (ReadOnlySpan<sbyte>)(sbyte[])d); break;
            case var d when d.GetType() == typeof(byte[]): Write(stream, array.ShapeSpan, (ReadOnlySpan<byte>)(byte[])d); break;
            case var d when d.GetType() == typeof(short[]): Write(stream, array.ShapeSpan, (ReadOnlySpan<short>)(short[])d); break;
            case var d when d.GetType() == typeof(ushort[]): Write(stream, array.ShapeSpan, (ReadOnlySpan<ushort>)(ushort[])d); break;
            case var d when d.GetType() == typeof(int[]): Write(stream, array.ShapeSpan, (ReadOnlySpan<int>)(int[])d); break;
            case var d when d.GetType() == typeof(uint[]): Write(stream, array.ShapeSpan, (ReadOnlySpan<uint>)(uint[])d); break;
            case var d when d.GetType() == typeof(long[]): Write(stream, array.ShapeSpan, (ReadOnlySpan<long>)(long[])d); break;
            case var d when d.GetType() == typeof(ulong[]): Write(stream, array.ShapeSpan, (ReadOnlySpan<ulong>)(ulong[])d); break;
            case var d when d.GetType() == typeof(Half[]): Write(stream, array.ShapeSpan, (ReadOnlySpan<Half>)(Half[])d); break;
            case var d when d.GetType() == typeof(float[]): Write(stream, array.ShapeSpan, (ReadOnlySpan<float>)(float[])d); break;
            default: Write(stream, array.ShapeSpan, (ReadOnlySpan<double>)(double[])array.Data); break;
        }
    }

    private static NpyDType Check<T>(ReadOnlySpan<int> shape, int length) where T : unmanaged
    {
        NpyDType type = NpyDType.Of<T>()
            ?? throw new ArgumentException($".npy elements of type {typeof(T).Name} are not supported.", nameof(T));
        NpyArray.CheckShape(shape, length);
        return type;
    }

    /// <summary>The header dictionary, e.g. <c>{'descr': '&lt;u2', 'fortran_order': False, 'shape': (3, 4), }</c>.</summary>
    internal static string HeaderText(string descriptor, ReadOnlySpan<int> shape)
    {
        var text = new StringBuilder("{'descr': '").Append(descriptor).Append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0) text.Append(", ");
            text.Append(shape[i].ToString(CultureInfo.InvariantCulture));
        }
        if (shape.Length == 1) text.Append(','); // a one-element Python tuple needs its comma
        return text.Append("), }").ToString();
    }

    private static void WriteCore<T>(Stream stream, NpyDType type, ReadOnlySpan<int> shape, ReadOnlySpan<T> data) where T : unmanaged
    {
        byte[] dict = Encoding.ASCII.GetBytes(HeaderText(type.Descriptor(bigEndian: false), shape));
        // Magic (6) + version (2) + length (2 or 4) + dict + padding spaces + '\n', total a multiple of 64.
        int prefix = 10;
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        if (total - prefix > ushort.MaxValue)
        {
            prefix = 12;
            total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        }
        var header = new byte[total];
        header[0] = 0x93;
        "NUMPY"u8.CopyTo(header.AsSpan(1));
        header[6] = (byte)(prefix == 10 ? 1 : 2);
        header[7] = 0;
        int headerLength = total - prefix;
        if (prefix == 10) BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)headerLength);
        else BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), (uint)headerLength);
        dict.CopyTo(header, prefix);
        header.AsSpan(prefix + dict.Length, total - prefix - dict.Length - 1).Fill((byte)' ');
        header[^1] = (byte)'\n';
        stream.Write(header);

        bool swap = !BitConverter.IsLittleEndian && type.Size > 1;
        bool normalizeBool = typeof(T) == typeof(bool);
        byte[]? buffer = swap || normalizeBool ? new byte[Math.Min(data.Length, ChunkElements) * type.Size] : null;
        for (int start = 0; start < data.Length; start += ChunkElements)
        {
            ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(data.Slice(start, Math.Min(ChunkElements, data.Length - start)));
            if (buffer is not null)
            {
                Span<byte> copy = buffer.AsSpan(0, bytes.Length);
                bytes.CopyTo(copy);
                if (normalizeBool)
                    for (int i = 0; i < copy.Length; i++) copy[i] = copy[i] != 0 ? (byte)1 : (byte)0;
                if (swap) ByteOrder.Reverse(copy, type.Size);
                bytes = copy;
            }
            stream.Write(bytes);
        }
        stream.Flush();
    }
}
