using System.Buffers.Binary;
using System.IO.Compression;
using SimSeg.Core.Imaging;

namespace SimSeg.Core.IO;

/// <summary>
/// Reads NIfTI-1 single-file volumes (.nii, and gzip-compressed .nii.gz, recognised by content) of either byte
/// order with uint8, int8, int16, uint16, int32, uint32, float32 or float64 voxels and up to three dimensions
/// (higher dimensions must be 1).
/// </summary>
/// <remarks>
/// Format: NIfTI-1 data format, Cox et al. (2004), nifti.nimh.nih.gov. The byte order is detected from
/// sizeof_hdr (348). Voxels are stored x fastest, then y, then z, which is the <see cref="Image{T}"/> order.
/// The voxel size comes from pixdim[1..3] in the spatial unit of xyzt_units (metre, mm or µm, converted to nm); when
/// the unit is unknown the size is 0 (unknown). Header/image pairs (.hdr/.img), NIfTI-2 and complex or RGB voxels are
/// not supported. Every malformed, truncated or unsupported file ends in <see cref="ImageFormatException"/> naming
/// the file; declared sizes are checked against the file length before allocating (for gzip, memory grows only as
/// decompressed data arrives).
/// </remarks>
public static class NiftiReader
{
    private const int HeaderSize = 348;
    private const int InitialGzipCapacity = 1 << 24;

    /// <summary>Reads the .nii or .nii.gz file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ImageFormatException">The file is not a supported NIfTI-1 volume, or is damaged.</exception>
    public static NiftiVolume Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return ReadCore(stream, path);
    }

    /// <summary>
    /// Reads a NIfTI-1 volume, plain or gzip-compressed, from the current position of <paramref name="stream"/>
    /// (left open). A non-seekable stream is first copied to memory.
    /// </summary>
    /// <param name="stream">A readable stream.</param>
    /// <param name="name">Name used in error messages, e.g. the file name; null for none.</param>
    /// <exception cref="ImageFormatException">The data is not a supported NIfTI-1 volume, or is damaged.</exception>
    public static NiftiVolume Read(Stream stream, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek) return ReadCore(stream, name);
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return ReadCore(copy, name);
    }

    private static NiftiVolume ReadCore(Stream stream, string? name)
    {
        long start = stream.Position;
        Span<byte> magic = stackalloc byte[2];
        int got = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = start;
        bool gzip = got == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        try
        {
            if (!gzip) return Parse(stream, name, stream.Length - start);
            using var inflated = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
            return Parse(inflated, name, available: -1);
        }
        catch (InvalidDataException e)
        {
            throw new ImageFormatException(name, $"the gzip data is damaged ({e.Message})", e);
        }
        catch (EndOfStreamException e)
        {
            throw new ImageFormatException(name, "truncated: the file ends inside the volume", e);
        }
    }

    /// <summary>Parses header and voxels; <paramref name="available"/> is the byte count left, or -1 when unknown (gzip).</summary>
    private static NiftiVolume Parse(Stream stream, string? name, long available)
    {
        ImageFormatException Fail(string problem) => new(name, problem);

        var header = new byte[HeaderSize];
        int read = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        if (read < HeaderSize) throw Fail($"not a NIfTI-1 file: the 348-byte header is incomplete ({read} bytes)");

        int sizeLittle = BinaryPrimitives.ReadInt32LittleEndian(header);
        int sizeBig = BinaryPrimitives.ReadInt32BigEndian(header);
        bool bigEndian;
        if (sizeLittle == HeaderSize) bigEndian = false;
        else if (sizeBig == HeaderSize) bigEndian = true;
        else if (sizeLittle == 540 || sizeBig == 540) throw Fail("NIfTI-2 files are not supported (only NIfTI-1)");
        else throw Fail($"not a NIfTI-1 file: sizeof_hdr is {sizeLittle}, expected 348");

        short Int16(int offset) => bigEndian ? BinaryPrimitives.ReadInt16BigEndian(header.AsSpan(offset)) : BinaryPrimitives.ReadInt16LittleEndian(header.AsSpan(offset));
        float Single(int offset) => bigEndian ? BinaryPrimitives.ReadSingleBigEndian(header.AsSpan(offset)) : BinaryPrimitives.ReadSingleLittleEndian(header.AsSpan(offset));

        if (header[344] == 'n' && header[345] == 'i' && header[346] == '1')
            throw Fail("this is the header of a .hdr/.img pair; only single-file NIfTI-1 (.nii, .nii.gz) is supported");
        if (header[344] != 'n' || header[345] != '+' || header[346] != '1' || header[347] != 0)
            throw Fail("not a single-file NIfTI-1 volume: the magic \"n+1\" is missing");

        int rank = Int16(40);
        if (rank is < 1 or > 7) throw Fail($"dim[0] is {rank}; it must be between 1 and 7");
        Span<int> dims = stackalloc int[8];
        for (int k = 1; k <= 7; k++) dims[k] = k <= rank ? Int16(40 + 2 * k) : 1;
        for (int k = 1; k <= rank; k++)
            if (dims[k] < 1) throw Fail($"dim[{k}] is {dims[k]}; dimensions must be at least 1");
        for (int k = 4; k <= rank; k++)
            if (dims[k] != 1) throw Fail($"dim[{k}] is {dims[k]}: only volumes of up to 3 dimensions are supported (higher dimensions must be 1)");
        int width = dims[1], height = dims[2], depth = dims[3];

        short code = Int16(70);
        PixelType type = code switch
        {
            2 => PixelType.UInt8,
            4 => PixelType.Int16,
            8 => PixelType.Int32,
            16 => PixelType.Float32,
            64 => PixelType.Float64,
            256 => PixelType.Int8,
            512 => PixelType.UInt16,
            768 => PixelType.UInt32,
            _ => throw Fail($"datatype {code} is not supported (uint8, int8, int16, uint16, int32, uint32, float32 and float64 are)"),
        };
        int size = PixelTypes.SizeOf(type);
        short bitpix = Int16(72);
        if (bitpix != 8 * size) throw Fail($"bitpix is {bitpix} but datatype {code} ({type}) has {8 * size} bits");

        float voxOffset = Single(108);
        if (!float.IsFinite(voxOffset) || voxOffset < HeaderSize || voxOffset != MathF.Floor(voxOffset) || voxOffset > int.MaxValue)
            throw Fail($"vox_offset is {voxOffset}; it must be a whole number of bytes >= 348");
        long offset = (long)voxOffset;

        long count = (long)width * height * depth;
        long bytes = count * size;
        if (count > Array.MaxLength || bytes > Array.MaxLength)
            throw Fail($"a {width}x{height}x{depth} volume of {type} is larger than one array can hold");
        if (available >= 0 && offset + bytes > available)
            throw Fail($"truncated: the voxels end at byte {offset + bytes} but the file has {available} bytes");

        double slope = Single(112), intercept = Single(116);
        if (slope == 0 || !double.IsFinite(slope)) (slope, intercept) = (1, 0); // NIfTI: slope 0 means no scaling
        if (!double.IsFinite(intercept)) intercept = 0;

        double nmPerUnit = (header[123] & 7) switch { 1 => 1e9, 2 => 1e6, 3 => 1e3, _ => 0 };
        double Spacing(int k)
        {
            double value = Math.Abs((double)Single(76 + 4 * k)) * nmPerUnit;
            return double.IsFinite(value) ? value : 0;
        }
        var calibration = new Calibration(Spacing(1), Spacing(2), Spacing(3));

        Skip(stream, offset - HeaderSize, name);
        byte[] raw = available >= 0 ? ReadKnown(stream, (int)bytes, name) : ReadGrowing(stream, (int)bytes, name);
        if (bigEndian) ByteOrder.Reverse(raw, size);
        return new NiftiVolume(name, type, width, height, depth, calibration, slope, intercept, raw);
    }

    private static void Skip(Stream stream, long count, string? name)
    {
        Span<byte> scratch = stackalloc byte[4096];
        while (count > 0)
        {
            int n = stream.Read(scratch[..(int)Math.Min(count, scratch.Length)]);
            if (n == 0) throw new ImageFormatException(name, "truncated: the file ends before vox_offset");
            count -= n;
        }
    }

    private static byte[] ReadKnown(Stream stream, int bytes, string? name)
    {
        var raw = new byte[bytes];
        int n = stream.ReadAtLeast(raw, bytes, throwOnEndOfStream: false);
        if (n < bytes) throw new ImageFormatException(name, $"truncated: the voxels need {bytes} bytes but only {n} follow vox_offset");
        return raw;
    }

    /// <summary>Reads <paramref name="bytes"/> bytes from a stream of unknown length, growing the buffer as data arrives.</summary>
    private static byte[] ReadGrowing(Stream stream, int bytes, string? name)
    {
        var raw = new byte[Math.Min(bytes, InitialGzipCapacity)];
        int filled = 0;
        while (filled < bytes)
        {
            if (filled == raw.Length) Array.Resize(ref raw, (int)Math.Min(bytes, 2L * raw.Length));
            int n = stream.Read(raw, filled, raw.Length - filled);
            if (n == 0) throw new ImageFormatException(name, $"truncated: the voxels need {bytes} bytes but only {filled} follow vox_offset");
            filled += n;
        }
        return raw;
    }
}
