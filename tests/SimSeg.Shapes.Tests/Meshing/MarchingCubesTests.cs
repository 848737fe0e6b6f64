using SimSeg.Core.Geometry;
using SimSeg.Core.Imaging;
using SimSeg.Core.Randomness;
using SimSeg.Shapes.Meshing;
using Xunit.Abstractions;

namespace SimSeg.Shapes.Tests.Meshing;

public class MarchingCubesTests(ITestOutputHelper output)
{
    private static readonly Calibration UnitVoxels = new(1, 1, 1);

    [Fact]
    public void Extract_SphereDistanceField_AreaAndVolumeWithinOnePercent()
    {
        const double r = 24;
        var field = TestVolumes.SphereField(64, r, 31.5, 31.5, 31.5);
        TriangleMesh mesh = MarchingCubes.Extract(field, 0, UnitVoxels);

        double areaError = mesh.SurfaceArea / (4 * Math.PI * r * r) - 1;
        double volumeError = mesh.Volume / (4.0 / 3 * Math.PI * r * r * r) - 1;
        output.WriteLine($"sphere SDF: {mesh.VertexCount} vertices, {mesh.TriangleCount} triangles, area error {areaError:P3}, volume error {volumeError:P3}");
        Assert.True(mesh.IsClosedManifold());
        Assert.InRange(areaError, -0.01, 0.01);
        Assert.InRange(volumeError, -0.01, 0.01);
        Assert.Equal(2, MeshTopology.EulerCharacteristic(mesh));
    }

    [Fact]
    public void Extract_AnisotropicVoxels_ScalesVerticesPerAxis()
    {
        var field = TestVolumes.SphereField(32, 10, 15.5, 15.5, 15.5);
        TriangleMesh iso = MarchingCubes.Extract(field, 0, UnitVoxels);
        TriangleMesh aniso = MarchingCubes.Extract(field, 0, new Calibration(8, 16, 24));
        Assert.Equal(iso.VertexCount, aniso.VertexCount);
        for (int i = 0; i < iso.VertexCount; i++)
        {
            Vec3 a = iso.Vertices[i], b = aniso.Vertices[i];
            Assert.Equal(a.X * 8, b.X, 9);
            Assert.Equal(a.Y * 16, b.Y, 9);
            Assert.Equal(a.Z * 24, b.Z, 9);
        }
        Assert.Equal(iso.Volume * 8 * 16 * 24, aniso.Volume, 6);
        Assert.True(aniso.IsClosedManifold());
    }

    [Fact]
    public void Extract_VoxelCentres_MapToIndexTimesSpacing()
    {
        // A single hot voxel at (2, 3, 4): the surface surrounds its centre at (2·sx, 3·sy, 4·sz).
        var field = new Image<float>(6, 7, 8);
        field[2, 3, 4] = 1;
        TriangleMesh mesh = MarchingCubes.Extract(field, 0.5, new Calibration(10, 20, 30));
        Vec3 centre = 0.5 * (mesh.BoundsMin + mesh.BoundsMax);
        Assert.Equal(20, centre.X, 9);
        Assert.Equal(60, centre.Y, 9);
        Assert.Equal(120, centre.Z, 9);
        Assert.True(mesh.IsClosedManifold());
        Assert.True(mesh.Volume > 0);
    }

    [Fact]
    public void Extract_TorusDistanceField_EulerCharacteristicZero()
    {
        var field = TestVolumes.TorusField(48, 14, 5);
        TriangleMesh mesh = MarchingCubes.Extract(field, 0, UnitVoxels);
        Assert.True(mesh.IsClosedManifold());
        Assert.Equal(0, MeshTopology.EulerCharacteristic(mesh));
        double expected = 2 * Math.PI * Math.PI * 14 * 5 * 5;
        Assert.InRange(mesh.Volume / expected, 0.98, 1.02);
    }

    [Fact]
    public void FromMask_Torus_EulerCharacteristicZero()
    {
        var mask = TestVolumes.Threshold(TestVolumes.TorusField(48, 14, 5));
        TriangleMesh mesh = MarchingCubes.FromMask(mask, UnitVoxels);
        Assert.True(mesh.IsClosedManifold());
        Assert.Equal(0, MeshTopology.EulerCharacteristic(mesh));
    }

    [Fact]
    public void FromMask_Cube_ClosedAndOutward()
    {
        var mask = new Image<byte>(12, 12, 12);
        for (int z = 3; z < 9; z++)
            for (int y = 3; y < 9; y++)
                for (int x = 3; x < 9; x++)
                    mask[x, y, z] = 1;
        foreach (double sigma in new[] { 0.0, 1.0 })
        {
            TriangleMesh mesh = MarchingCubes.FromMask(mask, new Calibration(8, 8, 8), sigma);
            Assert.True(mesh.IsClosedManifold());
            Assert.True(mesh.Volume > 0);
            Assert.Equal(2, MeshTopology.EulerCharacteristic(mesh));
            // Faces run half a voxel outside the boundary voxel centres; edges and corners are cut off
            // (chamfered without blur, rounded with it).
            Assert.InRange(mesh.Volume, (sigma == 0 ? 0.85 : 0.65) * 6 * 6 * 6 * 512, 6 * 6 * 6 * 512);
        }
    }

    [Fact]
    public void FromMask_MaskTouchingBorder_StillClosed()
    {
        var mask = new Image<byte>(5, 5, 5);
        Array.Fill(mask.Data, (byte)1);
        TriangleMesh mesh = MarchingCubes.FromMask(mask, UnitVoxels, 0);
        Assert.True(mesh.IsClosedManifold());
        Assert.InRange(mesh.Volume, 0.85 * 125, 125);
    }

    [Fact]
    public void Extract_FieldAboveIsoEverywhere_ClosesAtTheBorder()
    {
        var field = new Image<float>(4, 5, 6);
        Array.Fill(field.Data, 1f);
        TriangleMesh mesh = MarchingCubes.Extract(field, 0, UnitVoxels);
        Assert.True(mesh.IsClosedManifold());
        Assert.Equal(3 * 4 * 5, mesh.Volume, 3); // capped at the outermost samples
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.3)]
    public void Extract_RandomNoise_AlwaysClosedManifold(double density)
    {
        for (ulong seed = 1; seed <= 60; seed++)
        {
            var rng = new Rng(seed);
            int w = 3 + rng.NextInt(8), h = 3 + rng.NextInt(8), d = 3 + rng.NextInt(8);
            var field = new Image<float>(w, h, d);
            for (int i = 0; i < field.Data.Length; i++)
            {
                // A fifth of the samples sit exactly at the iso level (degenerate cases); the rest are jittered 0s and 1s.
                double u = rng.NextDouble();
                field.Data[i] = u < 0.2 ? 0.5f : (u < 0.2 + 0.8 * density ? 1f : 0f) + (float)(0.3 * rng.NextDouble() - 0.15);
            }
            if (!field.Data.Any(v => v > 0.5f)) continue;
            TriangleMesh mesh = MarchingCubes.Extract(field, 0.5, new Calibration(1, 1.5, 2));
            Assert.True(mesh.IsClosedManifold(), $"seed {seed}");
            Assert.True(mesh.Volume > 0, $"seed {seed}");
            Assert.Equal(mesh.VertexCount, mesh.Triangles.ToArray().Distinct().Count()); // no unused vertex
        }
    }

    [Fact]
    public void FromMask_RandomMasks_AlwaysClosedManifold()
    {
        for (ulong seed = 100; seed < 160; seed++)
        {
            var rng = new Rng(seed);
            var mask = new Image<byte>(4 + rng.NextInt(8), 4 + rng.NextInt(8), 4 + rng.NextInt(8));
            double p = 0.2 + 0.6 * rng.NextDouble();
            for (int i = 0; i < mask.Data.Length; i++) mask.Data[i] = rng.NextDouble() < p ? (byte)1 : (byte)0;
            mask.Data[0] = 1;
            foreach (double sigma in new[] { 0.0, 0.6 })
            {
                TriangleMesh mesh;
                try
                {
                    mesh = MarchingCubes.FromMask(mask, UnitVoxels, sigma);
                }
                catch (ArgumentException) when (sigma > 0)
                {
                    continue; // blurred below 0.5 everywhere
                }
                Assert.True(mesh.IsClosedManifold(), $"seed {seed}, sigma {sigma}");
                Assert.True(mesh.Volume > 0, $"seed {seed}, sigma {sigma}");
                if (sigma == 0) Assert.InRange(mesh.Volume, 0, 1.5 * mask.Data.Count(b => b != 0));
            }
        }
    }

    [Fact]
    public void Extract_NoSampleAboveIso_Throws()
    {
        var field = new Image<float>(4, 4, 4);
        var e = Assert.Throws<ArgumentException>(() => MarchingCubes.Extract(field, 0.5, UnitVoxels));
        Assert.Equal("field", e.ParamName);
    }

    [Fact]
    public void Extract_NonFiniteOrBadVoxelSize_Throws()
    {
        var field = new Image<float>(4, 4, 4);
        field[1, 1, 1] = float.NaN;
        Assert.Throws<ArgumentException>(() => MarchingCubes.Extract(field, 0.5, UnitVoxels));
        Assert.Throws<ArgumentOutOfRangeException>(() => MarchingCubes.Extract(new Image<float>(3, 3, 3), 0, new Calibration(1, 1, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => MarchingCubes.FromMask(new Image<byte>(3, 3, 3), UnitVoxels, -1));
    }
}
