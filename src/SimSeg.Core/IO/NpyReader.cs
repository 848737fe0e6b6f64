using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace SimSeg.Core.IO;

/// <summary>
/// Reads numpy .npy files (format versions 1.0, 2.0 and 3.0) of the element types listed on <see cref="NpyArray"/>,
/// in either byte order and in C or Fortran order (Fortran-ordered data is reordered to C order).
/// </summary>
/// <remarks>
/// Malformed, truncated or unsupported files (object or structured dtypes, strings) end in
/// <see cref="ImageFormatException"/>. The declared size is checked against the bytes available before allocating.
/// </remarks>
public static class NpyReader
{
    private const int MaxHeaderLength = 1 << 20;
    private const int ChunkBytes = 1 << 20;

    /// <summary>Reads the .npy file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ImageFormatException">The file is not a supported .npy file, or is damaged.</exception>
    public static NpyArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return ReadCore(stream, path, stream.Length);
    }

    /// <summary>
    /// Reads one .npy array from the current position of <paramref name="stream"/> (left open, positioned after the
    /// array). A non-seekable stream is first copied to memory.
    /// </summary>
    /// <param name="stream">A readable stream.</param>
    /// <param name="name">Name used in error messages; null for none.</param>
    /// <exception cref="ImageFormatException">The data is not a supported .npy array, or is damaged.</exception>
    public static NpyArray Read(Stream stream, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek) return ReadCore(stream, name, stream.Length - stream.Position);
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return ReadCore(copy, name, copy.Length);
    }

    /// <summary>Reads an array of which at most <paramref name="available"/> bytes remain in <paramref name="stream"/>.</summary>
    internal static NpyArray ReadCore(Stream stream, string? name, long available)
    {
        ImageFormatException Fail(string problem, Exception? inner = null) => new(name, problem, inner);

        Span<byte> prefix = stackalloc byte[12];
        if (available < 10 || stream.ReadAtLeast(prefix[..10], 10, throwOnEndOfStream: false) < 10)
            throw Fail($"not a .npy file: it has only {available} bytes");
        if (prefix[0] != 0x93 || !prefix[1..6].SequenceEqual("NUMPY"u8)) throw Fail("not a .npy file: the magic string \\x93NUMPY is missing");
        byte major = prefix[6];
        if (major is not (1 or 2 or 3)) throw Fail($".npy format version {major}.{prefix[7]} is not supported");
        long headerLength;
        int prefixLength = 10;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..]);
        }
        else
        {
            if (available < 12 || stream.ReadAtLeast(prefix[10..12], 2, throwOnEndOfStream: false) < 2) throw Fail("truncated: the header length is incomplete");
            headerLength = BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..]);
            prefixLength = 12;
        }
        if (headerLength > MaxHeaderLength) throw Fail($"the header declares {headerLength} bytes, more than the {MaxHeaderLength} allowed");
        if (headerLength > available - prefixLength)
            throw Fail($"truncated: the header ends at byte {prefixLength + headerLength} but the file has {available} bytes");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);

        var (descriptor, fortran, shape) = ParseHeader(header, Fail);
        var dtype = NpyDType.Parse(descriptor) ?? throw Fail($"dtype '{descriptor}' is not supported (only bool, integers and floats are)");
        long count = 1;
        foreach (int dim in shape)
        {
            count *= dim;
            if (count > Array.MaxLength) throw Fail($"shape ({string.Join(", ", shape)}) has more elements than one array can hold");
        }
        long dataBytes = count * dtype.Type.Size;
        long remaining = available - prefixLength - headerLength;
        if (dataBytes > remaining)
            throw Fail($"truncated: the data needs {dataBytes} bytes but only {remaining} follow the header");

        try
        {
            Array data = dtype.Type.ClrType switch
            {
                var t when t == typeof(bool) => ReadData<bool>(stream, (int)count, dtype.BigEndian, fortran, shape),
                var t when t == typeof(sbyte) => ReadData<sbyte>(stream, (int)count, dtype.BigEndian, fortran, shape),
                var t when t == typeof(byte) => ReadData<byte>(stream, (int)count, dtype.BigEndian, fortran, shape),
                var t when t == typeof(short) => ReadData<short>(stream, (int)count, dtype.BigEndian, fortran, shape),
                var t when t == typeof(ushort) => ReadData<ushort>(stream, (int)count, dtype.BigEndian, fortran, shape),
                var t when t == typeof(int) => ReadData<int>(stream, (int)count, dtype.BigEndian, fortran, shape),
                var t when t == typeof(uint) => ReadData<uint>(stream, (int)count, dtype.BigEndian, fortran, shape),
                var t when t == typeof(long) => ReadData<long>(stream, (int)count, dtype.BigEndian, fortran, shape),
                var t when t == typeof(ulong) => ReadData<ulong>(stream, (int)count, dtype.BigEndian, fortran, shape),
                var t when t == typeof(Half) => ReadData<Half>(stream, (int)count, dtype.BigEndian, fortran, shape),
                var t when t == typeof(float) => ReadData<float>(stream, (int)count, dtype.BigEndian, fortran, shape),
                _ => ReadData<double>(stream, (int)count, dtype.BigEndian, fortran, shape),
            };
            return NpyArray.FromDecoded(shape, descriptor, data);
        }
        catch (EndOfStreamException e)
        {
            throw Fail($"truncated: the data needs {dataBytes} bytes but the file ends earlier", e);
        }
    }

    private static T[] ReadData<T>(Stream stream, int count, bool bigEndian, bool fortran, int[] shape) where T : unmanaged
    {
        var data = new T[count];
        int size = Unsafe.SizeOf<T>();
        int chunk = Math.Max(1, ChunkBytes / size);
        for (int start = 0; start < count; start += chunk)
        {
            Span<byte> bytes = MemoryMarshal.AsBytes(data.AsSpan(start, Math.Min(chunk, count - start)));
            stream.ReadExactly(bytes);
            if (bigEndian) ByteOrder.Reverse(bytes, size);
            if (typeof(T) == typeof(bool))
                for (int i = 0; i < bytes.Length; i++) bytes[i] = bytes[i] != 0 ? (byte)1 : (byte)0;
        }
        return fortran && shape.Length > 1 ? FortranToC(data, shape) : data;
    }

    /// <summary>Reorders column-major (first index fastest) elements into row-major order.</summary>
    internal static T[] FortranToC<T>(T[] source, int[] shape)
    {
        int n = shape.Length;
        var result = new T[source.Length];
        if (result.Length == 0) return result;
        Span<long> stride = stackalloc long[n];
        Span<int> index = stackalloc int[n];
        stride[0] = 1;
        for (int k = 1; k < n; k++) stride[k] = stride[k - 1] * shape[k - 1];
        long offset = 0;
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = source[offset];
            // Advance the C-order index, last dimension fastest, keeping the Fortran offset in step.
            for (int k = n - 1; k >= 0; k--)
            {
                offset += stride[k];
                if (++index[k] < shape[k]) break;
                offset -= stride[k] * shape[k];
                index[k] = 0;
            }
        }
        return result;
    }

    /// <summary>Parses the Python dict literal of the header: descr, fortran_order and shape.</summary>
    private static (string Descriptor, bool Fortran, int[] Shape) ParseHeader(string header, Func<string, Exception?, ImageFormatException> fail)
    {
        string? descriptor = null;
        bool? fortran = null;
        int[]? shape = null;
        int at = 0;

        ImageFormatException Bad(string what) => fail($"malformed header: {what} at character {at} of \"{Shorten(header)}\"", null);
        void Skip()
        {
            while (at < header.Length && char.IsWhiteSpace(header[at])) at++;
        }
        void Expect(char c)
        {
            Skip();
            if (at >= header.Length || header[at] != c) throw Bad($"expected '{c}'");
            at++;
        }
        string ReadString()
        {
            Skip();
            if (at >= header.Length || header[at] is not ('\'' or '"')) throw Bad("expected a quoted string");
            char quote = header[at++];
            int end = header.IndexOf(quote, at);
            if (end < 0) throw Bad("unterminated string");
            string value = header[at..end];
            at = end + 1;
            return value;
        }

        Expect('{');
        while (true)
        {
            Skip();
            if (at < header.Length && header[at] == '}') break;
            string key = ReadString();
            Expect(':');
            Skip();
            switch (key)
            {
                case "descr":
                    if (at < header.Length && header[at] == '[') throw fail("structured dtypes (a list descr) are not supported", null);
                    descriptor = ReadString();
                    break;
                case "fortran_order":
                    if (string.CompareOrdinal(header, at, "True", 0, 4) == 0) fortran = true;
                    else if (string.CompareOrdinal(header, at, "False", 0, 5) == 0) fortran = false;
                    else throw Bad("expected True or False");
                    at += fortran.Value ? 4 : 5;
                    break;
                case "shape":
                    Expect('(');
                    var dims = new List<int>();
                    while (true)
                    {
                        Skip();
                        if (at < header.Length && header[at] == ')') { at++; break; }
                        int start = at;
                        while (at < header.Length && char.IsAsciiDigit(header[at])) at++;
                        if (!int.TryParse(header.AsSpan(start, at - start), NumberStyles.None, CultureInfo.InvariantCulture, out int dim))
                            throw Bad("expected a dimension (a non-negative integer below 2^31)");
                        if (at < header.Length && header[at] == 'L') at++; // Python 2 long literal
                        dims.Add(dim);
                        if (dims.Count > 32) throw Bad("more than 32 dimensions");
                        Skip();
                        if (at < header.Length && header[at] == ',') at++;
                    }
                    shape = [.. dims];
                    break;
                default:
                    throw Bad($"unexpected key '{key}'");
            }
            Skip();
            if (at < header.Length && header[at] == ',') at++;
        }
        if (descriptor is null || fortran is null || shape is null)
            throw fail($"malformed header: it lacks {(descriptor is null ? "'descr'" : fortran is null ? "'fortran_order'" : "'shape'")}: \"{Shorten(header)}\"", null);
        return (descriptor, fortran.Value, shape);
    }

    private static string Shorten(string header)
    {
        string trimmed = header.TrimEnd();
        return trimmed.Length <= 120 ? trimmed : trimmed[..120] + "…";
    }
}
