using System.Diagnostics;
using SimSeg.Core.Imaging;
using SimSeg.Core.IO;
using Xunit.Abstractions;

namespace SimSeg.Core.Tests.IO;

public sealed class NiftiReaderTests(ITestOutputHelper output)
{
    private static NiftiVolume Read(byte[] file, string name = "hand.nii") => NiftiReader.Read(new MemoryStream(file), name);

    private static readonly short[] Ramp = [0, 1, 2, 3, -4, 5, 6, 300];

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Read_Int16BothOrdersPlainAndGzip_ValuesInXyzOrder(bool bigEndian, bool gzip)
    {
        var hand = new HandNifti { BigEndian = bigEndian, Dim = [3, 2, 2, 2, 1, 1, 1, 1], PixDim = [1, 0.016f, 0.017f, 0.015f, 0, 0, 0, 0], Units = 3 };
        NiftiVolume volume = Read(hand.Build(HandNifti.Int16s(bigEndian, Ramp), gzip));
        Assert.Equal((2, 2, 2), (volume.Width, volume.Height, volume.Depth));
        Assert.Equal(PixelType.Int16, volume.DataType);
        Image<int> labels = volume.ToLabels();
        Assert.Equal(Ramp.Select(v => (int)v), labels.Data);
        Assert.Equal(300, labels[1, 1, 1]);
        Assert.Equal(-4, labels[0, 0, 1]);
        Assert.Equal(16, volume.Calibration.PixelWidthNm, 3);
        Assert.Equal(17, volume.Calibration.PixelHeightNm, 3);
        Assert.Equal(15, volume.Calibration.PlaneSpacingNm, 3);
    }

    [Theory]
    [InlineData(1, 1e9)]
    [InlineData(2, 1e6)]
    [InlineData(3, 1e3)]
    [InlineData(0, 0)]
    [InlineData(8 + 2, 1e6)] // a time unit (seconds) beside mm
    public void Read_SpatialUnits_ConvertToNanometres(byte units, double nmPerUnit)
    {
        var hand = new HandNifti { Units = units, PixDim = [1, 2, 2, 3, 0, 0, 0, 0] };
        NiftiVolume volume = Read(hand.Build(HandNifti.Int16s(false, Ramp)));
        Assert.Equal(2 * nmPerUnit, volume.Calibration.PixelWidthNm);
        Assert.Equal(3 * nmPerUnit, volume.Calibration.PlaneSpacingNm);
    }

    [Fact]
    public void Read_ScaleSlopeAndIntercept_Applied()
    {
        var hand = new HandNifti { Slope = 2, Intercept = 10 };
        NiftiVolume volume = Read(hand.Build(HandNifti.Int16s(false, Ramp)));
        Assert.Equal(Ramp.Select(v => 2 * v + 10), volume.ToLabels().Data);
        Assert.Equal(Ramp.Select(v => 2f * v + 10), volume.ToFloat().Data);
    }

    [Fact]
    public void Read_FloatWithWholeValues_GivesLabels()
    {
        var hand = new HandNifti { DataType = 16, BitPix = 32 };
        NiftiVolume volume = Read(hand.Build(HandNifti.Floats(false, 0, 1, 2, 3, 4, 5, 6, 7)));
        Assert.Equal(PixelType.Float32, volume.DataType);
        Assert.Equal(Enumerable.Range(0, 8), volume.ToLabels().Data);
    }

    [Fact]
    public void ToLabels_FractionalFloat_ThrowsNamingFileAndVoxel()
    {
        var hand = new HandNifti { DataType = 64, BitPix = 64, BigEndian = true };
        NiftiVolume volume = Read(hand.Build(HandNifti.Doubles(true, 0, 1, 2, 3, 4, 5.5, 6, 7)), "probabilities.nii");
        Assert.Equal(5.5f, volume.ToFloat().Data[5]);
        var e = Assert.Throws<ImageFormatException>(() => volume.ToLabels());
        Assert.StartsWith("probabilities.nii: ", e.Message);
        Assert.Contains("5.5", e.Message);
        Assert.Contains("x=1, y=0, z=1", e.Message);
    }

    [Fact]
    public void ToLabels_UInt32AboveIntRange_Throws()
    {
        var hand = new HandNifti { DataType = 768, BitPix = 32 };
        NiftiVolume volume = Read(hand.Build(HandNifti.UInt32s(false, 0, 1, 2, 3, 4, 5, 6, 3_000_000_000)));
        Assert.Throws<ImageFormatException>(() => volume.ToLabels());
        Assert.Equal(3e9f, volume.ToFloat().Data[7]);
    }

    [Fact]
    public void Read_FourthDimensionOfOneAndExtensionBytes_Accepted()
    {
        var hand = new HandNifti { Dim = [4, 2, 2, 2, 1, 1, 1, 1], VoxOffset = 400 };
        Assert.Equal(Ramp.Select(v => (int)v), Read(hand.Build(HandNifti.Int16s(false, Ramp))).ToLabels().Data);
    }

    [Fact]
    public void Read_TwoDimensional_DepthOne()
    {
        var hand = new HandNifti { Dim = [2, 4, 2, 7, 1, 1, 1, 1] };
        NiftiVolume volume = Read(hand.Build(HandNifti.Int16s(false, Ramp)));
        Assert.Equal((4, 2, 1), (volume.Width, volume.Height, volume.Depth));
    }

    [Theory]
    [InlineData("time", "dim[4] is 2")]
    [InlineData("datatype", "datatype 128")]
    [InlineData("bitpix", "bitpix")]
    [InlineData("pair", ".hdr/.img")]
    [InlineData("magic", "magic")]
    [InlineData("offset", "vox_offset")]
    [InlineData("truncated", "truncated")]
    [InlineData("size", "sizeof_hdr")]
    public void Read_BadHeaders_ThrowImageFormatExceptionNamingFile(string defect, string expected)
    {
        byte[] voxels = HandNifti.Int16s(false, Ramp);
        byte[] file = defect switch
        {
            "time" => new HandNifti { Dim = [4, 2, 2, 1, 2, 1, 1, 1] }.Build(voxels),
            "datatype" => new HandNifti { DataType = 128, BitPix = 24 }.Build(voxels),
            "bitpix" => new HandNifti { BitPix = 8 }.Build(voxels),
            "pair" => new HandNifti { Magic = "ni1\0" }.Build(voxels),
            "magic" => new HandNifti { Magic = "abc\0" }.Build(voxels),
            "offset" => new HandNifti { VoxOffset = 100 }.Build([]),
            "truncated" => new HandNifti().Build(voxels)[..^3],
            _ => new byte[400],
        };
        var e = Assert.Throws<ImageFormatException>(() => Read(file, "bad.nii"));
        Assert.StartsWith("bad.nii: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Read_TruncatedGzip_ThrowsImageFormatException()
    {
        byte[] file = new HandNifti().Build(HandNifti.Int16s(false, Ramp), gzip: true);
        Assert.Throws<ImageFormatException>(() => Read(file[..(file.Length - 12)], "cut.nii.gz"));
    }

    [Fact]
    public void Read_UroCellVolume_Int16With40Labels()
    {
        string? path = SharedData.Find(Path.Combine("urocell", "mito-instance-fib1-0-0-0.nii.gz"));
        if (path is null)
        {
            output.WriteLine("SKIPPED: shared/data/urocell/mito-instance-fib1-0-0-0.nii.gz is not on this machine.");
            return;
        }
        var clock = Stopwatch.StartNew();
        NiftiVolume volume = NiftiReader.Read(path);
        Image<int> labels = volume.ToLabels();
        output.WriteLine($"read in {clock.ElapsedMilliseconds} ms");
        Assert.Equal((256, 256, 256), (volume.Width, volume.Height, volume.Depth));
        Assert.Equal(PixelType.Int16, volume.DataType);
        int[] distinct = labels.Data.Distinct().Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 40), distinct);
        Assert.Equal(1e6, volume.Calibration.PixelWidthNm); // header says 1 mm: a placeholder, not the EM voxel size
    }
}
