using SimSeg.Core.Randomness;

namespace SimSeg.Simulation.Photokinetics;

/// <summary>
/// Per-emitter photon counts per frame from the on/off/bleach process of <see cref="PhotokineticsOptions"/>.
/// Each emitter starts in its stationary state (on with probability equal to the duty cycle) with a random
/// residual dwell time, which is the "random start offset" of PhySeg's code. The result is the expected
/// number of detected photons (rate × time on during the exposure); shot noise is applied by the camera.
/// </summary>
public static class Blinking
{
    /// <summary>
    /// Photons of each of <paramref name="emitterCount"/> emitters in each of <paramref name="frameCount"/>
    /// frames, written frame-major into <paramref name="destination"/> (length frames × emitters).
    /// Frame f integrates [f·interval, f·interval + exposure).
    /// </summary>
    public static void Simulate(PhotokineticsOptions options, int emitterCount, int frameCount, Rng rng, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        options.Validate();
        if (emitterCount < 0) throw new ArgumentOutOfRangeException(nameof(emitterCount), emitterCount, "emitterCount must be >= 0.");
        if (frameCount <= 0) throw new ArgumentOutOfRangeException(nameof(frameCount), frameCount, "frameCount must be >= 1.");
        if (destination.Length != (long)emitterCount * frameCount)
            throw new ArgumentException($"destination must hold frames*emitters = {(long)emitterCount * frameCount} values, got {destination.Length}.", nameof(destination));

        bool alwaysOn = options.MeanOffTimeMs == 0;
        bool bleaches = !double.IsPositiveInfinity(options.MeanBleachTimeMs);
        double rate = options.PhotonRatePerMs;
        double exposure = options.ExposureMs, interval = options.FrameIntervalMs;

        // Fast path: no blinking and no bleaching means every emitter shines the whole exposure.
        if (alwaysOn && !bleaches)
        {
            destination.Fill((float)(rate * exposure));
            return;
        }

        double duty = options.DutyCycle;
        // A starting dwell that outlasts the last exposure needs no logarithm: with u uniform, the dwell
        // −mean·ln(1 − u) exceeds the horizon exactly when 1 − u ≤ exp(−horizon / mean).
        double horizon = (frameCount - 1) * interval + exposure;
        double onOutlasts = Math.Exp(-horizon / options.MeanOnTimeMs);
        double offOutlasts = alwaysOn ? 0 : Math.Exp(-horizon / options.MeanOffTimeMs);
        for (int e = 0; e < emitterCount; e++)
        {
            bool on = alwaysOn || rng.NextDouble() < duty;
            // Dwell times are memoryless, so the residual time of the starting state has the same law.
            double t = 0;
            double mean = on ? options.MeanOnTimeMs : options.MeanOffTimeMs;
            double tail = 1 - rng.NextDouble();
            double stateEnd = tail <= (on ? onOutlasts : offOutlasts) ? double.PositiveInfinity : -mean * Math.Log(tail);
            // Bleaching happens only while on: it strikes once the accumulated on-time reaches this budget.
            double bleachBudget = bleaches ? rng.NextExponential(options.MeanBleachTimeMs) : double.PositiveInfinity;
            double onTime = 0;
            bool bleached = false;

            for (int f = 0; f < frameCount; f++)
            {
                double frameStart = f * interval, frameEnd = frameStart + exposure;
                double onInFrame = 0;
                while (!bleached && t < frameEnd)
                {
                    double segmentEnd = Math.Min(stateEnd, frameEnd);
                    if (on)
                    {
                        if (segmentEnd - t >= bleachBudget - onTime)
                        {
                            segmentEnd = t + (bleachBudget - onTime);
                            bleached = true;
                        }
                        onInFrame += Math.Max(0, segmentEnd - Math.Max(t, frameStart));
                        onTime += segmentEnd - t;
                    }
                    t = segmentEnd;
                    if (!bleached && t >= stateEnd)
                    {
                        if (!alwaysOn) on = !on;
                        stateEnd = t + rng.NextExponential(on ? options.MeanOnTimeMs : options.MeanOffTimeMs);
                    }
                }
                destination[f * emitterCount + e] = (float)(rate * onInFrame);
            }
        }
    }

    /// <summary>Photons of each emitter for a single frame (a still image).</summary>
    public static float[] SimulateFrame(PhotokineticsOptions options, int emitterCount, Rng rng)
    {
        var photons = new float[emitterCount];
        Simulate(options, emitterCount, 1, rng, photons);
        return photons;
    }
}
