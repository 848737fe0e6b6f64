using System.Globalization;
using SimSeg.Core.Imaging;

namespace SimSeg.Analysis.Tracking;

/// <summary>
/// Finds fission, fusion, morphology changes and vesicle–mitochondrion contacts in a tracked label sequence
/// (the event types of Sekh et al., Nat. Mach. Intell. 2021).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Fission / fusion come from pixel overlaps of the label images of consecutive frames t−1 and t (objects are
/// assumed to move less than their size per frame), not from the track links, so they are found whichever branch the
/// tracker continued. Each object at t is a child of its main parent (the object at t−1 it shares most pixels with) when
/// they share at least <see cref="EventOptions.MinOverlapFraction"/> of the child's area; a parent with two or more
/// children is a fission. Symmetrically, each object at t−1 is a parent of its main child when they share at least that
/// fraction of the parent's area; a child with two or more parents is a fusion. Using the main partner only keeps
/// neighbours that brush past each other from counting.</item>
/// <item>Morphology changes compare consecutive observations of one track (across closed gaps too): class, second-moment
/// major axis and area.</item>
/// <item>Contacts use the boundary-to-boundary distance (smallest distance between pixel centres of the two objects)
/// between a vesicle-class and a mitochondrion-class object in the same frame; a run of consecutive frames in contact
/// for the same pair of tracks yields one event.</item>
/// </list>
/// </remarks>
public static class EventDetector
{
    /// <summary>Detects events.</summary>
    /// <param name="labelFrames">The label images the detections of <paramref name="tracking"/> were measured on, one per frame.</param>
    /// <param name="tracking">Tracks over those frames.</param>
    /// <param name="options">Thresholds; <see cref="EventOptions.Default"/> when null.</param>
    /// <returns>Events ordered by frame, kind, then track ids.</returns>
    /// <exception cref="ArgumentException">Frames are empty or of different sizes, or their count differs from the tracking's.</exception>
    public static IReadOnlyList<TrackEvent> Detect(IReadOnlyList<Image<int>> labelFrames, TrackingResult tracking, EventOptions? options = null)
    {
        Detections.CheckFrames(labelFrames, nameof(labelFrames));
        ArgumentNullException.ThrowIfNull(tracking);
        options ??= EventOptions.Default;
        options.Validate();
        if (tracking.FrameCount != labelFrames.Count)
            throw new ArgumentException($"labelFrames has {labelFrames.Count} frames but tracking covers {tracking.FrameCount}.", nameof(labelFrames));

        var points = new Dictionary<(int Frame, int Label), (int TrackId, TrackPoint Point)>();
        foreach (Track track in tracking.Tracks)
            foreach (TrackPoint p in track.Points) points[(p.Frame, p.Label)] = (track.Id, p);

        var events = new List<TrackEvent>();
        for (int t = 1; t < labelFrames.Count; t++) OverlapEvents(labelFrames[t - 1], labelFrames[t], t, points, options, events);
        MorphologyEvents(tracking, options, events);
        ContactEvents(labelFrames, points, options, events);
        events.Sort(Compare);
        return events;
    }

    private static int Compare(TrackEvent a, TrackEvent b)
    {
        int c = a.Frame.CompareTo(b.Frame);
        if (c != 0) return c;
        c = string.CompareOrdinal(a.Kind, b.Kind);
        if (c != 0) return c;
        for (int k = 0; k < Math.Min(a.TrackIds.Length, b.TrackIds.Length); k++)
        {
            c = a.TrackIds[k].CompareTo(b.TrackIds[k]);
            if (c != 0) return c;
        }
        return a.TrackIds.Length.CompareTo(b.TrackIds.Length);
    }

    private static void OverlapEvents(Image<int> before, Image<int> after, int t,
        Dictionary<(int, int), (int TrackId, TrackPoint Point)> points, EventOptions options, List<TrackEvent> events)
    {
        LabelOverlap counts = LabelOverlap.Count(before.Data, after.Data);
        Dictionary<int, int> areaBefore = counts.AreaA, areaAfter = counts.AreaB;
        // Each child's main parent (largest shared area) and each parent's main child; ties go to the smaller label.
        var mainParent = new Dictionary<int, (int Label, int Count)>();
        var mainChild = new Dictionary<int, (int Label, int Count)>();
        foreach (var ((la, lb), count) in counts.Shared)
        {
            if (!mainParent.TryGetValue(lb, out var p) || count > p.Count || (count == p.Count && la < p.Label)) mainParent[lb] = (la, count);
            if (!mainChild.TryGetValue(la, out var c) || count > c.Count || (count == c.Count && lb < c.Label)) mainChild[la] = (lb, count);
        }
        var children = new SortedDictionary<int, List<int>>();
        var parents = new SortedDictionary<int, List<int>>();
        foreach (var (lb, (la, count)) in mainParent)
            if (count >= options.MinOverlapFraction * areaAfter[lb]) Add(children, la, lb);
        foreach (var (la, (lb, count)) in mainChild)
            if (count >= options.MinOverlapFraction * areaBefore[la]) Add(parents, lb, la);
        foreach (var (parent, list) in children)
        {
            if (list.Count < 2) continue;
            list.Sort();
            var ids = new List<int> { TrackOf(points, t - 1, parent) };
            ids.AddRange(list.Select(l => TrackOf(points, t, l)));
            events.Add(new TrackEvent(TrackEventKinds.Fission, t, [.. ids],
                $"label {parent} in frame {t - 1} -> labels {string.Join(' ', list)} in frame {t}"));
        }
        foreach (var (child, list) in parents)
        {
            if (list.Count < 2) continue;
            list.Sort();
            var ids = list.Select(l => TrackOf(points, t - 1, l)).ToList();
            ids.Add(TrackOf(points, t, child));
            events.Add(new TrackEvent(TrackEventKinds.Fusion, t, [.. ids],
                $"labels {string.Join(' ', list)} in frame {t - 1} -> label {child} in frame {t}"));
        }
    }

    private static void Add(SortedDictionary<int, List<int>> map, int key, int value)
    {
        if (!map.TryGetValue(key, out List<int>? list)) map[key] = list = [];
        list.Add(value);
    }

    /// <summary>Track of a labelled object; 0 when the tracking does not know it.</summary>
    private static int TrackOf(Dictionary<(int, int), (int TrackId, TrackPoint Point)> points, int frame, int label) =>
        points.TryGetValue((frame, label), out var v) ? v.TrackId : 0;

    private static void MorphologyEvents(TrackingResult tracking, EventOptions options, List<TrackEvent> events)
    {
        foreach (Track track in tracking.Tracks)
        {
            for (int k = 1; k < track.Points.Count; k++)
            {
                TrackPoint p = track.Points[k - 1], q = track.Points[k];
                int[] ids = [track.Id];
                if (!string.Equals(p.Class, q.Class, StringComparison.Ordinal))
                    events.Add(new TrackEvent(TrackEventKinds.ClassChange, q.Frame, ids, $"{p.Class} -> {q.Class}"));
                if (p.MajorAxis > 0 && q.MajorAxis > 0)
                {
                    double ratio = q.MajorAxis / p.MajorAxis;
                    string detail = Invariant($"major axis {p.MajorAxis:0.##} -> {q.MajorAxis:0.##} px");
                    if (ratio >= options.AxisRatio) events.Add(new TrackEvent(TrackEventKinds.Elongation, q.Frame, ids, detail));
                    else if (1 / ratio >= options.AxisRatio) events.Add(new TrackEvent(TrackEventKinds.Shortening, q.Frame, ids, detail));
                }
                if (p.Area > 0 && q.Area > 0 && Math.Max(p.Area, q.Area) >= options.AreaRatio * Math.Min(p.Area, q.Area))
                    events.Add(new TrackEvent(TrackEventKinds.AreaChange, q.Frame, ids, $"area {p.Area} -> {q.Area} px"));
            }
        }
    }

    private static void ContactEvents(IReadOnlyList<Image<int>> labelFrames,
        Dictionary<(int, int), (int TrackId, TrackPoint Point)> points, EventOptions options, List<TrackEvent> events)
    {
        // Open runs per (vesicle track, mito track): first frame, last frame, smallest distance.
        var runs = new Dictionary<(int Vesicle, int Mito), (int Start, int Last, double Min)>();
        // Vesicle and mitochondrion labels of each frame, with their tracks.
        var vesicles = new Dictionary<int, int>[labelFrames.Count];
        var mitos = new Dictionary<int, int>[labelFrames.Count];
        for (int t = 0; t < labelFrames.Count; t++)
        {
            vesicles[t] = [];
            mitos[t] = [];
        }
        foreach (var ((frame, label), (trackId, p)) in points)
        {
            if (options.VesicleClasses.Contains(p.Class)) vesicles[frame][label] = trackId;
            else if (options.MitochondrionClasses.Contains(p.Class)) mitos[frame][label] = trackId;
        }
        for (int t = 0; t < labelFrames.Count; t++)
        {
            Dictionary<(int Vesicle, int Mito), double> contacts = FrameContacts(labelFrames[t], vesicles[t], mitos[t], options);
            foreach (var (pair, distance) in contacts)
            {
                if (runs.TryGetValue(pair, out var run) && run.Last == t - 1)
                {
                    runs[pair] = (run.Start, t, Math.Min(run.Min, distance));
                }
                else
                {
                    if (runs.ContainsKey(pair)) Close(pair, run, options, events);
                    runs[pair] = (t, t, distance);
                }
            }
            foreach (var (pair, run) in runs.Where(r => r.Value.Last < t).ToList())
            {
                Close(pair, run, options, events);
                runs.Remove(pair);
            }
        }
        foreach (var (pair, run) in runs) Close(pair, run, options, events);
    }

    private static void Close((int Vesicle, int Mito) pair, (int Start, int Last, double Min) run, EventOptions options, List<TrackEvent> events)
    {
        int length = run.Last - run.Start + 1;
        if (length < options.MinContactFrames) return;
        events.Add(new TrackEvent(TrackEventKinds.Contact, run.Start, [pair.Vesicle, pair.Mito],
            Invariant($"frames {run.Start}-{run.Last} ({length}), min distance {run.Min:0.##} px")));
    }

    /// <summary>Vesicle–mitochondrion track pairs within the contact distance in one frame, with their distance.</summary>
    /// <param name="labels">The frame's label image.</param>
    /// <param name="vesicles">Vesicle labels of the frame and their tracks.</param>
    /// <param name="mitos">Mitochondrion labels of the frame and their tracks.</param>
    /// <param name="options">Contact distance.</param>
    private static Dictionary<(int Vesicle, int Mito), double> FrameContacts(Image<int> labels,
        Dictionary<int, int> vesicles, Dictionary<int, int> mitos, EventOptions options)
    {
        var result = new Dictionary<(int, int), double>();
        int w = labels.Width, h = labels.Height;
        int[] data = labels.Data;
        if (vesicles.Count == 0 || mitos.Count == 0) return result;

        int reach = (int)Math.Floor(options.ContactDistancePx);
        double limit2 = options.ContactDistancePx * options.ContactDistancePx;
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int l = data[y * w + x];
                if (l == 0 || !vesicles.TryGetValue(l, out int vesicleTrack) || !IsBoundary(data, w, h, x, y, l)) continue;
                // Scan the disk around this vesicle boundary pixel for mitochondrion pixels.
                for (int dy = -reach; dy <= reach; dy++)
                {
                    int yy = y + dy;
                    if (yy < 0 || yy >= h) continue;
                    for (int dx = -reach; dx <= reach; dx++)
                    {
                        int xx = x + dx;
                        if (xx < 0 || xx >= w) continue;
                        int d2 = dx * dx + dy * dy;
                        if (d2 > limit2) continue;
                        int m = data[yy * w + xx];
                        if (m == 0 || m == l || !mitos.TryGetValue(m, out int mitoTrack)) continue;
                        double d = Math.Sqrt(d2);
                        var key = (vesicleTrack, mitoTrack);
                        if (!result.TryGetValue(key, out double old) || d < old) result[key] = d;
                    }
                }
            }
        }
        return result;
    }

    /// <summary>True when a 4-neighbour of (x, y) is outside the image or has another label.</summary>
    private static bool IsBoundary(int[] data, int w, int h, int x, int y, int l) =>
        x == 0 || y == 0 || x == w - 1 || y == h - 1 ||
        data[y * w + x - 1] != l || data[y * w + x + 1] != l || data[(y - 1) * w + x] != l || data[(y + 1) * w + x] != l;

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
