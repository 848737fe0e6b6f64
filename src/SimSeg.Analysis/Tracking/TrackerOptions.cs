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

    /// <summary>Defaults: gate 10 px, gaps up to 3 frames, q = r = 1, no area term.</summary>
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
