using SimSeg.Core.Imaging;

namespace SimSeg.Segmentation.Baselines;

/// <summary>
/// The settings of every baseline in one record, so that a method name and this record name one segmenter
/// (see <see cref="BaselineMethods"/>). Each method reads only its own part; the defaults are each method's own.
/// </summary>
public sealed record BaselineSettings
{
    /// <summary>Gaussian smoothing before thresholding, pixels; null for the method's default (2 for noise, 1 for the others). Not used by vesselness and kanezaki.</summary>
    public double? SmoothingSigma { get; init; }

    /// <summary>noise: threshold in robust standard deviations above the background (default 5).</summary>
    public double NoiseK { get; init; } = 5;

    /// <summary>adaptive: window, block size and offset (its smoothing comes from <see cref="SmoothingSigma"/>).</summary>
    public AdaptiveThresholdOptions Adaptive { get; init; } = AdaptiveThresholdOptions.Default;

    /// <summary>oracle-threshold: criterion (its smoothing comes from <see cref="SmoothingSigma"/>).</summary>
    public OracleThresholdOptions Oracle { get; init; } = OracleThresholdOptions.Default;

    /// <summary>mitometer: radii and quantisation (its smoothing comes from <see cref="SmoothingSigma"/>).</summary>
    public MitometerOptions Mitometer { get; init; } = MitometerOptions.Default;

    /// <summary>vesselness: scales and threshold.</summary>
    public VesselnessOptions Vesselness { get; init; } = VesselnessOptions.Default;

    /// <summary>kanezaki: network, iterations and seed.</summary>
    public KanezakiOptions Kanezaki { get; init; } = KanezakiOptions.Default;

    /// <summary>Every method at its defaults.</summary>
    public static BaselineSettings Default { get; } = new();

    /// <summary>The smoothing σ that <paramref name="method"/> uses: <see cref="SmoothingSigma"/> or the method's default.</summary>
    public double SigmaFor(string method) => SmoothingSigma ?? (method == BaselineMethods.Noise ? 2.0 : 1.0);
}

/// <summary>
/// The baseline segmentation methods by name: the one place that maps a name (as <c>simseg segment --method</c> and
/// <c>simseg benchmark --methods</c> take it) and a <see cref="BaselineSettings"/> to a segmenter. A segmenter maps an
/// image (every plane on its own) and, for <see cref="OracleThreshold"/> only, the ground truth of the same size to a
/// 0/1 mask of the image's size and calibration. Segmenters keep no state between calls, so one may run on several
/// images at once.
/// </summary>
public static class BaselineMethods
{
    /// <summary>"otsu": <see cref="OtsuSegmenter"/>.</summary>
    public const string Otsu = "otsu";

    /// <summary>"noise": <see cref="NoiseLevelSegmenter"/>.</summary>
    public const string Noise = "noise";

    /// <summary>"adaptive": <see cref="AdaptiveThresholdSegmenter"/>.</summary>
    public const string Adaptive = "adaptive";

    /// <summary>"oracle-threshold": <see cref="OracleThresholdSegmenter"/>; the only method that needs the truth.</summary>
    public const string OracleThreshold = "oracle-threshold";

    /// <summary>"mitometer": <see cref="MitometerSegmenter"/>.</summary>
    public const string Mitometer = "mitometer";

    /// <summary>"vesselness": <see cref="VesselnessSegmenter"/>.</summary>
    public const string Vesselness = "vesselness";

    /// <summary>"kanezaki": <see cref="KanezakiSegmenter"/>.</summary>
    public const string Kanezaki = "kanezaki";

    /// <summary>The method names in the order help texts and tables list them.</summary>
    public static IReadOnlyList<string> Names { get; } = [Otsu, Noise, Adaptive, OracleThreshold, Mitometer, Vesselness, Kanezaki];

    /// <summary>True for a baseline name (exact, lower case).</summary>
    public static bool IsBaseline(string name) => Names.Contains(name);

    /// <summary>True when the method needs the ground truth (oracle-threshold): it is then an upper bound, not a method.</summary>
    public static bool NeedsTruth(string name) => name == OracleThreshold;

    /// <summary>
    /// The segmenter of <paramref name="name"/> with <paramref name="settings"/> (defaults when null), validated now.
    /// The truth argument of the segmenter is used by oracle-threshold only (which throws without it) and ignored by the others.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a baseline (the message lists them), or a setting is out of range.</exception>
    public static Func<Image<float>, Image<byte>?, Image<byte>> Create(string name, BaselineSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var s = settings ?? BaselineSettings.Default;
        double sigma = s.SigmaFor(name);
        if (!(sigma >= 0) || double.IsInfinity(sigma)) throw new ArgumentException($"the smoothing sigma must be a finite number >= 0, got {sigma}.", nameof(settings));
        switch (name)
        {
            case Otsu:
                return (image, _) => OtsuSegmenter.Segment(image, sigma);
            case Noise:
                if (!(s.NoiseK > 0) || double.IsInfinity(s.NoiseK)) throw new ArgumentException($"the noise threshold k must be a finite number > 0, got {s.NoiseK}.", nameof(settings));
                return (image, _) => NoiseLevelSegmenter.Segment(image, sigma, s.NoiseK);
            case Adaptive:
                var adaptive = s.Adaptive with { SmoothingSigma = sigma };
                adaptive.Validate();
                return (image, _) => AdaptiveThresholdSegmenter.Segment(image, adaptive);
            case OracleThreshold:
                var oracle = s.Oracle with { SmoothingSigma = sigma };
                oracle.Validate();
                return (image, truth) => OracleThresholdSegmenter.Segment(image,
                    truth ?? throw new ArgumentException("oracle-threshold needs the ground truth of the image.", nameof(truth)), oracle);
            case Mitometer:
                var mitometer = s.Mitometer with { SmoothingSigma = sigma };
                mitometer.Validate();
                return (image, _) => MitometerSegmenter.Segment(image, mitometer);
            case Vesselness:
                s.Vesselness.Validate();
                return (image, _) => VesselnessSegmenter.Segment(image, s.Vesselness);
            case Kanezaki:
                s.Kanezaki.Validate();
                return (image, _) => KanezakiSegmenter.Segment(image, s.Kanezaki);
            default:
                throw new ArgumentException($"the method must be one of {string.Join(", ", Names)}, got '{name}'.", nameof(name));
        }
    }
}
