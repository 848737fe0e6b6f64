using System.Buffers.Binary;
using System.Text;
using SimSeg.Core.Geometry;

namespace SimSeg.Core.Tests.Geometry;

public sealed class MeshIOTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "simseg-meshio-" + Guid.NewGuid().ToString("N"));

    public MeshIOTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private static void AssertSame(TriangleMesh expected, TriangleMesh actual)
    {
        Assert.Equal(expected.Vertices.ToArray(), actual.Vertices.ToArray());
        Assert.Equal(expected.Triangles.ToArray(), actual.Triangles.ToArray());
    }

    private static TriangleMesh OddCube() =>
        TestMeshes.UnitCube().Transformed(Mat3.Euler(0.1, 0.2, 0.3), new Vec3(0.1, 1.0 / 3, -7), Math.PI);

    [Theory]
    [InlineData("cube.off", true)]
    [InlineData("cube.obj", true)]
    [InlineData("cube.ply", true)]
    [InlineData("cube.PLY", false)]
    public void WriteThenRead_AnyFormat_RoundTripsExactly(string name, bool binary)
    {
        TriangleMesh mesh = OddCube();
        MeshIO.Write(P(name), mesh, binary);
        TriangleMesh back = MeshIO.Read(P(name));
        AssertSame(mesh, back);
        Assert.Single(Directory.GetFiles(_dir)); // no temporary left behind
    }

    [Fact]
    public void Read_UnitCubeOff_HasAreaSixAndVolumeOne()
    {
        MeshIO.Write(P("c.off"), TestMeshes.UnitCube());
        TriangleMesh m = MeshIO.Read(P("c.off"));
        Assert.Equal(6, m.SurfaceArea, 12);
        Assert.Equal(1, m.Volume, 12);
    }

    [Fact]
    public void Read_ObjWithQuadsNegativeIndicesAndExtras_TriangulatesFans()
    {
        File.WriteAllText(P("q.obj"), """
            # a unit square and a triangle
            mtllib x.mtl
            v 0 0 0
            v 1 0 0
            v 1 1 0
            v 0 1 0
            vt 0 0
            vn 0 0 1
            f 1/1/1 2/1/1 3/1/1 4/1/1
            v 0 0 1
            f -1 -5 -4
            """);
        TriangleMesh m = MeshIO.Read(P("q.obj"));
        Assert.Equal(3, m.TriangleCount);
        Assert.Equal(new[] { 0, 1, 2, 0, 2, 3, 4, 0, 1 }, m.Triangles.ToArray());
        Assert.Equal(1.5, m.SurfaceArea, 12);
    }

    [Fact]
    public void Read_OffWithCommentsAndPolygon_Parses()
    {
        File.WriteAllText(P("p.off"), "OFF # header\n# comment\n4 1 0\n0 0 0\n1 0 0\n1 1 0\n0 1 0\n4 0 1 2 3 255 0 0\n");
        TriangleMesh m = MeshIO.Read(P("p.off"));
        Assert.Equal(2, m.TriangleCount);
        Assert.Equal(1.0, m.SurfaceArea, 12);
    }

    [Fact]
    public void Read_BigEndianPlyWithFloatsAndExtraProperties_Parses()
    {
        TriangleMesh cube = TestMeshes.UnitCube();
        var ms = new MemoryStream();
        string header = "ply\nformat binary_big_endian 1.0\nelement vertex 8\nproperty float x\nproperty float y\n" +
                        "property float z\nproperty uchar red\nelement face 12\nproperty list uchar int vertex_indices\n" +
                        "property list uchar float texcoord\nelement edge 1\nproperty int vertex1\nproperty int vertex2\nend_header\n";
        ms.Write(Encoding.ASCII.GetBytes(header));
        Span<byte> b = stackalloc byte[4];
        foreach (Vec3 v in cube.Vertices)
        {
            foreach (double c in new[] { v.X, v.Y, v.Z })
            {
                BinaryPrimitives.WriteSingleBigEndian(b, (float)c);
                ms.Write(b);
            }
            ms.WriteByte(200);
        }
        ReadOnlySpan<int> t = cube.Triangles;
        for (int i = 0; i < t.Length; i += 3)
        {
            ms.WriteByte(3);
            for (int k = 0; k < 3; k++)
            {
                BinaryPrimitives.WriteInt32BigEndian(b, t[i + k]);
                ms.Write(b);
            }
            ms.WriteByte(1);
            BinaryPrimitives.WriteSingleBigEndian(b, 0.5f);
            ms.Write(b);
        }
        for (int k = 0; k < 2; k++)
        {
            BinaryPrimitives.WriteInt32BigEndian(b, k);
            ms.Write(b);
        }
        File.WriteAllBytes(P("be.ply"), ms.ToArray());
        AssertSame(cube, MeshIO.Read(P("be.ply")));
    }

    [Fact]
    public void Read_AsciiPlyWithUcharIndices_Parses()
    {
        File.WriteAllText(P("a.ply"), "ply\nformat ascii 1.0\ncomment hi\nelement vertex 3\nproperty double x\nproperty double y\n" +
                                      "property double z\nproperty float nx\nelement face 1\nproperty list uchar uchar vertex_index\nend_header\n" +
                                      "0 0 0 1\n1 0 0 1\n0 1 0 1\n3 0 1 2\n");
        TriangleMesh m = MeshIO.Read(P("a.ply"));
        Assert.Equal(0.5, m.SurfaceArea, 12);
    }

    [Theory]
    [InlineData("m.stl", "solid x", "unknown mesh extension")]
    [InlineData("m.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 7\n", "out of range")]
    [InlineData("m.off", "OFF\n3 1 0\n0 0 0\n1 zero 0\n0 1 0\n3 0 1 2\n", "not a finite number")]
    [InlineData("m.off", "OFF\n3 2 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n", "truncated")]
    [InlineData("m.off", "OFF\n3 0 0\n0 0 0\n1 0 0\n0 1 0\n", "empty")]
    [InlineData("m.obj", "v 0 0 0\nv 1 0 0\nf 1 2 3\n", "out of range")]
    [InlineData("m.obj", "# nothing\n", "empty")]
    [InlineData("m.ply", "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1\n", "truncated")]
    [InlineData("m.ply", "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n3 0 1 9\n", "out of range")]
    [InlineData("m.ply", "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\n", "truncated header")]
    public void Read_BadInput_ThrowsMeshFormatExceptionNamingFileAndProblem(string name, string content, string problem)
    {
        File.WriteAllText(P(name), content);
        var ex = Assert.Throws<MeshFormatException>(() => MeshIO.Read(P(name)));
        Assert.Contains(name, ex.Message);
        Assert.Contains(problem, ex.Message);
        Assert.IsAssignableFrom<IOException>(ex);
    }

    [Fact]
    public void Read_TruncatedBinaryPly_Throws()
    {
        MeshIO.Write(P("t.ply"), TestMeshes.UnitCube());
        byte[] all = File.ReadAllBytes(P("t.ply"));
        File.WriteAllBytes(P("t.ply"), all[..^5]);
        var ex = Assert.Throws<MeshFormatException>(() => MeshIO.Read(P("t.ply")));
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void Write_UnknownExtension_Throws()
    {
        Assert.Throws<MeshFormatException>(() => MeshIO.Write(P("x.stl"), TestMeshes.UnitCube()));
        Assert.Empty(Directory.GetFiles(_dir));
    }
}
