using SimSeg.Core;

namespace SimSeg.Segmentation.Training;

/// <summary>
/// Random changes applied to each training sample (PhySeg trains with flips and rotations; the intensity, noise and
/// blur jitter make a model less sensitive to the exact camera and optics of the simulation). Geometric changes move
/// image and mask together; intensity changes touch the image only, on its normalised values. Each augmentation is
/// off when its flag is false or its probability 0; <see cref="None"/> turns them all off.
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>No augmentation: every sample is its (cropped) self.</summary>
    public static AugmentationOptions None { get; } = new()
    {
        Flips = false, Rotations90 = false, RotationProbability = 0, IntensityProbability = 0, NoiseProbability = 0, BlurProbability = 0,
    };

    /// <summary>Horizontal and vertical flips, each with probability 1/2 (default on).</summary>
    public bool Flips { get; init; } = true;

    /// <summary>Rotation by k·90°, k uniform in {0, 1, 2, 3} (default on).</summary>
    public bool Rotations90 { get; init; } = true;

    /// <summary>
    /// Probability of a rotation by an angle uniform in [0°, 360°) about the crop centre (default 0.25): bilinear for
    /// the image, nearest neighbour for the mask (so it stays 0/1), borders reflected.
    /// </summary>
    public double RotationProbability { get; init; } = 0.25;

    /// <summary>Probability of the intensity jitter (scale, then gamma, then contrast; default 0.5).</summary>
    public double IntensityProbability { get; init; } = 0.5;

    /// <summary>Multiplier of the normalised values (default 0.8–1.25).</summary>
    public Interval Scale { get; init; } = new(0.8, 1.25);

    /// <summary>Gamma exponent applied as sign(v)·|v|^γ (default 0.8–1.25).</summary>
    public Interval Gamma { get; init; } = new(0.8, 1.25);

    /// <summary>Contrast factor c in mean + c·(v − mean) (default 0.8–1.25).</summary>
    public Interval Contrast { get; init; } = new(0.8, 1.25);

    /// <summary>Probability of additive Gaussian noise (default 0.25).</summary>
    public double NoiseProbability { get; init; } = 0.25;

    /// <summary>Standard deviation of the noise, in normalised units (default 0–0.05).</summary>
    public Interval NoiseSigma { get; init; } = new(0, 0.05);

    /// <summary>Probability of a Gaussian blur of the image (default 0.15).</summary>
    public double BlurProbability { get; init; } = 0.15;

    /// <summary>σ of the blur, pixels (default 0.3–1).</summary>
    public Interval BlurSigma { get; init; } = new(0.3, 1.0);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Probability(RotationProbability, nameof(RotationProbability));
        Probability(IntensityProbability, nameof(IntensityProbability));
        Probability(NoiseProbability, nameof(NoiseProbability));
        Probability(BlurProbability, nameof(BlurProbability));
        Scale.Validate(nameof(Scale), double.Epsilon);
        Gamma.Validate(nameof(Gamma), double.Epsilon);
        Contrast.Validate(nameof(Contrast), 0);
        NoiseSigma.Validate(nameof(NoiseSigma), 0);
        BlurSigma.Validate(nameof(BlurSigma), 0);
    }

    /// <summary>The names of the augmentations that are on (flip, rot90, rotate, intensity, noise, blur).</summary>
    public IReadOnlyList<string> EnabledNames()
    {
        var names = new List<string>();
        if (Flips) names.Add("flip");
        if (Rotations90) names.Add("rot90");
        if (RotationProbability > 0) names.Add("rotate");
        if (IntensityProbability > 0) names.Add("intensity");
        if (NoiseProbability > 0) names.Add("noise");
        if (BlurProbability > 0) names.Add("blur");
        return names;
    }

    /// <summary>
    /// These options with only the named augmentations on ("flip", "rot90", "rotate", "intensity", "noise", "blur"),
    /// each with its setting from this record (or its default when this record has it off).
    /// </summary>
    /// <exception cref="ArgumentException">A name is not one of those.</exception>
    public AugmentationOptions Only(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var defaults = new AugmentationOptions();
        var result = None with { Scale = Scale, Gamma = Gamma, Contrast = Contrast, NoiseSigma = NoiseSigma, BlurSigma = BlurSigma };
        foreach (string raw in names)
        {
            string name = raw.Trim().ToLowerInvariant();
            result = name switch
            {
                "flip" => result with { Flips = true },
                "rot90" => result with { Rotations90 = true },
                "rotate" => result with { RotationProbability = RotationProbability > 0 ? RotationProbability : defaults.RotationProbability },
                "intensity" => result with { IntensityProbability = IntensityProbability > 0 ? IntensityProbability : defaults.IntensityProbability },
                "noise" => result with { NoiseProbability = NoiseProbability > 0 ? NoiseProbability : defaults.NoiseProbability },
                "blur" => result with { BlurProbability = BlurProbability > 0 ? BlurProbability : defaults.BlurProbability },
                _ => throw new ArgumentException($"augmentation must be one of flip, rot90, rotate, intensity, noise, blur; got '{raw}'.", nameof(names)),
            };
        }
        return result;
    }

    private static void Probability(double p, string name)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentException($"{name} must be a probability in [0, 1], got {p}.", name);
    }
}
