namespace SimSeg.Analysis.Tracking;

/// <summary>A biological event found by <see cref="EventDetector"/>.</summary>
/// <param name="Kind">One of the <see cref="TrackEventKinds"/> names.</param>
/// <param name="Frame">The frame where the event is seen: for fission, fusion and morphology changes the later of the
/// two frames compared; for a contact the first frame of the contact.</param>
/// <param name="TrackIds">Tracks involved; the order for each kind is given in <see cref="TrackEventKinds"/>.</param>
/// <param name="Detail">Human-readable specifics (labels, classes, ratios, distances), invariant culture.</param>
public sealed record TrackEvent(string Kind, int Frame, int[] TrackIds, string Detail);

/// <summary>Names of the event kinds (the <see cref="TrackEvent.Kind"/> values).</summary>
public static class TrackEventKinds
{
    /// <summary>One object at t−1 overlaps two or more objects at t. Track ids: parent, then children.</summary>
    public const string Fission = "fission";

    /// <summary>Two or more objects at t−1 overlap one object at t. Track ids: parents, then the child.</summary>
    public const string Fusion = "fusion";

    /// <summary>The class of a track changes between consecutive observations. Track ids: the track.</summary>
    public const string ClassChange = "class-change";

    /// <summary>The major axis grows by at least <see cref="EventOptions.AxisRatio"/> between consecutive observations.</summary>
    public const string Elongation = "elongation";

    /// <summary>The major axis shrinks by at least <see cref="EventOptions.AxisRatio"/> (e.g. curling up).</summary>
    public const string Shortening = "shortening";

    /// <summary>The area changes by at least <see cref="EventOptions.AreaRatio"/> (either way) between consecutive observations.</summary>
    public const string AreaChange = "area-change";

    /// <summary>A vesicle stays within <see cref="EventOptions.ContactDistancePx"/> of a mitochondrion for at least
    /// <see cref="EventOptions.MinContactFrames"/> consecutive frames. Track ids: vesicle, mitochondrion.</summary>
    public const string Contact = "contact";
}
