using SimSeg.Core.Geometry;
using SimSeg.Core.Randomness;
using SimSeg.Simulation.Geometry;
using SimSeg.Simulation.Labelling;
using SimSeg.Simulation.Tests.Geometry;

namespace SimSeg.Simulation.Tests.Labelling;

public class EmitterSamplerTests
{
    private static Scene SceneOf(params IShape[] shapes)
    {
        var objects = new List<SceneObject>();
        foreach (IShape s in shapes)
            objects.Add(new SceneObject(objects.Count + 1, ObjectClass.Mitochondrion, s, new Dictionary<string, double>(), "tube"));
        return new Scene(5376, 5376, objects);
    }

    [Fact]
    public void Sample_SurfaceMode_CountMeanMatchesDensityTimesArea()
    {
        var tube = new TubeShape(TestShapes.Straight(3000, 60, 300), 150);
        Scene scene = SceneOf(tube);
        var options = new LabellingOptions { SurfaceDensityPerUm2 = 200 };
        double mean = 200 * tube.SurfaceArea * 1e-6;
        var rng = new Rng(42);
        var set = new EmitterSet();
        int trials = 200;
        long total = 0;
        for (int t = 0; t < trials; t++)
        {
            set.Clear();
            EmitterSampler.Sample(scene, options, rng, set);
            total += set.Count;
        }
        double observed = (double)total / trials, se = Math.Sqrt(mean / trials);
        Assert.InRange(observed, mean - 4 * se, mean + 4 * se);
    }

    [Fact]
    public void Sample_StraightAndCurvedTubes_AllOnSurfaceAtRadius()
    {
        var straight = new TubeShape(TestShapes.Straight(2000, 40, 300), 150);
        var curved = new TubeShape(new CenterlineSpline([new(0, 0, 200), new(800, 900, 300), new(1800, -200, 400), new(2600, 600, 500)]).Sample(40), 200);
        Scene scene = SceneOf(straight, curved);
        EmitterSet set = EmitterSampler.Sample(scene, LabellingOptions.PhySeg, new Rng(8));
        Assert.True(set.Count > 5000);
        for (int i = 0; i < set.Count; i++)
        {
            TubeShape tube = set.ObjectId[i] == 1 ? straight : curved;
            // Emitters are stored as float: allow the float rounding of coordinates of a few thousand nm.
            double d = tube.DistanceToCenterline(new Vec3(set.X[i], set.Y[i], set.Z[i]));
            Assert.InRange(d, tube.RadiusNm - 1e-3, tube.RadiusNm + 1e-3);
        }
        var rng = new Rng(9);
        foreach (TubeShape tube in new[] { straight, curved })
        {
            for (int i = 0; i < 5000; i++)
            {
                double d = tube.DistanceToCenterline(tube.SampleSurface(rng));
                Assert.InRange(d, tube.RadiusNm * (1 - 1e-6), tube.RadiusNm * (1 + 1e-6));
            }
        }
    }

    [Fact]
    public void SampleSurface_StraightCapsule_CapFractionMatchesAreaRatio()
    {
        double r = 200, l = 1000;
        var tube = new TubeShape(TestShapes.Straight(l, 20), r);
        var rng = new Rng(123);
        int n = 40000, caps = 0;
        for (int i = 0; i < n; i++)
        {
            Vec3 p = tube.SampleSurface(rng);
            if (p.X < 0 || p.X > l) caps++;
        }
        double expected = 4 * Math.PI * r * r / (2 * Math.PI * r * l + 4 * Math.PI * r * r);
        double sigma = Math.Sqrt(expected * (1 - expected) / n);
        Assert.InRange((double)caps / n, expected - 3 * sigma, expected + 3 * sigma);
    }

    [Fact]
    public void SampleSurface_BentTube_LateralDensityUniformAlongLength()
    {
        // Half-circle arc: samples per equal-length stretch of centreline must be equal (area-uniform).
        var tube = new TubeShape(TestShapes.Arc(800, Math.PI, 80), 150);
        var rng = new Rng(321);
        var bins = new int[8];
        int n = 40000, lateral = 0;
        for (int i = 0; i < n; i++)
        {
            Vec3 p = tube.SampleSurface(rng);
            double a = Math.Atan2(p.Y, p.X);
            if (p.Y < 0 || a < 0 || a > Math.PI) continue; // caps
            bins[Math.Min(7, (int)(a / Math.PI * 8))]++;
            lateral++;
        }
        double expected = lateral / 8.0, sigma = Math.Sqrt(expected);
        foreach (int b in bins) Assert.InRange(b, expected - 4 * sigma, expected + 4 * sigma);
    }

    [Fact]
    public void Sample_Sphere_MeanAtCentre()
    {
        var c = new Vec3(2000, 2500, 600);
        var sphere = new SphereShape(c, 300);
        EmitterSet set = EmitterSampler.Sample(SceneOf(sphere), LabellingOptions.PhySeg, new Rng(77));
        double mx = 0, my = 0, mz = 0;
        for (int i = 0; i < set.Count; i++)
        {
            mx += set.X[i] - c.X;
            my += set.Y[i] - c.Y;
            mz += set.Z[i] - c.Z;
        }
        double se = 300 / Math.Sqrt(3.0 * set.Count);
        Assert.InRange(mx / set.Count, -4 * se, 4 * se);
        Assert.InRange(my / set.Count, -4 * se, 4 * se);
        Assert.InRange(mz / set.Count, -4 * se, 4 * se);
    }

    [Fact]
    public void Sample_VolumeMode_AllInsideAndCountMatchesVolume()
    {
        var tube = new TubeShape(TestShapes.Arc(900, 1.5 * Math.PI, 60), 180);
        var sphere = new SphereShape(new Vec3(3000, 3000, 500), 250);
        Scene scene = SceneOf(tube, sphere);
        var options = new LabellingOptions { Mode = LabellingMode.Volume };
        EmitterSet set = EmitterSampler.Sample(scene, options, new Rng(2));
        double expected = 20000 * (tube.Volume + sphere.Volume) * 1e-9;
        Assert.InRange(set.Count, expected - 5 * Math.Sqrt(expected), expected + 5 * Math.Sqrt(expected));
        for (int i = 0; i < set.Count; i++)
        {
            IShape s = scene.Objects[set.ObjectId[i] - 1].Shape;
            var p = new Vec3(set.X[i], set.Y[i], set.Z[i]);
            if (s is TubeShape t) Assert.True(t.DistanceToCenterline(p) <= t.RadiusNm + 1e-3);
            else Assert.True(Vec3.Distance(p, sphere.Center) <= sphere.RadiusNm + 1e-3);
        }
    }

    [Fact]
    public void Sample_SameSeed_SameEmitters()
    {
        var options = new SceneOptions { VesiclesPerField = new(1, 2), Mitochondria = new MitochondrionOptions { BranchProbability = 0.5 } };
        EmitterSet a = EmitterSampler.Sample(SceneGenerator.Generate(options, new Rng(5)), LabellingOptions.PhySeg, new Rng(6));
        EmitterSet b = EmitterSampler.Sample(SceneGenerator.Generate(options, new Rng(5)), LabellingOptions.PhySeg, new Rng(6));
        Assert.Equal(a.Count, b.Count);
        Assert.True(a.X.SequenceEqual(b.X) && a.Y.SequenceEqual(b.Y) && a.Z.SequenceEqual(b.Z) && a.ObjectId.SequenceEqual(b.ObjectId));
    }

    [Theory]
    [InlineData(0.0, 1000.0, "SurfaceDensityPerUm2")]
    [InlineData(-5.0, 1000.0, "SurfaceDensityPerUm2")]
    [InlineData(2000.0, 0.0, "VolumeDensityPerUm3")]
    [InlineData(double.NaN, 1000.0, "SurfaceDensityPerUm2")]
    public void Sample_NonPositiveDensity_Throws(double surface, double volume, string property)
    {
        var options = new LabellingOptions { SurfaceDensityPerUm2 = surface, VolumeDensityPerUm3 = volume };
        var ex = Assert.Throws<ArgumentException>(() => EmitterSampler.Sample(SceneOf(new SphereShape(Vec3.Zero, 100)), options, new Rng(1)));
        Assert.Contains(property, ex.Message);
    }

    [Fact]
    public void Presets_Densities_MatchPapers()
    {
        Assert.Equal(2000, LabellingOptions.PhySeg.SurfaceDensityPerUm2);
        Assert.Equal(30, LabellingOptions.ThreeDMsl.SurfaceDensityPerUm2);
    }
}
