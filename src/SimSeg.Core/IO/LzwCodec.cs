namespace SimSeg.Core.IO;

/// <summary>
/// The LZW variant of TIFF 6.0 (section 13): codes of 9 to 12 bits packed most significant bit first,
/// Clear = 256, EndOfInformation = 257, and the code width grows one code early ("early change").
/// </summary>
internal static class LzwCodec
{
    private const int Clear = 256;
    private const int EndOfInformation = 257;
    private const int FirstFree = 258;
    private const int MaxCodes = 4096;

    /// <summary>An upper bound of the encoded size of <paramref name="length"/> input bytes.</summary>
    public static int MaxEncodedLength(int length) => checked(length + length / 2 + length / 2048 + 16);

    /// <summary>
    /// Decodes <paramref name="source"/> into <paramref name="destination"/> and returns the bytes written. Decoding
    /// stops at EndOfInformation, at the end of the input, or when the destination is full.
    /// </summary>
    /// <exception cref="InvalidDataException">The code stream refers to a code that is not yet defined.</exception>
    public static int Decode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        // Each table entry is its prefix code plus one final byte; strings are written back to front.
        Span<short> prefix = stackalloc short[MaxCodes];
        Span<byte> suffix = stackalloc byte[MaxCodes];
        Span<short> length = stackalloc short[MaxCodes];
        Span<byte> first = stackalloc byte[MaxCodes];
        Span<byte> overflow = stackalloc byte[MaxCodes];
        for (int i = 0; i < 256; i++)
        {
            suffix[i] = (byte)i;
            first[i] = (byte)i;
            length[i] = 1;
        }

        int written = 0, bitPosition = 0, width = 9, next = FirstFree, previous = -1;
        long totalBits = (long)source.Length * 8;
        while (written < destination.Length && bitPosition + width <= totalBits)
        {
            int code = ReadCode(source, bitPosition, width);
            bitPosition += width;
            if (code == EndOfInformation) break;
            if (code == Clear)
            {
                width = 9;
                next = FirstFree;
                previous = -1;
                continue;
            }

            if (previous < 0)
            {
                if (code > 255) throw new InvalidDataException($"LZW code {code} follows a Clear code; only literal codes 0-255 may.");
                destination[written++] = (byte)code;
                previous = code;
                continue;
            }

            byte head;
            if (code < next) head = first[code];
            else if (code == next && next < MaxCodes) head = first[previous];
            else throw new InvalidDataException($"LZW code {code} is not defined (the table has {next} entries).");

            if (next < MaxCodes)
            {
                prefix[next] = (short)previous;
                suffix[next] = head;
                first[next] = first[previous];
                length[next] = (short)(length[previous] + 1);
                next++;
                if (next >= (1 << width) - 1 && width < 12) width++;
            }

            written += WriteString(code, prefix, suffix, length, destination[written..], overflow);
            previous = code;
        }
        return written;
    }

    private static int ReadCode(ReadOnlySpan<byte> source, int bitPosition, int width)
    {
        // A 12-bit code spans at most three bytes.
        int byteIndex = bitPosition >> 3;
        int window = source[byteIndex] << 16;
        if (byteIndex + 1 < source.Length) window |= source[byteIndex + 1] << 8;
        if (byteIndex + 2 < source.Length) window |= source[byteIndex + 2];
        int shift = 24 - (bitPosition & 7) - width;
        return (window >> shift) & ((1 << width) - 1);
    }

    private static int WriteString(int code, ReadOnlySpan<short> prefix, ReadOnlySpan<byte> suffix, ReadOnlySpan<short> length,
        Span<byte> destination, Span<byte> overflow)
    {
        int n = length[code];
        Span<byte> target = n <= destination.Length ? destination : overflow;
        for (int i = n - 1; i >= 0; i--)
        {
            target[i] = suffix[code];
            code = prefix[code];
        }
        if (target == overflow)
        {
            overflow[..destination.Length].CopyTo(destination);
            return destination.Length;
        }
        return n;
    }

    /// <summary>Encodes <paramref name="source"/> into <paramref name="destination"/> and returns the bytes written.</summary>
    /// <param name="source">Bytes to compress.</param>
    /// <param name="destination">At least <see cref="MaxEncodedLength"/> bytes.</param>
    public static int Encode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (destination.Length < MaxEncodedLength(source.Length))
            throw new ArgumentException("Destination is smaller than MaxEncodedLength.", nameof(destination));

        // Open-addressing hash of (prefix code << 8 | byte) -> code.
        const int TableSize = 8192;
        Span<int> keys = stackalloc int[TableSize];
        Span<short> codes = stackalloc short[TableSize];
        keys.Fill(-1);

        var output = new BitWriter(destination);
        int width = 9, next = FirstFree;
        output.Write(Clear, width);
        if (source.IsEmpty)
        {
            output.Write(EndOfInformation, width);
            return output.Flush();
        }

        int current = source[0];
        for (int i = 1; i < source.Length; i++)
        {
            byte c = source[i];
            int key = (current << 8) | c;
            int slot = (int)((uint)(key * -1640531535) >> 19);
            while (keys[slot] != -1 && keys[slot] != key) slot = (slot + 1) & (TableSize - 1);
            if (keys[slot] == key)
            {
                current = codes[slot];
                continue;
            }

            output.Write(current, width);
            keys[slot] = key;
            codes[slot] = (short)next;
            next++;
            if (next == MaxCodes - 2)
            {
                output.Write(Clear, width);
                keys.Fill(-1);
                width = 9;
                next = FirstFree;
            }
            else if (next > (1 << width) - 1)
            {
                width++;
            }
            current = c;
        }
        output.Write(current, width);
        // The decoder adds one more entry when it reads the last code, which can widen the EOI code.
        if (next + 1 > (1 << width) - 1 && width < 12) width++;
        output.Write(EndOfInformation, width);
        return output.Flush();
    }

    private ref struct BitWriter(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;
        private int _position;
        private ulong _buffer;
        private int _bits;

        public void Write(int code, int width)
        {
            _buffer = (_buffer << width) | (uint)code;
            _bits += width;
            while (_bits >= 8)
            {
                _bits -= 8;
                _destination[_position++] = (byte)(_buffer >> _bits);
            }
        }

        public int Flush()
        {
            if (_bits > 0) _destination[_position++] = (byte)(_buffer << (8 - _bits));
            _bits = 0;
            return _position;
        }
    }
}
