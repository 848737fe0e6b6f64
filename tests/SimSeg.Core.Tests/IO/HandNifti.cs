using System.Buffers.Binary;
using System.IO.Compression;

namespace SimSeg.Core.Tests.IO;

/// <summary>Writes small NIfTI-1 files byte by byte, independently of any reader, for tests.</summary>
internal sealed class HandNifti
{
    public bool BigEndian { get; init; }
    public short[] Dim { get; init; } = [3, 2, 2, 2, 1, 1, 1, 1];
    public short DataType { get; init; } = 4;
    public short BitPix { get; init; } = 16;
    public float[] PixDim { get; init; } = [1, 1, 1, 1, 0, 0, 0, 0];
    public byte Units { get; init; } = 2;
    public float Slope { get; init; }
    public float Intercept { get; init; }
    public float VoxOffset { get; init; } = 352;
    public string Magic { get; init; } = "n+1\0";

    /// <summary>The file: header, zero padding up to vox_offset, then <paramref name="voxels"/> (already in the file's byte order).</summary>
    public byte[] Build(byte[] voxels, bool gzip = false)
    {
        var file = new byte[Math.Max(352, (int)VoxOffset) + voxels.Length];
        void I32(int at, int v) { if (BigEndian) BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(at), v); else BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(at), v); }
        void I16(int at, short v) { if (BigEndian) BinaryPrimitives.WriteInt16BigEndian(file.AsSpan(at), v); else BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(at), v); }
        void F32(int at, float v) { if (BigEndian) BinaryPrimitives.WriteSingleBigEndian(file.AsSpan(at), v); else BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(at), v); }
        I32(0, 348);
        for (int k = 0; k < 8; k++) I16(40 + 2 * k, Dim[k]);
        I16(70, DataType);
        I16(72, BitPix);
        for (int k = 0; k < 8; k++) F32(76 + 4 * k, PixDim[k]);
        F32(108, VoxOffset);
        F32(112, Slope);
        F32(116, Intercept);
        file[123] = Units;
        for (int k = 0; k < 4; k++) file[344 + k] = (byte)Magic[k];
        voxels.CopyTo(file, Math.Max(352, (int)VoxOffset));
        if (!gzip) return file;
        var compressed = new MemoryStream();
        using (var zip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) zip.Write(file);
        return compressed.ToArray();
    }

    public static byte[] Int16s(bool bigEndian, params short[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
            if (bigEndian) BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(2 * i), values[i]);
            else BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), values[i]);
        return bytes;
    }

    public static byte[] Floats(bool bigEndian, params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
            if (bigEndian) BinaryPrimitives.WriteSingleBigEndian(bytes.AsSpan(4 * i), values[i]);
            else BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    public static byte[] Doubles(bool bigEndian, params double[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
            if (bigEndian) BinaryPrimitives.WriteDoubleBigEndian(bytes.AsSpan(8 * i), values[i]);
            else BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8 * i), values[i]);
        return bytes;
    }

    public static byte[] UInt32s(bool bigEndian, params uint[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
            if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 * i), values[i]);
            else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }
}
