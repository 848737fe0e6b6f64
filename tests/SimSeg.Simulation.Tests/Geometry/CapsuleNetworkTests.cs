using SimSeg.Core.Geometry;
using SimSeg.Core.Randomness;
using SimSeg.Simulation.Geometry;
using SimSeg.Simulation.Labelling;

namespace SimSeg.Simulation.Tests.Geometry;

public class CapsuleNetworkTests
{
    /// <summary>Brute force: the point is strictly inside some capsule (distance below R(1 − 1e-9)).</summary>
    private static double MinDistance(IReadOnlyList<IReadOnlyList<Vec3>> chains, Vec3 p)
    {
        double best = double.PositiveInfinity;
        foreach (IReadOnlyList<Vec3> c in chains)
        {
            for (int i = 0; i + 1 < c.Count; i++)
            {
                Vec3 a = c[i], d = c[i + 1] - c[i];
                double len2 = d.LengthSquared;
                if (len2 == 0) continue;
                double t = Math.Clamp(Vec3.Dot(p - a, d) / len2, 0, 1);
                best = Math.Min(best, (p - a - d * t).Length);
            }
        }
        return best;
    }

    /// <summary>
    /// Every candidate verdict of the sampler agrees with the brute-force definition (kept iff no capsule
    /// strictly contains the point, i.e. its distance is below R(1 − 1e-9)), except within a relative band
    /// [1e-11, 1e-8] below R: bisector planes decide points barely inside a neighbour exactly.
    /// </summary>
    private static void AssertVerdictsMatchBruteForce(IReadOnlyList<IReadOnlyList<Vec3>> chains, double r, int count, ulong seed)
    {
        var net = new CapsuleNetwork(chains, r);
        int kept = 0;
        foreach ((Vec3 p, bool accepted) in net.CandidatesWithVerdicts(new Rng(seed), count))
        {
            double d = MinDistance(chains, p);
            if (accepted) kept++;
            // Candidates lie at distance R from their own segment, so d <= R: on the union's surface when
            // d == R (must be kept), strictly inside when d < R (must be dropped); a thin band is left open.
            if (d > r * (1 - 1e-11)) Assert.True(accepted, $"dropped a surface point at distance {d} (R = {r}) at {p}");
            else if (d < r * (1 - 1e-8)) Assert.False(accepted, $"kept a point at distance {d} inside (R = {r}) at {p}");
        }
        Assert.True(kept > 0);
    }

    private static Vec3[] RandomZigzag(Rng rng, int points, double minStep, double maxStep, double maxTurn)
    {
        var p = new Vec3[points];
        Vec3 dir = Vec3.UnitX;
        for (int i = 1; i < points; i++)
        {
            var kick = new Vec3(rng.Uniform(-1, 1), rng.Uniform(-1, 1), rng.Uniform(-0.3, 0.3));
            dir = (dir + kick * maxTurn).Normalized();
            p[i] = p[i - 1] + dir * rng.Uniform(minStep, maxStep);
        }
        return p;
    }

    [Theory]
    [InlineData(0.05, 1)]
    [InlineData(0.3, 2)]
    [InlineData(1.5, 3)]
    public void Verdicts_RandomPolylines_MatchBruteForce(double maxTurn, ulong seed)
    {
        var rng = new Rng(seed);
        for (int shape = 0; shape < 6; shape++)
        {
            double r = rng.Uniform(50, 300);
            Vec3[] line = RandomZigzag(rng, 60, 10, 400, maxTurn);
            AssertVerdictsMatchBruteForce([line], r, 4000, seed * 100 + (ulong)shape);
        }
    }

    [Fact]
    public void Verdicts_TightHelixAndCrossingChains_MatchBruteForce()
    {
        // A helix whose turns touch (pitch < 2R): non-local overlaps along one chain.
        var helix = new Vec3[200];
        for (int i = 0; i < helix.Length; i++)
        {
            double a = i * 0.12;
            helix[i] = new Vec3(400 * Math.Cos(a), 400 * Math.Sin(a), 35 * a);
        }
        AssertVerdictsMatchBruteForce([helix], 150, 20000, 7);

        // Two crossing chains and a branch starting inside the main one.
        Vec3[] main = TestShapes.Straight(3000, 60);
        var cross = new Vec3[41];
        for (int i = 0; i <= 40; i++) cross[i] = new Vec3(1500 + 10.0 * i, -1000 + 50.0 * i, 60);
        var branch = new Vec3[21];
        for (int i = 0; i <= 20; i++) branch[i] = new Vec3(700 + 30.0 * i, 40.0 * i + 0.5 * i * i, 0);
        AssertVerdictsMatchBruteForce([main, cross, branch], 200, 20000, 8);
    }

    [Fact]
    public void Verdicts_ArcsAroundTheBisectorLimit_MatchBruteForce()
    {
        // R tan(θ/2) just below, at and above the segment length: bisector planes and neighbour blocks.
        foreach (double ratio in new[] { 0.9, 1.0, 1.1, 2.5 })
        {
            double r = 200, step = 50;
            double theta = 2 * Math.Atan(ratio * step / r);
            var line = new Vec3[30];
            Vec3 dir = Vec3.UnitX;
            for (int i = 1; i < line.Length; i++)
            {
                line[i] = line[i - 1] + dir * step;
                (double s, double c) = Math.SinCos(theta);
                dir = new Vec3(dir.X * c - dir.Y * s, dir.X * s + dir.Y * c, 0);
            }
            AssertVerdictsMatchBruteForce([line], r, 8000, 11);
        }
    }

    [Fact]
    public void Verdicts_GeneratedCurledAndBranchedScenes_MatchBruteForce()
    {
        var options = new SceneOptions
        {
            MitochondriaPerField = new(2, 2),
            Mitochondria = new MitochondrionOptions { DiameterRangeNm = new(200, 600), BranchProbability = 0.5, CurlProbability = 0.4 },
        };
        var rng = new Rng(99);
        for (int f = 0; f < 10; f++)
        {
            foreach (SceneObject o in SceneGenerator.Generate(options, rng).Objects)
            {
                (IReadOnlyList<IReadOnlyList<Vec3>> chains, double r) = o.Shape switch
                {
                    TubeShape t => ((IReadOnlyList<IReadOnlyList<Vec3>>)[t.Centerline], t.RadiusNm),
                    BranchedTubeShape b => (b.Centerlines, b.RadiusNm),
                    _ => throw new InvalidOperationException(),
                };
                AssertVerdictsMatchBruteForce(chains, r, 3000, (ulong)(f * 10 + o.Id));
            }
        }
    }

    [Fact]
    public void Sample_BranchedTube_CountMeanMatchesDensityTimesArea()
    {
        // Labelling thins candidates instead of using SurfaceArea: the two must agree.
        Vec3[] main = new CenterlineSpline([new(0, 0, 300), new(1500, 900, 300), new(3000, 0, 400)]).Sample(50);
        var branch = new CenterlineSpline([main[30], main[30] + new Vec3(300, 900, 0), main[30] + new Vec3(-200, 1800, 100)]).Sample(50);
        var shape = new BranchedTubeShape([main, branch], 250);
        var scene = new Scene(5376, 5376, [new SceneObject(1, ObjectClass.Mitochondrion, shape, new Dictionary<string, double>(), "branched")]);
        var options = new LabellingOptions { SurfaceDensityPerUm2 = 500 };
        var rng = new Rng(5);
        var set = new EmitterSet();
        int trials = 100;
        long total = 0;
        for (int t = 0; t < trials; t++)
        {
            set.Clear();
            EmitterSampler.Sample(scene, options, rng, set);
            total += set.Count;
        }
        double mean = 500 * shape.SurfaceArea * 1e-6, observed = (double)total / trials;
        // Poisson noise of the mean plus the Monte Carlo error of SurfaceArea (8192 samples, < 0.5%).
        double tolerance = 4 * Math.Sqrt(mean / trials) + 0.01 * mean;
        Assert.InRange(observed, mean - tolerance, mean + tolerance);
        for (int i = 0; i < set.Count; i++)
        {
            double d = shape.DistanceToCenterline(new Vec3(set.X[i], set.Y[i], set.Z[i]));
            Assert.InRange(d, 250 - 1e-3, 250 + 1e-3);
        }
    }

    [Fact]
    public void SampleSurface_StraightTube_AngleAroundAxisUniform()
    {
        // The lateral samples' angle about the axis must be uniform (sector table + in-sector angle).
        var tube = new TubeShape(TestShapes.Straight(2000, 40, 300), 150);
        var rng = new Rng(17);
        var bins = new int[64];
        int lateral = 0;
        for (int i = 0; i < 64000; i++)
        {
            Vec3 p = tube.SampleSurface(rng);
            if (p.X < 0 || p.X > 2000) continue;
            Assert.InRange(Math.Sqrt(p.Y * p.Y + (p.Z - 300) * (p.Z - 300)), 150 * (1 - 1e-12), 150 * (1 + 1e-12));
            double a = Math.Atan2(p.Z - 300, p.Y) + Math.PI;
            bins[Math.Min(63, (int)(a / (2 * Math.PI) * 64))]++;
            lateral++;
        }
        double expected = lateral / 64.0, sigma = Math.Sqrt(expected);
        foreach (int b in bins) Assert.InRange(b, expected - 4.5 * sigma, expected + 4.5 * sigma);
    }
}
