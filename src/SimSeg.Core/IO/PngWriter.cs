using System.Buffers.Binary;
using System.IO.Compression;

namespace SimSeg.Core.IO;

/// <summary>
/// Writes 8-bit grayscale or RGB PNG files (non-interlaced, filter type 0) for previews. Use
/// <see cref="Preview.AutoContrast{T}"/> to turn an image plane into 8-bit gray.
/// </summary>
public static class PngWriter
{
    private const int MaxChunkData = 1 << 20;
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// Writes a grayscale PNG atomically (temporary file in the same folder, renamed when complete).
    /// </summary>
    /// <param name="path">Destination file; its folder must exist.</param>
    /// <param name="width">Columns, at least 1.</param>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="gray">Exactly width·height bytes, row-major, 0 = black.</param>
    /// <exception cref="ArgumentException">The pixel count does not match the dimensions.</exception>
    public static void WriteGray8(string path, int width, int height, ReadOnlySpan<byte> gray)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Check(width, height, 1, gray.Length, nameof(gray));
        using var file = new AtomicFile(path);
        WriteCore(file.Stream, width, height, 1, gray);
        file.Commit();
    }

    /// <summary>Writes an RGB PNG atomically (temporary file in the same folder, renamed when complete).</summary>
    /// <param name="path">Destination file; its folder must exist.</param>
    /// <param name="width">Columns, at least 1.</param>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="rgb">Exactly width·height·3 bytes, row-major, interleaved red, green, blue.</param>
    /// <exception cref="ArgumentException">The byte count does not match the dimensions.</exception>
    public static void WriteRgb8(string path, int width, int height, ReadOnlySpan<byte> rgb)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Check(width, height, 3, rgb.Length, nameof(rgb));
        using var file = new AtomicFile(path);
        WriteCore(file.Stream, width, height, 3, rgb);
        file.Commit();
    }

    /// <summary>Writes a PNG to <paramref name="stream"/> (left open).</summary>
    /// <param name="stream">A writable stream.</param>
    /// <param name="width">Columns, at least 1.</param>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="pixels">width·height bytes for gray, or width·height·3 for RGB.</param>
    /// <param name="rgb">True for interleaved RGB, false for grayscale.</param>
    /// <exception cref="ArgumentException">The byte count does not match the dimensions.</exception>
    public static void Write(Stream stream, int width, int height, ReadOnlySpan<byte> pixels, bool rgb = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        int channels = rgb ? 3 : 1;
        Check(width, height, channels, pixels.Length, nameof(pixels));
        WriteCore(stream, width, height, channels, pixels);
    }

    private static void Check(int width, int height, int channels, int length, string parameter)
    {
        Guard.Positive(width);
        Guard.Positive(height);
        long expected = (long)width * height * channels;
        if (length != expected)
            throw new ArgumentException($"A {width}x{height} {(channels == 3 ? "RGB" : "gray")} image needs {expected} bytes, got {length}.", parameter);
    }

    private static void WriteCore(Stream stream, int width, int height, int channels, ReadOnlySpan<byte> pixels)
    {
        stream.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bit depth
        header[9] = (byte)(channels == 3 ? 2 : 0); // colour type: truecolour or grayscale
        header[10] = 0; // deflate
        header[11] = 0; // adaptive filtering, filter type 0 on every row
        header[12] = 0; // no interlace
        WriteChunk(stream, "IHDR"u8, header);

        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            int rowBytes = width * channels;
            Span<byte> filter = [0];
            for (int y = 0; y < height; y++)
            {
                zlib.Write(filter);
                zlib.Write(pixels.Slice(y * rowBytes, rowBytes));
            }
        }
        ReadOnlySpan<byte> data = compressed.GetBuffer().AsSpan(0, (int)compressed.Length);
        for (int start = 0; start < data.Length; start += MaxChunkData)
            WriteChunk(stream, "IDAT"u8, data.Slice(start, Math.Min(MaxChunkData, data.Length - start)));
        WriteChunk(stream, "IEND"u8, []);
        stream.Flush();
    }

    private static void WriteChunk(Stream stream, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        stream.Write(type);
        stream.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Append(Crc32.Compute(type), data));
        stream.Write(word);
    }
}
