namespace SimSeg.Core.IO;

/// <summary>
/// Apple PackBits run-length coding as used by TIFF compression 32773: a header byte n in 0..127 copies the next
/// n + 1 bytes literally, n in -127..-1 repeats the next byte 1 - n times, and -128 is skipped.
/// </summary>
internal static class PackBitsCodec
{
    /// <summary>An upper bound of the encoded size of <paramref name="length"/> input bytes.</summary>
    public static int MaxEncodedLength(int length) => checked(length + (length + 127) / 128);

    /// <summary>
    /// Decodes <paramref name="source"/> into <paramref name="destination"/> and returns the bytes written; stops at
    /// the end of the input or when the destination is full.
    /// </summary>
    /// <exception cref="InvalidDataException">The input ends inside a run.</exception>
    public static int Decode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int read = 0, written = 0;
        while (read < source.Length && written < destination.Length)
        {
            int n = (sbyte)source[read++];
            if (n >= 0)
            {
                int count = n + 1;
                if (read + count > source.Length)
                    throw new InvalidDataException($"PackBits data ends inside a literal run of {count} bytes.");
                count = Math.Min(count, destination.Length - written);
                source.Slice(read, count).CopyTo(destination[written..]);
                read += n + 1;
                written += count;
            }
            else if (n != -128)
            {
                if (read >= source.Length) throw new InvalidDataException("PackBits data ends inside a repeat run.");
                int count = Math.Min(1 - n, destination.Length - written);
                destination.Slice(written, count).Fill(source[read++]);
                written += count;
            }
        }
        return written;
    }

    /// <summary>
    /// Encodes one row (TIFF requires each row to be packed on its own) into <paramref name="destination"/> and
    /// returns the bytes written. Runs of three or more equal bytes, or of two at the start of a literal, are
    /// replicated.
    /// </summary>
    /// <param name="source">Bytes of one row.</param>
    /// <param name="destination">At least <see cref="MaxEncodedLength"/> bytes.</param>
    public static int Encode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int read = 0, written = 0, literalStart = -1;
        while (read < source.Length)
        {
            int run = 1;
            while (read + run < source.Length && run < 128 && source[read + run] == source[read]) run++;
            if (run >= 3 || (run == 2 && literalStart < 0))
            {
                written = FlushLiteral(source, literalStart, read, destination, written);
                literalStart = -1;
                destination[written++] = (byte)(sbyte)(1 - run);
                destination[written++] = source[read];
                read += run;
                continue;
            }

            if (literalStart < 0) literalStart = read;
            read += run;
            if (read - literalStart >= 128)
            {
                written = FlushLiteral(source, literalStart, literalStart + 128, destination, written);
                literalStart = read > literalStart + 128 ? literalStart + 128 : -1;
            }
        }
        return FlushLiteral(source, literalStart, read, destination, written);
    }

    private static int FlushLiteral(ReadOnlySpan<byte> source, int start, int end, Span<byte> destination, int written)
    {
        if (start < 0 || end <= start) return written;
        destination[written++] = (byte)(end - start - 1);
        source[start..end].CopyTo(destination[written..]);
        return written + end - start;
    }
}
