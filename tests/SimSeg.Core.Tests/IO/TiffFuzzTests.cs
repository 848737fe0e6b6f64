using System.Buffers.Binary;
using System.Diagnostics;
using SimSeg.Core.Imaging;
using SimSeg.Core.IO;

namespace SimSeg.Core.Tests.IO;

/// <summary>
/// Seeded random corruption of valid files: every damaged file must either decode or fail with
/// <see cref="ImageFormatException"/>, within a time bound, never with another exception or a hang.
/// </summary>
public sealed class TiffFuzzTests
{
    private const int CasesPerSeedFile = 800;
    private static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(10);

    private static byte[] Written<T>(Image<T> image, TiffWriteOptions options) where T : unmanaged
    {
        var stream = new MemoryStream();
        TiffWriter.Write(stream, image, options);
        return stream.ToArray();
    }

    private static IEnumerable<(string Name, byte[] File)> SeedFiles()
    {
        var random = new Random(20261121);
        var u16 = new Image<ushort>(9, 7, 2, calibration: new Calibration(65, 65, 200));
        for (int i = 0; i < u16.Data.Length; i++) u16.Data[i] = (ushort)(i * 37 + random.Next(50));
        var i16 = new Image<short>(13, 5, 2);
        for (int i = 0; i < i16.Data.Length; i++) i16.Data[i] = (short)(i * 11 - 300);
        var f32 = new Image<float>(6, 6, 1, calibration: new Calibration(100, 100));
        for (int i = 0; i < f32.Data.Length; i++) f32.Data[i] = i * 0.25f;
        var u8 = new Image<byte>(40, 4, 3);
        for (int i = 0; i < u8.Data.Length; i++) u8.Data[i] = (byte)(i / 9);

        yield return ("none-u16", Written(u16, new TiffWriteOptions()));
        yield return ("lzw-predictor-i16", Written(i16, new TiffWriteOptions { Compression = TiffCompression.Lzw, Predictor = true }));
        yield return ("deflate-ome-f32", Written(f32, new TiffWriteOptions { Compression = TiffCompression.Deflate, Ome = true }));
        yield return ("packbits-u8", Written(u8, new TiffWriteOptions { Compression = TiffCompression.PackBits }));

        var bigEndian = new HandTiff(bigEndian: true);
        byte[] raw = bigEndian.Samples(4, 1, 2, 3, 4, 5, 6, 7, 8);
        var lzw = new byte[LzwCodec.MaxEncodedLength(raw.Length)];
        int n = LzwCodec.Encode(raw, lzw);
        HandTiff.Page tiled = bigEndian.AddPage(lzw[..n], lzw[..n]);
        tiled.OffsetsTag = 324;
        tiled.CountsTag = 325;
        bigEndian.Long(tiled, 256, 4).Long(tiled, 257, 2).Short(tiled, 258, 32).Short(tiled, 259, 5).Short(tiled, 262, 1)
            .Long(tiled, 322, 2).Long(tiled, 323, 4).Short(tiled, 339, 1);
        yield return ("bigendian-tiled-lzw-u32", bigEndian.Build());

        var bigTiff = new HandTiff(bigEndian: false, bigTiff: true);
        bigTiff.Gray(4, 2, 16, 1, 1, 1, bigTiff.Samples(2, 1, 2, 3, 4), bigTiff.Samples(2, 5, 6, 7, 8));
        bigTiff.Gray(4, 2, 16, 1, 1, 2, bigTiff.Samples(2, 9, 10, 11, 12, 13, 14, 15, 16));
        yield return ("bigtiff-u16", bigTiff.Build());
    }

    private static byte[] Corrupt(byte[] original, Random random)
    {
        byte[] file = (byte[])original.Clone();
        switch (random.Next(5))
        {
            case 0: // a few byte flips
                for (int k = random.Next(1, 9); k > 0; k--) file[random.Next(file.Length)] = (byte)random.Next(256);
                return file;
            case 1: // truncation
                return file[..random.Next(file.Length)];
            case 2: // a run of garbage
            {
                int start = random.Next(file.Length), length = random.Next(1, Math.Min(64, file.Length - start) + 1);
                random.NextBytes(file.AsSpan(start, length));
                return file;
            }
            case 3: // an extreme 16- or 32-bit value at a random place (sizes, counts, offsets)
            {
                uint[] extremes = [0, 1, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, (uint)file.Length, (uint)file.Length - 1, 8];
                int at = random.Next(file.Length - 4);
                uint value = extremes[random.Next(extremes.Length)];
                if (random.Next(2) == 0) BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at), value);
                else BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(at), (ushort)value);
                return file;
            }
            default: // flips plus truncation
                file[random.Next(file.Length)] ^= (byte)(1 << random.Next(8));
                return file[..random.Next(file.Length / 2, file.Length + 1)];
        }
    }

    [Fact]
    public void Read_SeedFilesUncorrupted_Decode()
    {
        foreach (var (name, file) in SeedFiles())
            Assert.True(TiffReader.Read(new MemoryStream(file), name).PageCount >= 1, name);
    }

    [Fact]
    public async Task Read_RandomCorruptions_DecodeOrThrowImageFormatException()
    {
        var random = new Random(20261121);
        int decoded = 0, rejected = 0;
        var total = Stopwatch.StartNew();
        foreach (var (name, original) in SeedFiles())
        {
            for (int i = 0; i < CasesPerSeedFile; i++)
            {
                byte[] file = Corrupt(original, random);
                var task = Task.Run(() =>
                {
                    try
                    {
                        TiffImageData data = TiffReader.Read(new MemoryStream(file), name);
                        _ = data.ToFloat();
                        return true;
                    }
                    catch (ImageFormatException e)
                    {
                        Assert.StartsWith(name + ": ", e.Message);
                        return false;
                    }
                });
                bool ok;
                try
                {
                    ok = await task.WaitAsync(CaseLimit);
                }
                catch (TimeoutException)
                {
                    Assert.Fail($"{name} case {i} did not finish within {CaseLimit.TotalSeconds} s");
                    throw;
                }
                if (ok) decoded++;
                else rejected++;
            }
        }
        // Both outcomes must occur, or the corruptions are not exercising anything.
        Assert.True(decoded > 0 && rejected > 0, $"decoded {decoded}, rejected {rejected}");
        Assert.True(total.Elapsed < TimeSpan.FromSeconds(15), $"fuzzing took {total.Elapsed}");
    }
}
