using System.Buffers.Binary;
using System.Diagnostics;
using SimSeg.Core.IO;

namespace SimSeg.Core.Tests.IO;

/// <summary>
/// Seeded random corruption of valid NIfTI files: each damaged file must decode or fail with
/// <see cref="ImageFormatException"/>, never another exception.
/// </summary>
public sealed class NiftiFuzzTests
{
    private const int CasesPerSeedFile = 300;

    private static IEnumerable<(string Name, byte[] File)> SeedFiles()
    {
        short[] values = Enumerable.Range(0, 60).Select(i => (short)(i * 7 - 100)).ToArray();
        yield return ("le-i16.nii", new HandNifti { Dim = [3, 5, 4, 3, 1, 1, 1, 1] }.Build(HandNifti.Int16s(false, values)));
        yield return ("be-f32.nii", new HandNifti { BigEndian = true, DataType = 16, BitPix = 32, Dim = [3, 3, 3, 2, 1, 1, 1, 1], Slope = 2 }
            .Build(HandNifti.Floats(true, Enumerable.Range(0, 18).Select(i => i * 0.5f).ToArray())));
        yield return ("le-u8.nii.gz", new HandNifti { DataType = 2, BitPix = 8, Dim = [3, 6, 5, 4, 1, 1, 1, 1] }
            .Build(Enumerable.Range(0, 120).Select(i => (byte)(i / 10)).ToArray(), gzip: true));
    }

    private static byte[] Corrupt(byte[] original, Random random)
    {
        byte[] file = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0:
                for (int k = random.Next(1, 6); k > 0; k--) file[random.Next(Math.Min(file.Length, 360))] = (byte)random.Next(256);
                return file;
            case 1:
                return file[..random.Next(file.Length)];
            case 2:
            {
                uint[] extremes = [0, 1, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, 348, 0x7F800000, 0xFFC00000];
                int at = random.Next(Math.Min(file.Length, 360) - 4);
                uint value = extremes[random.Next(extremes.Length)];
                if (random.Next(2) == 0) BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at), value);
                else BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(at), (ushort)value);
                return file;
            }
            default:
                file[random.Next(file.Length)] ^= (byte)(1 << random.Next(8));
                return file;
        }
    }

    [Fact]
    public void Read_SeedFiles_Decode()
    {
        foreach (var (name, file) in SeedFiles())
            Assert.True(NiftiReader.Read(new MemoryStream(file), name).Width > 0, name);
    }

    [Fact]
    public void Read_RandomCorruptions_DecodeOrThrowImageFormatException()
    {
        var random = new Random(20261122);
        int decoded = 0, rejected = 0;
        var clock = Stopwatch.StartNew();
        foreach (var (name, original) in SeedFiles())
        {
            for (int i = 0; i < CasesPerSeedFile; i++)
            {
                byte[] file = Corrupt(original, random);
                try
                {
                    NiftiVolume volume = NiftiReader.Read(new MemoryStream(file), name);
                    _ = volume.ToFloat();
                    try { _ = volume.ToLabels(); }
                    catch (ImageFormatException e) { Assert.StartsWith(name + ": ", e.Message); }
                    decoded++;
                }
                catch (ImageFormatException e)
                {
                    Assert.StartsWith(name + ": ", e.Message);
                    rejected++;
                }
            }
        }
        Assert.True(decoded > 0 && rejected > 0, $"decoded {decoded}, rejected {rejected}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"fuzzing took {clock.Elapsed}");
    }
}
