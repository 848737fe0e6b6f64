using SimSeg.Core;
using SimSeg.Core.Geometry;

namespace SimSeg.Shapes.Sampling;

/// <summary>
/// Maps between normalised (unit-cube) and physical coordinates: physical = normalised·<see cref="Scale"/> +
/// <see cref="Offset"/>. This is the (loc, scale) pair Occupancy Networks (Mescheder et al. 2019) store with every
/// shape, with loc = Offset.
/// </summary>
/// <param name="Scale">Physical length (e.g. nm) of one normalised unit, &gt; 0.</param>
/// <param name="Offset">Physical position of the normalised origin: the centre of the mesh's bounding box.</param>
public readonly record struct UnitCubeTransform(double Scale, Vec3 Offset)
{
    /// <summary>normalised·Scale + Offset.</summary>
    public Vec3 ToPhysical(Vec3 normalised) => normalised * Scale + Offset;

    /// <summary>(physical − Offset) / Scale.</summary>
    public Vec3 ToNormalised(Vec3 physical) => (physical - Offset) / Scale;
}

/// <summary>Isotropic normalisation of shapes to the unit cube centred at the origin (Occupancy Networks' convention).</summary>
public static class UnitCube
{
    /// <summary>
    /// Moves the centre of the mesh's axis-aligned bounding box to the origin and scales it isotropically so that
    /// its longest side becomes 1 − <paramref name="boxPadding"/>: with the default 0 every coordinate lies in
    /// [−0.5, 0.5] and the longest side spans it (Occupancy Networks' sample_mesh: loc = bbox centre,
    /// scale = longest side / (1 − bbox_padding)). Orientation and triangle order are kept.
    /// </summary>
    /// <param name="mesh">Mesh in physical units; its bounding box must have a positive longest side.</param>
    /// <param name="boxPadding">Fraction of the unit cube left empty along the longest side, in [0, 1).</param>
    /// <returns>The normalised mesh and the transform back to physical units.</returns>
    public static (TriangleMesh Mesh, UnitCubeTransform Transform) Normalize(TriangleMesh mesh, double boxPadding = 0)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        if (!(boxPadding >= 0 && boxPadding < 1))
            throw new ArgumentOutOfRangeException(nameof(boxPadding), boxPadding, $"boxPadding must be in [0, 1), got {boxPadding}.");
        Vec3 size = mesh.BoundsMax - mesh.BoundsMin;
        double longest = Math.Max(size.X, Math.Max(size.Y, size.Z));
        if (!(longest > 0))
            throw new ArgumentException("mesh has an empty bounding box (all vertices coincide); it cannot be normalised.", nameof(mesh));
        var transform = new UnitCubeTransform(longest / (1 - boxPadding), 0.5 * (mesh.BoundsMin + mesh.BoundsMax));
        Guard.Positive(transform.Scale);
        TriangleMesh normalised = mesh.Transformed(Mat3.Identity, -transform.Offset / transform.Scale, 1 / transform.Scale);
        return (normalised, transform);
    }
}
