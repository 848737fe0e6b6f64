using SimSeg.Analysis.Tracking;
using SimSeg.Core.Imaging;
using static SimSeg.Analysis.Tests.Tracking.Synthetic;

namespace SimSeg.Analysis.Tests.Tracking;

public class EventDetectorTests
{
    private static (TrackingResult Tracking, IReadOnlyList<TrackEvent> Events) Run(Image<int>[] frames, Func<Detection, string>? classify = null, EventOptions? options = null)
    {
        TrackingResult tracking = Tracker.Track(Detections.FromLabels(frames, classify));
        return (tracking, EventDetector.Detect(frames, tracking, options));
    }

    [Fact]
    public void Detect_Split_FissionEvent()
    {
        Image<int>[] frames =
        [
            Frame(20, 10, (1, 2, 4, 15, 5)),
            Frame(20, 10, (1, 2, 4, 7, 5), (2, 10, 4, 15, 5)),
        ];
        var (tracking, events) = Run(frames);
        TrackEvent fission = Assert.Single(events, e => e.Kind == TrackEventKinds.Fission);
        Assert.Equal(1, fission.Frame);
        Assert.Equal(1, fission.TrackIds[0]);
        Assert.Equal(tracking.Tracks.Select(t => t.Id).Order(), fission.TrackIds[1..].Order());
        Assert.DoesNotContain(events, e => e.Kind == TrackEventKinds.Fusion);
    }

    [Fact]
    public void Detect_Merge_FusionEvent()
    {
        Image<int>[] frames =
        [
            Frame(20, 10, (1, 2, 4, 7, 5), (2, 10, 4, 15, 5)),
            Frame(20, 10, (1, 2, 4, 15, 5)),
        ];
        var (_, events) = Run(frames);
        TrackEvent fusion = Assert.Single(events, e => e.Kind == TrackEventKinds.Fusion);
        Assert.Equal(1, fusion.Frame);
        Assert.Equal(3, fusion.TrackIds.Length);
        Assert.Equal([1, 2], fusion.TrackIds[..2]);
        Assert.DoesNotContain(events, e => e.Kind == TrackEventKinds.Fission);
    }

    [Fact]
    public void Detect_GrowingRod_ClassChangeElongationAndAreaChange()
    {
        Image<int>[] frames =
        [
            Frame(20, 10, (1, 7, 4, 12, 5)),   // 6 × 2
            Frame(20, 10, (1, 4, 4, 15, 5)),   // 12 × 2, same centroid
        ];
        var (_, events) = Run(frames, d => d.Area > 20 ? "network" : "rod");
        Assert.Equal(
            [TrackEventKinds.AreaChange, TrackEventKinds.ClassChange, TrackEventKinds.Elongation],
            events.Select(e => e.Kind));
        Assert.All(events, e => Assert.Equal(1, e.Frame));
        Assert.Equal("rod -> network", events[1].Detail);
    }

    [Fact]
    public void Detect_VesicleNearMitochondrion_ContactForConsecutiveFrames()
    {
        // Mitochondrion rows 2–3; vesicle rows 5–7 (boundary distance 2 px) for frames 0–3, then 5 px further away.
        var frames = new Image<int>[6];
        for (int t = 0; t < 6; t++)
        {
            int top = t < 4 ? 5 : 10;
            frames[t] = Frame(20, 16, (1, 2, 2, 15, 3), (2, 6, top, 8, top + 2));
        }
        Func<Detection, string> classify = d => d.Label == 2 ? "vesicle" : "rod";
        var (tracking, events) = Run(frames, classify);
        int vesicle = tracking.Tracks.Single(t => t.Points[0].Label == 2).Id;
        int mito = tracking.Tracks.Single(t => t.Points[0].Label == 1).Id;
        TrackEvent contact = Assert.Single(events, e => e.Kind == TrackEventKinds.Contact);
        Assert.Equal(0, contact.Frame);
        Assert.Equal([vesicle, mito], contact.TrackIds);
        Assert.Equal("frames 0-3 (4), min distance 2 px", contact.Detail);

        var (_, strict) = Run(frames, classify, new EventOptions { MinContactFrames = 5 });
        Assert.DoesNotContain(strict, e => e.Kind == TrackEventKinds.Contact);
        var (_, near) = Run(frames, classify, new EventOptions { ContactDistancePx = 1.5 });
        Assert.DoesNotContain(near, e => e.Kind == TrackEventKinds.Contact);
    }

    [Fact]
    public void Detect_FrameCountMismatch_ThrowsNamingLabelFrames()
    {
        Image<int>[] frames = [Frame(8, 8, Square(1, 3, 3)), Frame(8, 8, Square(1, 3, 3))];
        TrackingResult tracking = Tracker.Track(Detections.FromLabels(frames));
        var ex = Assert.Throws<ArgumentException>(() => EventDetector.Detect(frames[..1], tracking));
        Assert.Equal("labelFrames", ex.ParamName);
    }
}
