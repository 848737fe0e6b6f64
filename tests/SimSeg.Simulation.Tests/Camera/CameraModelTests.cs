using SimSeg.Core;
using SimSeg.Core.Randomness;
using SimSeg.Simulation.Camera;

namespace SimSeg.Simulation.Tests.Camera;

public class CameraModelTests
{
    [Fact]
    public void Expose_TargetSbr_PeakIsSbrTimesBackgroundAboveBackground()
    {
        var photons = new float[] { 0, 10, 40, 20 };
        var options = new CameraOptions { BackgroundPhotons = new Interval(30, 30), SignalToBackground = new Interval(3, 3) };
        var levels = CameraModel.Expose(options, photons, new Rng(1));
        Assert.Equal(30, levels.BackgroundPhotons);
        Assert.Equal(30f, photons[0]);
        Assert.Equal(30f + 90f, photons[2], 4);
        Assert.Equal(30f + 22.5f, photons[1], 4);
    }

    [Fact]
    public void Expose_EmptyField_IsBackgroundOnly()
    {
        var photons = new float[16];
        var levels = CameraModel.Expose(new CameraOptions { BackgroundPhotons = new Interval(25, 25) }, photons, new Rng(2));
        Assert.All(photons, p => Assert.Equal(25f, p));
        Assert.Equal(0, levels.PhotonScale);
    }

    [Fact]
    public void Digitise_ShotNoiseOnly_MeanAndVarianceArePoisson()
    {
        const int n = 100_000;
        var expected = Enumerable.Repeat(50f, n).ToArray();
        var counts = new ushort[n];
        var options = new CameraOptions { ReadNoiseElectrons = 0, GainAduPerElectron = 1, OffsetAdu = 100 };
        CameraModel.Digitise(options, expected, new Rng(3), counts);
        double mean = counts.Average(c => (double)c) - 100;
        double variance = counts.Average(c => (c - 100 - mean) * (c - 100 - mean));
        Assert.InRange(mean, 49.8, 50.2);
        Assert.InRange(variance, 48, 52);
    }

    [Fact]
    public void Digitise_GainAndReadNoise_VarianceIsGainSquaredTimesPoissonPlusRead()
    {
        const int n = 100_000;
        var expected = Enumerable.Repeat(100f, n).ToArray();
        var counts = new ushort[n];
        var options = new CameraOptions { ReadNoiseElectrons = 5, GainAduPerElectron = 2, OffsetAdu = 500 };
        CameraModel.Digitise(options, expected, new Rng(4), counts);
        double mean = counts.Average(c => (double)c);
        double variance = counts.Average(c => (c - mean) * (c - mean));
        Assert.InRange(mean, 500 + 200 - 1, 500 + 200 + 1);
        double theory = 4 * (100 + 25) + 1.0 / 12; // gain² (shot + read²) + rounding
        Assert.InRange(variance, theory * 0.97, theory * 1.03);
    }

    [Fact]
    public void Digitise_Saturates_At65535()
    {
        var counts = new ushort[1];
        CameraModel.Digitise(new CameraOptions { ReadNoiseElectrons = 0, OffsetAdu = 0 }, new float[] { 1e6f }, new Rng(5), counts);
        Assert.Equal(ushort.MaxValue, counts[0]);
    }

    [Fact]
    public void Validate_QuantumEfficiencyAboveOne_NamesIt()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new CameraOptions { QuantumEfficiency = 1.5 }.Validate());
        Assert.Contains("QuantumEfficiency", ex.Message);
    }

    [Fact]
    public void Validate_InvertedBackgroundRange_NamesIt()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new CameraOptions { BackgroundPhotons = new Interval(40, 20) }.Validate());
        Assert.Contains("BackgroundPhotons", ex.Message);
    }
}
