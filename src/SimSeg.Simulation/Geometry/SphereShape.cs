using SimSeg.Core;
using SimSeg.Core.Geometry;
using SimSeg.Core.Randomness;

namespace SimSeg.Simulation.Geometry;

/// <summary>
/// A vesicle: a ball of radius R (PhySeg, Sekh et al. 2021: radius 50–300 nm for epifluorescence, up to
/// 600 nm for Airyscan). Exact area 4πR² and volume 4πR³/3; surface samples are exactly uniform
/// (Archimedes' hat-box theorem: the axial coordinate is uniform).
/// </summary>
public sealed class SphereShape : IShape
{
    /// <summary>Creates the ball with centre <paramref name="center"/> (nm) and radius <paramref name="radiusNm"/> &gt; 0.</summary>
    public SphereShape(Vec3 center, double radiusNm)
    {
        Guard.Finite(center.X);
        Guard.Finite(center.Y);
        Guard.Finite(center.Z);
        Guard.Positive(radiusNm);
        Center = center;
        RadiusNm = radiusNm;
    }

    /// <summary>Centre (nm).</summary>
    public Vec3 Center { get; }

    /// <summary>Radius (nm).</summary>
    public double RadiusNm { get; }

    /// <inheritdoc/>
    public double SurfaceArea => 4 * Math.PI * RadiusNm * RadiusNm;

    /// <inheritdoc/>
    public double Volume => 4.0 / 3.0 * Math.PI * RadiusNm * RadiusNm * RadiusNm;

    /// <inheritdoc/>
    public Vec3 BoundsMin => Center - new Vec3(RadiusNm, RadiusNm, RadiusNm);

    /// <inheritdoc/>
    public Vec3 BoundsMax => Center + new Vec3(RadiusNm, RadiusNm, RadiusNm);

    /// <inheritdoc/>
    public Vec3 SampleSurface(Rng rng)
    {
        double z = 2 * rng.NextDouble() - 1;
        double x, y, q;
        do
        {
            x = 2 * rng.NextDouble() - 1;
            y = 2 * rng.NextDouble() - 1;
            q = x * x + y * y;
        } while (q > 1 || q < 1e-12);
        double f = Math.Sqrt((1 - z * z) / q);
        return new Vec3(Center.X + RadiusNm * x * f, Center.Y + RadiusNm * y * f, Center.Z + RadiusNm * z);
    }

    /// <inheritdoc/>
    public bool Contains(Vec3 point) => (point - Center).LengthSquared <= RadiusNm * RadiusNm;
}
