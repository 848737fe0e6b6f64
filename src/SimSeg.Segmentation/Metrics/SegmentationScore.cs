using SimSeg.Analysis.Labels;
using SimSeg.Core.Imaging;

namespace SimSeg.Segmentation.Metrics;

/// <summary>
/// Scores of one binary segmentation against its ground truth (non-zero = foreground in both).
/// Conventions for empty masks: a ratio whose numerator and denominator are both zero counts as perfect (1), so an
/// empty prediction of an empty truth scores 1 everywhere and any miss or false alarm scores 0 for that class.
/// </summary>
/// <param name="TruePositives">Foreground in both.</param>
/// <param name="FalsePositives">Foreground only in the prediction.</param>
/// <param name="FalseNegatives">Foreground only in the truth.</param>
/// <param name="TrueNegatives">Background in both.</param>
/// <param name="IoU">Foreground intersection over union, TP / (TP + FP + FN).</param>
/// <param name="MeanIoU">Mean of the foreground and background IoU (the mIoU of PhySeg's Table 1).</param>
/// <param name="Dice">Foreground Dice, 2TP / (2TP + FP + FN) (MiShape S6.2; equal to the foreground F1).</param>
/// <param name="MacroF1">Pixel-wise F1 averaged over the foreground and background classes.</param>
/// <param name="Precision">TP / (TP + FP).</param>
/// <param name="Recall">TP / (TP + FN).</param>
/// <param name="BettiZeroError">|β0(prediction) − β0(truth)|: difference in 8-connected foreground components.</param>
/// <param name="BettiOneError">|β1(prediction) − β1(truth)|: difference in holes (4-connected background regions not touching the border).</param>
/// <param name="ObjectF1">F1 of objects (8-connected components) matched at IoU ≥ 0.5 (issue 4's rule), where matches are necessarily one-to-one.</param>
public sealed record SegmentationScore(
    long TruePositives, long FalsePositives, long FalseNegatives, long TrueNegatives,
    double IoU, double MeanIoU, double Dice, double MacroF1, double Precision, double Recall,
    int BettiZeroError, int BettiOneError, double ObjectF1)
{
    /// <summary>Scores one plane of <paramref name="predicted"/> against <paramref name="truth"/> (same size).</summary>
    /// <exception cref="ArgumentException">The sizes differ or the images have several planes.</exception>
    public static SegmentationScore Compute(Image<byte> predicted, Image<byte> truth)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        if (predicted.Width != truth.Width || predicted.Height != truth.Height || predicted.Depth != 1 || truth.Depth != 1)
            throw new ArgumentException($"predicted ({predicted.Width}x{predicted.Height}x{predicted.Depth}) and truth ({truth.Width}x{truth.Height}x{truth.Depth}) must be single planes of one size.", nameof(predicted));
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < truth.Data.Length; i++)
        {
            bool p = predicted.Data[i] != 0, t = truth.Data[i] != 0;
            if (p && t) tp++;
            else if (p) fp++;
            else if (t) fn++;
            else tn++;
        }
        double iouForeground = Ratio(tp, tp + fp + fn), iouBackground = Ratio(tn, tn + fp + fn);
        double f1Foreground = Ratio(2 * tp, 2 * tp + fp + fn), f1Background = Ratio(2 * tn, 2 * tn + fp + fn);
        var (b0p, b1p, labelsP, countP) = Betti(predicted);
        var (b0t, b1t, labelsT, countT) = Betti(truth);
        return new SegmentationScore(tp, fp, fn, tn, iouForeground, 0.5 * (iouForeground + iouBackground), f1Foreground,
            0.5 * (f1Foreground + f1Background), Ratio(tp, tp + fp), Ratio(tp, tp + fn),
            Math.Abs(b0p - b0t), Math.Abs(b1p - b1t), ObjectF1Of(labelsP, countP, labelsT, countT));
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 1 : (double)numerator / denominator;

    /// <summary>β0, β1 and the 8-connected foreground labels of a mask.</summary>
    private static (int B0, int B1, Image<int> Labels, int Count) Betti(Image<byte> mask)
    {
        var binary = new Image<byte>(mask.Width, mask.Height);
        for (int i = 0; i < binary.Data.Length; i++) binary.Data[i] = mask.Data[i] != 0 ? (byte)1 : (byte)0;
        var (labels, count) = Measure.Label(binary, Connectivity2D.Eight);
        // Holes: 4-connected background regions that do not reach the border (the dual of 8-connected foreground).
        var background = new Image<byte>(mask.Width, mask.Height);
        for (int i = 0; i < binary.Data.Length; i++) background.Data[i] = (byte)(1 - binary.Data[i]);
        var (regions, regionCount) = Measure.Label(background, Connectivity2D.Four);
        var touches = new bool[regionCount + 1];
        int w = mask.Width, h = mask.Height;
        for (int x = 0; x < w; x++) { touches[regions[x, 0]] = true; touches[regions[x, h - 1]] = true; }
        for (int y = 0; y < h; y++) { touches[regions[0, y]] = true; touches[regions[w - 1, y]] = true; }
        int holes = 0;
        for (int r = 1; r <= regionCount; r++) if (!touches[r]) holes++;
        return (count, holes, labels, count);
    }

    /// <summary>
    /// Object F1 at IoU ≥ 0.5, tested exactly in integers (2·overlap ≥ union). Matches are one-to-one, so no
    /// assignment is needed: two disjoint predictions P1, P2 can both reach IoU 0.5 with a truth object T only if each
    /// is a subset of T holding exactly half of it, so that P1 ∪ P2 = T; T being connected, P1 and P2 would then
    /// touch and be one component. The same holds with the roles swapped.
    /// </summary>
    private static double ObjectF1Of(Image<int> predicted, int predictedCount, Image<int> truth, int truthCount)
    {
        if (predictedCount == 0 && truthCount == 0) return 1;
        var areaP = new long[predictedCount + 1];
        var areaT = new long[truthCount + 1];
        var overlap = new Dictionary<(int, int), long>();
        for (int i = 0; i < predicted.Data.Length; i++)
        {
            int p = predicted.Data[i], t = truth.Data[i];
            areaP[p]++;
            areaT[t]++;
            if (p != 0 && t != 0) overlap[(p, t)] = overlap.GetValueOrDefault((p, t)) + 1;
        }
        int matches = 0;
        foreach (var ((p, t), n) in overlap)
            if (2 * n >= areaP[p] + areaT[t] - n) matches++;
        return Ratio(2L * matches, predictedCount + truthCount);
    }
}
