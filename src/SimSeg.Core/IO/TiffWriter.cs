using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using SimSeg.Core.Imaging;

namespace SimSeg.Core.IO;

/// <summary>
/// Writes <see cref="Image{T}"/> stacks as little-endian classic TIFF: one single-channel grayscale page (IFD) per
/// plane, strips of about 64 KiB, and the pixel size as ImageJ (default) or OME-XML metadata.
/// </summary>
public static class TiffWriter
{
    private const int TargetStripBytes = 64 * 1024;

    /// <summary>
    /// Writes <paramref name="image"/> to <paramref name="path"/> atomically: the file is written under a temporary
    /// name in the same folder and renamed over <paramref name="path"/> only when complete, so a failure never
    /// leaves a partial file (an existing file is replaced only on success).
    /// </summary>
    /// <typeparam name="T">byte, sbyte, ushort, short, uint, int, float or double.</typeparam>
    /// <param name="path">Destination file; its folder must exist.</param>
    /// <param name="image">The planes to write, one TIFF page each.</param>
    /// <param name="options">Compression and metadata options; null for the defaults.</param>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not a supported pixel type, or the options are inconsistent.</exception>
    /// <exception cref="NotSupportedException">The file would exceed the 4 GiB a classic TIFF can address.</exception>
    public static void Write<T>(string path, Image<T> image, TiffWriteOptions? options = null) where T : unmanaged
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Validate(image, options ??= new TiffWriteOptions());
        AtomicFile.Write(path, stream => WriteCore(stream, image, options));
    }

    /// <summary>
    /// Writes <paramref name="image"/> as a TIFF starting at the current position of <paramref name="stream"/>
    /// (offsets inside the TIFF are relative to that position). The stream need not be seekable and is left open.
    /// </summary>
    /// <inheritdoc cref="Write{T}(string, Image{T}, TiffWriteOptions?)" path="/typeparam"/>
    /// <param name="stream">A writable stream.</param>
    /// <param name="image">The planes to write, one TIFF page each.</param>
    /// <param name="options">Compression and metadata options; null for the defaults.</param>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not a supported pixel type, or the options are inconsistent.</exception>
    /// <exception cref="NotSupportedException">The file would exceed the 4 GiB a classic TIFF can address.</exception>
    public static void Write<T>(Stream stream, Image<T> image, TiffWriteOptions? options = null) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite) throw new ArgumentException("The stream is not writable.", nameof(stream));
        Validate(image, options ??= new TiffWriteOptions());
        WriteCore(stream, image, options);
    }

    private static void Validate<T>(Image<T> image, TiffWriteOptions options) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(image);
        PixelType type = PixelTypes.TryOf<T>()
            ?? throw new ArgumentException($"TIFF pixels of type {typeof(T).Name} are not supported; use byte, sbyte, ushort, short, uint, int, float or double.", nameof(image));
        if (!Enum.IsDefined(options.Compression))
            throw new ArgumentException($"Unknown compression {options.Compression}.", nameof(options));
        if (options.Predictor)
        {
            if (options.Compression is not (TiffCompression.Lzw or TiffCompression.Deflate))
                throw new ArgumentException($"The horizontal predictor only applies to LZW or Deflate compression, not {options.Compression}.", nameof(options));
            if (PixelTypes.IsFloat(type))
                throw new ArgumentException($"The horizontal predictor is defined for integer pixels, not {type}.", nameof(options));
        }
        if ((long)image.PlaneLength * PixelTypes.SizeOf(type) > int.MaxValue)
            throw new ArgumentException($"A {image.Width}x{image.Height} plane of {type} is larger than 2 GiB.", nameof(image));
    }

    private static void WriteCore<T>(Stream stream, Image<T> image, TiffWriteOptions options) where T : unmanaged
    {
        PixelType type = PixelTypes.TryOf<T>()!.Value;
        int sampleBytes = PixelTypes.SizeOf(type);
        int rowBytes = image.Width * sampleBytes;
        int rowsPerStrip = Math.Clamp(TargetStripBytes / rowBytes, 1, image.Height);
        int stripCount = (image.Height + rowsPerStrip - 1) / rowsPerStrip;
        int stripBytes = rowsPerStrip * rowBytes;
        byte[] description = Encoding.UTF8.GetBytes(options.Ome
            ? OmeXml.Format(image.Width, image.Height, image.Depth, type, image.Calibration)
            : ImageJDescription.Format(image.Depth, image.Calibration, options.FrameIntervalMs));

        var encoder = new StripEncoder(options.Compression, options.Predictor, sampleBytes, rowBytes, stripBytes);
        var pageData = new MemoryStream();
        var stripOffsets = new uint[stripCount];
        var stripSizes = new uint[stripCount];

        long position = 8;
        Span<byte> header = stackalloc byte[8];
        "II"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], 42);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], 8);
        stream.Write(header);

        for (int z = 0; z < image.Depth; z++)
        {
            ReadOnlySpan<byte> plane = MemoryMarshal.AsBytes<T>(image.Plane(z));
            pageData.SetLength(0);
            for (int s = 0; s < stripCount; s++)
            {
                int first = s * rowsPerStrip;
                int rows = Math.Min(rowsPerStrip, image.Height - first);
                stripSizes[s] = (uint)encoder.Encode(plane.Slice(first * rowBytes, rows * rowBytes), pageData);
                if ((pageData.Length & 1) != 0) pageData.WriteByte(0);
            }

            var ifd = new IfdBuilder();
            ifd.Add(TiffTag.ImageWidth, (uint)image.Width);
            ifd.Add(TiffTag.ImageLength, (uint)image.Height);
            ifd.Add(TiffTag.BitsPerSample, (ushort)(sampleBytes * 8));
            ifd.Add(TiffTag.Compression, (ushort)options.Compression);
            ifd.Add(TiffTag.PhotometricInterpretation, (ushort)1);
            if (z == 0) ifd.Add(TiffTag.ImageDescription, TiffFieldType.Ascii, description.Length + 1, [.. description, 0]);
            ifd.AddLongs(TiffTag.StripOffsets, stripOffsets);
            ifd.Add(TiffTag.SamplesPerPixel, (ushort)1);
            ifd.Add(TiffTag.RowsPerStrip, (uint)rowsPerStrip);
            ifd.AddLongs(TiffTag.StripByteCounts, stripSizes);
            if (image.Calibration.IsKnown)
            {
                ifd.AddRational(TiffTag.XResolution, 1000 / image.Calibration.PixelWidthNm);
                ifd.AddRational(TiffTag.YResolution, 1000 / image.Calibration.PixelHeightNm);
            }
            ifd.Add(TiffTag.PlanarConfiguration, (ushort)1);
            if (image.Calibration.IsKnown) ifd.Add(TiffTag.ResolutionUnit, (ushort)1);
            ifd.Add(TiffTag.Software, TiffFieldType.Ascii, 7, "SimSeg\0"u8.ToArray());
            if (options.Predictor) ifd.Add(TiffTag.Predictor, (ushort)2);
            ifd.Add(TiffTag.SampleFormat, (ushort)(PixelTypes.IsFloat(type) ? 3 : PixelTypes.IsSignedInteger(type) ? 2 : 1));

            // Layout of a page: IFD, its out-of-line values, then its strips; the next page follows.
            long dataStart = position + ifd.Size;
            long offset = dataStart;
            for (int s = 0; s < stripCount; s++)
            {
                stripOffsets[s] = checked((uint)offset);
                offset += stripSizes[s] + (stripSizes[s] & 1);
            }
            ifd.AddLongs(TiffTag.StripOffsets, stripOffsets);
            long end = dataStart + pageData.Length;
            if (end > uint.MaxValue)
                throw new NotSupportedException($"The TIFF would be {end} bytes; a classic TIFF cannot exceed 4 GiB. Write fewer planes per file.");
            ifd.Write(stream, position, z + 1 < image.Depth ? (uint)end : 0);
            pageData.Position = 0;
            pageData.CopyTo(stream);
            position = end;
        }
        stream.Flush();
    }

    /// <summary>Applies the predictor and compression to strips, reusing its buffers.</summary>
    private sealed class StripEncoder(TiffCompression compression, bool predictor, int sampleBytes, int rowBytes, int stripBytes)
    {
        private readonly byte[] _scratch = new byte[predictor ? stripBytes : 0];
        private readonly byte[] _encoded = new byte[compression switch
        {
            TiffCompression.Lzw => LzwCodec.MaxEncodedLength(stripBytes),
            TiffCompression.PackBits => PackBitsCodec.MaxEncodedLength(rowBytes),
            _ => 0,
        }];

        public int Encode(ReadOnlySpan<byte> strip, Stream output)
        {
            if (predictor)
            {
                strip.CopyTo(_scratch);
                Span<byte> copy = _scratch.AsSpan(0, strip.Length);
                HorizontalPredictor.Encode(copy, rowBytes, sampleBytes);
                strip = copy;
            }

            switch (compression)
            {
                case TiffCompression.None:
                    output.Write(strip);
                    return strip.Length;
                case TiffCompression.Lzw:
                {
                    int n = LzwCodec.Encode(strip, _encoded);
                    output.Write(_encoded, 0, n);
                    return n;
                }
                case TiffCompression.PackBits:
                {
                    int total = 0;
                    for (int start = 0; start < strip.Length; start += rowBytes)
                    {
                        int n = PackBitsCodec.Encode(strip.Slice(start, rowBytes), _encoded);
                        output.Write(_encoded, 0, n);
                        total += n;
                    }
                    return total;
                }
                case TiffCompression.Deflate:
                {
                    long before = output.Length;
                    using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(strip);
                    return checked((int)(output.Length - before));
                }
                default:
                    throw new InvalidOperationException($"Unknown compression {compression}.");
            }
        }
    }

    /// <summary>Collects the entries of one IFD and writes it with its out-of-line values.</summary>
    private sealed class IfdBuilder
    {
        private readonly List<(ushort Tag, TiffFieldType Type, int Count, byte[] Value)> _entries = [];

        /// <summary>Bytes of the IFD plus its out-of-line values (each word-aligned).</summary>
        public long Size
        {
            get
            {
                long size = 2 + 12L * _entries.Count + 4;
                foreach (var e in _entries)
                    if (e.Value.Length > 4) size += e.Value.Length + (e.Value.Length & 1);
                return size;
            }
        }

        public void Add(ushort tag, TiffFieldType type, int count, byte[] value) => _entries.Add((tag, type, count, value));

        public void Add(ushort tag, ushort value)
        {
            var bytes = new byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
            Add(tag, TiffFieldType.Short, 1, bytes);
        }

        public void Add(ushort tag, uint value)
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
            Add(tag, TiffFieldType.Long, 1, bytes);
        }

        /// <summary>Adds (or replaces) a LONG array entry; replacing keeps the IFD size, so offsets can be filled in last.</summary>
        public void AddLongs(ushort tag, uint[] values)
        {
            var bytes = new byte[values.Length * 4];
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i), values[i]);
            int index = _entries.FindIndex(e => e.Tag == tag);
            if (index >= 0) _entries[index] = (tag, TiffFieldType.Long, values.Length, bytes);
            else Add(tag, TiffFieldType.Long, values.Length, bytes);
        }

        public void AddRational(ushort tag, double value)
        {
            // Largest denominator that keeps the numerator in range: about nine significant digits.
            uint denominator = (uint)Math.Clamp(Math.Floor(uint.MaxValue / Math.Max(value, 1.0)), 1, uint.MaxValue);
            uint numerator = (uint)Math.Clamp(Math.Round(value * denominator), 1, uint.MaxValue);
            var bytes = new byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, numerator);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), denominator);
            Add(tag, TiffFieldType.Rational, 1, bytes);
        }

        public void Write(Stream stream, long position, uint nextIfd)
        {
            _entries.Sort((a, b) => a.Tag.CompareTo(b.Tag));
            int count = _entries.Count;
            var block = new byte[checked((int)Size)];
            BinaryPrimitives.WriteUInt16LittleEndian(block, (ushort)count);
            int extra = 2 + 12 * count + 4;
            for (int i = 0; i < count; i++)
            {
                var (tag, type, n, value) = _entries[i];
                Span<byte> entry = block.AsSpan(2 + 12 * i, 12);
                BinaryPrimitives.WriteUInt16LittleEndian(entry, tag);
                BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], (ushort)type);
                BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], (uint)n);
                if (value.Length <= 4)
                {
                    value.CopyTo(entry[8..]);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], checked((uint)(position + extra)));
                    value.CopyTo(block, extra);
                    extra += value.Length + (value.Length & 1);
                }
            }
            BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(2 + 12 * count), nextIfd);
            stream.Write(block);
        }
    }
}
