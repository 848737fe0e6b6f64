using SimSeg.Core;

namespace SimSeg.Simulation.Photokinetics;

/// <summary>
/// Blinking and bleaching of each fluorophore, as a two-state (on/off) telegraph process with exponential
/// dwell times, plus an exponential bleaching time (PhySeg, Methods and public code: t_on 1, t_off ≈ 0,
/// 10 photons per unit time, random start offset). Times are in milliseconds, rates in detected photons
/// per millisecond while on.
/// </summary>
public sealed record PhotokineticsOptions
{
    /// <summary>Mean time an emitter stays on, ms.</summary>
    public double MeanOnTimeMs { get; init; } = 1.0;

    /// <summary>Mean time an emitter stays off, ms (0 = never off).</summary>
    public double MeanOffTimeMs { get; init; } = 0.0;

    /// <summary>Detected photons per ms while on.</summary>
    public double PhotonRatePerMs { get; init; } = 10.0;

    /// <summary>Mean time to bleach while on, ms (infinity = no bleaching).</summary>
    public double MeanBleachTimeMs { get; init; } = double.PositiveInfinity;

    /// <summary>Camera exposure per frame, ms.</summary>
    public double ExposureMs { get; init; } = 10.0;

    /// <summary>Time from the start of one frame to the start of the next in a time-lapse, ms (≥ exposure).</summary>
    public double FrameIntervalMs { get; init; } = 20.0;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid property.</summary>
    public void Validate()
    {
        Guard.Positive(MeanOnTimeMs, nameof(MeanOnTimeMs));
        Guard.NonNegative(MeanOffTimeMs, nameof(MeanOffTimeMs));
        Guard.NonNegative(PhotonRatePerMs, nameof(PhotonRatePerMs));
        if (!(MeanBleachTimeMs > 0))
            throw new ArgumentOutOfRangeException(nameof(MeanBleachTimeMs), MeanBleachTimeMs, $"{nameof(MeanBleachTimeMs)} must be > 0 (use Infinity for no bleaching), got {MeanBleachTimeMs}.");
        Guard.Positive(ExposureMs, nameof(ExposureMs));
        if (!(FrameIntervalMs >= ExposureMs) || double.IsInfinity(FrameIntervalMs))
            throw new ArgumentOutOfRangeException(nameof(FrameIntervalMs), FrameIntervalMs, $"{nameof(FrameIntervalMs)} must be finite and at least the exposure ({ExposureMs} ms), got {FrameIntervalMs}.");
    }

    /// <summary>Fraction of time an unbleached emitter is on: t_on / (t_on + t_off).</summary>
    public double DutyCycle => MeanOnTimeMs / (MeanOnTimeMs + MeanOffTimeMs);
}
