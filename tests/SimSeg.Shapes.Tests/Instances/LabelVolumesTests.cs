using System.Buffers.Binary;
using SimSeg.Core.Imaging;
using SimSeg.Core.IO;
using SimSeg.Shapes.Instances;

namespace SimSeg.Shapes.Tests.Instances;

public sealed class LabelVolumesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("simseg-labels-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public void Load_Npy_ZyxCOrder()
    {
        short[] data = Enumerable.Range(0, 24).Select(i => (short)(i % 5)).ToArray();
        NpyWriter.Write<short>(PathOf("labels.npy"), [2, 3, 4], data);
        var (labels, calibration) = LabelVolumes.Load(PathOf("labels.npy"));
        Assert.Equal((4, 3, 2), (labels.Width, labels.Height, labels.Depth));
        Assert.Equal(data.Select(v => (int)v), labels.Data);
        Assert.False(calibration.IsKnown);
    }

    [Fact]
    public void Load_NpyFloatHoldingIntegers_Accepted()
    {
        NpyWriter.Write<float>(PathOf("f.npy"), [1, 2, 2], [0, 1, 2, 3]);
        Assert.Equal([0, 1, 2, 3], LabelVolumes.Load(PathOf("f.npy")).Labels.Data);
    }

    [Fact]
    public void Load_NpyFloatWithFractions_ThrowsNamingFile()
    {
        NpyWriter.Write<float>(PathOf("probabilities.npy"), [1, 2, 2], [0, 1, 0.5f, 3]);
        var e = Assert.Throws<ImageFormatException>(() => LabelVolumes.Load(PathOf("probabilities.npy")));
        Assert.StartsWith("probabilities.npy: ", e.Message);
        Assert.Contains("0.5", e.Message);
        Assert.Contains("not an integer", e.Message);
    }

    [Fact]
    public void Load_Npy4D_ThrowsWrongDimensionality()
    {
        NpyWriter.Write<byte>(PathOf("t.npy"), [1, 1, 2, 2], [0, 1, 2, 3]);
        var e = Assert.Throws<ImageFormatException>(() => LabelVolumes.Load(PathOf("t.npy")));
        Assert.Contains("(Z, Y, X)", e.Message);
    }

    [Fact]
    public void Load_AllZero_ThrowsEmpty()
    {
        NpyWriter.Write<byte>(PathOf("empty.npy"), [2, 2, 2], new byte[8]);
        var e = Assert.Throws<ImageFormatException>(() => LabelVolumes.Load(PathOf("empty.npy")));
        Assert.StartsWith("empty.npy: ", e.Message);
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void Load_MultiPageTiff_PagesAreZ()
    {
        var image = new Image<ushort>(3, 2, 4, new Calibration(16, 16, 15));
        for (int i = 0; i < image.Data.Length; i++) image.Data[i] = (ushort)(i / 6);
        TiffWriter.Write(PathOf("stack.tif"), image);
        var (labels, calibration) = LabelVolumes.Load(PathOf("stack.tif"));
        Assert.Equal(4, labels.Depth);
        Assert.Equal(3, labels[0, 0, 3]);
        Assert.Equal(16, calibration.PixelWidthNm, 3);
    }

    [Fact]
    public void Load_FloatTiffWithFractions_Throws()
    {
        var image = new Image<float>(2, 2, 1);
        image.Data[3] = 2.25f;
        TiffWriter.Write(PathOf("soft.tiff"), image);
        Assert.Throws<ImageFormatException>(() => LabelVolumes.Load(PathOf("soft.tiff")));
    }

    [Fact]
    public void Load_Nifti_ReadsLabelsAndVoxelSize()
    {
        // A minimal little-endian NIfTI-1 file: 2x2x2 uint8, pixdim 0.016 µm.
        var file = new byte[352 + 8];
        BinaryPrimitives.WriteInt32LittleEndian(file, 348);
        short[] dim = [3, 2, 2, 2, 1, 1, 1, 1];
        for (int k = 0; k < 8; k++) BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(40 + 2 * k), dim[k]);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(70), 2);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(72), 8);
        for (int k = 1; k <= 3; k++) BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(76 + 4 * k), 0.016f);
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(108), 352);
        file[123] = 3;
        "n+1\0"u8.CopyTo(file.AsSpan(344));
        for (int i = 0; i < 8; i++) file[352 + i] = (byte)(i % 3);
        File.WriteAllBytes(PathOf("cell.nii"), file);
        var (labels, calibration) = LabelVolumes.Load(PathOf("cell.nii"));
        Assert.Equal([0, 1, 2, 0, 1, 2, 0, 1], labels.Data);
        Assert.Equal(16, calibration.PlaneSpacingNm, 3);
    }

    [Fact]
    public void Load_UnknownExtension_Throws()
    {
        File.WriteAllBytes(PathOf("labels.png"), [1, 2, 3]);
        var e = Assert.Throws<ImageFormatException>(() => LabelVolumes.Load(PathOf("labels.png")));
        Assert.Contains(".nii.gz", e.Message);
    }
}
