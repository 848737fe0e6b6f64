namespace SimSeg.Analysis.Tracking;

/// <summary>One observation of a track: the detection it was linked to and the filtered velocity there.</summary>
/// <param name="Frame">Frame index.</param>
/// <param name="Label">Label of the detection in that frame's label image.</param>
/// <param name="X">Measured centroid column (px).</param>
/// <param name="Y">Measured centroid row (px).</param>
/// <param name="Area">Pixel count.</param>
/// <param name="Class">Object class of the detection.</param>
/// <param name="Vx">Kalman velocity estimate after this observation, columns (px/frame).</param>
/// <param name="Vy">Kalman velocity estimate after this observation, rows (px/frame).</param>
/// <param name="MajorAxis">Second-moment major-axis length (px).</param>
public sealed record TrackPoint(int Frame, int Label, double X, double Y, int Area, string Class, double Vx, double Vy, double MajorAxis);

/// <summary>A track: observations of one object in increasing frame order; frames may be skipped (closed gaps).</summary>
/// <param name="Id">Track id, 1-based, in order of birth.</param>
/// <param name="Points">Observations, increasing in frame.</param>
public sealed record Track(int Id, IReadOnlyList<TrackPoint> Points)
{
    /// <summary>First frame observed.</summary>
    public int StartFrame => Points[0].Frame;

    /// <summary>Last frame observed.</summary>
    public int EndFrame => Points[^1].Frame;
}

/// <summary>A track starting (birth) or ending (death) at a frame.</summary>
/// <param name="TrackId">The track.</param>
/// <param name="Frame">For a birth, the first frame observed; for a death, the last frame observed.</param>
public readonly record struct TrackBoundary(int TrackId, int Frame);

/// <summary>
/// Output of <see cref="Tracker.Track"/>. Births are tracks that start after the first frame; deaths are tracks whose
/// last observation is before the last frame (tracks present at the start or end of the sequence are censored, not
/// born or dead inside it).
/// </summary>
/// <param name="Tracks">All tracks, ordered by id.</param>
/// <param name="Births">Tracks starting after frame 0, by frame.</param>
/// <param name="Deaths">Tracks ending before the last frame, by frame.</param>
/// <param name="FrameCount">Number of frames tracked.</param>
public sealed record TrackingResult(IReadOnlyList<Track> Tracks, IReadOnlyList<TrackBoundary> Births, IReadOnlyList<TrackBoundary> Deaths, int FrameCount)
{
    /// <summary>Map from (frame, label) to track id, for looking up the track of a labelled object.</summary>
    public IReadOnlyDictionary<(int Frame, int Label), int> BuildLabelIndex()
    {
        var map = new Dictionary<(int, int), int>();
        foreach (Track t in Tracks)
            foreach (TrackPoint p in t.Points) map[(p.Frame, p.Label)] = t.Id;
        return map;
    }
}
