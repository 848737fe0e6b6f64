using SimSeg.Core;
using SimSeg.Core.Geometry;
using SimSeg.Core.IO;
using SimSeg.Core.Randomness;

namespace SimSeg.Shapes.Sampling;

/// <summary>
/// Occupancy samples for implicit shape models (Occupancy Networks, Mescheder et al. 2019; 3DMSL): points drawn
/// uniformly in a box around the normalised shape, each labelled inside or outside.
/// </summary>
public static class OccupancySampler
{
    /// <summary>
    /// Draws <paramref name="count"/> points uniformly in the cube [−(1 + padding)/2, (1 + padding)/2]³ (Occupancy
    /// Networks' sample_mesh: box size 1 + points_padding, so the default 0.1 spans [−0.55, 0.55]) and labels each by
    /// <see cref="PointInMesh"/> (true = inside). Coordinates are rounded to float32 before the test, so the labels
    /// hold for the stored points. The same <paramref name="rng"/> state gives the same samples.
    /// </summary>
    /// <param name="normalisedMesh">Closed manifold mesh in unit-cube units (see <see cref="UnitCube.Normalize"/>).</param>
    /// <param name="count">Number of points, ≥ 0 (3DMSL: 10,000; Occupancy Networks: 100,000).</param>
    /// <param name="rng">Random source, advanced by 3·count draws.</param>
    /// <param name="padding">Extra box size beyond the unit cube, ≥ 0.</param>
    /// <returns>Points as count×3 row-major floats and one occupancy per point.</returns>
    public static (float[] Points, bool[] Occupancies) Sample(TriangleMesh normalisedMesh, int count, Rng rng, double padding = 0.1)
    {
        ArgumentNullException.ThrowIfNull(normalisedMesh);
        ArgumentNullException.ThrowIfNull(rng);
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be >= 0, got {count}.");
        Guard.NonNegative(padding);
        var test = new PointInMesh(normalisedMesh);
        double half = 0.5 * (1 + padding);
        var points = new float[3 * count];
        for (int i = 0; i < points.Length; i++) points[i] = (float)rng.Uniform(-half, half);
        var occupancies = new bool[count];
        test.Contains(points, occupancies);
        return (points, occupancies);
    }

    /// <summary>
    /// Writes an Occupancy-Networks-style points.npz atomically: "points" (float32 [N, 3]) and "occupancies" as
    /// plain numpy bool ('|b1', [N]) — not bit-packed as Occupancy Networks store them, so
    /// <c>np.load(path)["occupancies"]</c> needs no <c>np.unpackbits</c>. With a <paramref name="transform"/>, also
    /// "loc" (float32 [3], the offset) and "scale" (float32 scalar), as Occupancy Networks store them.
    /// </summary>
    /// <param name="path">Destination, conventionally ending in ".npz"; its folder must exist.</param>
    /// <param name="points">3·N coordinates.</param>
    /// <param name="occupancies">N labels.</param>
    /// <param name="transform">The normalisation of the shape, if it should be stored.</param>
    public static void WriteNpz(string path, float[] points, bool[] occupancies, UnitCubeTransform? transform = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(occupancies);
        if (points.Length != 3 * occupancies.Length)
            throw new ArgumentException($"points must hold 3 coordinates per occupancy (3·{occupancies.Length}), got {points.Length}.", nameof(points));
        var arrays = new Dictionary<string, NpyArray>
        {
            ["points"] = NpyArray.Create([occupancies.Length, 3], points),
            ["occupancies"] = NpyArray.Create([occupancies.Length], occupancies),
        };
        if (transform is { } t)
        {
            Vec3 loc = t.Offset;
            arrays["loc"] = NpyArray.Create([3], new[] { (float)loc.X, (float)loc.Y, (float)loc.Z });
            arrays["scale"] = NpyArray.Create(ReadOnlySpan<int>.Empty, new[] { (float)t.Scale });
        }
        NpzWriter.Write(path, arrays);
    }
}
