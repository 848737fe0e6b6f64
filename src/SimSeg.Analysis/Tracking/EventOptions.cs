using SimSeg.Core;

namespace SimSeg.Analysis.Tracking;

/// <summary>Thresholds of <see cref="EventDetector"/>. Distances in pixels.</summary>
public sealed record EventOptions
{
    /// <summary>
    /// Fission/fusion overlap threshold: a child counts as coming from its main parent when the pixels they share
    /// (same position in consecutive frames) are at least this fraction of the child's area (fission), a parent as
    /// going into its main child when they are at least this fraction of the parent's area (fusion). In (0, 1].
    /// </summary>
    public double MinOverlapFraction { get; init; } = 0.2;

    /// <summary>Major-axis ratio (≥ 1) between consecutive observations of a track that counts as elongation or shortening.</summary>
    public double AxisRatio { get; init; } = 1.5;

    /// <summary>Area ratio (≥ 1) between consecutive observations of a track that counts as an area change.</summary>
    public double AreaRatio { get; init; } = 2;

    /// <summary>Classes treated as vesicles for contacts.</summary>
    public IReadOnlySet<string> VesicleClasses { get; init; } = new HashSet<string>(StringComparer.Ordinal) { "vesicle", "small-vesicle", "large-vesicle" };

    /// <summary>Classes treated as mitochondria for contacts (PhySeg's morphology classes and plain names).</summary>
    public IReadOnlySet<string> MitochondrionClasses { get; init; } = new HashSet<string>(StringComparer.Ordinal) { "mitochondrion", "mito", "dot", "rod", "network" };

    /// <summary>Contact distance (px): boundary-to-boundary distance, the smallest Euclidean distance between pixel
    /// centres of the two objects (1 when they share an edge, √2 when only a corner).</summary>
    public double ContactDistancePx { get; init; } = 2;

    /// <summary>Minimum number of consecutive frames in contact for a contact event.</summary>
    public int MinContactFrames { get; init; } = 3;

    /// <summary>Defaults.</summary>
    public static EventOptions Default { get; } = new();

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (!(MinOverlapFraction > 0 && MinOverlapFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(MinOverlapFraction), MinOverlapFraction, $"{nameof(MinOverlapFraction)} must be in (0, 1], got {MinOverlapFraction}.");
        Guard.InRange(AxisRatio, 1, double.MaxValue, nameof(AxisRatio));
        Guard.InRange(AreaRatio, 1, double.MaxValue, nameof(AreaRatio));
        ArgumentNullException.ThrowIfNull(VesicleClasses, nameof(VesicleClasses));
        ArgumentNullException.ThrowIfNull(MitochondrionClasses, nameof(MitochondrionClasses));
        Guard.NonNegative(ContactDistancePx, nameof(ContactDistancePx));
        Guard.Positive(MinContactFrames, nameof(MinContactFrames));
    }
}
