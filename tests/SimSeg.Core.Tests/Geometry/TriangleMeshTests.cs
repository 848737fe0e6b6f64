using SimSeg.Core.Geometry;

namespace SimSeg.Core.Tests.Geometry;

public class TriangleMeshTests
{
    [Fact]
    public void SurfaceAreaAndVolume_UnitCube_AreSixAndOne()
    {
        TriangleMesh cube = TestMeshes.UnitCube();
        Assert.Equal(6.0, cube.SurfaceArea, 12);
        Assert.Equal(1.0, cube.Volume, 12);
        Assert.Equal(new Vec3(0.5, 0.5, 0.5), Round(cube.Centroid));
        Assert.Equal(Vec3.Zero, cube.BoundsMin);
        Assert.Equal(new Vec3(1, 1, 1), cube.BoundsMax);
        Assert.True(cube.IsClosedManifold());
    }

    [Fact]
    public void Volume_InvertedOrientation_IsNegative()
    {
        TriangleMesh cube = TestMeshes.UnitCube();
        int[] flipped = cube.Triangles.ToArray();
        for (int i = 0; i < flipped.Length; i += 3) (flipped[i + 1], flipped[i + 2]) = (flipped[i + 2], flipped[i + 1]);
        var inverted = new TriangleMesh(cube.Vertices, flipped);
        Assert.Equal(-1.0, inverted.Volume, 12);
        Assert.True(inverted.IsClosedManifold());
    }

    [Fact]
    public void IsClosedManifold_OpenOrInconsistentMesh_IsFalse()
    {
        TriangleMesh cube = TestMeshes.UnitCube();
        var open = new TriangleMesh(cube.Vertices, cube.Triangles[..^3]);
        Assert.False(open.IsClosedManifold());
        int[] oneFlipped = cube.Triangles.ToArray();
        (oneFlipped[1], oneFlipped[2]) = (oneFlipped[2], oneFlipped[1]);
        Assert.False(new TriangleMesh(cube.Vertices, oneFlipped).IsClosedManifold());
    }

    [Fact]
    public void Transformed_RotationTranslationScale_KeepsAreaScaledAndMovesCentroid()
    {
        TriangleMesh cube = TestMeshes.UnitCube();
        Mat3 r = Mat3.Euler(0.3, -1.1, 2.0);
        var t = new Vec3(10, -5, 3);
        TriangleMesh moved = cube.Transformed(r, t, 2.0);
        Assert.Equal(24.0, moved.SurfaceArea, 9);
        Assert.Equal(8.0, moved.Volume, 9);
        Vec3 expected = r * new Vec3(1, 1, 1) + t;
        Assert.True(Vec3.Distance(expected, moved.Centroid) < 1e-9);
        Assert.True(moved.IsClosedManifold());
    }

    [Fact]
    public void Constructor_IndexOutOfRange_ThrowsNamingTriangle()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TriangleMesh([Vec3.Zero, Vec3.UnitX, Vec3.UnitY], [0, 1, 3]));
        Assert.Contains("triangle 0", ex.Message);
        Assert.Throws<ArgumentException>(() => new TriangleMesh([Vec3.Zero], []));
        Assert.Throws<ArgumentException>(() => new TriangleMesh([Vec3.Zero, Vec3.UnitX, Vec3.UnitY], [0, 1]));
    }

    private static Vec3 Round(Vec3 v) => new(Math.Round(v.X, 12), Math.Round(v.Y, 12), Math.Round(v.Z, 12));
}
