using System.Text;
using SimSeg.Core.IO;
using SimSeg.Core.Randomness;
using SimSeg.Neural.Checkpoints;
using SimSeg.Neural.Models;

namespace SimSeg.Neural.Tests;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("simseg-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void SaveLoad_UNet_RestoresIdenticalOutputs()
    {
        var a = new UNet(1, 1, 4, 2, new Rng(1));
        var x = new Tensor(1, 1, 16, 16);
        var rng = new Rng(2);
        for (int i = 0; i < x.Length; i++) x.Data[i] = (float)rng.NextGaussian();
        a.Forward(x, training: true); // moves the batch-norm running statistics away from their defaults
        float[] expected = a.Forward(x, training: false).Data.ToArray();

        string path = Path.Combine(_dir, "model.safetensors");
        ModelCheckpoint.Save(path, a.NamedParameters(), new Dictionary<string, string> { ["arch"] = "unet" });
        var b = new UNet(1, 1, 4, 2, new Rng(99));
        Assert.NotEqual(expected, b.Forward(x, training: false).Data);
        ModelCheckpoint.Load(path, b.NamedParameters());
        Assert.Equal(expected, b.Forward(x, training: false).Data);
    }

    [Fact]
    public void Write_Header_IsSafetensorsLayout()
    {
        string path = Path.Combine(_dir, "t.safetensors");
        SafeTensors.Write(path, new Dictionary<string, Tensor> { ["w"] = new Tensor([1f, 2f, 3f, 4f, 5f, 6f], 2, 3) });
        byte[] bytes = File.ReadAllBytes(path);
        ulong n = BitConverter.ToUInt64(bytes, 0);
        Assert.Equal(0UL, n % 8);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)n).TrimEnd();
        Assert.Equal("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}}", header);
        Assert.Equal(8 + (int)n + 24, bytes.Length);
        Assert.Equal(6f, BitConverter.ToSingle(bytes, 8 + (int)n + 20));
    }

    [Fact]
    public void Load_OtherArchitecture_FailsWithoutChangingTheModel()
    {
        string path = Path.Combine(_dir, "small.safetensors");
        ModelCheckpoint.Save(path, new UNet(1, 1, 4, 2, new Rng(1)).NamedParameters());
        var other = new UNet(1, 1, 8, 2, new Rng(3));
        float before = other.NamedParameters()[0].Parameter.Value.Data[0];
        var ex = Assert.Throws<ImageFormatException>(() => ModelCheckpoint.Load(path, other.NamedParameters()));
        Assert.Contains("shape", ex.Message);
        Assert.Equal(before, other.NamedParameters()[0].Parameter.Value.Data[0]);
        Assert.Throws<ImageFormatException>(() => ModelCheckpoint.Load(path, new UNet(1, 1, 4, 3, new Rng(1)).NamedParameters()));
    }

    [Fact]
    public void Read_CorruptFiles_ThrowImageFormatException()
    {
        string path = Path.Combine(_dir, "m.safetensors");
        ModelCheckpoint.Save(path, new UNet(1, 1, 2, 1, new Rng(1)).NamedParameters());
        byte[] good = File.ReadAllBytes(path);
        var rng = new Random(20261121);
        for (int trial = 0; trial < 200; trial++)
        {
            byte[] bad = trial % 2 == 0 ? good[..rng.Next(0, good.Length)] : (byte[])good.Clone();
            if (trial % 2 == 1) for (int k = 0; k < 4; k++) bad[rng.Next(0, Math.Min(bad.Length, 400))] ^= (byte)rng.Next(1, 256);
            File.WriteAllBytes(path, bad);
            try { SafeTensors.Read(path); }
            catch (ImageFormatException) { }
        }
    }
}
