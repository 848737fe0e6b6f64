using SimSeg.Analysis.Tracking;
using SimSeg.Core.Imaging;

namespace SimSeg.Analysis.Tests.Tracking;

public class MatchCriterionTests
{
    [Fact]
    public void Compute_WidePredictionOverSmallTruth_MatchesUnderCtcButNotIoU()
    {
        // Truth: a 2x2 object; prediction: a 4x4 blob over it (IoU 0.25, covers all of the truth).
        var truth = new Image<int>(10, 10);
        var predicted = new Image<int>(10, 10);
        for (int y = 4; y < 6; y++) for (int x = 4; x < 6; x++) truth[x, y] = 7;
        for (int y = 3; y < 7; y++) for (int x = 3; x < 7; x++) predicted[x, y] = 1;
        var frames = new[] { predicted, predicted };
        var truths = new[] { truth, truth };
        var tracking = Tracker.Track(Detections.FromLabels(frames));

        var ctc = TrackingScore.Compute(frames, tracking, truths);
        Assert.Equal(2, ctc.Matches);
        Assert.Equal(1.0, ctc.Mota, 9);

        var iou = TrackingScore.Compute(frames, tracking, truths, MatchCriterion.IoU);
        Assert.Equal(0, iou.Matches);
        Assert.Equal(2, iou.FalseNegatives);
    }

    [Fact]
    public void Compute_PredictionCoveringHalfOrLess_DoesNotMatchUnderCtc()
    {
        var truth = new Image<int>(10, 10);
        var predicted = new Image<int>(10, 10);
        for (int x = 0; x < 4; x++) truth[x, 5] = 3;
        for (int x = 0; x < 2; x++) predicted[x, 5] = 1; // exactly half
        var tracking = Tracker.Track(Detections.FromLabels([predicted]));
        Assert.Equal(0, TrackingScore.Compute([predicted], tracking, [truth]).Matches);
    }
}
