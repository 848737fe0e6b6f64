using SimSeg.Core.Randomness;
using SimSeg.Simulation.Photokinetics;

namespace SimSeg.Simulation.TimeLapse;

/// <summary>The on/off/bleached state of one emitter between frames of a movie.</summary>
internal struct BlinkState
{
    /// <summary>Time reached so far, ms.</summary>
    public double Time;

    /// <summary>When the current on or off dwell ends, ms (infinity for emitters that never switch).</summary>
    public double StateEnd;

    /// <summary>Accumulated on-time at which the emitter bleaches, ms.</summary>
    public double BleachBudget;

    /// <summary>On-time accumulated so far, ms.</summary>
    public double OnTime;

    /// <summary>Whether the emitter is on now.</summary>
    public bool On;

    /// <summary>Whether it has bleached (dark for good).</summary>
    public bool Bleached;
}

/// <summary>
/// The telegraph process of <see cref="Blinking"/> stepped one frame at a time, for emitters that live for part
/// of a movie: an emitter starts in the stationary state (on with the duty-cycle probability, a memoryless
/// residual dwell) at its birth time, bleaches once its accumulated on-time reaches an exponential budget (on
/// between exposures too: illumination is continuous), and yields rate × time on during each exposure. Same
/// law as <see cref="Blinking.Simulate"/>, which needs every frame of a fixed set of emitters at once; the
/// random draws are in a different order, so the two agree in distribution, not draw by draw.
/// </summary>
internal static class ContinuousBlinking
{
    /// <summary>The state of a new emitter at <paramref name="startMs"/>.</summary>
    public static BlinkState Start(PhotokineticsOptions options, double startMs, Rng rng)
    {
        bool alwaysOn = options.MeanOffTimeMs == 0;
        bool on = alwaysOn || rng.NextDouble() < options.DutyCycle;
        double end = alwaysOn ? double.PositiveInfinity : startMs + rng.NextExponential(on ? options.MeanOnTimeMs : options.MeanOffTimeMs);
        double budget = double.IsPositiveInfinity(options.MeanBleachTimeMs) ? double.PositiveInfinity : rng.NextExponential(options.MeanBleachTimeMs);
        return new BlinkState { Time = startMs, StateEnd = end, BleachBudget = budget, On = on };
    }

    /// <summary>
    /// Runs the emitter up to <paramref name="exposureEndMs"/> and returns its expected photons in the exposure
    /// [<paramref name="exposureStartMs"/>, <paramref name="exposureEndMs"/>).
    /// </summary>
    public static float Advance(ref BlinkState s, PhotokineticsOptions options, double exposureStartMs, double exposureEndMs, Rng rng)
    {
        double onInFrame = 0;
        while (!s.Bleached && s.Time < exposureEndMs)
        {
            double segmentEnd = Math.Min(s.StateEnd, exposureEndMs);
            if (s.On)
            {
                if (segmentEnd - s.Time >= s.BleachBudget - s.OnTime)
                {
                    segmentEnd = s.Time + (s.BleachBudget - s.OnTime);
                    s.Bleached = true;
                }
                onInFrame += Math.Max(0, segmentEnd - Math.Max(s.Time, exposureStartMs));
                s.OnTime += segmentEnd - s.Time;
            }
            s.Time = segmentEnd;
            if (!s.Bleached && s.Time >= s.StateEnd)
            {
                s.On = !s.On;
                s.StateEnd = s.Time + rng.NextExponential(s.On ? options.MeanOnTimeMs : options.MeanOffTimeMs);
            }
        }
        return (float)(options.PhotonRatePerMs * onInFrame);
    }
}
