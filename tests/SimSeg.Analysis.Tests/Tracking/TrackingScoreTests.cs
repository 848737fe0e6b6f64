using SimSeg.Analysis.Tracking;
using SimSeg.Core.Imaging;
using static SimSeg.Analysis.Tests.Tracking.Synthetic;

namespace SimSeg.Analysis.Tests.Tracking;

public class TrackingScoreTests
{
    /// <summary>Two squares moving right; labels 1 and 2 (or the given ids) in every frame.</summary>
    private static Image<int>[] Movers(int idA, int idB, int frames = 5, int? dropBFrom = null, int? dropBTo = null)
    {
        var result = new Image<int>[frames];
        for (int t = 0; t < frames; t++)
        {
            bool dropB = dropBFrom <= t && t <= dropBTo;
            result[t] = dropB
                ? Frame(40, 20, Square(idA, 3 + 2 * t, 5))
                : Frame(40, 20, Square(idA, 3 + 2 * t, 5), Square(idB, 3 + 2 * t, 14));
        }
        return result;
    }

    [Fact]
    public void Compute_PerfectTracking_MotaOneNoSwitches()
    {
        Image<int>[] predicted = Movers(1, 2);
        TrackingResult tracking = Tracker.Track(Detections.FromLabels(predicted));
        TrackingScore score = TrackingScore.Compute(predicted, tracking, Movers(10, 20));
        Assert.Equal(1, score.Mota, 12);
        Assert.Equal(0, score.IdSwitches);
        Assert.Equal(10, score.TruthDetections);
        Assert.Equal(10, score.Matches);
        Assert.Equal(1, score.FollowedFraction, 12);
        Assert.Equal(1, score.MeanIoU, 12);
    }

    [Fact]
    public void Compute_IdsSwappedInOneFrame_CountsSwitches()
    {
        Image<int>[] predicted = Movers(1, 2);
        // Track 1 follows label 1 except in frame 2, where it takes label 2 (and track 2 the reverse).
        TrackPoint P(int frame, int label) => new(frame, label, 0, 0, 9, "object", 0, 0, 0);
        var t1 = new Track(1, [.. Enumerable.Range(0, 5).Select(f => P(f, f == 2 ? 2 : 1))]);
        var t2 = new Track(2, [.. Enumerable.Range(0, 5).Select(f => P(f, f == 2 ? 1 : 2))]);
        var tracking = new TrackingResult([t1, t2], [], [], 5);
        TrackingScore score = TrackingScore.Compute(predicted, tracking, Movers(10, 20));
        Assert.Equal(4, score.IdSwitches);   // each truth track switches into frame 2 and back
        Assert.Equal(0, score.FalseNegatives);
        Assert.Equal(1 - 4.0 / 10, score.Mota, 12);
        Assert.Equal(0.4, score.IdSwitchRate, 12);
        Assert.Equal(1, score.FollowedFraction, 12);  // 4 of 5 matches keep the dominant id: exactly 80 %
        Assert.All(score.PerTrack, t => Assert.Equal((5, 4, true), (t.MatchedFrames, t.DominantMatches, t.Followed)));
        Assert.Equal([1, 2], score.PerTrack.Select(t => t.DominantTrack));
    }

    [Fact]
    public void Compute_MissedDetections_CountedAsFalseNegatives()
    {
        Image<int>[] predicted = Movers(1, 2, dropBFrom: 1, dropBTo: 2);
        TrackingResult tracking = Tracker.Track(Detections.FromLabels(predicted));
        TrackingScore score = TrackingScore.Compute(predicted, tracking, Movers(10, 20));
        Assert.Equal(2, score.FalseNegatives);
        Assert.Equal(0, score.FalsePositives);
        Assert.Equal(0, score.IdSwitches);   // gap closing keeps B's id
        Assert.Equal(0.8, score.Mota, 12);
        Assert.Equal(0.5, score.FollowedFraction, 12); // B matched in 3 of 5 frames
        Assert.Equal(2, score.PerTrack.Count);
        var (a, b) = (score.PerTrack[0], score.PerTrack[1]);
        Assert.Equal((10, 0, 4, 5, 9.0, 5, true), (a.TruthId, a.FirstFrame, a.LastFrame, a.Frames, a.MeanAreaPx, a.MatchedFrames, a.Followed));
        Assert.Equal((20, 5, 3, 3, false), (b.TruthId, b.Frames, b.MatchedFrames, b.DominantMatches, b.Followed));
        Assert.Equal(tracking.Tracks.Single(t => t.Points.Any(p => p.Label == 2)).Id, b.DominantTrack);
    }

    [Fact]
    public void Compute_ExtraObject_CountedAsFalsePositive()
    {
        Image<int>[] predicted = Movers(1, 2);
        predicted[0][35, 18] = 7;
        TrackingResult tracking = Tracker.Track(Detections.FromLabels(predicted));
        TrackingScore score = TrackingScore.Compute(predicted, tracking, Movers(10, 20));
        Assert.Equal(1, score.FalsePositives);
        Assert.Equal(0.9, score.Mota, 12);
    }

    [Fact]
    public void Compute_DifferentFrameCounts_ThrowsNamingTruth()
    {
        Image<int>[] predicted = Movers(1, 2);
        TrackingResult tracking = Tracker.Track(Detections.FromLabels(predicted));
        var ex = Assert.Throws<ArgumentException>(() => TrackingScore.Compute(predicted, tracking, Movers(10, 20, frames: 4)));
        Assert.Equal("truthTrackIdImages", ex.ParamName);
    }
}
