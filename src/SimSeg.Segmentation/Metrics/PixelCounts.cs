namespace SimSeg.Segmentation.Metrics;

/// <summary>
/// The pixel confusion counts of one binary prediction, and the pixel scores of <see cref="SegmentationScore"/> with
/// the same conventions (a ratio of 0 over 0 is 1), without the object and topology measures: the fast accumulator
/// the trainer scores validation images with.
/// </summary>
/// <param name="TruePositives">Foreground in both.</param>
/// <param name="FalsePositives">Foreground only in the prediction.</param>
/// <param name="FalseNegatives">Foreground only in the truth.</param>
/// <param name="TrueNegatives">Background in both.</param>
public readonly record struct PixelCounts(long TruePositives, long FalsePositives, long FalseNegatives, long TrueNegatives)
{
    /// <summary>Counts a probability map thresholded at <paramref name="threshold"/> (foreground where p &gt; threshold) against a truth (foreground where t &gt; 0.5).</summary>
    public static PixelCounts Of(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> truth, double threshold = 0.5)
    {
        if (probabilities.Length != truth.Length)
            throw new ArgumentException($"probabilities has {probabilities.Length} values; truth has {truth.Length}.", nameof(truth));
        long tp = 0, fp = 0, fn = 0;
        float th = (float)threshold;
        for (int i = 0; i < truth.Length; i++)
        {
            bool p = probabilities[i] > th, t = truth[i] > 0.5f;
            if (p && t) tp++;
            else if (p) fp++;
            else if (t) fn++;
        }
        return new PixelCounts(tp, fp, fn, truth.Length - tp - fp - fn);
    }

    /// <summary>Foreground IoU, TP / (TP + FP + FN).</summary>
    public double IoU => Ratio(TruePositives, TruePositives + FalsePositives + FalseNegatives);

    /// <summary>Background IoU, TN / (TN + FP + FN).</summary>
    public double BackgroundIoU => Ratio(TrueNegatives, TrueNegatives + FalsePositives + FalseNegatives);

    /// <summary>Mean of the foreground and background IoU (PhySeg's mIoU).</summary>
    public double MeanIoU => 0.5 * (IoU + BackgroundIoU);

    /// <summary>Foreground Dice, equal to the foreground F1 (PhySeg's F1 column).</summary>
    public double Dice => Ratio(2 * TruePositives, 2 * TruePositives + FalsePositives + FalseNegatives);

    /// <summary>The sum of two counts (pooling pixels over images).</summary>
    public static PixelCounts operator +(PixelCounts a, PixelCounts b) =>
        new(a.TruePositives + b.TruePositives, a.FalsePositives + b.FalsePositives, a.FalseNegatives + b.FalseNegatives, a.TrueNegatives + b.TrueNegatives);

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 1 : (double)numerator / denominator;
}
