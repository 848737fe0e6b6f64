using SimSeg.Core;
using SimSeg.Core.Geometry;
using SimSeg.Core.Randomness;

namespace SimSeg.Simulation.Geometry;

/// <summary>
/// A mitochondrion as a tube of radius R around a polyline centreline with hemispherical end caps (a chain
/// of capsules): the tubular model of PhySeg's simulator (Sekh et al., Nat. Mach. Intell. 2021), labelled on
/// its outer membrane. A point is inside when its distance to the centreline is at most R.
/// </summary>
/// <remarks>
/// <see cref="CapsuleShape.SurfaceArea"/> and <see cref="CapsuleShape.Volume"/> are exact (2πRL + 4πR², πR²L + 4πR³/3) for a straight
/// centreline. For a bent one the area is the candidate area (cylinders, bend lunes and caps) times the
/// acceptance rate of 8192 fixed-seed Monte Carlo samples (relative standard error about 0.2% for smooth
/// tubes, where almost every candidate is accepted), so it is deterministic per shape and consistent with
/// <see cref="CapsuleShape.SampleSurface"/>; area and volume (a fixed-seed Monte Carlo estimate) are computed on first
/// use. Surface labelling (<see cref="Labelling.EmitterSampler"/>) does not use the area estimate: it thins a
/// Poisson number of candidates, so emitter counts are exactly Poisson(density × union area).
/// </remarks>
public sealed class TubeShape : CapsuleShape
{
    private readonly Vec3[] _centerline;

    /// <summary>
    /// Creates the tube around <paramref name="centerline"/> (nm; at least 2 distinct points) with radius
    /// <paramref name="radiusNm"/> &gt; 0.
    /// </summary>
    public TubeShape(IReadOnlyList<Vec3> centerline, double radiusNm)
        : this(Copy(centerline, radiusNm), radiusNm)
    {
    }

    private TubeShape(Vec3[] centerline, double radiusNm)
        : base(new CapsuleNetwork([centerline], radiusNm)) => _centerline = centerline;

    private static Vec3[] Copy(IReadOnlyList<Vec3> centerline, double radiusNm)
    {
        ArgumentNullException.ThrowIfNull(centerline);
        Guard.Positive(radiusNm);
        return [.. centerline];
    }

    /// <summary>The centreline polyline (nm).</summary>
    public IReadOnlyList<Vec3> Centerline => _centerline;
}
