using SimSeg.Core.Geometry;

namespace SimSeg.Core.Tests.Geometry;

internal static class TestMeshes
{
    /// <summary>The unit cube [0,1]³, 12 outward-oriented triangles.</summary>
    public static TriangleMesh UnitCube()
    {
        Vec3[] v =
        [
            new(0, 0, 0), new(1, 0, 0), new(1, 1, 0), new(0, 1, 0),
            new(0, 0, 1), new(1, 0, 1), new(1, 1, 1), new(0, 1, 1),
        ];
        int[] t =
        [
            0, 2, 1, 0, 3, 2, // bottom (z=0), normal -z
            4, 5, 6, 4, 6, 7, // top (z=1), normal +z
            0, 1, 5, 0, 5, 4, // y=0, normal -y
            2, 3, 7, 2, 7, 6, // y=1, normal +y
            1, 2, 6, 1, 6, 5, // x=1, normal +x
            3, 0, 4, 3, 4, 7, // x=0, normal -x
        ];
        return new TriangleMesh(v, t);
    }
}
