using SimSeg.Core.Randomness;

namespace SimSeg.Simulation.Camera;

/// <summary>The per-image camera levels drawn from the ranges of <see cref="CameraOptions"/>.</summary>
/// <param name="BackgroundPhotons">Background photons per pixel.</param>
/// <param name="SignalToBackground">The SBR used (NaN with absolute scaling).</param>
/// <param name="PhotonScale">Factor applied to the rendered photon image.</param>
public readonly record struct CameraLevels(double BackgroundPhotons, double SignalToBackground, double PhotonScale);

/// <summary>
/// Turns a noise-free photon image into camera counts. Split in two steps so that ground-truth methods can
/// use the noise-free expected image: <see cref="Expose"/> (scaling plus background, in photons) and
/// <see cref="Digitise"/> (shot noise, read noise, gain, offset, quantisation).
/// </summary>
public static class CameraModel
{
    /// <summary>
    /// Draws the image's background and SBR, and scales <paramref name="photons"/> in place to the expected
    /// photons per pixel including background. Returns the levels used.
    /// </summary>
    public static CameraLevels Expose(CameraOptions options, Span<float> photons, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        options.Validate();
        double background = options.BackgroundPhotons.Sample(rng);
        double sbr = double.NaN, scale = 1;
        if (options.Scaling == PhotonScaling.TargetSignalToBackground)
        {
            sbr = options.SignalToBackground.Sample(rng);
            float peak = 0;
            foreach (float v in photons) if (v > peak) peak = v;
            scale = peak > 0 ? sbr * background / peak : 0;
        }
        float s = (float)scale, b = (float)background;
        for (int i = 0; i < photons.Length; i++) photons[i] = photons[i] * s + b;
        return new CameraLevels(background, sbr, scale);
    }

    /// <summary>
    /// Converts expected photons per pixel into 16-bit counts: electrons ~ Poisson(QE × photons), plus
    /// N(0, read noise²) electrons, times gain, plus offset, rounded and clamped to [0, 65535].
    /// </summary>
    public static void Digitise(CameraOptions options, ReadOnlySpan<float> expectedPhotons, Rng rng, Span<ushort> destination)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        if (destination.Length != expectedPhotons.Length)
            throw new ArgumentException($"destination holds {destination.Length} pixels but the image has {expectedPhotons.Length}.", nameof(destination));
        double qe = options.QuantumEfficiency, read = options.ReadNoiseElectrons, gain = options.GainAduPerElectron, offset = options.OffsetAdu;
        for (int i = 0; i < expectedPhotons.Length; i++)
        {
            double electrons = rng.NextPoisson(Math.Max(0, expectedPhotons[i] * qe));
            if (read > 0) electrons += read * rng.NextGaussian();
            double adu = Math.Round(electrons * gain + offset);
            destination[i] = adu <= 0 ? (ushort)0 : adu >= 65535 ? (ushort)65535 : (ushort)adu;
        }
    }
}
