using SimSeg.Core.Imaging;
using SimSeg.Core.IO;

namespace SimSeg.Cli.Tests;

[Collection("cli")]
public class SegmentCommandTests
{
    // A 64x48 uint16 image at 100 nm pixels: noisy background 100, a bright bar (rows 20-23) and a disc; and its truth.
    private static (Image<ushort> Image, Image<byte> Truth) Scene(int seed = 1)
    {
        var rng = new Random(seed);
        var image = new Image<ushort>(64, 48, 1, Calibration.Square(100));
        var truth = new Image<byte>(64, 48, 1, Calibration.Square(100));
        for (int y = 0; y < 48; y++)
            for (int x = 0; x < 64; x++)
            {
                bool inside = (y is >= 20 and < 24 && x is >= 8 and < 40) || (x - 50) * (x - 50) + (y - 12) * (y - 12) <= 9;
                truth[x, y] = inside ? (byte)1 : (byte)0;
                image[x, y] = (ushort)(100 + rng.Next(-10, 11) + (inside ? 200 : 0));
            }
        return (image, truth);
    }

    [Theory]
    [InlineData("otsu")]
    [InlineData("noise")]
    [InlineData("adaptive", "--block-size", "31", "--offset", "-30")]
    [InlineData("adaptive", "--window", "mean", "--offset", "-30")]
    [InlineData("mitometer")]
    [InlineData("mitometer", "--radii", "4,6")]
    [InlineData("vesselness", "--sigmas", "1,2")]
    [InlineData("kanezaki", "--iterations", "15", "--channels", "16")]
    public void Segment_EachBaseline_WritesAMaskOverTheObjects(string method, params string[] flags)
    {
        using var dir = new TempDir();
        var (image, truth) = Scene();
        TiffWriter.Write(dir["cell.tif"], image);
        var (code, stdout, stderr) = CliRunner.Run(["segment", dir["cell.tif"], "--method", method, .. flags, "--out", dir["seg"]]);
        Assert.True(code == 0, stderr);
        Assert.Contains("cell.tif", stdout);
        var mask = TiffReader.Read(dir["seg/cell.tif"]).ToImage<byte>();
        Assert.Equal(100, mask.Calibration.PixelWidthNm);
        Assert.Equal(1, mask[20, 21]);   // on the bar
        if (method != "vesselness") Assert.Equal(1, mask[50, 12]);   // disc centre (vesselness suppresses blobs by design)
        Assert.Equal(0, mask[5, 42]);    // background corner
        long agree = mask.Data.Zip(truth.Data).Count(p => p.First == p.Second);
        Assert.True(agree > 0.85 * mask.Data.Length, $"{method}: {agree} of {mask.Data.Length} pixels agree with the truth");
    }

    [Fact]
    public void Segment_OracleThresholdWithTruthFolder_MatchesTheTruthAndReportsTheScore()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["images"]);
        Directory.CreateDirectory(dir["masks"]);
        var (image, truth) = Scene();
        TiffWriter.Write(dir["images/a.tif"], image);
        TiffWriter.Write(dir["masks/a.tif"], truth);
        var (code, _, stderr) = CliRunner.Run("segment", dir["images"], "--method", "oracle-threshold", "--truth", dir["masks"], "--sigma", "0", "--out", dir["seg"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("oracle-threshold: a.tif: mIoU 1.000", stderr);
        Assert.Equal(truth.Data, TiffReader.Read(dir["seg/a.tif"]).ToImage<byte>().Data);
        // A single truth file works too, and --criterion iou is accepted.
        (code, _, stderr) = CliRunner.Run("segment", dir["images/a.tif"], "--method", "oracle-threshold", "--truth", dir["masks/a.tif"], "--criterion", "iou", "--out", dir["seg2"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("IoU", stderr);
    }

    [Fact]
    public void Segment_OracleThresholdWithoutTruth_ExitCode2OneLine()
    {
        using var dir = new TempDir();
        TiffWriter.Write(dir["a.tif"], Scene().Image);
        var (code, _, stderr) = CliRunner.Run("segment", dir["a.tif"], "--method", "oracle-threshold", "--out", dir["seg"]);
        Assert.Equal(2, code);
        Assert.Contains("--truth", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.False(Directory.Exists(dir["seg"]));
    }

    [Fact]
    public void Segment_OracleThresholdTruthOfAnotherSize_ExitCode3()
    {
        using var dir = new TempDir();
        TiffWriter.Write(dir["a.tif"], Scene().Image);
        TiffWriter.Write(dir["truth.tif"], new Image<byte>(63, 48));
        var (code, _, stderr) = CliRunner.Run("segment", dir["a.tif"], "--method", "oracle-threshold", "--truth", dir["truth.tif"], "--out", dir["seg"]);
        Assert.Equal(3, code);
        Assert.Contains("--truth", stderr);
        Assert.Contains("63x48", stderr);
    }

    [Fact]
    public void Segment_OracleThresholdTruthFolderMissingTheFile_ExitCode3()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["masks"]);
        TiffWriter.Write(dir["a.tif"], Scene().Image);
        var (code, _, stderr) = CliRunner.Run("segment", dir["a.tif"], "--method", "oracle-threshold", "--truth", dir["masks"], "--out", dir["seg"]);
        Assert.Equal(3, code);
        Assert.Contains("a.tif", stderr);
    }

    [Theory]
    [InlineData("--method", "watershed")]
    [InlineData("--method", "adaptive", "--block-size", "50")]
    [InlineData("--method", "adaptive", "--window", "median")]
    [InlineData("--method", "mitometer", "--radii", "3,x")]
    [InlineData("--method", "vesselness", "--sigmas", "1,-2")]
    [InlineData("--method", "vesselness", "--threshold", "2")]
    [InlineData("--method", "oracle-threshold", "--truth", "t.tif", "--criterion", "dice")]
    [InlineData("--method", "kanezaki", "--channels", "1")]
    [InlineData("--method", "kanezaki", "--min-labels", "0")]
    public void Segment_BadMethodFlags_ExitCode2NamingTheFlag(params string[] flags)
    {
        using var dir = new TempDir();
        TiffWriter.Write(dir["a.tif"], Scene().Image);
        TiffWriter.Write(dir["t.tif"], Scene().Truth);
        string[] args = [.. flags.Select(f => f == "t.tif" ? dir["t.tif"] : f)];
        var (code, _, stderr) = CliRunner.Run(["segment", dir["a.tif"], .. args, "--out", dir["seg"]]);
        Assert.Equal(2, code);
        Assert.Contains(flags[^2] == "t.tif" ? "--truth" : flags[^2], stderr);
    }

    [Fact]
    public void Segment_ConstantStack_EmptyMasksForEveryMethod()
    {
        using var dir = new TempDir();
        var image = new Image<ushort>(32, 32, 3);
        Array.Fill(image.Data, (ushort)400);
        TiffWriter.Write(dir["flat.tif"], image);
        foreach (string method in new[] { "otsu", "noise", "adaptive", "mitometer", "vesselness", "kanezaki" })
        {
            var (code, _, stderr) = CliRunner.Run("segment", dir["flat.tif"], "--method", method, "--out", dir[method]);
            Assert.True(code == 0, $"{method}: {stderr}");
            var mask = TiffReader.Read(dir[$"{method}/flat.tif"]).ToImage<byte>();
            Assert.Equal(3, mask.Depth);
            Assert.All(mask.Data, v => Assert.Equal(0, v));
        }
    }

    [Fact]
    public void Segment_Help_ExplainsEveryMethod()
    {
        var (code, stdout, _) = CliRunner.Run("segment", "--help");
        Assert.Equal(0, code);
        foreach (string method in new[] { "otsu:", "noise:", "adaptive:", "oracle-threshold:", "mitometer:", "vesselness:", "kanezaki:" })
            Assert.Contains(method, stdout);
        foreach (string flag in new[] { "--block-size", "--window", "--offset", "--truth", "--criterion", "--radii", "--sigmas", "--threshold", "--iterations", "--min-labels", "--channels", "--seed" })
            Assert.Contains(flag, stdout);
    }
}
