using SimSeg.Core.Imaging;

namespace SimSeg.Analysis.Tracking;

/// <summary>
/// CLEAR-MOT scores of a tracking against ground truth (Bernardin &amp; Stiefelhagen, EURASIP J. Image Video Process.
/// 2008), with objects matched by mask overlap (<see cref="MatchCriterion"/>).
/// </summary>
/// <remarks>
/// <para>Per frame, predicted objects (labels of the predicted label image, mapped to track ids through the
/// tracking) are matched one-to-one to truth objects (track ids of the truth image) by the <see cref="Hungarian"/>
/// method, allowing only pairs that meet the criterion: <see cref="MatchCriterion.CellTrackingChallenge"/> (default)
/// accepts a prediction that covers more than half of the truth object's pixels, the reference-coverage rule of the
/// Cell Tracking Challenge (Maška et al., Bioinformatics 2014), which suits segmentations of blurred images that
/// come out wider than the physics ground truth; <see cref="MatchCriterion.IoU"/> requires IoU ≥ <see cref="MinIoU"/>.
/// The cost is 1 − IoU either way. Unmatched truth objects are misses (FN), unmatched predictions false positives (FP).</para>
/// <para>An identity switch is counted when a truth track is matched to a different predicted track id than at its
/// previous match (gaps in between do not reset it). MOTA = 1 − (FN + FP + IDSW) / GT, GT the number of truth
/// objects over all frames (MOTA can be negative).</para>
/// <para>A truth track is <em>followed</em> when it is matched in at least 80% of the frames where it exists and the
/// predicted id it is matched to most often accounts for at least 80% of those matches.</para>
/// <para>Predicted labels that the tracking does not know are scored as one-frame tracks of their own.</para>
/// </remarks>
/// <param name="TruthDetections">GT: truth objects summed over frames.</param>
/// <param name="PredictedDetections">Predicted objects summed over frames.</param>
/// <param name="Matches">Matched pairs summed over frames (true positives).</param>
/// <param name="FalseNegatives">Truth objects left unmatched.</param>
/// <param name="FalsePositives">Predicted objects left unmatched.</param>
/// <param name="IdSwitches">Identity switches.</param>
/// <param name="Mota">Multiple-object tracking accuracy, 1 − (FN + FP + IDSW) / GT; 1 when GT = 0 and nothing was predicted, NaN when GT = 0 but something was.</param>
/// <param name="MeanIoU">Mean IoU of the matched pairs (a mask version of MOTP); 0 without matches.</param>
/// <param name="IdSwitchRate">IDSW / GT.</param>
/// <param name="TruthTracks">Distinct truth track ids.</param>
/// <param name="FollowedTracks">Truth tracks followed (see remarks).</param>
/// <param name="FollowedFraction">FollowedTracks / TruthTracks (0 when there are no truth tracks).</param>
public sealed record TrackingScore(
    int TruthDetections, int PredictedDetections, int Matches, int FalseNegatives, int FalsePositives, int IdSwitches,
    double Mota, double MeanIoU, double IdSwitchRate, int TruthTracks, int FollowedTracks, double FollowedFraction)
{
    /// <summary>
    /// How each truth track fared, in truth-id order (not part of score.json; <see cref="TrackingCsv.WriteTruthTracks"/>
    /// writes it as a table).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<TruthTrackScore> PerTrack { get; init; } = [];

    /// <summary>Smallest IoU of a match.</summary>
    public const double MinIoU = 0.5;

    /// <summary>Fraction of frames matched, and of matches to the dominant id, for a followed track.</summary>
    public const double FollowedFractionThreshold = 0.8;

    /// <summary>Scores a tracking against truth track-id images.</summary>
    /// <param name="predictedLabels">The label images the tracking was computed on, one per frame.</param>
    /// <param name="tracking">The tracking of those labels.</param>
    /// <param name="truthTrackIdImages">Per frame, the true track id of every pixel (0 = background); same count and size.</param>
    /// <exception cref="ArgumentException">Empty sequences, different frame counts or sizes.</exception>
    /// <param name="criterion">How a prediction may match a truth object.</param>
    public static TrackingScore Compute(IReadOnlyList<Image<int>> predictedLabels, TrackingResult tracking, IReadOnlyList<Image<int>> truthTrackIdImages,
        MatchCriterion criterion = MatchCriterion.CellTrackingChallenge)
    {
        Detections.CheckFrames(predictedLabels, nameof(predictedLabels));
        Detections.CheckFrames(truthTrackIdImages, nameof(truthTrackIdImages));
        ArgumentNullException.ThrowIfNull(tracking);
        if (truthTrackIdImages.Count != predictedLabels.Count)
            throw new ArgumentException($"truthTrackIdImages has {truthTrackIdImages.Count} frames but predictedLabels has {predictedLabels.Count}.", nameof(truthTrackIdImages));
        if (truthTrackIdImages[0].Width != predictedLabels[0].Width || truthTrackIdImages[0].Height != predictedLabels[0].Height)
            throw new ArgumentException($"truthTrackIdImages are {truthTrackIdImages[0].Width}x{truthTrackIdImages[0].Height} but predictedLabels are {predictedLabels[0].Width}x{predictedLabels[0].Height}.", nameof(truthTrackIdImages));

        IReadOnlyDictionary<(int Frame, int Label), int> trackOf = tracking.BuildLabelIndex();
        int unknownId = -1; // predicted labels outside the tracking get unique negative ids
        int gt = 0, predicted = 0, matches = 0, idsw = 0;
        double iouSum = 0;
        var lastMatch = new Dictionary<int, int>();           // truth id -> predicted id at its last match
        var presence = new Dictionary<int, (int First, int Last, int Frames, long Area)>(); // truth id -> first and last frame, frames present, summed area
        var matchedIds = new Dictionary<int, Dictionary<int, int>>(); // truth id -> predicted id -> frames
        for (int t = 0; t < predictedLabels.Count; t++)
        {
            LabelOverlap overlap = LabelOverlap.Count(predictedLabels[t].Data, truthTrackIdImages[t].Data);
            Dictionary<int, int> predArea = overlap.AreaA, truthArea = overlap.AreaB;
            Dictionary<(int A, int B), int> inter = overlap.Shared;
            int[] preds = [.. predArea.Keys.Order()];
            int[] truths = [.. truthArea.Keys.Order()];
            gt += truths.Length;
            predicted += preds.Length;
            foreach (int id in truths)
                presence[id] = presence.TryGetValue(id, out var seen) ? (seen.First, t, seen.Frames + 1, seen.Area + truthArea[id]) : (t, t, 1, truthArea[id]);
            if (preds.Length == 0 || truths.Length == 0) continue;

            var rowOf = new Dictionary<int, int>();
            for (int r = 0; r < truths.Length; r++) rowOf[truths[r]] = r;
            var colOf = new Dictionary<int, int>();
            for (int c = 0; c < preds.Length; c++) colOf[preds[c]] = c;
            // Only pairs meeting the criterion may match: a sparse problem on 1 − IoU.
            var pairs = new List<(int Row, int Col, double Cost)>();
            var iou = new Dictionary<(int Row, int Col), double>();
            foreach (var ((lp, lg), n) in inter)
            {
                double value = (double)n / (predArea[lp] + truthArea[lg] - n);
                bool allowed = criterion == MatchCriterion.IoU ? value >= MinIoU : 2L * n > truthArea[lg];
                if (!allowed) continue;
                int r = rowOf[lg], c = colOf[lp];
                iou[(r, c)] = value;
                pairs.Add((r, c, 1 - value));
            }
            int[] assignment = Hungarian.SolveSparse(truths.Length, preds.Length, pairs);
            for (int r = 0; r < truths.Length; r++)
            {
                int c = assignment[r];
                if (c < 0) continue;
                matches++;
                iouSum += iou[(r, c)];
                int truthId = truths[r];
                int predId = trackOf.TryGetValue((t, preds[c]), out int id) ? id : unknownId--;
                if (lastMatch.TryGetValue(truthId, out int previous) && previous != predId) idsw++;
                lastMatch[truthId] = predId;
                if (!matchedIds.TryGetValue(truthId, out var counts)) matchedIds[truthId] = counts = [];
                counts[predId] = counts.GetValueOrDefault(predId) + 1;
            }
        }

        int fn = gt - matches, fp = predicted - matches;
        int followed = 0;
        var perTrack = new List<TruthTrackScore>(presence.Count);
        foreach (var (truthId, (first, last, frames, area)) in presence.OrderBy(e => e.Key))
        {
            int matched = 0, dominant = 0, dominantId = 0;
            if (matchedIds.TryGetValue(truthId, out var counts))
            {
                matched = counts.Values.Sum();
                (dominantId, dominant) = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key).Select(c => (c.Key, c.Value)).First();
            }
            bool isFollowed = matched > 0 && matched >= FollowedFractionThreshold * frames && dominant >= FollowedFractionThreshold * matched;
            if (isFollowed) followed++;
            perTrack.Add(new TruthTrackScore(truthId, first, last, frames, (double)area / frames, matched, dominantId, dominant, isFollowed));
        }
        double mota = gt > 0 ? 1 - (double)(fn + fp + idsw) / gt : (fp == 0 ? 1 : double.NaN);
        return new TrackingScore(gt, predicted, matches, fn, fp, idsw, mota,
            matches > 0 ? iouSum / matches : 0, gt > 0 ? (double)idsw / gt : 0,
            presence.Count, followed, presence.Count > 0 ? (double)followed / presence.Count : 0)
        { PerTrack = perTrack };
    }
}

/// <summary>How one truth track fared in <see cref="TrackingScore"/>.</summary>
/// <param name="TruthId">The truth track id.</param>
/// <param name="FirstFrame">First frame (0-based) in which the truth object appears.</param>
/// <param name="LastFrame">Last frame in which it appears.</param>
/// <param name="Frames">Frames in which it appears.</param>
/// <param name="MeanAreaPx">Its mean truth area over those frames, pixels.</param>
/// <param name="MatchedFrames">Frames in which a prediction matched it.</param>
/// <param name="DominantTrack">The predicted track id it matched most often (0 when never matched; negative for predictions outside the tracking).</param>
/// <param name="DominantMatches">Frames matched to <paramref name="DominantTrack"/>.</param>
/// <param name="Followed">Matched in at least 80% of its frames, at least 80% of those to the dominant track.</param>
public sealed record TruthTrackScore(int TruthId, int FirstFrame, int LastFrame, int Frames, double MeanAreaPx, int MatchedFrames,
    int DominantTrack, int DominantMatches, bool Followed);

/// <summary>When a predicted object may match a truth object in <see cref="TrackingScore"/>.</summary>
public enum MatchCriterion
{
    /// <summary>The prediction covers more than half of the truth object's pixels (Cell Tracking Challenge).</summary>
    CellTrackingChallenge,

    /// <summary>Intersection over union of at least 0.5.</summary>
    IoU,
}
