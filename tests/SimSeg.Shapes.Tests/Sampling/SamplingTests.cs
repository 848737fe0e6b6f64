using System.Buffers.Binary;
using System.Text;
using SimSeg.Core.Geometry;
using SimSeg.Core.Imaging;
using SimSeg.Core.IO;
using SimSeg.Core.Randomness;
using SimSeg.Shapes.Meshing;
using SimSeg.Shapes.Sampling;
using SimSeg.Shapes.Tests.Meshing;

namespace SimSeg.Shapes.Tests.Sampling;

public class SamplingTests
{
    private const double Radius = 24; // voxels of 16 nm

    // A sphere of radius 24 voxels in physical units (nm) and normalised to the unit cube (radius 0.5).
    private static readonly Lazy<TriangleMesh> s_sphere = new(() =>
        MarchingCubes.Extract(TestVolumes.SphereField(64, Radius, 31.5, 31.5, 31.5), 0, new Calibration(16, 16, 16)));

    private static readonly Lazy<(TriangleMesh Mesh, UnitCubeTransform Transform)> s_unitSphere = new(() => UnitCube.Normalize(s_sphere.Value));

    [Fact]
    public void Normalize_Sphere_LongestSideOneCentredAtOrigin()
    {
        var (mesh, transform) = s_unitSphere.Value;
        Vec3 size = mesh.BoundsMax - mesh.BoundsMin;
        Assert.Equal(1, Math.Max(size.X, Math.Max(size.Y, size.Z)), 12);
        Assert.Equal(0, (mesh.BoundsMin + mesh.BoundsMax).Length, 12);
        Assert.Equal(31.5 * 16, transform.Offset.X, 6);
        Assert.InRange(transform.Scale, 2 * Radius * 16 * 0.99, 2 * Radius * 16 * 1.01);
        Assert.True(mesh.IsClosedManifold());
        Assert.Equal(s_sphere.Value.Volume / Math.Pow(transform.Scale, 3), mesh.Volume, 9);
        for (int i = 0; i < mesh.VertexCount; i += 97)
        {
            Vec3 back = transform.ToPhysical(mesh.Vertices[i]);
            Assert.Equal(0, (back - s_sphere.Value.Vertices[i]).Length, 6);
            Assert.Equal(0, (transform.ToNormalised(back) - mesh.Vertices[i]).Length, 9);
        }
    }

    [Fact]
    public void Normalize_BoxPadding_ShrinksLongestSide()
    {
        var (mesh, _) = UnitCube.Normalize(s_sphere.Value, boxPadding: 0.1);
        Assert.Equal(0.9, mesh.BoundsMax.X - mesh.BoundsMin.X, 2);
    }

    [Fact]
    public void PointCloud_Sphere_PointsOnSurfaceWithOutwardNormals()
    {
        var (mesh, _) = s_unitSphere.Value;
        var (points, normals) = PointCloudSampler.Sample(mesh, 2000, new Rng(20240501));
        Assert.Equal(2000, points.Length);
        double r = 0.5 * (mesh.BoundsMax.X - mesh.BoundsMin.X);
        int upper = 0;
        for (int i = 0; i < points.Length; i++)
        {
            Assert.InRange(points[i].Length, r * 0.995, r * 1.001);
            Assert.Equal(1, normals[i].Length, 9);
            Assert.True(Vec3.Dot(normals[i], points[i].Normalized()) > 0.9);
            if (points[i].Z > 0) upper++;
        }
        Assert.InRange(upper / 2000.0, 0.45, 0.55);
    }

    [Fact]
    public void PointCloud_TwoTriangles_AreaUniform()
    {
        // Areas 0.5 and 1.5: a quarter of the points on the first.
        Vec3[] v = [new(0, 0, 0), new(1, 0, 0), new(0, 1, 0), new(10, 0, 0), new(13, 0, 0), new(10, 1, 0)];
        var mesh = new TriangleMesh(v, [0, 1, 2, 3, 4, 5]);
        var (points, _) = PointCloudSampler.Sample(mesh, 20000, new Rng(7));
        double first = points.Count(p => p.X < 5) / 20000.0;
        Assert.InRange(first, 0.24, 0.26);
    }

    [Fact]
    public void PointCloud_SameSeed_SameBytes_NoiseHasRequestedSigma()
    {
        var (mesh, _) = s_unitSphere.Value;
        var (a, _) = PointCloudSampler.Sample(mesh, 300, new Rng(11), noiseSigma: 0.05);
        var (b, _) = PointCloudSampler.Sample(mesh, 300, new Rng(11), noiseSigma: 0.05);
        Assert.Equal(a, b);
        var (noisy, _) = PointCloudSampler.Sample(mesh, 20000, new Rng(12), noiseSigma: 0.05);
        double r = 0.5 * (mesh.BoundsMax.X - mesh.BoundsMin.X);
        // Radial deviation of a point with isotropic noise σ has standard deviation ≈ σ.
        double sd = Math.Sqrt(noisy.Average(p => (p.Length - r) * (p.Length - r)));
        Assert.InRange(sd, 0.047, 0.054);
    }

    [Fact]
    public void WritePly_RoundTripsHeaderAndValues()
    {
        string path = Path.Combine(Path.GetTempPath(), $"simseg-pc-{Guid.NewGuid():N}.ply");
        try
        {
            Vec3[] points = [new(1, 2, 3), new(-0.5, 0.25, 0)];
            Vec3[] normals = [Vec3.UnitX, Vec3.UnitZ];
            PointCloudSampler.WritePly(path, points, normals);
            byte[] bytes = File.ReadAllBytes(path);
            string text = Encoding.ASCII.GetString(bytes);
            int bodyStart = text.IndexOf("end_header\n", StringComparison.Ordinal) + "end_header\n".Length;
            Assert.StartsWith("ply\nformat binary_little_endian 1.0\n", text);
            Assert.Contains("element vertex 2\n", text);
            Assert.Contains("property float nz\n", text);
            Assert.Equal(bodyStart + 2 * 24, bytes.Length);
            Assert.Equal(-0.5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(bodyStart + 24)));
            Assert.Equal(1f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(bodyStart + 24 + 20)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Occupancy_Sphere_InsideFractionMatchesVolumeFraction()
    {
        var (mesh, _) = s_unitSphere.Value;
        var (points, occupancies) = OccupancySampler.Sample(mesh, 20000, new Rng(3));
        Assert.Equal(60000, points.Length);
        Assert.All(points, c => Assert.InRange(c, -0.55f, 0.55f));
        double expected = mesh.Volume / Math.Pow(1.1, 3);
        Assert.InRange(occupancies.Count(o => o) / 20000.0, expected - 0.015, expected + 0.015);
    }

    [Fact]
    public void Occupancy_PointsNearSurface_AgreeWithAnalyticSphere()
    {
        var (mesh, _) = s_unitSphere.Value;
        double r = 0.5 * (mesh.BoundsMax.X - mesh.BoundsMin.X);
        var rng = new Rng(5);
        var test = new PointInMesh(mesh);
        int checkedPoints = 0;
        for (int i = 0; i < 20000; i++)
        {
            // Points in a thin shell around the surface, from 0.3 % to 3 % of the radius away from it.
            Vec3 direction = new Vec3(rng.NextGaussian(), rng.NextGaussian(), rng.NextGaussian()).Normalized();
            double offset = (rng.NextDouble() < 0.5 ? -1 : 1) * r * rng.Uniform(0.003, 0.03);
            Vec3 p = direction * (r + offset);
            Assert.Equal(offset < 0, test.Contains(p));
            checkedPoints++;
        }
        Assert.Equal(20000, checkedPoints);
    }

    [Fact]
    public void PointInMesh_GridMatchesNaive_IncludingRaysThroughVertices()
    {
        var (mesh, _) = UnitCube.Normalize(MarchingCubes.Extract(TestVolumes.SphereField(20, 8, 9.5, 9.5, 9.3), 0, new Calibration(1, 1, 1)));
        var test = new PointInMesh(mesh);
        var rng = new Rng(9);
        for (int i = 0; i < 2000; i++)
        {
            // Half the queries sit exactly above or below a vertex, so their rays pass through it.
            Vec3 p = i % 2 == 0
                ? new Vec3(rng.Uniform(-0.6, 0.6), rng.Uniform(-0.6, 0.6), rng.Uniform(-0.6, 0.6))
                : mesh.Vertices[rng.NextInt(mesh.VertexCount)] with { Z = rng.Uniform(-0.6, 0.6) };
            int winding = test.WindingNumber(p);
            Assert.Equal(test.WindingNumberNaive(p), winding);
            Assert.InRange(winding, 0, 1);
        }
    }

    [Fact]
    public void PointInMesh_BlockyMaskOnLatticePoints_CountsEachRayOnce()
    {
        // Without presmoothing the mask surface has many axis-aligned edges and vertices sharing x and y, so
        // rays from lattice points graze edges and vertices exactly.
        var mask = new Image<byte>(9, 9, 9);
        var rng = new Rng(21);
        for (int z = 2; z < 7; z++)
            for (int y = 2; y < 7; y++)
                for (int x = 2; x < 7; x++)
                    mask[x, y, z] = rng.NextDouble() < 0.7 ? (byte)1 : (byte)0;
        mask[4, 4, 4] = 1;
        TriangleMesh mesh = MarchingCubes.FromMask(mask, new Calibration(1, 1, 1), 0);
        var test = new PointInMesh(mesh);
        for (double z = -1; z <= 9; z += 0.25)
            for (double y = -1; y <= 9; y += 0.25)
                for (double x = -1; x <= 9; x += 0.25)
                {
                    var p = new Vec3(x, y, z);
                    int winding = test.WindingNumber(p);
                    Assert.InRange(winding, 0, 1);
                    if (x == Math.Round(x) && y == Math.Round(y) && z == Math.Round(z) && x is >= 0 and < 9 && y is >= 0 and < 9 && z is >= 0 and < 9)
                        Assert.Equal(mask[(int)x, (int)y, (int)z] != 0, winding == 1); // voxel centres
                }
    }

    [Fact]
    public void Occupancy_SameSeed_SameSamples()
    {
        var (mesh, _) = s_unitSphere.Value;
        var a = OccupancySampler.Sample(mesh, 5000, new Rng(1), 0.1);
        var b = OccupancySampler.Sample(mesh, 5000, new Rng(1), 0.1);
        Assert.Equal(a.Points, b.Points);
        Assert.Equal(a.Occupancies, b.Occupancies);
    }

    [Fact]
    public void WriteNpz_StoresFloatPointsBoolOccupanciesAndTransform()
    {
        string path = Path.Combine(Path.GetTempPath(), $"simseg-occ-{Guid.NewGuid():N}.npz");
        try
        {
            var (mesh, transform) = s_unitSphere.Value;
            var (points, occupancies) = OccupancySampler.Sample(mesh, 100, new Rng(2));
            OccupancySampler.WriteNpz(path, points, occupancies, transform);
            var arrays = NpzReader.Read(path);
            Assert.Equal([100, 3], arrays["points"].Shape);
            Assert.Equal("<f4", arrays["points"].Descriptor);
            Assert.Equal(points, arrays["points"].ToArray<float>());
            Assert.Equal("|b1", arrays["occupancies"].Descriptor);
            Assert.Equal(occupancies, arrays["occupancies"].ToArray<bool>());
            Assert.Empty(arrays["scale"].Shape);
            Assert.Equal((float)transform.Scale, arrays["scale"].ToArray<float>()[0]);
            Assert.Equal((float)transform.Offset.Y, arrays["loc"].ToArray<float>()[1]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void PointInMesh_OpenMesh_Throws()
    {
        var open = new TriangleMesh([new Vec3(0, 0, 0), new Vec3(1, 0, 0), new Vec3(0, 1, 0)], [0, 1, 2]);
        Assert.Throws<ArgumentException>(() => new PointInMesh(open));
        Assert.Throws<ArgumentException>(() => OccupancySampler.Sample(open, 10, new Rng(1)));
    }
}
