using System.Buffers.Binary;
using System.IO.Compression;
using SimSeg.Core.IO;

namespace SimSeg.Core.Tests.IO;

/// <summary>Files assembled tag by tag, for layouts and byte orders our writer does not produce.</summary>
public sealed class TiffHandMadeFileTests
{
    private static TiffImageData Read(byte[] file) => TiffReader.Read(new MemoryStream(file), "hand.tif");

    [Fact]
    public void Read_BigEndianUInt16TwoStrips_DecodesValues()
    {
        var tiff = new HandTiff(bigEndian: true);
        tiff.Gray(3, 2, 16, 1, 1, 1, tiff.Samples(2, 1, 2, 0xABCD), tiff.Samples(2, 4, 5, 65535));
        TiffImageData read = Read(tiff.Build());
        Assert.Equal(PixelType.UInt16, read.PixelType);
        Assert.Equal([1, 2, 0xABCD, 4, 5, 65535], read.ToImage<ushort>().Data);
    }

    [Fact]
    public void Read_BigEndianFloat64_DecodesValues()
    {
        var tiff = new HandTiff(bigEndian: true);
        double[] values = [1.5, -2.25, double.MaxValue, 1e-300];
        long[] bits = values.Select(BitConverter.DoubleToInt64Bits).ToArray();
        tiff.Gray(2, 2, 64, 3, 1, 2, tiff.Samples(8, bits));
        Assert.Equal(values, Read(tiff.Build()).ToImage<double>().Data);
    }

    [Fact]
    public void Read_BigEndianInt32WithPredictorAndLzw_DecodesValues()
    {
        var tiff = new HandTiff(bigEndian: true);
        int[] values = [-5, 7, 1_000_000, -2_000_000_000, 3, 3];
        // Predictor 2: differences along each row of 3, computed in 32-bit wrap-around arithmetic.
        var differences = new long[6];
        for (int i = 0; i < 6; i++) differences[i] = (uint)(i % 3 == 0 ? values[i] : values[i] - values[i - 1]);
        byte[] raw = tiff.Samples(4, differences);
        var encoded = new byte[LzwCodec.MaxEncodedLength(raw.Length)];
        int n = LzwCodec.Encode(raw, encoded);
        HandTiff.Page page = tiff.Gray(3, 2, 32, 2, 5, 2, encoded[..n]);
        tiff.Short(page, 317, 2);
        Assert.Equal(values, Read(tiff.Build()).ToImage<int>().Data);
    }

    [Fact]
    public void Read_BigTiffLittleEndian_DecodesValues()
    {
        var tiff = new HandTiff(bigEndian: false, bigTiff: true);
        tiff.Gray(2, 2, 8, 2, 1, 2, [0x80, 0x7F, 0xFF, 0x00]);
        tiff.Gray(2, 2, 8, 2, 1, 2, [1, 2, 3, 4]);
        TiffImageData read = Read(tiff.Build());
        Assert.Equal(2, read.PageCount);
        Assert.Equal([-128, 127, -1, 0, 1, 2, 3, 4], read.ToImage<sbyte>().Data);
    }

    [Fact]
    public void Read_BigTiffBigEndianDeflate32946_DecodesValues()
    {
        var tiff = new HandTiff(bigEndian: true, bigTiff: true);
        byte[] raw = tiff.Samples(4, BitConverter.SingleToInt32Bits(0.5f), BitConverter.SingleToInt32Bits(-3f));
        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) z.Write(raw);
        tiff.Gray(2, 1, 32, 3, 32946, 1, compressed.ToArray());
        Assert.Equal([0.5f, -3f], Read(tiff.Build()).ToImage<float>().Data);
    }

    [Fact]
    public void Read_TiledPackBitsImage_ClipsEdgeTiles()
    {
        // 5x3 image in 4x2 tiles: 2 across, 2 down; edge tiles are padded with 99s that must not appear.
        var tiff = new HandTiff(bigEndian: false);
        byte[] Tile(int tx, int ty)
        {
            var tile = new byte[8];
            for (int y = 0; y < 2; y++)
            for (int x = 0; x < 4; x++)
            {
                int gx = tx * 4 + x, gy = ty * 2 + y;
                tile[y * 4 + x] = gx < 5 && gy < 3 ? (byte)(gy * 5 + gx) : (byte)99;
            }
            var packed = new byte[16];
            int n = PackBitsCodec.Encode(tile.AsSpan(0, 4), packed);
            int m = PackBitsCodec.Encode(tile.AsSpan(4, 4), packed.AsSpan(n));
            return packed[..(n + m)];
        }
        HandTiff.Page page = tiff.AddPage(Tile(0, 0), Tile(1, 0), Tile(0, 1), Tile(1, 1));
        page.OffsetsTag = 324;
        page.CountsTag = 325;
        tiff.Long(page, 256, 5).Long(page, 257, 3).Short(page, 258, 8).Short(page, 259, 32773).Short(page, 262, 1)
            .Long(page, 322, 4).Long(page, 323, 2);
        Assert.Equal(Enumerable.Range(0, 15).Select(i => (byte)i), Read(tiff.Build()).ToImage<byte>().Data);
    }

    [Fact]
    public void Read_BilevelImage_UnpacksBits()
    {
        var tiff = new HandTiff(bigEndian: true);
        // 10 pixels per row: 2 bytes per row, last 6 bits padding.
        tiff.Gray(10, 2, 1, 1, 1, 2, [0b1010_0000, 0b1100_0000, 0b0000_0001, 0b0111_1111]);
        TiffImageData read = Read(tiff.Build());
        Assert.Equal(PixelType.UInt8, read.PixelType);
        Assert.Equal([1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1], read.ToImage<byte>().Data);
    }

    [Fact]
    public void Read_NoStripByteCountsUncompressed_InfersThem()
    {
        var tiff = new HandTiff(bigEndian: false);
        HandTiff.Page page = tiff.Gray(2, 2, 8, 1, 1, 2, [9, 8, 7, 6]);
        page.OmitCounts = true;
        Assert.Equal([9, 8, 7, 6], Read(tiff.Build()).ToImage<byte>().Data);
    }

    [Fact]
    public void Read_ReducedResolutionPage_IsSkipped()
    {
        var tiff = new HandTiff(bigEndian: false);
        tiff.Gray(2, 1, 8, 1, 1, 1, [1, 2]);
        HandTiff.Page thumbnail = tiff.Gray(1, 1, 8, 1, 1, 1, [3]);
        tiff.Long(thumbnail, 254, 1);
        TiffImageData read = Read(tiff.Build());
        Assert.Equal(1, read.PageCount);
        Assert.Equal([1, 2], read.ToImage<byte>().Data);
    }

    [Fact]
    public void Read_PagesOfDifferentSize_ThrowsNamingBoth()
    {
        var tiff = new HandTiff(bigEndian: false);
        tiff.Gray(2, 1, 8, 1, 1, 1, [1, 2]);
        tiff.Gray(1, 1, 16, 1, 1, 1, [3, 0]);
        var e = Assert.Throws<ImageFormatException>(() => Read(tiff.Build()));
        Assert.Equal("hand.tif: page 1 is 1x1 UInt16 but page 0 is 2x1 UInt8; pages of different size or type cannot form one image", e.Message);
    }

    [Fact]
    public void Read_IfdLoop_Throws()
    {
        var tiff = new HandTiff(bigEndian: false);
        tiff.Gray(2, 1, 8, 1, 1, 1, [1, 2]);
        byte[] file = tiff.Build();
        // Point the (only) IFD's next-IFD field back at itself.
        uint ifd = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4));
        int entries = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan((int)ifd));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan((int)ifd + 2 + 12 * entries), ifd);
        var e = Assert.Throws<ImageFormatException>(() => Read(file));
        Assert.Contains("IFD loop", e.Message);
    }

    [Fact]
    public void Read_StripBeyondEndOfFile_ThrowsTruncated()
    {
        var tiff = new HandTiff(bigEndian: false);
        tiff.Gray(2, 2, 8, 1, 1, 2, [1, 2, 3, 4]);
        byte[] file = tiff.Build();
        var e = Assert.Throws<ImageFormatException>(() => Read(file[..^60]));
        Assert.StartsWith("hand.tif: truncated: ", e.Message);
    }

    [Fact]
    public void Read_StripShorterThanImage_ThrowsNamingStrip()
    {
        var tiff = new HandTiff(bigEndian: false);
        tiff.Gray(2, 2, 8, 1, 1, 1, [1, 2], [3]);
        var e = Assert.Throws<ImageFormatException>(() => Read(tiff.Build()));
        Assert.Equal("hand.tif: page 0, strip 1 holds 1 bytes of pixels; 2 are needed", e.Message);
    }

    [Theory]
    [InlineData(7, "JPEG")]
    [InlineData(50000, "Zstandard")]
    public void Read_UnsupportedCompression_ThrowsNamingIt(int compression, string name)
    {
        var tiff = new HandTiff(bigEndian: false);
        tiff.Gray(2, 1, 8, 1, compression, 1, [1, 2]);
        var e = Assert.Throws<ImageFormatException>(() => Read(tiff.Build()));
        Assert.Contains($"compression {compression} ({name})", e.Message);
    }

    [Fact]
    public void Read_RgbImage_ThrowsUnsupported()
    {
        var tiff = new HandTiff(bigEndian: false);
        HandTiff.Page page = tiff.Gray(1, 1, 8, 1, 1, 1, [1, 2, 3]);
        tiff.Short(page, 277, 3);
        var e = Assert.Throws<ImageFormatException>(() => Read(tiff.Build()));
        Assert.Contains("3 samples per pixel", e.Message);
    }

    [Fact]
    public void Read_HugeDeclaredSize_ThrowsWithoutAllocating()
    {
        var tiff = new HandTiff(bigEndian: false);
        tiff.Gray(60000, 60000, 8, 1, 8, 60000, [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        var e = Assert.Throws<ImageFormatException>(() => Read(tiff.Build()));
        Assert.Contains("implausibly", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { (byte)'I', (byte)'I', 42 })]
    [InlineData(new byte[] { (byte)'P', (byte)'K', 3, 4, 0, 0, 0, 0 })]
    [InlineData(new byte[] { (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0 })]
    [InlineData(new byte[] { (byte)'I', (byte)'I', 42, 0, 200, 0, 0, 0 })]
    [InlineData(new byte[] { (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    public void Read_NotATiff_ThrowsImageFormatException(byte[] file)
    {
        Assert.Throws<ImageFormatException>(() => Read(file));
    }
}
