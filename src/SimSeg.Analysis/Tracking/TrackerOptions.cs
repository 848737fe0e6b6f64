using SimSeg.Core;

namespace SimSeg.Analysis.Tracking;

/// <summary>Settings of <see cref="Tracker"/>. Distances in pixels, times in frames.</summary>
public sealed record TrackerOptions
{
    /// <summary>Gate: a detection farther than this (px) from a track's Kalman prediction is never linked to it.</summary>
    public double MaxLinkDistancePx { get; init; } = 10;

    /// <summary>Gap closing: a track missed for up to this many consecutive frames can still be linked, at its
    /// predicted position; after more misses it ends. 0 disables gap closing.</summary>
    public int MaxGapFrames { get; init; } = 3;

    /// <summary>Kalman process noise q: variance of the random acceleration (px²/frame⁴).</summary>
    public double ProcessNoise { get; init; } = 1;

    /// <summary>Kalman measurement noise r: variance of a measured centroid (px²).</summary>
    public double MeasurementNoise { get; init; } = 1;

    /// <summary>
    /// Weight (px per unit log-ratio) of the area-change term added to the link cost:
    /// cost = |prediction − centroid| + AreaWeightPx·|ln(area / previous area)|. 0 uses distance only.
    /// </summary>
    public double AreaWeightPx { get; init; }

    /// <summary>
    /// When true, a track is linked only to detections of the class of its last detection (<see cref="Detection.Class"/>),
    /// so objects of different classes never exchange tracks: a vesicle passing a mitochondrion, or a fragment of a
    /// mitochondrion next to a vesicle, cannot take the other's track. Right when the classes are reliable, as
    /// class maps of a mitochondria + vesicles segmentation are (<c>track --by-class</c>); off by default, since a class
    /// read from a changing merged component can flip between frames.
    /// </summary>
    public bool LinkWithinClass { get; init; }

    /// <summary>Defaults: gate 10 px, gaps up to 3 frames, q = r = 1, no area term, links across classes.</summary>
    public static TrackerOptions Default { get; } = new();

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        Guard.Positive(MaxLinkDistancePx, nameof(MaxLinkDistancePx));
        if (MaxGapFrames < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxGapFrames), MaxGapFrames, $"{nameof(MaxGapFrames)} must be >= 0, got {MaxGapFrames}.");
        Guard.NonNegative(ProcessNoise, nameof(ProcessNoise));
        Guard.Positive(MeasurementNoise, nameof(MeasurementNoise));
        Guard.NonNegative(AreaWeightPx, nameof(AreaWeightPx));
    }
}
