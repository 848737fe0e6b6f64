using SimSeg.Core;

namespace SimSeg.Simulation.Camera;

/// <summary>How the rendered photon image is brought to the camera's signal level.</summary>
public enum PhotonScaling
{
    /// <summary>
    /// Rescale so the brightest noise-free pixel sits at SBR × background above the background, with background
    /// and SBR drawn per image from their ranges (MiShape: background ≈ 100, SBR 2–4; PhySeg code: background
    /// 20–40, peak 160–220). Makes datasets independent of absolute emitter brightness.
    /// </summary>
    TargetSignalToBackground,

    /// <summary>Keep the rendered photon counts and add a background drawn from its range.</summary>
    Absolute,
}

/// <summary>
/// A scientific camera: photon scaling, Poisson shot noise, quantum efficiency, Gaussian read noise (in
/// electrons), gain (ADU per electron), offset (ADU) and quantisation to unsigned 16 bits.
/// </summary>
public sealed record CameraOptions
{
    /// <summary>How photons are scaled before noise.</summary>
    public PhotonScaling Scaling { get; init; } = PhotonScaling.TargetSignalToBackground;

    /// <summary>Background level in photons per pixel, drawn uniformly per image.</summary>
    public Interval BackgroundPhotons { get; init; } = new(20, 40);

    /// <summary>
    /// Signal-to-background ratio, drawn uniformly per image: the brightest noise-free pixel carries
    /// SBR × background photons above the background. Used with <see cref="PhotonScaling.TargetSignalToBackground"/>.
    /// </summary>
    public Interval SignalToBackground { get; init; } = new(2, 4);

    /// <summary>Fraction of photons detected, in (0, 1].</summary>
    public double QuantumEfficiency { get; init; } = 1.0;

    /// <summary>Gaussian read noise standard deviation in electrons (0 = none).</summary>
    public double ReadNoiseElectrons { get; init; } = 1.5;

    /// <summary>Analogue-to-digital gain, ADU per electron.</summary>
    public double GainAduPerElectron { get; init; } = 1.0;

    /// <summary>Constant added to every pixel, ADU.</summary>
    public double OffsetAdu { get; init; } = 100;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid property.</summary>
    public void Validate()
    {
        BackgroundPhotons.Validate(nameof(BackgroundPhotons), lowest: 0);
        SignalToBackground.Validate(nameof(SignalToBackground), lowest: 0);
        if (Scaling == PhotonScaling.TargetSignalToBackground && !(SignalToBackground.Min > 0))
            throw new ArgumentOutOfRangeException(nameof(SignalToBackground), $"{nameof(SignalToBackground)} must be > 0, got [{SignalToBackground.Min}, {SignalToBackground.Max}].");
        if (!(QuantumEfficiency > 0 && QuantumEfficiency <= 1))
            throw new ArgumentOutOfRangeException(nameof(QuantumEfficiency), QuantumEfficiency, $"{nameof(QuantumEfficiency)} must be in (0, 1], got {QuantumEfficiency}.");
        Guard.NonNegative(ReadNoiseElectrons, nameof(ReadNoiseElectrons));
        Guard.Positive(GainAduPerElectron, nameof(GainAduPerElectron));
        Guard.InRange(OffsetAdu, 0, 65535, nameof(OffsetAdu));
    }
}
