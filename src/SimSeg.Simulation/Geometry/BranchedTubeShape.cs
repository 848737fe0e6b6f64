using SimSeg.Core;
using SimSeg.Core.Geometry;
using SimSeg.Core.Randomness;

namespace SimSeg.Simulation.Geometry;

/// <summary>
/// A branched mitochondrion: the union of several tubes of one radius R, typically a main centreline plus one
/// or two branches starting at points on it (Y-junctions), as in the network class of PhySeg's morphology
/// analysis (Sekh et al., Nat. Mach. Intell. 2021). Same union semantics and estimates as
/// <see cref="TubeShape"/>: inside means within R of any centreline; the area is a fixed-seed Monte Carlo
/// estimate consistent with <see cref="SampleSurface"/>.
/// </summary>
public sealed class BranchedTubeShape : IShape, ICapsuleBody
{
    private readonly CapsuleNetwork _body;
    private readonly Vec3[][] _centerlines;

    /// <summary>
    /// Creates the network from <paramref name="centerlines"/> (nm; at least one, each with at least 2
    /// distinct points; by convention the first is the main branch) with radius <paramref name="radiusNm"/> &gt; 0.
    /// </summary>
    public BranchedTubeShape(IReadOnlyList<IReadOnlyList<Vec3>> centerlines, double radiusNm)
    {
        ArgumentNullException.ThrowIfNull(centerlines);
        Guard.Positive(radiusNm);
        if (centerlines.Count == 0) throw new ArgumentException("centerlines must hold at least one polyline, got none.", nameof(centerlines));
        _centerlines = new Vec3[centerlines.Count][];
        for (int i = 0; i < centerlines.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(centerlines[i], $"centerlines[{i}]");
            _centerlines[i] = [.. centerlines[i]];
        }
        _body = new CapsuleNetwork(_centerlines, radiusNm);
    }

    /// <summary>The centreline polylines (nm); the first is the main branch.</summary>
    public IReadOnlyList<IReadOnlyList<Vec3>> Centerlines => _centerlines;

    /// <summary>Tube radius R (nm).</summary>
    public double RadiusNm => _body.Radius;

    /// <summary>Summed length of all centreline polylines (nm).</summary>
    public double CenterlineLengthNm => _body.CenterlineLength;

    /// <inheritdoc/>
    public double SurfaceArea => _body.SurfaceArea;

    CapsuleNetwork ICapsuleBody.Body => _body;

    /// <inheritdoc/>
    public double Volume => _body.Volume;

    /// <inheritdoc/>
    public Vec3 BoundsMin => _body.BoundsMin;

    /// <inheritdoc/>
    public Vec3 BoundsMax => _body.BoundsMax;

    /// <summary>A point drawn area-uniformly from the surface of the union of all tubes.</summary>
    public Vec3 SampleSurface(Rng rng) => _body.SampleSurface(rng);

    /// <summary>True when <paramref name="point"/> is within R of any centreline.</summary>
    public bool Contains(Vec3 point) => _body.Contains(point);

    /// <summary>Distance (nm) from <paramref name="point"/> to the nearest centreline (brute force).</summary>
    public double DistanceToCenterline(Vec3 point) => _body.DistanceToCenterline(point);
}
