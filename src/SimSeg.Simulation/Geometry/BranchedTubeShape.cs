using SimSeg.Core;
using SimSeg.Core.Geometry;
using SimSeg.Core.Randomness;

namespace SimSeg.Simulation.Geometry;

/// <summary>
/// A branched mitochondrion: the union of several tubes of one radius R, typically a main centreline plus one
/// or two branches starting at points on it (Y-junctions), as in the network class of PhySeg's morphology
/// analysis (Sekh et al., Nat. Mach. Intell. 2021). Same union semantics and estimates as
/// <see cref="TubeShape"/>: inside means within R of any centreline; the area is a fixed-seed Monte Carlo
/// estimate consistent with <see cref="CapsuleShape.SampleSurface"/>.
/// </summary>
public sealed class BranchedTubeShape : CapsuleShape
{
    private readonly Vec3[][] _centerlines;

    /// <summary>
    /// Creates the network from <paramref name="centerlines"/> (nm; at least one, each with at least 2
    /// distinct points; by convention the first is the main branch) with radius <paramref name="radiusNm"/> &gt; 0.
    /// </summary>
    public BranchedTubeShape(IReadOnlyList<IReadOnlyList<Vec3>> centerlines, double radiusNm)
        : this(Copy(centerlines, radiusNm), radiusNm)
    {
    }

    private BranchedTubeShape(Vec3[][] centerlines, double radiusNm)
        : base(new CapsuleNetwork(centerlines, radiusNm)) => _centerlines = centerlines;

    private static Vec3[][] Copy(IReadOnlyList<IReadOnlyList<Vec3>> centerlines, double radiusNm)
    {
        ArgumentNullException.ThrowIfNull(centerlines);
        Guard.Positive(radiusNm);
        if (centerlines.Count == 0) throw new ArgumentException("centerlines must hold at least one polyline, got none.", nameof(centerlines));
        var copy = new Vec3[centerlines.Count][];
        for (int i = 0; i < centerlines.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(centerlines[i], $"centerlines[{i}]");
            copy[i] = [.. centerlines[i]];
        }
        return copy;
    }

    /// <summary>The centreline polylines (nm); the first is the main branch.</summary>
    public IReadOnlyList<IReadOnlyList<Vec3>> Centerlines => _centerlines;
}
