using SimSeg.Core.Geometry;
using SimSeg.Core.Randomness;

namespace SimSeg.Simulation.Geometry;

/// <summary>
/// A body made of capsules (tubes of one radius R around polyline centrelines, with hemispherical caps and
/// joints): the common part of <see cref="TubeShape"/> and <see cref="BranchedTubeShape"/>. A point is inside
/// when it lies within R of a centreline; the surface is that of the union.
/// </summary>
public abstract class CapsuleShape : IShape
{
    /// <summary>Wraps the union of capsules built by a derived shape.</summary>
    private protected CapsuleShape(CapsuleNetwork body) => Body = body;

    /// <summary>The union of capsules (used by labelling to sample by thinning).</summary>
    internal CapsuleNetwork Body { get; }

    /// <summary>Tube radius R (nm).</summary>
    public double RadiusNm => Body.Radius;

    /// <summary>Summed length of the centreline polylines (nm).</summary>
    public double CenterlineLengthNm => Body.CenterlineLength;

    /// <inheritdoc/>
    public double SurfaceArea => Body.SurfaceArea;

    /// <inheritdoc/>
    public double Volume => Body.Volume;

    /// <inheritdoc/>
    public Vec3 BoundsMin => Body.BoundsMin;

    /// <inheritdoc/>
    public Vec3 BoundsMax => Body.BoundsMax;

    /// <summary>A point drawn area-uniformly from the surface of the union of capsules (rejection sampling).</summary>
    public Vec3 SampleSurface(Rng rng) => Body.SampleSurface(rng);

    /// <summary>True when <paramref name="point"/> is within R of a centreline.</summary>
    public bool Contains(Vec3 point) => Body.Contains(point);

    /// <summary>Distance (nm) from <paramref name="point"/> to the nearest centreline point (brute force over segments).</summary>
    public double DistanceToCenterline(Vec3 point) => Body.DistanceToCenterline(point);
}
