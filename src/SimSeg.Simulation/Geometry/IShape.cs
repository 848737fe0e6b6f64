using SimSeg.Core.Geometry;
using SimSeg.Core.Randomness;

namespace SimSeg.Simulation.Geometry;

/// <summary>
/// A closed 3D body in the sample frame (nanometres) that fluorophores can label: on its surface (outer
/// membrane) or in its volume.
/// </summary>
public interface IShape
{
    /// <summary>Surface area in nm².</summary>
    double SurfaceArea { get; }

    /// <summary>Enclosed volume in nm³.</summary>
    double Volume { get; }

    /// <summary>Axis-aligned bounding box minimum corner (nm).</summary>
    Vec3 BoundsMin { get; }

    /// <summary>Axis-aligned bounding box maximum corner (nm).</summary>
    Vec3 BoundsMax { get; }

    /// <summary>A point drawn area-uniformly from the surface.</summary>
    Vec3 SampleSurface(Rng rng);

    /// <summary>True when <paramref name="point"/> lies inside the body.</summary>
    bool Contains(Vec3 point);
}
