using SimSeg.Core.Randomness;
using SimSeg.Simulation.Photokinetics;

namespace SimSeg.Simulation.Tests.Photokinetics;

public class BlinkingTests
{
    [Fact]
    public void SimulateFrame_AlwaysOn_EveryEmitterGetsRateTimesExposure()
    {
        var options = new PhotokineticsOptions { MeanOffTimeMs = 0, PhotonRatePerMs = 10, ExposureMs = 10 };
        var photons = Blinking.SimulateFrame(options, 100, new Rng(1));
        Assert.All(photons, p => Assert.Equal(100f, p));
    }

    [Fact]
    public void SimulateFrame_Blinking_MeanPhotonsFollowDutyCycle()
    {
        var options = new PhotokineticsOptions { MeanOnTimeMs = 1, MeanOffTimeMs = 5, PhotonRatePerMs = 10, ExposureMs = 10 };
        var photons = Blinking.SimulateFrame(options, 20_000, new Rng(2));
        double mean = photons.Average(p => (double)p);
        double expected = 10 * 10 * options.DutyCycle; // rate × exposure × fraction on
        Assert.InRange(mean, expected * 0.97, expected * 1.03);
        Assert.All(photons, p => Assert.InRange(p, 0f, 100f));
    }

    [Fact]
    public void Simulate_ShortExposure_FractionBrightMatchesDutyCycle()
    {
        // With an exposure much shorter than the dwell times, an emitter is either on or off for the whole frame.
        var options = new PhotokineticsOptions { MeanOnTimeMs = 100, MeanOffTimeMs = 525, PhotonRatePerMs = 1, ExposureMs = 0.01, FrameIntervalMs = 0.01 };
        var photons = Blinking.SimulateFrame(options, 20_000, new Rng(3));
        double bright = photons.Count(p => p > 0) / 20_000.0;
        Assert.InRange(bright, 0.16 - 0.015, 0.16 + 0.015); // PhySeg code: ~16% of emitters bright in a frame
    }

    [Fact]
    public void Simulate_Bleaching_TotalPhotonsDecayOverFrames()
    {
        var options = new PhotokineticsOptions { MeanOffTimeMs = 0, PhotonRatePerMs = 1, ExposureMs = 10, FrameIntervalMs = 10, MeanBleachTimeMs = 50 };
        const int emitters = 5000, frames = 20;
        var photons = new float[emitters * frames];
        Blinking.Simulate(options, emitters, frames, new Rng(4), photons);
        double first = photons.AsSpan(0, emitters).ToArray().Sum(p => (double)p);
        double last = photons.AsSpan((frames - 1) * emitters, emitters).ToArray().Sum(p => (double)p);
        Assert.True(last < first * 0.05, $"last frame {last} should be far below the first {first}");
        // Expected total on-time per emitter is the bleach time (always on, bleaching only while on).
        double total = photons.Sum(p => (double)p) / emitters;
        Assert.InRange(total, 50 * 0.95, 50 * 1.05);
    }

    [Fact]
    public void Simulate_SameSeed_SameOutput()
    {
        var options = new PhotokineticsOptions { MeanOnTimeMs = 1, MeanOffTimeMs = 3 };
        Assert.Equal(Blinking.SimulateFrame(options, 500, new Rng(9)), Blinking.SimulateFrame(options, 500, new Rng(9)));
    }

    [Theory]
    [InlineData(0, 0, 10, "MeanOnTimeMs")]
    [InlineData(1, -1, 10, "MeanOffTimeMs")]
    [InlineData(1, 0, 0, "ExposureMs")]
    public void Validate_BadOptions_NamesTheProperty(double on, double off, double exposure, string name)
    {
        var options = new PhotokineticsOptions { MeanOnTimeMs = on, MeanOffTimeMs = off, ExposureMs = exposure };
        var ex = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.Contains(name, ex.Message);
    }
}
