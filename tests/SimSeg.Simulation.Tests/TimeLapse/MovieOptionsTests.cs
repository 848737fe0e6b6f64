using SimSeg.Core;
using SimSeg.Simulation.Photokinetics;
using SimSeg.Simulation.Presets;
using SimSeg.Simulation.TimeLapse;

namespace SimSeg.Simulation.Tests.TimeLapse;

public class MovieOptionsTests
{
    public static TheoryData<MovieOptions, string> BadOptions => new()
    {
        { new MovieOptions { Frames = 0 }, nameof(MovieOptions.Frames) },
        { new MovieOptions { Width = -4 }, nameof(MovieOptions.Width) },
        { new MovieOptions { DiffusionCoefficientNm2PerFrame = -1 }, nameof(MovieOptions.DiffusionCoefficientNm2PerFrame) },
        { new MovieOptions { DiffusionCoefficientNm2PerFrame = double.NaN }, nameof(MovieOptions.DiffusionCoefficientNm2PerFrame) },
        { new MovieOptions { FractionDirected = 1.5 }, nameof(MovieOptions.FractionDirected) },
        { new MovieOptions { DriftSpeedNmPerFrame = new Interval(-3, 5) }, nameof(MovieOptions.DriftSpeedNmPerFrame) },
        { new MovieOptions { RotationDiffusionRad2PerFrame = -0.1 }, nameof(MovieOptions.RotationDiffusionRad2PerFrame) },
        { new MovieOptions { FissionProbability = 2 }, nameof(MovieOptions.FissionProbability) },
        { new MovieOptions { FusionProbability = -0.5 }, nameof(MovieOptions.FusionProbability) },
        { new MovieOptions { MorphologyFrames = 0 }, nameof(MovieOptions.MorphologyFrames) },
        { new MovieOptions { ElongationFactor = 0.5 }, nameof(MovieOptions.ElongationFactor) },
        { new MovieOptions { MitochondriaCount = -1 }, nameof(MovieOptions.MitochondriaCount) },
        { new MovieOptions { Threads = 0 }, nameof(MovieOptions.Threads) },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Validate_BadValue_ArgumentExceptionNamingTheProperty(MovieOptions options, string property)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.Equal(property, ex.ParamName);
        Assert.Contains(property, ex.Message);
    }

    [Fact]
    public void Validate_Defaults_Pass() => new MovieOptions().Validate();

    [Fact]
    public void Constructor_BadOptions_Throws()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new MovieSimulator(PresetCatalog.Load("epi1-mixed"), new MovieOptions { Frames = 0 }));
        Assert.Equal(nameof(MovieOptions.Frames), ex.ParamName);
        var bad = new MovieOptions { Photokinetics = new PhotokineticsOptions { FrameIntervalMs = 1, ExposureMs = 10 } };
        Assert.ThrowsAny<ArgumentException>(() => new MovieSimulator(PresetCatalog.Load("epi1-mixed"), bad));
    }
}
