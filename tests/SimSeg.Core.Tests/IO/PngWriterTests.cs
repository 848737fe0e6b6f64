using System.Buffers.Binary;
using System.IO.Compression;
using SimSeg.Core.Imaging;
using SimSeg.Core.IO;

namespace SimSeg.Core.Tests.IO;

public sealed class PngWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("simseg-png-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Bit-at-a-time CRC-32, independent of the table-driven one under test.</summary>
    private static uint SlowCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }

    private static List<(string Type, byte[] Data)> Chunks(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var chunks = new List<(string, byte[])>();
        int at = 8;
        while (at < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            byte[] data = png[(at + 8)..(at + 8 + length)];
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            Assert.Equal(SlowCrc(png.AsSpan(at + 4, 4 + length)), crc);
            chunks.Add((type, data));
            at += 12 + length;
        }
        Assert.Equal(png.Length, at);
        return chunks;
    }

    private static void AssertDecodesTo(byte[] png, int width, int height, int colourType, byte[] pixels)
    {
        var chunks = Chunks(png);
        Assert.Equal("IHDR", chunks[0].Type);
        Assert.Equal("IEND", chunks[^1].Type);
        Assert.Empty(chunks[^1].Data);
        byte[] header = chunks[0].Data;
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(header));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4)));
        Assert.Equal(new byte[] { 8, (byte)colourType, 0, 0, 0 }, header[8..]);

        var idat = new MemoryStream(chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray());
        var raw = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress)) zlib.CopyTo(raw);
        byte[] rows = raw.ToArray();
        int rowBytes = pixels.Length / height;
        Assert.Equal(height * (rowBytes + 1), rows.Length);
        for (int y = 0; y < height; y++)
        {
            Assert.Equal(0, rows[y * (rowBytes + 1)]);
            Assert.Equal(pixels.AsSpan(y * rowBytes, rowBytes), rows.AsSpan(y * (rowBytes + 1) + 1, rowBytes));
        }
    }

    [Fact]
    public void Crc32_CheckString_MatchesStandardValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void WriteGray8_SeededPixels_ChunksValidAndRowsInflateBack()
    {
        var pixels = new byte[37 * 11];
        new Random(20261121).NextBytes(pixels);
        string path = Path.Combine(_folder, "gray.png");
        PngWriter.WriteGray8(path, 37, 11, pixels);
        AssertDecodesTo(File.ReadAllBytes(path), 37, 11, 0, pixels);
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void WriteRgb8_SeededPixels_ChunksValidAndRowsInflateBack()
    {
        var pixels = new byte[5 * 3 * 3];
        new Random(20261121).NextBytes(pixels);
        string path = Path.Combine(_folder, "rgb.png");
        PngWriter.WriteRgb8(path, 5, 3, pixels);
        AssertDecodesTo(File.ReadAllBytes(path), 5, 3, 2, pixels);
    }

    [Fact]
    public void Write_LargeNoiseImage_SplitsIdatIntoChunks()
    {
        var pixels = new byte[1500 * 1000];
        new Random(20261121).NextBytes(pixels);
        var stream = new MemoryStream();
        PngWriter.Write(stream, 1500, 1000, pixels);
        byte[] png = stream.ToArray();
        Assert.True(Chunks(png).Count(c => c.Type == "IDAT") > 1);
        AssertDecodesTo(png, 1500, 1000, 0, pixels);
    }

    [Fact]
    public void WriteGray8_WrongLength_ThrowsAndWritesNothing()
    {
        Assert.Throws<ArgumentException>(() => PngWriter.WriteGray8(Path.Combine(_folder, "bad.png"), 4, 4, new byte[15]));
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void AutoContrast_Ramp_MapsPercentilesToFullRange()
    {
        var image = new Image<ushort>(101, 1);
        for (int i = 0; i <= 100; i++) image.Data[i] = (ushort)(1000 + i * 10);
        byte[] result = Preview.AutoContrast(image, lowPercentile: 10, highPercentile: 90);
        Assert.Equal(0, result[0]);
        Assert.Equal(0, result[10]);
        Assert.InRange(result[50], 127, 128); // the midpoint, 127.5 up to rounding
        Assert.Equal(255, result[90]);
        Assert.Equal(255, result[100]);
        Assert.True(result.Zip(result.Skip(1)).All(p => p.First <= p.Second));
    }

    [Fact]
    public void AutoContrast_ConstantImage_AllZero()
    {
        var image = new Image<float>(8, 8);
        Array.Fill(image.Data, 42f);
        Assert.All(Preview.AutoContrast(image), b => Assert.Equal(0, b));
    }

    [Fact]
    public void AutoContrast_NaNAndInfinity_IgnoredForPercentiles()
    {
        var image = new Image<double>(4, 1, 1, [double.NaN, 0, 1, double.PositiveInfinity]);
        Assert.Equal(new byte[] { 0, 0, 255, 255 }, Preview.AutoContrast(image, 0, 0, 100));
    }

    [Fact]
    public void AutoContrast_SecondPlane_UsesThatPlane()
    {
        var image = new Image<byte>(2, 1, 2, [5, 5, 0, 200]);
        Assert.Equal(new byte[] { 0, 255 }, Preview.AutoContrast(image, plane: 1, 0, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => Preview.AutoContrast(image, plane: 2));
    }
}
