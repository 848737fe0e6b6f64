using System.Numerics;
using SimSeg.Core;
using SimSeg.Core.Imaging;

namespace SimSeg.Segmentation.Baselines;

/// <summary>What the oracle threshold maximises.</summary>
public enum OracleCriterion
{
    /// <summary>The mean of the foreground and background IoU (the mIoU of PhySeg's Table 1).</summary>
    MeanIoU,

    /// <summary>The foreground IoU alone.</summary>
    ForegroundIoU,
}

/// <summary>Settings of <see cref="OracleThresholdSegmenter"/>.</summary>
public sealed record OracleThresholdOptions
{
    /// <summary>Gaussian smoothing before thresholding, pixels (0 = none; 1, as the Otsu baseline, so the oracle
    /// bounds that baseline's family of masks).</summary>
    public double SmoothingSigma { get; init; } = 1;

    /// <summary>The score maximised per plane.</summary>
    public OracleCriterion Criterion { get; init; } = OracleCriterion.MeanIoU;

    /// <summary>Defaults: smoothing σ 1, maximise mIoU.</summary>
    public static OracleThresholdOptions Default { get; } = new();

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        Guard.NonNegative(SmoothingSigma, nameof(SmoothingSigma));
        if (!Enum.IsDefined(Criterion))
            throw new ArgumentOutOfRangeException(nameof(Criterion), Criterion, $"{nameof(Criterion)} must be MeanIoU or ForegroundIoU, got {Criterion}.");
    }
}

/// <summary>The best global threshold of one plane: pixels strictly above <paramref name="Value"/> are foreground.</summary>
/// <param name="Value">The threshold, in the units of the (smoothed) plane.</param>
/// <param name="Score">The criterion's value at that threshold (mIoU or foreground IoU against the truth).</param>
public readonly record struct OracleThreshold(double Value, double Score);

/// <summary>
/// The oracle global threshold: for each plane, the threshold that scores best against the ground truth
/// (mIoU by default, or foreground IoU), after the same Gaussian smoothing as the Otsu baseline. No global
/// threshold of that smoothed plane can do better, so it is an upper bound for global thresholding (Otsu included)
/// and shows how much of a baseline's error is the choice of threshold rather than the smoothing-and-threshold
/// model. The values are sorted once and every distinct value is tried as a threshold in one sweep (O(n log n)).
/// Ties in score go to the highest threshold. A constant plane gives an empty mask (its only thresholds are
/// "nothing" or "everything", and the higher wins ties) unless marking everything scores strictly better.
/// IoU conventions follow <see cref="Metrics.SegmentationScore"/>: 0/0 counts as 1.
/// </summary>
public static class OracleThresholdSegmenter
{
    /// <summary>A 0/1 mask with the image's size and calibration, one plane per input plane, each thresholded at its oracle value.</summary>
    /// <param name="image">The image (any pixel type).</param>
    /// <param name="truth">The ground truth, non-zero = foreground, with the image's width, height and depth.</param>
    /// <param name="options">Smoothing and criterion (<see cref="OracleThresholdOptions.Default"/> when null).</param>
    /// <exception cref="ArgumentException">The truth's size differs from the image's.</exception>
    public static Image<byte> Segment<T>(Image<T> image, Image<byte> truth, OracleThresholdOptions? options = null) where T : unmanaged, INumberBase<T>
        => Run(image, truth, options).Mask;

    /// <summary>As <see cref="Segment{T}"/>, also returning each plane's threshold and score.</summary>
    public static (Image<byte> Mask, OracleThreshold[] Thresholds) Run<T>(Image<T> image, Image<byte> truth, OracleThresholdOptions? options = null) where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(truth);
        options ??= OracleThresholdOptions.Default;
        options.Validate();
        if (truth.Width != image.Width || truth.Height != image.Height || truth.Depth != image.Depth)
            throw new ArgumentException($"truth is {truth.Width}x{truth.Height}x{truth.Depth} but the image is {image.Width}x{image.Height}x{image.Depth}; they must match.", nameof(truth));
        int w = image.Width, h = image.Height, n = w * h;
        var mask = new Image<byte>(w, h, image.Depth, image.Calibration);
        var thresholds = new OracleThreshold[image.Depth];
        var plane = new float[n];
        var smooth = new float[n];
        for (int z = 0; z < image.Depth; z++)
        {
            Planes.ToFloat(image, z, plane);
            GaussianBlur.Apply(plane, w, h, options.SmoothingSigma, smooth);
            thresholds[z] = Best(smooth, truth.Plane(z), options.Criterion);
            Planes.Above(smooth, thresholds[z].Value, mask.Plane(z));
        }
        return (mask, thresholds);
    }

    /// <summary>
    /// The threshold t maximising the criterion of the mask (values &gt; t) against <paramref name="truth"/> (non-zero =
    /// foreground). Candidates are every distinct value (all pixels above it) and one just below the minimum (all
    /// pixels); the sweep adds pixels from the brightest down, one run of equal values at a time.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length, are empty, or a value is NaN.</exception>
    public static OracleThreshold Best(ReadOnlySpan<float> values, ReadOnlySpan<byte> truth, OracleCriterion criterion = OracleCriterion.MeanIoU)
    {
        if (values.Length == 0 || values.Length != truth.Length)
            throw new ArgumentException($"values and truth must be non-empty and of one length, got {values.Length} and {truth.Length}.", nameof(values));
        int n = values.Length;
        var keys = values.ToArray();
        var positive = new byte[n];
        long positives = 0;
        for (int i = 0; i < n; i++)
        {
            if (float.IsNaN(keys[i])) throw new ArgumentException($"values must not hold NaN (at index {i}).", nameof(values));
            positive[i] = truth[i] != 0 ? (byte)1 : (byte)0;
            positives += positive[i];
        }
        Array.Sort(keys, positive);
        long negatives = n - positives;
        // Start with nothing predicted: the threshold is the maximum.
        long tp = 0, fp = 0;
        var best = new OracleThreshold(keys[n - 1], Score(tp, fp, positives, negatives, criterion));
        int i1 = n - 1;
        while (i1 >= 0)
        {
            // Add the run of values equal to keys[i1].
            int i0 = i1;
            while (i0 > 0 && keys[i0 - 1] == keys[i1]) i0--;
            for (int i = i0; i <= i1; i++)
            {
                if (positive[i] != 0) tp++;
                else fp++;
            }
            double threshold = i0 > 0 ? keys[i0 - 1] : Math.BitDecrement((double)keys[0]);
            double score = Score(tp, fp, positives, negatives, criterion);
            if (score > best.Score) best = new OracleThreshold(threshold, score);
            i1 = i0 - 1;
        }
        return best;
    }

    /// <summary>mIoU or foreground IoU of a mask with <paramref name="tp"/> true and <paramref name="fp"/> false positives.</summary>
    internal static double Score(long tp, long fp, long positives, long negatives, OracleCriterion criterion)
    {
        long fn = positives - tp, tn = negatives - fp;
        double foreground = Ratio(tp, tp + fp + fn);
        return criterion == OracleCriterion.ForegroundIoU ? foreground : 0.5 * (foreground + Ratio(tn, tn + fp + fn));
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 1 : (double)numerator / denominator;
}
