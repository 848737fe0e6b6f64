namespace SimSeg.Analysis.Tracking;

/// <summary>
/// Frame-to-frame multi-object tracking by Kalman prediction and optimal assignment, the scheme of Sekh et al.
/// (Nat. Mach. Intell. 2021): every track's constant-velocity <see cref="KalmanFilter2D"/> predicts its position in
/// the next frame, detections are linked to tracks by the <see cref="Hungarian"/> method on the cost
/// |prediction − centroid| (+ an optional area-change term), pairs beyond <see cref="TrackerOptions.MaxLinkDistancePx"/>
/// are forbidden (and, with <see cref="TrackerOptions.LinkWithinClass"/>, pairs of different classes), unlinked detections start tracks, and a track missed for up to
/// <see cref="TrackerOptions.MaxGapFrames"/> frames keeps predicting and can be linked again (gap closing).
/// </summary>
/// <remarks>
/// The gate splits the track–detection graph into independent connected components; each is solved exactly and
/// separately (<see cref="Hungarian.SolveSparse"/>), the same optimum as one large assignment but far cheaper.
/// </remarks>
public static class Tracker
{
    /// <summary>Links detections into tracks.</summary>
    /// <param name="frames">Detections per frame; frame t's detections must have <see cref="Detection.Frame"/> = t.
    /// Empty frames are allowed.</param>
    /// <param name="options">Settings; <see cref="TrackerOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException"><paramref name="frames"/> is empty, or a frame or detection is null or has the wrong frame index.</exception>
    public static TrackingResult Track(IReadOnlyList<IReadOnlyList<Detection>> frames, TrackerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        options ??= TrackerOptions.Default;
        options.Validate();
        if (frames.Count == 0) throw new ArgumentException("frames is empty; at least one frame is needed.", nameof(frames));
        for (int t = 0; t < frames.Count; t++)
        {
            if (frames[t] is null) throw new ArgumentException($"frames[{t}] is null; use an empty list for a frame without objects.", nameof(frames));
            foreach (Detection d in frames[t])
            {
                if (d is null) throw new ArgumentException($"frames[{t}] holds a null detection.", nameof(frames));
                if (d.Frame != t) throw new ArgumentException($"frames[{t}] holds a detection of frame {d.Frame}; detections must sit in the list of their own frame.", nameof(frames));
                if (!double.IsFinite(d.X) || !double.IsFinite(d.Y)) throw new ArgumentException($"frames[{t}] holds a detection with a non-finite centroid ({d.X}, {d.Y}).", nameof(frames));
            }
        }

        var active = new List<TrackState>();
        var finished = new List<TrackState>();
        int nextId = 1;
        var linker = new FrameLinker(options);
        for (int t = 0; t < frames.Count; t++)
        {
            IReadOnlyList<Detection> detections = frames[t];
            if (t > 0)
                foreach (TrackState s in active) s.Filter.Predict();

            int[] trackOfDetection = linker.Link(active, detections);
            var linked = new bool[active.Count];
            for (int j = 0; j < detections.Count; j++)
            {
                Detection d = detections[j];
                int i = trackOfDetection[j];
                TrackState s;
                if (i >= 0)
                {
                    s = active[i];
                    linked[i] = true;
                    s.Filter.Update(d.X, d.Y);
                    s.Missed = 0;
                }
                else
                {
                    s = new TrackState(nextId++, new KalmanFilter2D(d.X, d.Y, options.ProcessNoise, options.MeasurementNoise));
                    active.Add(s);
                }
                s.LastArea = d.Area;
                s.LastClass = d.Class;
                s.Points.Add(new TrackPoint(t, d.Label, d.X, d.Y, d.Area, d.Class, s.Filter.Vx, s.Filter.Vy, d.MajorAxis));
            }
            // Tracks not linked in this frame: count the miss, end those missed too long.
            int keep = 0;
            for (int i = 0; i < active.Count; i++)
            {
                TrackState s = active[i];
                if (i < linked.Length && !linked[i]) s.Missed++;
                if (s.Missed > options.MaxGapFrames) finished.Add(s);
                else active[keep++] = s;
            }
            active.RemoveRange(keep, active.Count - keep);
        }
        finished.AddRange(active);
        finished.Sort((a, b) => a.Id.CompareTo(b.Id));

        int last = frames.Count - 1;
        var tracks = new Track[finished.Count];
        var births = new List<TrackBoundary>();
        var deaths = new List<TrackBoundary>();
        for (int k = 0; k < finished.Count; k++)
        {
            var track = new Track(finished[k].Id, finished[k].Points.ToArray());
            tracks[k] = track;
            if (track.StartFrame > 0) births.Add(new TrackBoundary(track.Id, track.StartFrame));
            if (track.EndFrame < last) deaths.Add(new TrackBoundary(track.Id, track.EndFrame));
        }
        births.Sort((a, b) => a.Frame != b.Frame ? a.Frame.CompareTo(b.Frame) : a.TrackId.CompareTo(b.TrackId));
        deaths.Sort((a, b) => a.Frame != b.Frame ? a.Frame.CompareTo(b.Frame) : a.TrackId.CompareTo(b.TrackId));
        return new TrackingResult(tracks, births, deaths, frames.Count);
    }

    internal sealed class TrackState(int id, KalmanFilter2D filter)
    {
        public int Id { get; } = id;
        public KalmanFilter2D Filter { get; } = filter;
        public List<TrackPoint> Points { get; } = [];
        public int Missed { get; set; }
        public int LastArea { get; set; }
        public string LastClass { get; set; } = "";
    }

    /// <summary>Gated assignment of one frame's detections to the active tracks, solved per connected component.</summary>
    private sealed class FrameLinker(TrackerOptions options)
    {
        private readonly double _gate = options.MaxLinkDistancePx;
        private readonly double _areaWeight = options.AreaWeightPx;
        private readonly bool _withinClass = options.LinkWithinClass;
        private readonly Dictionary<(int, int), List<int>> _grid = [];
        private readonly List<(int Track, int Detection, double Cost)> _pairs = [];

        /// <summary>For each detection, the index of its track in <paramref name="tracks"/>, or −1.</summary>
        public int[] Link(List<TrackState> tracks, IReadOnlyList<Detection> detections)
        {
            var result = new int[detections.Count];
            Array.Fill(result, -1);
            if (tracks.Count == 0 || detections.Count == 0) return result;

            // Bucket detections on a grid of gate-sized cells so each track only looks at its 3×3 neighbourhood.
            foreach (List<int> cell in _grid.Values) cell.Clear();
            for (int j = 0; j < detections.Count; j++)
            {
                var key = Cell(detections[j].X, detections[j].Y);
                if (!_grid.TryGetValue(key, out List<int>? cell)) _grid[key] = cell = [];
                cell.Add(j);
            }
            _pairs.Clear();
            for (int i = 0; i < tracks.Count; i++)
            {
                KalmanFilter2D f = tracks[i].Filter;
                (int cx, int cy) = Cell(f.X, f.Y);
                for (int gy = cy - 1; gy <= cy + 1; gy++)
                    for (int gx = cx - 1; gx <= cx + 1; gx++)
                    {
                        if (!_grid.TryGetValue((gx, gy), out List<int>? cell)) continue;
                        foreach (int j in cell)
                        {
                            Detection d = detections[j];
                            double distance = f.EuclideanDistance(d.X, d.Y);
                            if (distance > _gate) continue;
                            if (_withinClass && !string.Equals(d.Class, tracks[i].LastClass, StringComparison.Ordinal)) continue;
                            double cost = distance;
                            if (_areaWeight > 0 && tracks[i].LastArea > 0 && d.Area > 0)
                                cost += _areaWeight * Math.Abs(Math.Log((double)d.Area / tracks[i].LastArea));
                            _pairs.Add((i, j, cost));
                        }
                    }
            }
            if (_pairs.Count == 0) return result;
            int[] detectionOfTrack = Hungarian.SolveSparse(tracks.Count, detections.Count, _pairs);
            for (int i = 0; i < detectionOfTrack.Length; i++)
                if (detectionOfTrack[i] >= 0) result[detectionOfTrack[i]] = i;
            return result;
        }

        private (int, int) Cell(double x, double y) => ((int)Math.Floor(x / _gate), (int)Math.Floor(y / _gate));
    }
}
