using SimSeg.Core.IO;

namespace SimSeg.Cli.Tests;

[Collection("cli")]
public class PsfAndRenderCommandTests
{
    [Fact]
    public void Psf_BornWolfStack_WritesNormalisedFloatSlices()
    {
        using var dir = new TempDir();
        var (code, _, stderr) = CliRunner.Run("psf", "--model", "born-wolf", "--na", "1.4", "--wavelength", "600", "--size", "64",
            "--pixel-size", "40", "--z-start", "-400", "--z-step", "200", "--z-count", "5", "--out", dir["psf.tif"]);
        Assert.True(code == 0, stderr);
        var tiff = TiffReader.Read(dir["psf.tif"]);
        Assert.Equal(PixelType.Float32, tiff.PixelType);
        var stack = tiff.ToFloat();
        Assert.Equal(5, stack.Depth);
        Assert.Equal(40, stack.Calibration.PixelWidthNm, 3);
        // In focus, a 64 x 40 nm = 2.56 µm field holds nearly all the light of a 600 nm / NA 1.4 PSF.
        double inFocus = stack.Plane(2).ToArray().Sum(v => (double)v);
        Assert.InRange(inFocus, 0.95, 1.0001);
        // Peak at the centre pixel; symmetric about focus.
        Assert.Equal(stack.Plane(2).ToArray().Max(), stack[32, 32, 2]);
        Assert.Equal(stack[32, 32, 1], stack[32, 32, 3], 1e-5f);
    }

    [Fact]
    public void Psf_NaAboveImmersionIndex_ExitCode2()
    {
        using var dir = new TempDir();
        var (code, _, stderr) = CliRunner.Run("psf", "--model", "gibson-lanni", "--na", "1.6", "--out", dir["psf.tif"]);
        Assert.Equal(2, code);
        Assert.Contains("NumericalAperture", stderr);
        Assert.False(File.Exists(dir["psf.tif"]));
    }

    [Fact]
    public void Render_TwoEmitters_ConservesPhotonsWithoutNoise()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["e.csv"], "x_nm,y_nm,z_nm,brightness\n2688,2688,0,1000\n2000,3000,0,500\n");
        var (code, _, stderr) = CliRunner.Run("render", "--emitters", dir["e.csv"], "--preset", "conf2-mito", "--out", dir["img.tif"]);
        Assert.True(code == 0, stderr);
        var image = TiffReader.Read(dir["img.tif"]).ToImage<float>();
        double total = image.Data.Sum(v => (double)v);
        // Conserved up to the light beyond the kernel radius (below) and the pixel quadrature error (~0.2%, above).
        Assert.InRange(total, 1500 * 0.97, 1500 * 1.005);
    }

    [Fact]
    public void Render_WithNoise_WritesUInt16()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["e.csv"], "brightness,x_nm,y_nm,z_nm,extra\n1000,2688,2688,0,a\n");
        var (code, _, stderr) = CliRunner.Run("render", "--emitters", dir["e.csv"], "--out", dir["img.tif"], "--noise", "--width", "64", "--height", "32");
        Assert.True(code == 0, stderr);
        var tiff = TiffReader.Read(dir["img.tif"]);
        Assert.Equal(PixelType.UInt16, tiff.PixelType);
        Assert.Equal(64, tiff.Width);
        Assert.Equal(32, tiff.Height);
    }

    [Theory]
    [InlineData("x_nm,y_nm,brightness\n1,2,3\n", "z_nm")]
    [InlineData("x_nm,y_nm,z_nm,brightness\n1,2,abc,3\n", "line 2")]
    [InlineData("x_nm,y_nm,z_nm,brightness\n1,2,3,-5\n", "brightness")]
    [InlineData("", "empty")]
    public void Render_BadEmitterFile_ExitCode3NamesTheProblem(string content, string named)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["e.csv"], content);
        var (code, _, stderr) = CliRunner.Run("render", "--emitters", dir["e.csv"], "--out", dir["img.tif"]);
        Assert.Equal(3, code);
        Assert.Contains(named, stderr);
        Assert.False(File.Exists(dir["img.tif"]));
    }

    [Fact]
    public void Render_MissingEmitterFile_ExitCode3()
    {
        using var dir = new TempDir();
        var (code, _, stderr) = CliRunner.Run("render", "--emitters", dir["none.csv"], "--out", dir["img.tif"]);
        Assert.Equal(3, code);
        Assert.Contains("none.csv", stderr);
    }

    [Fact]
    public void Presets_List_ShowsEveryMicroscopeAndStructure()
    {
        var (code, stdout, _) = CliRunner.Run("presets");
        Assert.Equal(0, code);
        foreach (string m in new[] { "epi1", "epi2", "airy1", "conf1", "conf2" })
            foreach (string s in new[] { "mito", "vesicle", "mixed" })
                Assert.Contains($"{m}-{s}", stdout);
    }

    [Fact]
    public void Help_Simulate_TeachesWithExamples()
    {
        var (code, stdout, _) = CliRunner.Run("simulate", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--preset", stdout);
        Assert.Contains("Examples", stdout);
    }
}
