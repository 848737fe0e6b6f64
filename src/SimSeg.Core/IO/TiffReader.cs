using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using SimSeg.Core.Imaging;

namespace SimSeg.Core.IO;

/// <summary>
/// Reads single-channel grayscale TIFF and BigTIFF files of either byte order: 1-bit, 8/16/32-bit signed or
/// unsigned integer and 32/64-bit float samples; uncompressed, LZW, Deflate (8 and 32946) or PackBits, with or
/// without horizontal predictor; strips or tiles; all full-resolution pages stacked as planes.
/// </summary>
/// <remarks>
/// Every malformed, truncated or unsupported file ends in <see cref="ImageFormatException"/> naming the file and
/// the problem. Declared sizes are checked against the file length before anything is allocated, and the total
/// decoded size is limited to 4096 times the file size (more than any supported compression can reach) plus 1 MiB.
/// Sample values are returned as stored: PhotometricInterpretation WhiteIsZero or a palette is not applied.
/// </remarks>
public static class TiffReader
{
    /// <summary>Reads the TIFF file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ImageFormatException">The file is not a TIFF this reader supports, or is damaged.</exception>
    public static TiffImageData Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return new Parser(stream, path).Read();
    }

    /// <summary>
    /// Reads a TIFF that starts at the current position of <paramref name="stream"/> (offsets in the file are
    /// relative to it). A non-seekable stream is first copied to memory. The stream is left open.
    /// </summary>
    /// <param name="stream">A readable stream.</param>
    /// <param name="name">Name used in error messages, e.g. the file name; null for none.</param>
    /// <exception cref="ImageFormatException">The data is not a TIFF this reader supports, or is damaged.</exception>
    public static TiffImageData Read(Stream stream, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead) throw new ArgumentException("The stream is not readable.", nameof(stream));
        if (stream.CanSeek) return new Parser(stream, name).Read();
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return new Parser(copy, name).Read();
    }

    /// <summary>One IFD entry; <see cref="Position"/> is where its values are (inside the entry when they fit).</summary>
    private readonly record struct Entry(TiffFieldType Type, long Count, long Position);

    /// <summary>What one page declares about its pixels.</summary>
    private sealed record Page(
        int Index, int Width, int Height, PixelType Type, bool Bilevel, int Compression, bool Predictor,
        bool Tiled, int ChunkWidth, int ChunkHeight, long[] Offsets, long[] ByteCounts);

    private sealed class Parser(Stream stream, string? name)
    {
        private const long MaxExpansion = 4096;
        private readonly long _base = stream.Position;
        private readonly long _length = stream.Length - stream.Position;
        private bool _bigEndian;
        private bool _bigTiff;
        private byte[] _raw = [];
        private byte[] _scratch = [];

        public TiffImageData Read()
        {
            long firstIfd = ReadHeader();
            var pages = new List<Page>();
            string? description = null;
            double xResolution = 0, yResolution = 0;
            int resolutionUnit = 2;
            var seen = new HashSet<long>();
            int index = 0;
            for (long offset = firstIfd; offset != 0; index++)
            {
                if (!seen.Add(offset)) throw Fail($"IFD loop: IFD {index} is at byte {offset}, which an earlier IFD already occupies");
                var (entries, next) = ReadIfd(offset, index);
                offset = next;
                long subfileType = Integer(entries, TiffTag.NewSubfileType, index, 0);
                if ((subfileType & 5) != 0) continue; // reduced-resolution image or transparency mask
                if (pages.Count == 0)
                {
                    description = Ascii(entries, TiffTag.ImageDescription, index);
                    xResolution = Rational(entries, TiffTag.XResolution, index);
                    yResolution = Rational(entries, TiffTag.YResolution, index);
                    resolutionUnit = (int)Integer(entries, TiffTag.ResolutionUnit, index, 2);
                }
                pages.Add(ParsePage(entries, index));
            }
            if (pages.Count == 0) throw Fail("the file has no full-resolution image");

            Page first = pages[0];
            foreach (Page page in pages)
            {
                if (page.Width != first.Width || page.Height != first.Height || page.Type != first.Type || page.Bilevel != first.Bilevel)
                    throw Fail($"page {page.Index} is {Describe(page)} but page {first.Index} is {Describe(first)}; pages of different size or type cannot form one image");
            }

            long planeBytes = (long)first.Width * first.Height * PixelTypes.SizeOf(first.Type);
            if (planeBytes > int.MaxValue) throw Fail($"a {first.Width}x{first.Height} plane of {first.Type} is larger than 2 GiB");
            long pixels = (long)first.Width * first.Height * pages.Count;
            if (pixels > Array.MaxLength) throw Fail($"{pages.Count} pages of {first.Width}x{first.Height} pixels are more than one image can hold");
            long limit = (1L << 20) + _length * MaxExpansion;
            if (planeBytes * pages.Count > limit)
                throw Fail($"the pages declare {planeBytes * pages.Count} bytes of pixels, implausibly many for a file of {_length} bytes");

            Array data = first.Type switch
            {
                PixelType.UInt8 => Decode<byte>(pages),
                PixelType.Int8 => Decode<sbyte>(pages),
                PixelType.UInt16 => Decode<ushort>(pages),
                PixelType.Int16 => Decode<short>(pages),
                PixelType.UInt32 => Decode<uint>(pages),
                PixelType.Int32 => Decode<int>(pages),
                PixelType.Float32 => Decode<float>(pages),
                _ => Decode<double>(pages),
            };
            Calibration calibration = ReadCalibration(description, xResolution, yResolution, resolutionUnit);
            return new TiffImageData(first.Type, first.Width, first.Height, pages.Count, calibration, description, data);
        }

        private static string Describe(Page page) => $"{page.Width}x{page.Height} {(page.Bilevel ? "1-bit" : page.Type.ToString())}";

        private static Calibration ReadCalibration(string? description, double xResolution, double yResolution, int resolutionUnit)
        {
            if (ImageJDescription.Is(description) && ImageJDescription.Parse(description!, xResolution, yResolution) is { } imageJ
                && (imageJ.IsKnown || imageJ.PlaneSpacingNm > 0))
                return imageJ;
            if (OmeXml.Is(description) && OmeXml.Parse(description!) is { } ome && (ome.IsKnown || ome.PlaneSpacingNm > 0))
                return ome;
            double nmPerUnit = resolutionUnit switch { 2 => 25.4e6, 3 => 1e7, _ => 0 };
            if (nmPerUnit > 0 && xResolution > 0)
            {
                double width = ImageJDescription.Sane(nmPerUnit / xResolution);
                double height = ImageJDescription.Sane(nmPerUnit / (yResolution > 0 ? yResolution : xResolution));
                if (width > 0 && height > 0) return new Calibration(width, height);
            }
            return Calibration.Unknown;
        }

        private ImageFormatException Fail(string problem, Exception? inner = null) => new(name, problem, inner);

        private void ReadAt(long offset, Span<byte> destination, string what)
        {
            if (offset < 0 || offset > _length || destination.Length > _length - offset)
                throw Fail($"truncated: {what} ends at byte {offset + destination.Length} but the file has {_length} bytes");
            stream.Position = _base + offset;
            stream.ReadExactly(destination);
        }

        private ushort U16(ReadOnlySpan<byte> b) => _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

        private uint U32(ReadOnlySpan<byte> b) => _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

        private ulong U64(ReadOnlySpan<byte> b) => _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b);

        private long ReadHeader()
        {
            Span<byte> header = stackalloc byte[16];
            if (_length < 8) throw Fail($"not a TIFF file: it has only {_length} bytes");
            ReadAt(0, header[..8], "the header");
            if (header[0] == 'I' && header[1] == 'I') _bigEndian = false;
            else if (header[0] == 'M' && header[1] == 'M') _bigEndian = true;
            else throw Fail("not a TIFF file: it does not start with II or MM");
            ushort magic = U16(header[2..]);
            if (magic == 42) return U32(header[4..]);
            if (magic != 43) throw Fail($"not a TIFF file: version {magic} is neither 42 (TIFF) nor 43 (BigTIFF)");
            _bigTiff = true;
            ReadAt(0, header, "the BigTIFF header");
            if (U16(header[4..]) != 8 || U16(header[6..]) != 0) throw Fail("BigTIFF header declares an offset size other than 8");
            ulong first = U64(header[8..]);
            if (first > (ulong)_length) throw Fail($"truncated: the first IFD is at byte {first} but the file has {_length} bytes");
            return (long)first;
        }

        private (Dictionary<ushort, Entry> Entries, long Next) ReadIfd(long offset, int index)
        {
            int countSize = _bigTiff ? 8 : 2, entrySize = _bigTiff ? 20 : 12, offsetSize = _bigTiff ? 8 : 4;
            if (offset < 8) throw Fail($"IFD {index} offset {offset} points into the header");
            Span<byte> countBytes = stackalloc byte[8];
            ReadAt(offset, countBytes[..countSize], $"IFD {index} entry count");
            ulong count = _bigTiff ? U64(countBytes) : U16(countBytes);
            if (count == 0) throw Fail($"IFD {index} at byte {offset} has no entries");
            if (count > 1 << 16 && _bigTiff) throw Fail($"IFD {index} declares {count} entries; at most 65536 are supported");
            if (count > (ulong)(_length / entrySize)) throw Fail($"truncated: IFD {index} declares {count} entries, more than the file of {_length} bytes can hold");
            var block = new byte[(int)count * entrySize + offsetSize];
            ReadAt(offset + countSize, block, $"IFD {index} ({count} entries)");

            var entries = new Dictionary<ushort, Entry>();
            for (int i = 0; i < (int)count; i++)
            {
                ReadOnlySpan<byte> e = block.AsSpan(i * entrySize, entrySize);
                ushort tag = U16(e);
                var type = (TiffFieldType)U16(e[2..]);
                int size = FieldSize(type);
                if (size == 0) continue; // unknown field types are skipped, as TIFF 6.0 requires
                ulong n = _bigTiff ? U64(e[4..]) : U32(e[4..]);
                if (n > (ulong)_length) throw Fail($"IFD {index}: tag {tag} declares {n} values, more than the file has bytes");
                long bytes = (long)n * size;
                long position = bytes <= offsetSize
                    ? offset + countSize + i * entrySize + (_bigTiff ? 12 : 8)
                    : (long)Math.Min(_bigTiff ? U64(e[(12)..]) : U32(e[8..]), (ulong)long.MaxValue);
                entries.TryAdd(tag, new Entry(type, (long)n, position));
            }
            ReadOnlySpan<byte> tail = block.AsSpan((int)count * entrySize);
            ulong next = _bigTiff ? U64(tail) : U32(tail);
            if (next > (ulong)_length) throw Fail($"truncated: IFD {index} links to an IFD at byte {next} but the file has {_length} bytes");
            return (entries, (long)next);
        }

        private static int FieldSize(TiffFieldType type) => type switch
        {
            TiffFieldType.Byte or TiffFieldType.Ascii or TiffFieldType.SByte or TiffFieldType.Undefined => 1,
            TiffFieldType.Short or TiffFieldType.SShort => 2,
            TiffFieldType.Long or TiffFieldType.SLong or TiffFieldType.Float or TiffFieldType.Ifd => 4,
            TiffFieldType.Rational or TiffFieldType.SRational or TiffFieldType.Double
                or TiffFieldType.Long8 or TiffFieldType.SLong8 or TiffFieldType.Ifd8 => 8,
            _ => 0,
        };

        /// <summary>All values of an integer-typed tag, or null when absent.</summary>
        private long[]? Integers(Dictionary<ushort, Entry> entries, ushort tag, int index, long maxCount)
        {
            if (!entries.TryGetValue(tag, out Entry entry)) return null;
            int size = entry.Type switch
            {
                TiffFieldType.Byte or TiffFieldType.SByte => 1,
                TiffFieldType.Short or TiffFieldType.SShort => 2,
                TiffFieldType.Long or TiffFieldType.SLong or TiffFieldType.Ifd => 4,
                TiffFieldType.Long8 or TiffFieldType.SLong8 or TiffFieldType.Ifd8 => 8,
                _ => throw Fail($"IFD {index}: tag {tag} has type {entry.Type}, not an integer type"),
            };
            if (entry.Count > maxCount) throw Fail($"IFD {index}: tag {tag} has {entry.Count} values, expected at most {maxCount}");
            var bytes = new byte[entry.Count * size];
            ReadAt(entry.Position, bytes, $"IFD {index} tag {tag} ({entry.Count} values)");
            var values = new long[entry.Count];
            for (int i = 0; i < values.Length; i++)
            {
                ReadOnlySpan<byte> v = bytes.AsSpan(i * size, size);
                values[i] = entry.Type switch
                {
                    TiffFieldType.Byte => v[0],
                    TiffFieldType.SByte => (sbyte)v[0],
                    TiffFieldType.Short => U16(v),
                    TiffFieldType.SShort => (short)U16(v),
                    TiffFieldType.Long or TiffFieldType.Ifd => U32(v),
                    TiffFieldType.SLong => (int)U32(v),
                    _ => (long)Math.Min(U64(v), long.MaxValue),
                };
            }
            return values;
        }

        private long Integer(Dictionary<ushort, Entry> entries, ushort tag, int index, long fallback)
        {
            long[]? values = Integers(entries, tag, index, 16);
            return values is { Length: > 0 } ? values[0] : fallback;
        }

        private long RequiredInteger(Dictionary<ushort, Entry> entries, ushort tag, string tagName, int index)
        {
            long[]? values = Integers(entries, tag, index, 16);
            if (values is not { Length: > 0 }) throw Fail($"IFD {index} has no {tagName} tag");
            return values[0];
        }

        private double Rational(Dictionary<ushort, Entry> entries, ushort tag, int index)
        {
            if (!entries.TryGetValue(tag, out Entry entry) || entry.Count < 1) return 0;
            Span<byte> bytes = stackalloc byte[8];
            switch (entry.Type)
            {
                case TiffFieldType.Rational:
                    ReadAt(entry.Position, bytes, $"IFD {index} tag {tag}");
                    uint denominator = U32(bytes[4..]);
                    return denominator == 0 ? 0 : (double)U32(bytes) / denominator;
                case TiffFieldType.Short or TiffFieldType.Long:
                    return Integer(entries, tag, index, 0);
                default:
                    return 0;
            }
        }

        private string? Ascii(Dictionary<ushort, Entry> entries, ushort tag, int index)
        {
            if (!entries.TryGetValue(tag, out Entry entry) || entry.Type is not (TiffFieldType.Ascii or TiffFieldType.Byte or TiffFieldType.Undefined))
                return null;
            var bytes = new byte[entry.Count];
            ReadAt(entry.Position, bytes, $"IFD {index} tag {tag} ({entry.Count} characters)");
            int end = Array.IndexOf(bytes, (byte)0);
            return Encoding.UTF8.GetString(bytes, 0, end < 0 ? bytes.Length : end);
        }

        private Page ParsePage(Dictionary<ushort, Entry> entries, int index)
        {
            long width = RequiredInteger(entries, TiffTag.ImageWidth, "ImageWidth", index);
            long height = RequiredInteger(entries, TiffTag.ImageLength, "ImageLength", index);
            if (width is <= 0 or > int.MaxValue || height is <= 0 or > int.MaxValue)
                throw Fail($"IFD {index} declares a {width}x{height} image");
            long samples = Integer(entries, TiffTag.SamplesPerPixel, index, 1);
            if (samples != 1) throw Fail($"IFD {index} has {samples} samples per pixel; only single-channel grayscale is supported");
            long photometric = Integer(entries, TiffTag.PhotometricInterpretation, index, 1);
            if (photometric is not (0 or 1 or 3))
                throw Fail($"IFD {index} has PhotometricInterpretation {photometric}; only grayscale (0, 1) or palette indices (3) are supported");
            long bits = Integer(entries, TiffTag.BitsPerSample, index, 1);
            long format = Integer(entries, TiffTag.SampleFormat, index, 1);
            if (format == 4) format = 1; // "undefined" data: read as unsigned
            PixelType type = (bits, format) switch
            {
                (1, 1) or (8, 1) => PixelType.UInt8,
                (8, 2) => PixelType.Int8,
                (16, 1) => PixelType.UInt16,
                (16, 2) => PixelType.Int16,
                (32, 1) => PixelType.UInt32,
                (32, 2) => PixelType.Int32,
                (32, 3) => PixelType.Float32,
                (64, 3) => PixelType.Float64,
                _ => throw Fail($"IFD {index} has {bits}-bit {format switch { 1 => "unsigned", 2 => "signed", 3 => "floating-point", _ => $"SampleFormat {format}" }} samples, which are not supported"),
            };
            bool bilevel = bits == 1;

            long compression = Integer(entries, TiffTag.Compression, index, 1);
            if (compression is not (1 or 5 or 8 or 32946 or 32773))
                throw Fail($"IFD {index} uses compression {compression}{CompressionName(compression)}, which is not supported (only none, LZW, Deflate and PackBits are)");
            long predictor = Integer(entries, TiffTag.Predictor, index, 1);
            if (predictor is not (1 or 2)) throw Fail($"IFD {index} uses predictor {predictor}{(predictor == 3 ? " (floating point)" : "")}, which is not supported");
            if (predictor == 2 && bilevel) throw Fail($"IFD {index} combines a predictor with 1-bit samples");

            bool tiled = entries.ContainsKey(TiffTag.TileWidth) || entries.ContainsKey(TiffTag.TileOffsets);
            long chunkWidth, chunkHeight, chunks;
            if (tiled)
            {
                chunkWidth = RequiredInteger(entries, TiffTag.TileWidth, "TileWidth", index);
                chunkHeight = RequiredInteger(entries, TiffTag.TileLength, "TileLength", index);
                if (chunkWidth is <= 0 or > 1 << 20 || chunkHeight is <= 0 or > 1 << 20)
                    throw Fail($"IFD {index} declares {chunkWidth}x{chunkHeight} tiles");
                chunks = ((width + chunkWidth - 1) / chunkWidth) * ((height + chunkHeight - 1) / chunkHeight);
            }
            else
            {
                chunkWidth = width;
                chunkHeight = Math.Min(Integer(entries, TiffTag.RowsPerStrip, index, height), height);
                if (chunkHeight <= 0) throw Fail($"IFD {index} declares RowsPerStrip {chunkHeight}");
                chunks = (height + chunkHeight - 1) / chunkHeight;
            }
            long chunkBytes = bilevel ? (chunkWidth + 7) / 8 * chunkHeight : chunkWidth * chunkHeight * PixelTypes.SizeOf(type);
            if (chunkBytes > int.MaxValue / 2 || chunkBytes > (1L << 20) + _length * MaxExpansion)
                throw Fail($"IFD {index} declares {chunkBytes}-byte {(tiled ? "tiles" : "strips")}, implausibly large for a file of {_length} bytes");
            string kind = tiled ? "tile" : "strip";
            if (chunks > _length) throw Fail($"IFD {index} needs {chunks} {kind}s, more than the file has bytes");

            long[] offsets = Integers(entries, tiled ? TiffTag.TileOffsets : TiffTag.StripOffsets, index, chunks)
                ?? throw Fail($"IFD {index} has no {(tiled ? "TileOffsets" : "StripOffsets")} tag");
            long[]? counts = Integers(entries, tiled ? TiffTag.TileByteCounts : TiffTag.StripByteCounts, index, chunks);
            if (counts is null)
            {
                if (compression != 1 || tiled) throw Fail($"IFD {index} has no {kind} byte counts");
                counts = new long[offsets.Length];
                for (int s = 0; s < counts.Length; s++) counts[s] = Math.Min(chunkHeight, height - s * chunkHeight) * chunkBytes / chunkHeight;
            }
            if (offsets.Length != chunks || counts.Length != chunks)
                throw Fail($"IFD {index} lists {offsets.Length} {kind} offsets and {counts.Length} byte counts; a {width}x{height} image needs {chunks}");
            for (int s = 0; s < chunks; s++)
            {
                if (counts[s] < 0 || offsets[s] < 0 || offsets[s] > _length || counts[s] > _length - offsets[s])
                    throw Fail($"truncated: page {index}, {kind} {s} ends at byte {offsets[s] + counts[s]} but the file has {_length} bytes");
            }
            return new Page(index, (int)width, (int)height, type, bilevel, (int)compression, predictor == 2, tiled,
                (int)chunkWidth, (int)chunkHeight, offsets, counts);
        }

        private static string CompressionName(long compression) => compression switch
        {
            2 => " (CCITT RLE)",
            3 => " (CCITT Group 3)",
            4 => " (CCITT Group 4)",
            6 => " (old-style JPEG)",
            7 => " (JPEG)",
            34712 => " (JPEG 2000)",
            34887 => " (LERC)",
            34925 => " (LZMA)",
            50000 => " (Zstandard)",
            50001 => " (WebP)",
            _ => "",
        };

        private T[] Decode<T>(List<Page> pages) where T : unmanaged
        {
            Page first = pages[0];
            int planeLength = first.Width * first.Height;
            var result = new T[(long)planeLength * pages.Count];
            for (int p = 0; p < pages.Count; p++)
                DecodePage(pages[p], MemoryMarshal.AsBytes(result.AsSpan(p * planeLength, planeLength)));
            return result;
        }

        private void DecodePage(Page page, Span<byte> plane)
        {
            int sampleBytes = PixelTypes.SizeOf(page.Type);
            int chunkRowBytes = page.Bilevel ? (page.ChunkWidth + 7) / 8 : page.ChunkWidth * sampleBytes;
            int planeRowBytes = page.Width * sampleBytes;
            int across = (page.Width + page.ChunkWidth - 1) / page.ChunkWidth;
            string kind = page.Tiled ? "tile" : "strip";
            for (int c = 0; c < page.Offsets.Length; c++)
            {
                int x0 = c % across * page.ChunkWidth, y0 = c / across * page.ChunkHeight;
                int rows = page.Tiled ? page.ChunkHeight : Math.Min(page.ChunkHeight, page.Height - y0);
                int expected = rows * chunkRowBytes;
                bool direct = !page.Tiled && !page.Bilevel;
                Span<byte> target = direct ? plane.Slice(y0 * planeRowBytes, expected) : Scratch(expected);
                if (!direct) target.Clear();
                long count = page.ByteCounts[c];
                if (count == 0) continue; // sparse: an absent chunk reads as zeros

                int produced = Decompress(page, c, kind, count, target);
                if (produced < expected)
                    throw Fail($"page {page.Index}, {kind} {c} holds {produced} bytes of pixels; {expected} are needed");
                if (_bigEndian && sampleBytes > 1) ByteOrder.Reverse(target, sampleBytes);
                if (page.Predictor) HorizontalPredictor.Decode(target, chunkRowBytes, sampleBytes);
                if (direct) continue;

                int copyRows = Math.Min(rows, page.Height - y0), copyColumns = Math.Min(page.ChunkWidth, page.Width - x0);
                for (int r = 0; r < copyRows; r++)
                {
                    ReadOnlySpan<byte> source = target.Slice(r * chunkRowBytes, chunkRowBytes);
                    Span<byte> destination = plane.Slice((y0 + r) * planeRowBytes + x0 * sampleBytes, copyColumns * sampleBytes);
                    if (page.Bilevel)
                    {
                        for (int x = 0; x < destination.Length; x++) destination[x] = (byte)((source[x >> 3] >> (7 - (x & 7))) & 1);
                    }
                    else
                    {
                        source[..destination.Length].CopyTo(destination);
                    }
                }
            }
        }

        private Span<byte> Scratch(int length)
        {
            if (_scratch.Length < length) _scratch = new byte[length];
            return _scratch.AsSpan(0, length);
        }

        private int Decompress(Page page, int chunk, string kind, long count, Span<byte> target)
        {
            string what = $"page {page.Index}, {kind} {chunk}";
            if (page.Compression == 1)
            {
                int n = (int)Math.Min(count, target.Length);
                ReadAt(page.Offsets[chunk], target[..n], what);
                return n;
            }
            if (count > Array.MaxLength) throw Fail($"{what} is {count} bytes long; compressed chunks over 2 GiB are not supported");
            if (_raw.Length < count) _raw = new byte[count];
            ReadAt(page.Offsets[chunk], _raw.AsSpan(0, (int)count), what);
            ReadOnlySpan<byte> raw = _raw.AsSpan(0, (int)count);
            try
            {
                switch (page.Compression)
                {
                    case 5:
                        return LzwCodec.Decode(raw, target);
                    case 32773:
                        return PackBitsCodec.Decode(raw, target);
                    default:
                    {
                        using var zlib = new ZLibStream(new MemoryStream(_raw, 0, (int)count, writable: false), CompressionMode.Decompress);
                        return zlib.ReadAtLeast(target, target.Length, throwOnEndOfStream: false);
                    }
                }
            }
            catch (InvalidDataException e)
            {
                throw Fail($"{what} is corrupt: {e.Message}", e);
            }
        }
    }
}
