using SimSeg.Core.IO;

namespace SimSeg.Core.Tests.IO;

public class ImageJFramesTests
{
    [Fact]
    public void Write_FrameInterval_DescribesPlanesAsFrames()
    {
        var image = new SimSeg.Core.Imaging.Image<ushort>(4, 4, 3, SimSeg.Core.Imaging.Calibration.Square(100));
        using var stream = new MemoryStream();
        TiffWriter.Write(stream, image, new TiffWriteOptions { FrameIntervalMs = 20 });
        stream.Position = 0;
        var read = TiffReader.Read(stream, "movie.tif");
        Assert.Contains("frames=3", read.Description);
        Assert.Contains("finterval=0.02", read.Description);
        Assert.DoesNotContain("slices=", read.Description);
        Assert.Equal(100, read.Calibration.PixelWidthNm, 6);
        Assert.Equal(3, read.PageCount);
    }
}
