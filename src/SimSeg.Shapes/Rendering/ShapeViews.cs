using SimSeg.Core.Geometry;
using SimSeg.Core.Randomness;

namespace SimSeg.Shapes.Rendering;

/// <summary>Orientations under which a library shape is imaged.</summary>
public static class ShapeViews
{
    /// <summary>
    /// The six views of 3DMSL (Punnakkal et al.): identity, 180° about x, 180° about y, 90° about x, 90° about y
    /// and 90° about z, with their names.
    /// </summary>
    public static IReadOnlyList<(string Name, Mat3 Rotation)> Standard { get; } =
    [
        ("identity", Mat3.Identity),
        ("x180", Mat3.RotationX(Math.PI)),
        ("y180", Mat3.RotationY(Math.PI)),
        ("x90", Mat3.RotationX(Math.PI / 2)),
        ("y90", Mat3.RotationY(Math.PI / 2)),
        ("z90", Mat3.RotationZ(Math.PI / 2)),
    ];

    /// <summary>
    /// A rotation drawn uniformly from SO(3) (Shoemake's uniform random unit quaternion, Graphics Gems III 1992),
    /// unlike uniform Euler angles, which crowd around the poles.
    /// </summary>
    public static Mat3 RandomRotation(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        double u1 = rng.NextDouble(), u2 = 2 * Math.PI * rng.NextDouble(), u3 = 2 * Math.PI * rng.NextDouble();
        double a = Math.Sqrt(1 - u1), b = Math.Sqrt(u1);
        double w = a * Math.Sin(u2), x = a * Math.Cos(u2), y = b * Math.Sin(u3), z = b * Math.Cos(u3);
        return new Mat3(
            1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
            2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
            2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y));
    }
}
