using SimSeg.Core.Imaging;
using SimSeg.Core.Randomness;

namespace SimSeg.Segmentation.Training;

/// <summary>
/// Turns a <see cref="SegmentationSample"/> into one augmented training crop of <see cref="OutputSize"/>²: a random
/// crop position, then (per <see cref="AugmentationOptions"/>) a rotation by a random angle, a rotation by k·90° and
/// flips, resampled in one pass (image bilinear, mask nearest, borders reflected; without the free rotation every
/// pixel is copied exactly), then intensity jitter, blur and noise on the image. All randomness comes from the
/// <see cref="Rng"/> passed in, drawn in a fixed order whatever is enabled, so a sample's augmentation depends only
/// on that generator's seed. One instance per thread (it keeps no state, but is cheap).
/// </summary>
public sealed class Augmenter
{
    /// <summary>An augmenter producing <paramref name="outputSize"/>² crops.</summary>
    public Augmenter(AugmentationOptions options, int outputSize)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Core.Guard.Positive(outputSize);
        Options = options;
        OutputSize = outputSize;
    }

    /// <summary>The augmentations and their ranges.</summary>
    public AugmentationOptions Options { get; }

    /// <summary>Side of the output crop, pixels.</summary>
    public int OutputSize { get; }

    /// <summary>
    /// Writes the augmented image (channels × OutputSize × OutputSize) and mask (OutputSize × OutputSize, 0/1) of
    /// <paramref name="sample"/>, which must be at least OutputSize on each side.
    /// </summary>
    public void Apply(SegmentationSample sample, Rng rng, Span<float> image, Span<float> mask)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(rng);
        int t = OutputSize, plane = t * t;
        if (sample.Width < t || sample.Height < t)
            throw new ArgumentException($"sample {sample.Id} is {sample.Width}x{sample.Height}, smaller than the {t}x{t} crop.", nameof(sample));
        if (image.Length != sample.Channels * plane || mask.Length != plane)
            throw new ArgumentException($"image and mask must hold {sample.Channels}x{t}x{t} and {t}x{t} values, got {image.Length} and {mask.Length}.", nameof(image));

        // Every draw in a fixed order, so turning one augmentation off does not change the others.
        var o = Options;
        int x0 = rng.NextInt(sample.Width - t + 1), y0 = rng.NextInt(sample.Height - t + 1);
        bool flipX = rng.NextDouble() < 0.5, flipY = rng.NextDouble() < 0.5;
        int quarterTurns = rng.NextInt(4);
        bool rotate = rng.NextDouble() < o.RotationProbability;
        double angle = rng.NextDouble() * 2 * Math.PI;
        bool intensity = rng.NextDouble() < o.IntensityProbability;
        double scale = o.Scale.Sample(rng), gamma = o.Gamma.Sample(rng), contrast = o.Contrast.Sample(rng);
        bool noise = rng.NextDouble() < o.NoiseProbability;
        double noiseSigma = o.NoiseSigma.Sample(rng);
        bool blur = rng.NextDouble() < o.BlurProbability;
        double blurSigma = o.BlurSigma.Sample(rng);
        ulong noiseSeed = rng.NextUInt64();

        var map = AffineMap.Rotation(rotate ? angle : 0, t, t, x0, y0);
        // Output → source: undo the flips, then the quarter turns, then the free rotation.
        var (a, b, c, d) = (1, 0, 0, 1);
        for (int k = 0; k < (o.Rotations90 ? quarterTurns : 0); k++) (a, b, c, d) = (-c, -d, a, b); // R90⁻¹ · current
        int fx = o.Flips && flipX ? -1 : 1, fy = o.Flips && flipY ? -1 : 1;
        map = map.ThenDestination(a * fx, b * fy, c * fx, d * fy);

        int size = sample.Width * sample.Height;
        for (int ch = 0; ch < sample.Channels; ch++)
            Warp.Bilinear(sample.Image.AsSpan(ch * size, size), sample.Width, sample.Height, map, image.Slice(ch * plane, plane), t, t);
        Warp.Nearest(sample.Mask, sample.Width, sample.Height, map, mask, t, t);

        for (int ch = 0; ch < sample.Channels; ch++)
        {
            var p = image.Slice(ch * plane, plane);
            if (intensity) Jitter(p, (float)scale, gamma, (float)contrast);
            if (blur) GaussianBlur.Apply(p, t, t, blurSigma, p);
        }
        if (noise && noiseSigma > 0)
        {
            var noiseRng = new Rng(noiseSeed);
            for (int i = 0; i < image.Length; i++) image[i] += (float)(noiseSigma * noiseRng.NextGaussian());
        }
    }

    /// <summary>Scale, then sign-preserving gamma, then contrast about the plane mean.</summary>
    private static void Jitter(Span<float> p, float scale, double gamma, float contrast)
    {
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
        {
            float v = p[i] * scale;
            if (gamma != 1) v = MathF.CopySign(MathF.Pow(MathF.Abs(v), (float)gamma), v);
            p[i] = v;
            sum += v;
        }
        float mean = (float)(sum / p.Length);
        for (int i = 0; i < p.Length; i++) p[i] = mean + contrast * (p[i] - mean);
    }
}
