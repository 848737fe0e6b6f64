using System.Numerics;
using SimSeg.Core.Imaging;
using SimSeg.Core.IO;

namespace SimSeg.Core.Tests.IO;

public sealed class TiffRoundTripTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("simseg-tiff-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<TiffCompression, bool, int> Layouts()
    {
        var data = new TheoryData<TiffCompression, bool, int>();
        foreach (TiffCompression compression in Enum.GetValues<TiffCompression>())
        {
            foreach (int pages in new[] { 1, 3 })
            {
                data.Add(compression, false, pages);
                if (compression is TiffCompression.Lzw or TiffCompression.Deflate) data.Add(compression, true, pages);
            }
        }
        return data;
    }

    /// <summary>Smooth gradient plus seeded noise, spanning the type's range where it can.</summary>
    private static Image<T> Sample<T>(int width, int height, int depth, int seed) where T : unmanaged, INumberBase<T>
    {
        var random = new Random(seed);
        var image = new Image<T>(width, height, depth);
        for (int i = 0; i < image.Data.Length; i++)
        {
            double value = (i % width) * 3 + (i / width % height) + random.Next(-100, 100) * (i % 7 == 0 ? 1 : 0);
            image.Data[i] = T.CreateSaturating(typeof(T) == typeof(float) || typeof(T) == typeof(double) ? value * 0.37 : value);
        }
        return image;
    }

    private void RoundTrip<T>(TiffCompression compression, bool predictor, int pages) where T : unmanaged, INumberBase<T>
    {
        // 300 columns x 130 rows of 8-byte samples makes several strips per page.
        Image<T> image = Sample<T>(300, 130, pages, 20261121);
        string path = Path.Combine(_folder, $"{typeof(T).Name}-{compression}-{predictor}-{pages}.tif");
        TiffWriter.Write(path, image, new TiffWriteOptions { Compression = compression, Predictor = predictor });

        TiffImageData read = TiffReader.Read(path);
        Assert.Equal(PixelTypeOf<T>(), read.PixelType);
        Assert.Equal((300, 130, pages), (read.Width, read.Height, read.PageCount));
        Assert.Equal(image.Data, read.ToImage<T>().Data);
    }

    private static PixelType PixelTypeOf<T>() => Type.GetTypeCode(typeof(T)) switch
    {
        TypeCode.Byte => PixelType.UInt8,
        TypeCode.SByte => PixelType.Int8,
        TypeCode.UInt16 => PixelType.UInt16,
        TypeCode.Int16 => PixelType.Int16,
        TypeCode.UInt32 => PixelType.UInt32,
        TypeCode.Int32 => PixelType.Int32,
        TypeCode.Single => PixelType.Float32,
        _ => PixelType.Float64,
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void WriteRead_IntegerTypes_RoundTripExactly(TiffCompression compression, bool predictor, int pages)
    {
        RoundTrip<byte>(compression, predictor, pages);
        RoundTrip<sbyte>(compression, predictor, pages);
        RoundTrip<ushort>(compression, predictor, pages);
        RoundTrip<short>(compression, predictor, pages);
        RoundTrip<uint>(compression, predictor, pages);
        RoundTrip<int>(compression, predictor, pages);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void WriteRead_FloatTypes_RoundTripExactly(TiffCompression compression, bool predictor, int pages)
    {
        if (predictor) return; // predictor 2 is for integers; rejected for floats (tested below)
        RoundTrip<float>(compression, predictor, pages);
        RoundTrip<double>(compression, predictor, pages);
    }

    [Fact]
    public void Write_PredictorWithFloat_ThrowsArgumentException()
    {
        var image = new Image<float>(4, 4);
        var options = new TiffWriteOptions { Compression = TiffCompression.Lzw, Predictor = true };
        Assert.Throws<ArgumentException>(() => TiffWriter.Write(Path.Combine(_folder, "x.tif"), image, options));
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Write_UnsupportedPixelType_ThrowsArgumentException()
    {
        var image = new Image<long>(4, 4);
        var e = Assert.Throws<ArgumentException>(() => TiffWriter.Write(Path.Combine(_folder, "x.tif"), image));
        Assert.Contains("Int64", e.Message);
    }

    [Fact]
    public void WriteRead_SinglePixelImage_RoundTrips()
    {
        var image = new Image<ushort>(1, 1, 1, [4321]);
        foreach (TiffCompression compression in Enum.GetValues<TiffCompression>())
        {
            var stream = new MemoryStream();
            TiffWriter.Write(stream, image, new TiffWriteOptions { Compression = compression });
            stream.Position = 0;
            Assert.Equal(image.Data, TiffReader.Read(stream).ToImage<ushort>().Data);
        }
    }

    [Fact]
    public void WriteRead_ImageJCalibration_RoundTrips()
    {
        var image = Sample<ushort>(20, 10, 4, 1);
        image.Calibration = new Calibration(65, 70, 250);
        string path = Path.Combine(_folder, "cal.tif");
        TiffWriter.Write(path, image, new TiffWriteOptions { Compression = TiffCompression.Deflate });

        TiffImageData read = TiffReader.Read(path);
        Assert.StartsWith("ImageJ=1.11a\nimages=4\nslices=4\nunit=micron\nspacing=0.25\n", read.Description);
        Assert.Equal(65, read.Calibration.PixelWidthNm, 1e-6);
        Assert.Equal(70, read.Calibration.PixelHeightNm, 1e-6);
        Assert.Equal(250, read.Calibration.PlaneSpacingNm, 1e-9);
        Assert.Equal(read.Calibration, read.ToImage<ushort>().Calibration);
    }

    [Fact]
    public void WriteRead_OmeCalibration_RoundTrips()
    {
        var image = Sample<float>(20, 10, 3, 1);
        image.Calibration = new Calibration(108.3, 108.3, 300);
        string path = Path.Combine(_folder, "cal.ome.tif");
        TiffWriter.Write(path, image, new TiffWriteOptions { Ome = true });

        TiffImageData read = TiffReader.Read(path);
        Assert.Contains("<OME", read.Description);
        Assert.Contains("Type=\"float\"", read.Description);
        Assert.Contains("SizeZ=\"3\"", read.Description);
        Assert.Contains("DimensionOrder=\"XYZCT\"", read.Description);
        Assert.Contains("PhysicalSizeXUnit=\"nm\"", read.Description);
        Assert.Contains("<TiffData IFD=\"0\" PlaneCount=\"3\"", read.Description);
        Assert.Equal(new Calibration(108.3, 108.3, 300), read.Calibration);
    }

    [Fact]
    public void Read_OmeInMicrons_ConvertsToNanometres()
    {
        var tiff = new HandTiff(bigEndian: false);
        HandTiff.Page page = tiff.Gray(2, 1, 8, 1, 1, 1, [1, 2]);
        tiff.Ascii(page, 270, "<?xml version=\"1.0\"?><OME xmlns=\"http://www.openmicroscopy.org/Schemas/OME/2016-06\"><Image ID=\"Image:0\">"
            + "<Pixels ID=\"Pixels:0\" PhysicalSizeX=\"0.1625\" PhysicalSizeY=\"0.1625\" PhysicalSizeZ=\"0.5\" PhysicalSizeZUnit=\"µm\"/></Image></OME>");
        Calibration calibration = TiffReader.Read(new MemoryStream(tiff.Build())).Calibration;
        Assert.Equal(162.5, calibration.PixelWidthNm, 1e-9);
        Assert.Equal(500, calibration.PlaneSpacingNm, 1e-9);
    }

    [Fact]
    public void Read_ResolutionInCentimetres_GivesCalibration()
    {
        var tiff = new HandTiff(bigEndian: false);
        HandTiff.Page page = tiff.Gray(2, 1, 8, 1, 1, 1, [1, 2]);
        tiff.Rational(page, 282, 100000, 1).Rational(page, 283, 50000, 1).Short(page, 296, 3);
        Calibration calibration = TiffReader.Read(new MemoryStream(tiff.Build())).Calibration;
        Assert.Equal(new Calibration(100, 200), calibration);
    }

    [Fact]
    public void Read_UncalibratedImage_CalibrationUnknown()
    {
        string path = Path.Combine(_folder, "plain.tif");
        TiffWriter.Write(path, new Image<byte>(3, 2));
        Assert.Equal(Calibration.Unknown, TiffReader.Read(path).Calibration);
    }

    [Fact]
    public void ToImage_WrongType_ThrowsNamingBothTypes()
    {
        string path = Path.Combine(_folder, "u16.tif");
        TiffWriter.Write(path, new Image<ushort>(3, 2));
        var e = Assert.Throws<ImageFormatException>(() => TiffReader.Read(path).ToImage<float>());
        Assert.Contains("UInt16", e.Message);
        Assert.Contains("Single", e.Message);
    }

    [Fact]
    public void ToImage_UnsignedOfSameSize_ThrowsDespiteArrayCovariance()
    {
        var stream = new MemoryStream();
        TiffWriter.Write(stream, new Image<short>(2, 1));
        stream.Position = 0;
        Assert.Throws<ImageFormatException>(() => TiffReader.Read(stream).ToImage<ushort>());
    }

    [Fact]
    public void ToFloat_SignedShorts_KeepsValues()
    {
        var image = new Image<short>(3, 1, 1, [-32768, 0, 32767]);
        var stream = new MemoryStream();
        TiffWriter.Write(stream, image);
        stream.Position = 0;
        Assert.Equal([-32768f, 0f, 32767f], TiffReader.Read(stream).ToFloat().Data);
    }

    [Fact]
    public void Write_ExistingFile_ReplacedAndNoTemporaryFilesLeft()
    {
        string path = Path.Combine(_folder, "replace.tif");
        File.WriteAllText(path, "old");
        TiffWriter.Write(path, new Image<byte>(2, 2, 1, [1, 2, 3, 4]));
        Assert.Equal([1, 2, 3, 4], TiffReader.Read(path).ToImage<byte>().Data);
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void AtomicWrite_WriterThrows_TargetUntouchedAndTemporaryRemoved()
    {
        string path = Path.Combine(_folder, "keep.bin");
        File.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[1000]);
            throw new InvalidOperationException("disk on fire");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => TiffReader.Read(Path.Combine(_folder, "absent.tif")));
    }
}
