using SimSeg.Core.Geometry;
using SimSeg.Core.Randomness;
using SimSeg.Simulation.Geometry;

namespace SimSeg.Simulation.Tests.Geometry;

public class ShapeTests
{
    [Fact]
    public void TubeShape_StraightCapsule_HasExactAreaAndVolume()
    {
        double r = 150, l = 2000;
        var tube = new TubeShape(TestShapes.Straight(l, 40), r);
        Assert.Equal(2 * Math.PI * r * l + 4 * Math.PI * r * r, tube.SurfaceArea, 1e-6 * tube.SurfaceArea);
        Assert.Equal(Math.PI * r * r * l + 4.0 / 3 * Math.PI * r * r * r, tube.Volume, 1e-6 * tube.Volume);
        Assert.Equal(new Vec3(-r, -r, -r), tube.BoundsMin);
        Assert.Equal(new Vec3(l + r, r, r), tube.BoundsMax);
    }

    [Fact]
    public void TubeShape_FineArc_AreaAndVolumeMatchPappusWithinOnePercent()
    {
        // A quarter torus-like tube: lateral area 2πRL, caps 4πR² (exact for a smooth curve with curvature < 1/R).
        double r = 120, bend = 1500, sweep = Math.PI / 2;
        var tube = new TubeShape(TestShapes.Arc(bend, sweep, 60), r);
        double l = tube.CenterlineLengthNm;
        double area = 2 * Math.PI * r * l + 4 * Math.PI * r * r;
        double volume = Math.PI * r * r * l + 4.0 / 3 * Math.PI * r * r * r;
        Assert.InRange(tube.SurfaceArea / area, 0.99, 1.01);
        Assert.InRange(tube.Volume / volume, 0.99, 1.01);
    }

    [Fact]
    public void TubeShape_Contains_UsesDistanceToCenterline()
    {
        var tube = new TubeShape(TestShapes.Arc(1000, Math.PI, 50), 200);
        var rng = new Rng(11);
        for (int i = 0; i < 5000; i++)
        {
            var p = new Vec3(rng.Uniform(-1300, 1300), rng.Uniform(-300, 1300), rng.Uniform(0, 600));
            double d = tube.DistanceToCenterline(p);
            if (Math.Abs(d - 200) < 1e-6) continue;
            Assert.Equal(d <= 200, tube.Contains(p));
        }
    }

    [Fact]
    public void BranchedTubeShape_YJunction_AreaBetweenPartsAndSum()
    {
        double r = 100;
        Vec3[] main = TestShapes.Straight(3000, 60);
        var branch = new Vec3[31];
        for (int i = 0; i <= 30; i++) branch[i] = new Vec3(1500 + 40.0 * i, 50.0 * i, 0);
        var shape = new BranchedTubeShape([main, branch], r);
        var mainOnly = new TubeShape(main, r);
        var branchOnly = new TubeShape(branch, r);
        Assert.True(shape.SurfaceArea > mainOnly.SurfaceArea);
        Assert.True(shape.SurfaceArea < mainOnly.SurfaceArea + branchOnly.SurfaceArea);
        Assert.True(shape.Contains(new Vec3(1500 + 400, 500, 0)));
        Assert.True(shape.Contains(new Vec3(100, 0, 50)));
        Assert.False(shape.Contains(new Vec3(100, 300, 0)));
        var rng = new Rng(3);
        for (int i = 0; i < 2000; i++)
        {
            Vec3 p = shape.SampleSurface(rng);
            Assert.InRange(shape.DistanceToCenterline(p), r * (1 - 1e-6), r * (1 + 1e-6));
        }
    }

    [Fact]
    public void SphereShape_Samples_LieOnSphereWithMeanAtCentre()
    {
        var c = new Vec3(100, -50, 700);
        var sphere = new SphereShape(c, 250);
        var rng = new Rng(5);
        Vec3 sum = Vec3.Zero;
        int n = 20000;
        for (int i = 0; i < n; i++)
        {
            Vec3 p = sphere.SampleSurface(rng);
            Assert.InRange(Vec3.Distance(p, c), 250 * (1 - 1e-9), 250 * (1 + 1e-9));
            sum += p - c;
        }
        Vec3 mean = sum / n;
        double sigma = 250 / Math.Sqrt(3 * n); // per-axis standard error of the mean
        Assert.True(Math.Abs(mean.X) < 4 * sigma && Math.Abs(mean.Y) < 4 * sigma && Math.Abs(mean.Z) < 4 * sigma, $"mean {mean}");
        Assert.Equal(4 * Math.PI * 250 * 250, sphere.SurfaceArea, 1e-6);
        Assert.True(sphere.Contains(c + new Vec3(0, 0, 249)));
        Assert.False(sphere.Contains(c + new Vec3(0, 0, 251)));
    }

    [Fact]
    public void MeshShape_UnitCube_SamplesUniformOverFaces()
    {
        var shape = new MeshShape(TestShapes.UnitCube(), Mat3.Identity, Vec3.Zero);
        var rng = new Rng(9);
        var counts = new int[6];
        int n = 60000;
        for (int i = 0; i < n; i++)
        {
            Vec3 p = shape.SampleSurface(rng);
            int face = p.Z == 0 ? 0 : p.Z == 1 ? 1 : p.Y == 0 ? 2 : p.Y == 1 ? 3 : p.X == 1 ? 4 : p.X == 0 ? 5 : -1;
            if (face < 0)
            {
                // Points on a face are exact up to rounding; find the nearest face.
                double[] d = [p.Z, 1 - p.Z, p.Y, 1 - p.Y, 1 - p.X, p.X];
                face = Array.IndexOf(d, d.Min());
                Assert.True(d[face] < 1e-12);
            }
            counts[face]++;
        }
        double expected = n / 6.0, sigma = Math.Sqrt(n * (1 / 6.0) * (5 / 6.0));
        foreach (int c in counts) Assert.InRange(c, expected - 4 * sigma, expected + 4 * sigma);
    }

    [Fact]
    public void MeshShape_CubeContains_MatchesBoxIncludingGridAlignedPoints()
    {
        var shape = new MeshShape(TestShapes.UnitCube(), Mat3.Identity, Vec3.Zero, 1000);
        Assert.Equal(1e9, shape.Volume, 1e-3);
        // Grid-aligned points hit the cube's diagonal edges exactly: the tie rule must count them once.
        for (int x = -1; x <= 11; x++)
        for (int y = -1; y <= 11; y++)
        for (int z = -1; z <= 11; z++)
        {
            var p = new Vec3(x * 100 + 50, y * 100 + 50, z * 100 + 50);
            bool inside = p.X is > 0 and < 1000 && p.Y is > 0 and < 1000 && p.Z is > 0 and < 1000;
            Assert.Equal(inside, shape.Contains(p));
        }
        var rng = new Rng(1);
        for (int i = 0; i < 2000; i++)
        {
            var p = new Vec3(rng.Uniform(-100, 1100), rng.Uniform(-100, 1100), rng.Uniform(-100, 1100));
            bool inside = p.X is > 0 and < 1000 && p.Y is > 0 and < 1000 && p.Z is > 0 and < 1000;
            Assert.Equal(inside, shape.Contains(p));
        }
    }

    [Fact]
    public void MeshShape_RotatedCube_ContainsCentreAndNotCorners()
    {
        var shape = new MeshShape(TestShapes.UnitCube(), Mat3.Euler(0.4, 0.9, -1.3), new Vec3(500, 500, 500), 400);
        Vec3 centre = shape.Mesh.Centroid;
        Assert.True(shape.Contains(centre));
        Assert.False(shape.Contains(shape.BoundsMin + new Vec3(1, 1, 1)));
        Assert.Equal(6 * 400.0 * 400, shape.SurfaceArea, 1e-6);
    }

    [Fact]
    public void MeshShape_OpenMesh_Throws()
    {
        TriangleMesh cube = TestShapes.UnitCube();
        var open = new TriangleMesh(cube.Vertices, cube.Triangles[..^3]);
        Assert.Throws<ArgumentException>(() => new MeshShape(open, Mat3.Identity, Vec3.Zero));
    }
}
