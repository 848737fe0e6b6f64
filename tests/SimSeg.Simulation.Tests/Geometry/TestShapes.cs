using SimSeg.Core.Geometry;

namespace SimSeg.Simulation.Tests.Geometry;

internal static class TestShapes
{
    public static TriangleMesh UnitCube()
    {
        Vec3[] v =
        [
            new(0, 0, 0), new(1, 0, 0), new(1, 1, 0), new(0, 1, 0),
            new(0, 0, 1), new(1, 0, 1), new(1, 1, 1), new(0, 1, 1),
        ];
        int[] t = [0, 2, 1, 0, 3, 2, 4, 5, 6, 4, 6, 7, 0, 1, 5, 0, 5, 4, 2, 3, 7, 2, 7, 6, 1, 2, 6, 1, 6, 5, 3, 0, 4, 3, 4, 7];
        return new TriangleMesh(v, t);
    }

    /// <summary>A straight centreline along x from (0,0,z) to (length,0,z) in n segments.</summary>
    public static Vec3[] Straight(double length, int n, double z = 0)
    {
        var p = new Vec3[n + 1];
        for (int i = 0; i <= n; i++) p[i] = new Vec3(length * i / n, 0, z);
        return p;
    }

    /// <summary>A circular arc of the given radius and sweep (radians) in the xy plane, n segments.</summary>
    public static Vec3[] Arc(double radius, double sweep, int n)
    {
        var p = new Vec3[n + 1];
        for (int i = 0; i <= n; i++)
        {
            double a = sweep * i / n;
            p[i] = new Vec3(radius * Math.Cos(a), radius * Math.Sin(a), 300);
        }
        return p;
    }
}
