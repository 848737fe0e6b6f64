using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SimSeg.Core.IO;

namespace SimSeg.Core.Tests.IO;

public sealed class NpyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("simseg-npy-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A .npy file assembled by hand: version 1.0 header padded to 64 bytes, then raw bytes.</summary>
    private static byte[] HandNpy(string dict, byte[] data, byte major = 1)
    {
        int prefix = major == 1 ? 10 : 12;
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        var file = new byte[total + data.Length];
        file[0] = 0x93;
        "NUMPY"u8.CopyTo(file.AsSpan(1));
        file[6] = major;
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), (ushort)(total - prefix));
        else BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), (uint)(total - prefix));
        Encoding.ASCII.GetBytes(dict.PadRight(total - prefix - 1) + "\n").CopyTo(file, prefix);
        data.CopyTo(file, total);
        return file;
    }

    private static NpyArray Read(byte[] file) => NpyReader.Read(new MemoryStream(file), "hand.npy");

    private void RoundTrip<T>(T[] data, params int[] shape) where T : unmanaged
    {
        string path = Path.Combine(_folder, typeof(T).Name + ".npy");
        NpyWriter.Write<T>(path, shape, data);
        NpyArray read = NpyReader.Read(path);
        Assert.Equal(shape, read.Shape);
        Assert.Equal(typeof(T), read.ElementType);
        Assert.Equal(data, read.ToArray<T>());
        Assert.Equal(0, (File.ReadAllBytes(path).Length - data.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()) % 64);
    }

    [Fact]
    public void WriteRead_EveryElementType_RoundTrips()
    {
        RoundTrip(new[] { true, false, true, true, false, false }, 2, 3);
        RoundTrip(new byte[] { 0, 1, 255, 7 }, 4);
        RoundTrip(new sbyte[] { -128, 0, 127, -1 }, 2, 2);
        RoundTrip(new short[] { short.MinValue, -1, 0, short.MaxValue }, 1, 4);
        RoundTrip(new ushort[] { 0, 1, 65535, 300, 4, 5 }, 3, 2);
        RoundTrip(new int[] { int.MinValue, 0, int.MaxValue }, 3);
        RoundTrip(new uint[] { 0, uint.MaxValue }, 2);
        RoundTrip(new long[] { long.MinValue, 0, long.MaxValue, 5 }, 2, 1, 2);
        RoundTrip(new ulong[] { ulong.MaxValue }, 1);
        RoundTrip(new[] { (Half)1.5, (Half)(-2) }, 2);
        RoundTrip(new[] { 1.5f, float.NaN, float.NegativeInfinity, -0f }, 4);
        RoundTrip(new[] { Math.PI, double.Epsilon, -1e300 }, 3, 1);
        RoundTrip(new[] { 42.0 });
        RoundTrip(Array.Empty<float>(), 0, 5);
    }

    [Theory]
    [InlineData(new int[] { }, "()")]
    [InlineData(new[] { 7 }, "(7,)")]
    [InlineData(new[] { 3, 4 }, "(3, 4)")]
    public void Write_Header_MatchesNumpyLayout(int[] shape, string tuple)
    {
        var data = new ushort[shape.Aggregate(1, (a, b) => a * b)];
        var stream = new MemoryStream();
        NpyWriter.Write<ushort>(stream, shape, data);
        byte[] file = stream.ToArray();
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, file[..8]);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);
        string header = Encoding.ASCII.GetString(file, 10, headerLength);
        Assert.Equal($"{{'descr': '<u2', 'fortran_order': False, 'shape': {tuple}, }}", header.TrimEnd());
        Assert.EndsWith(" \n", header);
        Assert.Equal(10 + headerLength + data.Length * 2, file.Length);
    }

    [Fact]
    public void Read_BigEndianFortranOrder_ReturnsCOrderValues()
    {
        // The 2x3 array [[1, 2, 3], [4, 5, 6]] stored column by column as big-endian int32.
        var data = new byte[24];
        int[] fortran = [1, 4, 2, 5, 3, 6];
        for (int i = 0; i < 6; i++) BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4 * i), fortran[i]);
        NpyArray read = Read(HandNpy("{'descr': '>i4', 'fortran_order': True, 'shape': (2, 3), }", data));
        Assert.Equal(">i4", read.Descriptor);
        Assert.Equal([2, 3], read.Shape);
        Assert.Equal([1, 2, 3, 4, 5, 6], read.ToArray<int>());
    }

    [Fact]
    public void Read_FortranOrder3D_MatchesCOrder()
    {
        int[] shape = [2, 3, 4];
        var data = new byte[24 * 8];
        // Fortran offset of (i, j, k) is i + 2j + 6k; its value is the C index 12i + 4j + k.
        for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
        for (int k = 0; k < 4; k++)
            BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8 * (i + 2 * j + 6 * k)), 12 * i + 4 * j + k);
        NpyArray read = Read(HandNpy("{\"descr\": \"<f8\", \"fortran_order\": True, \"shape\": (2, 3, 4)}", data));
        Assert.Equal(Enumerable.Range(0, 24).Select(v => (double)v), read.ToArray<double>());
        Assert.Equal(shape, read.Shape);
    }

    [Fact]
    public void Read_Version2BigEndianHalf_Decodes()
    {
        var data = new byte[4];
        BinaryPrimitives.WriteHalfBigEndian(data, (Half)0.5);
        BinaryPrimitives.WriteHalfBigEndian(data.AsSpan(2), (Half)(-8));
        NpyArray read = Read(HandNpy("{'descr': '>f2', 'fortran_order': False, 'shape': (2,), }", data, major: 2));
        Assert.Equal([0.5f, -8f], read.ToFloat());
        Assert.Equal([0.5, -8.0], read.ToDouble());
    }

    [Fact]
    public void ToArray_WrongType_ThrowsNamingBoth()
    {
        var stream = new MemoryStream();
        NpyWriter.Write<int>(stream, [2], [1, -1]);
        stream.Position = 0;
        var e = Assert.Throws<ImageFormatException>(() => NpyReader.Read(stream).ToArray<uint>());
        Assert.Contains("Int32", e.Message);
        Assert.Contains("UInt32", e.Message);
    }

    [Fact]
    public void ToFloat_BoolAndSigned_ConvertsValues()
    {
        Assert.Equal([1f, 0f], NpyArray.Create<bool>([2], [true, false]).ToFloat());
        Assert.Equal([-3.0, 200.0], NpyArray.Create<short>([2], [-3, 200]).ToDouble());
    }

    [Fact]
    public void Write_ShapeMismatch_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => NpyWriter.Write<float>(Path.Combine(_folder, "x.npy"), [2, 2], new float[3]));
        Assert.Throws<ArgumentException>(() => NpyWriter.Write<float>(Path.Combine(_folder, "x.npy"), [-1], new float[0]));
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Theory]
    [InlineData("{'descr': '<U10', 'fortran_order': False, 'shape': (1,), }", "not supported")]
    [InlineData("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", "not supported")]
    [InlineData("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (1,), }", "structured")]
    [InlineData("{'descr': '<f4', 'shape': (1,), }", "lacks 'fortran_order'")]
    [InlineData("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (1,), }", "True or False")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999,), }", "dimension")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }", "more elements")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1000,), }", "truncated")]
    [InlineData("{'descr: '<f4'", "malformed")]
    public void Read_BadHeader_ThrowsImageFormatException(string dict, string expected)
    {
        var e = Assert.Throws<ImageFormatException>(() => Read(HandNpy(dict, new byte[16])));
        Assert.StartsWith("hand.npy: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Read_NotNpy_ThrowsImageFormatException()
    {
        Assert.Throws<ImageFormatException>(() => Read([]));
        Assert.Throws<ImageFormatException>(() => Read("PK\x03\x04 hello world"u8.ToArray()));
    }

    [Fact]
    public void Read_RandomCorruptions_DecodeOrThrowImageFormatException()
    {
        var random = new Random(20261121);
        var stream = new MemoryStream();
        NpyWriter.Write<ushort>(stream, [3, 5], Enumerable.Range(0, 15).Select(i => (ushort)(i * 1000)).ToArray());
        byte[] original = stream.ToArray();
        for (int i = 0; i < 2000; i++)
        {
            byte[] file = (byte[])original.Clone();
            if (random.Next(3) == 0) file = file[..random.Next(file.Length)];
            else for (int k = random.Next(1, 6); k > 0; k--) file[random.Next(file.Length)] = (byte)random.Next(32, 128);
            try
            {
                _ = Read(file).ToDouble();
            }
            catch (ImageFormatException)
            {
            }
        }
    }

    [Fact]
    public void NpzWriteRead_PointsAndOccupancies_RoundTrip()
    {
        double[] points = [0, 1, 2, 3, 4, 5];
        float[] occupancies = [0.25f, 1f];
        foreach (bool compress in new[] { false, true })
        {
            string path = Path.Combine(_folder, $"occupancy-{compress}.npz");
            NpzWriter.Write(path, new Dictionary<string, NpyArray>
            {
                ["points"] = NpyArray.Create<double>([2, 3], points),
                ["occupancies"] = NpyArray.Create<float>([2], occupancies),
            }, compress);

            using (var zip = ZipFile.OpenRead(path))
                Assert.Equal(["occupancies.npy", "points.npy"], zip.Entries.Select(e => e.FullName).Order());
            var read = NpzReader.Read(path);
            Assert.Equal([2, 3], read["points"].Shape);
            Assert.Equal(points, read["points"].ToArray<double>());
            Assert.Equal(occupancies, read["occupancies"].ToArray<float>());
        }
    }

    [Fact]
    public void NpzWrite_SameArraysLater_SameBytes()
    {
        // Zip entries carry a time stamp; a fixed one keeps outputs byte-identical across runs.
        var arrays = new Dictionary<string, NpyArray> { ["points"] = NpyArray.Create<float>([2, 3], [1, 2, 3, 4, 5, 6]) };
        string a = Path.Combine(_folder, "a.npz"), b = Path.Combine(_folder, "b.npz");
        NpzWriter.Write(a, arrays);
        Thread.Sleep(2100); // longer than the zip format's 2-second time resolution
        NpzWriter.Write(b, arrays);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    [Fact]
    public void NpzRead_NotAZip_ThrowsImageFormatException()
    {
        string path = Path.Combine(_folder, "bad.npz");
        File.WriteAllBytes(path, new byte[100]);
        var e = Assert.Throws<ImageFormatException>(() => NpzReader.Read(path));
        Assert.StartsWith("bad.npz: ", e.Message);
    }

    [Fact]
    public void NpzRead_BadEntry_NamesArchiveAndEntry()
    {
        string path = Path.Combine(_folder, "entry.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        using (Stream s = zip.CreateEntry("points.npy").Open())
            s.Write("not numpy"u8);
        var e = Assert.Throws<ImageFormatException>(() => NpzReader.Read(path));
        Assert.StartsWith("entry.npz: entry points.npy: ", e.Message);
    }
}
