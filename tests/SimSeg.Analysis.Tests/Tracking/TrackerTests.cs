using SimSeg.Analysis.Tracking;
using SimSeg.Core.Imaging;
using static SimSeg.Analysis.Tests.Tracking.Synthetic;

namespace SimSeg.Analysis.Tests.Tracking;

public class TrackerTests
{
    private static Detection Point(int frame, int label, double x, double y) => new(frame, label, x, y, 9, "object");

    [Fact]
    public void Track_StraightMovers_OneTrackEach()
    {
        var frames = new List<Image<int>>();
        for (int t = 0; t < 8; t++)
            frames.Add(Frame(64, 40, Square(1, 5 + 3 * t, 10), Square(2, 50 - 2 * t, 30)));
        var detections = Detections.FromLabels(frames);
        TrackingResult result = Tracker.Track(detections);
        Assert.Equal(2, result.Tracks.Count);
        Assert.All(result.Tracks, t => Assert.Equal(8, t.Points.Count));
        Assert.Empty(result.Births);
        Assert.Empty(result.Deaths);
        Track first = result.Tracks.Single(t => t.Points[0].Label == 1);
        Assert.All(first.Points, p => Assert.Equal(1, p.Label));
        Assert.Equal(3, first.Points[^1].Vx, 0.05);
        Assert.Equal(26, first.Points[^1].X, 9);
        Assert.Equal(9, first.Points[0].Area);
    }

    [Fact]
    public void Track_CrossingPaths_KalmanKeepsIdentities()
    {
        // A moves (+2, +2), B moves (+2, −2); at t = 6 nearest-last-position linking would swap them.
        var frames = new List<IReadOnlyList<Detection>>();
        for (int t = 0; t < 12; t++)
            frames.Add([Point(t, 1, 2 * t, 2 * t), Point(t, 2, 2 * t, 21 - 2 * t)]);
        TrackingResult result = Tracker.Track(frames);
        Assert.Equal(2, result.Tracks.Count);
        foreach (Track track in result.Tracks)
        {
            Assert.Equal(12, track.Points.Count);
            Assert.All(track.Points, p => Assert.Equal(track.Points[0].Label, p.Label));
        }
    }

    [Fact]
    public void Track_DisappearsForTwoFrames_GapClosed()
    {
        var frames = new List<IReadOnlyList<Detection>>();
        for (int t = 0; t < 10; t++)
            frames.Add(t is 4 or 5 ? [] : [Point(t, 1, 3 + 2 * t, 10)]);
        TrackingResult closed = Tracker.Track(frames);
        Assert.Single(closed.Tracks);
        Assert.Equal([0, 1, 2, 3, 6, 7, 8, 9], closed.Tracks[0].Points.Select(p => p.Frame));

        TrackingResult notClosed = Tracker.Track(frames, new TrackerOptions { MaxGapFrames = 1 });
        Assert.Equal(2, notClosed.Tracks.Count);
        Assert.Equal([new TrackBoundary(2, 6)], notClosed.Births);
        Assert.Equal([new TrackBoundary(1, 3)], notClosed.Deaths);
    }

    [Fact]
    public void Track_BirthAndDeath_Reported()
    {
        var frames = new List<IReadOnlyList<Detection>>();
        for (int t = 0; t < 10; t++)
        {
            var list = new List<Detection>();
            if (t <= 3) list.Add(Point(t, 1, 10, 10));          // dies after frame 3
            if (t >= 5) list.Add(Point(t, 2, 40, 40));          // born at frame 5
            list.Add(Point(t, 3, 70, 10 + t));                  // present throughout
            frames.Add(list);
        }
        TrackingResult result = Tracker.Track(frames, new TrackerOptions { MaxGapFrames = 2 });
        Assert.Equal(3, result.Tracks.Count);
        int born = result.Tracks.Single(t => t.Points[0].Label == 2).Id;
        int dead = result.Tracks.Single(t => t.Points[0].Label == 1).Id;
        Assert.Equal([new TrackBoundary(born, 5)], result.Births);
        Assert.Equal([new TrackBoundary(dead, 3)], result.Deaths);
    }

    [Fact]
    public void Track_AreaWeight_PrefersSimilarArea()
    {
        // Two candidates equally far from a stationary track; the one with the same area wins only with the area term.
        IReadOnlyList<Detection>[] frames =
        [
            [new Detection(0, 1, 10, 10, 20, "object")],
            [new Detection(1, 1, 7, 10, 80, "object"), new Detection(1, 2, 13, 10, 20, "object")],
        ];
        TrackingResult withArea = Tracker.Track(frames, new TrackerOptions { AreaWeightPx = 2 });
        Assert.Equal([1, 2], withArea.Tracks[0].Points.Select(p => p.Label));
    }

    [Fact]
    public void Track_LinkWithinClass_KeepsClassesApart()
    {
        // A vesicle at x = 10 vanishes while a mitochondrion fragment appears next to it; a vesicle comes back two frames
        // later. Across classes the fragment takes the vesicle's track; within classes the fragment starts its own and
        // the vesicle's track is continued by gap closing.
        IReadOnlyList<Detection>[] frames =
        [
            [new Detection(0, 1, 10, 10, 20, "vesicle"), new Detection(0, 2, 40, 10, 200, "mitochondrion")],
            [new Detection(1, 1, 12, 10, 30, "mitochondrion"), new Detection(1, 2, 40, 10, 200, "mitochondrion")],
            [new Detection(2, 1, 10, 11, 20, "vesicle"), new Detection(2, 2, 12, 10, 30, "mitochondrion"), new Detection(2, 3, 40, 10, 200, "mitochondrion")],
        ];
        TrackingResult across = Tracker.Track(frames);
        Assert.Equal(["vesicle", "mitochondrion", "mitochondrion"], across.Tracks[0].Points.Select(p => p.Class));

        TrackingResult within = Tracker.Track(frames, new TrackerOptions { LinkWithinClass = true });
        Assert.Equal(3, within.Tracks.Count);
        Assert.All(within.Tracks, t => Assert.Single(t.Points.Select(p => p.Class).Distinct()));
        Assert.Equal([0, 2], within.Tracks[0].Points.Select(p => p.Frame));
        Assert.Equal([1, 2], within.Tracks.Single(t => t.StartFrame == 1).Points.Select(p => p.Frame));
    }

    [Fact]
    public void RemoveSmall_DropsFragmentsAndClearsTheirLabels()
    {
        // Frame 0: a 3x3 object; frame 1: the same object and a one-pixel fragment beside it.
        var f0 = new Image<int>(10, 6);
        var f1 = new Image<int>(10, 6);
        for (int y = 1; y <= 3; y++)
            for (int x = 1; x <= 3; x++) { f0[x, y] = 1; f1[x + 1, y] = 1; }
        f1[7, 2] = 2;
        Image<int>[] labels = [f0, f1];
        var detections = Detections.FromLabels(labels);
        var (kept, found) = Detections.RemoveSmall(labels, detections, 2);
        Assert.Single(found[0]);
        Assert.Equal([1], found[1].Select(d => d.Label));
        Assert.Equal(0, kept[1][7, 2]);
        Assert.Equal(1, kept[1][2, 2]);
        Assert.Equal(2, labels[1][7, 2]); // the input is left as it is
        Assert.Single(Tracker.Track(found).Tracks);
        Assert.Equal(2, Tracker.Track(detections).Tracks.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => Detections.RemoveSmall(labels, detections, -1));
        Assert.Equal("detections", Assert.Throws<ArgumentException>(() => Detections.RemoveSmall(labels, [detections[0]], 2)).ParamName);
    }

    [Fact]
    public void Track_BeyondGate_NotLinked()
    {
        IReadOnlyList<Detection>[] frames = [[Point(0, 1, 0, 0)], [Point(1, 1, 15, 0)]];
        TrackingResult result = Tracker.Track(frames, new TrackerOptions { MaxLinkDistancePx = 10 });
        Assert.Equal(2, result.Tracks.Count);
    }

    [Fact]
    public void Track_EmptyFramesOnly_NoTracks()
    {
        IReadOnlyList<Detection>[] frames = [[], [], []];
        TrackingResult result = Tracker.Track(frames);
        Assert.Empty(result.Tracks);
        Assert.Equal(3, result.FrameCount);
    }

    [Fact]
    public void Track_EmptySequence_ThrowsNamingFrames()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tracker.Track([]));
        Assert.Equal("frames", ex.ParamName);
    }

    [Fact]
    public void Track_DetectionInWrongFrame_ThrowsNamingFrames()
    {
        IReadOnlyList<Detection>[] frames = [[Point(1, 1, 0, 0)]];
        var ex = Assert.Throws<ArgumentException>(() => Tracker.Track(frames));
        Assert.Equal("frames", ex.ParamName);
    }

    [Fact]
    public void FromLabels_MismatchedSizes_ThrowsNamingLabelFrames()
    {
        var ex = Assert.Throws<ArgumentException>(() => Detections.FromLabels([new Image<int>(8, 8), new Image<int>(8, 9)]));
        Assert.Equal("labelFrames", ex.ParamName);
    }

    [Fact]
    public void FromLabels_EmptySequence_ThrowsNamingLabelFrames()
    {
        var ex = Assert.Throws<ArgumentException>(() => Detections.FromLabels(Array.Empty<Image<int>>()));
        Assert.Equal("labelFrames", ex.ParamName);
    }

    [Fact]
    public void FromLabels_Stack_PlanesAreFrames()
    {
        var stack = new Image<int>(10, 10, 3);
        stack[2, 3, 0] = 4;
        stack[5, 5, 2] = 1;
        stack[6, 5, 2] = 1;
        var detections = Detections.FromLabels(stack);
        Assert.Equal(3, detections.Count);
        Assert.Equal(new Detection(0, 4, 2, 3, 1, Detections.DefaultClass, 0, 0), detections[0][0]);
        Assert.Empty(detections[1]);
        Assert.Equal(5.5, detections[2][0].X, 12);
        Assert.Equal(2, detections[2][0].Area);
    }

    [Fact]
    public void FromLabels_HorizontalBar_MajorAxisFromSecondMoments()
    {
        var frame = Frame(30, 10, (1, 2, 4, 21, 5));   // 20 × 2 bar
        Detection d = Detections.FromLabels([frame])[0][0];
        // Variance of a uniform run of n pixels is (n² − 1) / 12.
        Assert.Equal(4 * Math.Sqrt((20.0 * 20 - 1) / 12), d.MajorAxis, 9);
        Assert.Equal(4 * Math.Sqrt((2.0 * 2 - 1) / 12), d.MinorAxis, 9);
    }

    [Fact]
    public void FromMasks_LabelsEightConnected()
    {
        var mask = new Image<byte>(6, 6);
        mask[0, 0] = 1;
        mask[1, 1] = 1;   // diagonal neighbour: same object
        mask[4, 4] = 1;
        var (labels, detections) = Detections.FromMasks([mask], d => d.Area > 1 ? "rod" : "dot");
        Assert.Equal(2, detections[0].Count);
        Assert.Equal(["rod", "dot"], detections[0].Select(d => d.Class));
        Assert.Equal(labels[0][0, 0], labels[0][1, 1]);
    }

    [Fact]
    public void FromClassMaps_VesicleTouchingMitochondrion_StaysAnObjectOfItsOwn()
    {
        // A 3×1 mitochondrion (class 1) with a vesicle (class 2) right next to it, and a second vesicle apart: a binary
        // mask would merge the first two.
        var map = new Image<byte>(8, 4);
        for (int x = 0; x < 3; x++) map[x, 1] = 1;
        map[3, 1] = 2;
        map[7, 3] = 2;
        var (labels, detections) = Detections.FromClassMaps([map]);
        Assert.Equal(["mitochondrion", "vesicle", "vesicle"], detections[0].Select(d => d.Class));
        Assert.Equal([3, 1, 1], detections[0].Select(d => d.Area));
        Assert.NotEqual(labels[0][2, 1], labels[0][3, 1]);
        var binary = new Image<byte>(8, 4);
        for (int i = 0; i < map.Data.Length; i++) binary.Data[i] = map.Data[i] != 0 ? (byte)1 : (byte)0;
        Assert.Equal(2, Detections.FromMasks([binary]).Detections[0].Count);
    }
}
