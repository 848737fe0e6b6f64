using SimSeg.Simulation.Geometry;
using SimSeg.Simulation.Photokinetics;
using SimSeg.Simulation.Presets;
using SimSeg.Simulation.TimeLapse;

namespace SimSeg.Simulation.Tests.TimeLapse;

public class MovieSimulatorTests
{
    private static Preset Epi1Mixed => PresetCatalog.Load("epi1-mixed");

    private static MovieOptions Small => new()
    {
        Frames = 12,
        Width = 96,
        Height = 96,
        MitochondriaCount = 3,
        VesicleCount = 3,
        FissionProbability = 0.05,
        CurlProbability = 0.05,
        ElongateProbability = 0.05,
        FractionDirected = 0.5,
    };

    [Fact]
    public void Simulate_SameSeed_IdenticalWhateverTheThreadCount()
    {
        var a = new MovieSimulator(Epi1Mixed, Small with { Threads = 1 }).Simulate(2024);
        var b = new MovieSimulator(Epi1Mixed, Small with { Threads = 2 }).Simulate(2024);
        Assert.Equal(a.Movie.Data, b.Movie.Data);
        Assert.Equal(a.Masks.Data, b.Masks.Data);
        Assert.Equal(a.Tracks.Data, b.Tracks.Data);
        Assert.Equal(a.Classes.Data, b.Classes.Data);
        Assert.Equal(a.TrackPoints, b.TrackPoints);
        Assert.Equal(a.Events.Select(e => (e.Frame, e.Kind, string.Join(';', e.Parents), string.Join(';', e.Children))),
                     b.Events.Select(e => (e.Frame, e.Kind, string.Join(';', e.Parents), string.Join(';', e.Children))));
        Assert.Equal(a.EmittedPhotons, b.EmittedPhotons);

        var c = new MovieSimulator(Epi1Mixed, Small).Simulate(2025);
        Assert.NotEqual(a.Movie.Data, c.Movie.Data);
    }

    [Fact]
    public void Simulate_RigidMotion_TrackIdsPersistAndCentroidsMoveByTheExpectedDisplacement()
    {
        const double diffusion = 50;
        var options = new MovieOptions
        {
            Frames = 15,
            Width = 128,
            Height = 128,
            MitochondriaCount = 2,
            VesicleCount = 3,
            DiffusionCoefficientNm2PerFrame = diffusion,
            FractionDirected = 0,
            RotationDiffusionRad2PerFrame = 0,
            CurlProbability = 0,
            ElongateProbability = 0,
            FissionProbability = 0,
            FusionProbability = 0,
        };
        var simulator = new MovieSimulator(Epi1Mixed, options);
        var movie = simulator.Simulate(17);
        double pixel = simulator.Preset.Microscope.PixelSizeNm;
        Assert.Empty(movie.Events);

        // The same objects, with the same ids, in every frame.
        var ids = movie.TrackPoints.Where(p => p.Frame == 0).Select(p => p.TrackId).ToArray();
        Assert.Equal(Enumerable.Range(1, 5), ids);
        for (int f = 1; f < options.Frames; f++)
            Assert.Equal(ids, movie.TrackPoints.Where(p => p.Frame == f).Select(p => p.TrackId));

        // A step is N(0, 2D) per axis: 6 sigma bounds it for any test that passes once.
        double maxStep = 6 * Math.Sqrt(2 * diffusion) * Math.Sqrt(2);
        int w = options.Width, h = options.Height;
        for (int f = 1; f < options.Frames; f++)
        {
            for (int id = 1; id <= 5; id++)
            {
                var before = movie.TrackPoints.Single(p => p.Frame == f - 1 && p.TrackId == id);
                var after = movie.TrackPoints.Single(p => p.Frame == f && p.TrackId == id);
                Assert.True(Math.Sqrt(Sq(after.XNm - before.XNm) + Sq(after.YNm - before.YNm)) <= maxStep);

                // The track image's centroid follows (allowing for pixel quantisation, overlaps and the border).
                var c0 = Centroid(movie.Tracks.Plane(f - 1), w, id);
                var c1 = Centroid(movie.Tracks.Plane(f), w, id);
                Assert.Equal(c0 is null, c1 is null);
                if (c0 is null || c1 is null) continue;
                double moved = Math.Sqrt(Sq(c1.Value.X - c0.Value.X) + Sq(c1.Value.Y - c0.Value.Y)) * pixel;
                Assert.True(moved <= maxStep + 1.5 * pixel, $"track {id} frame {f}: centroid moved {moved:F0} nm");
            }
        }
        // Track ids in the image are those of live objects, with their class.
        for (int i = 0; i < movie.Tracks.Data.Length; i++)
        {
            int id = movie.Tracks.Data[i];
            Assert.InRange(id, 0, 5);
            Assert.Equal(movie.Masks.Data[i] != 0, id != 0);
            if (id != 0) Assert.Equal((byte)movie.TrackPoints.First(p => p.TrackId == id).Class, movie.Classes.Data[i]);
        }
        Assert.Equal(h * w * options.Frames, movie.Tracks.Data.Length);
    }

    [Fact]
    public void Simulate_ForcedFission_TwoNewTracksRecordTheParent()
    {
        var options = new MovieOptions
        {
            Frames = 2,
            Width = 128,
            Height = 128,
            MitochondriaCount = 1,
            VesicleCount = 0,
            FissionProbability = 1,
            MinFragmentLengthNm = 150,
            FusionProbability = 0,
        };
        var movie = new MovieSimulator(Epi1Mixed, options).Simulate(5);
        var e = Assert.Single(movie.Events);
        Assert.Equal(TruthEventKind.Fission, e.Kind);
        Assert.Equal(1, e.Frame);
        Assert.Equal([1], e.Parents);
        Assert.Equal([2, 3], e.Children);

        var frame1 = movie.TrackPoints.Where(p => p.Frame == 1).ToArray();
        Assert.Equal([2, 3], frame1.Select(p => p.TrackId));
        Assert.All(frame1, p => Assert.Equal((1, 0), (p.Parent1, p.Parent2)));
        Assert.All(frame1, p => Assert.Equal(ObjectClass.Mitochondrion, p.Class));
        var inImage = movie.Tracks.Plane(1).ToArray().Where(v => v != 0).Distinct().Order().ToArray();
        Assert.Equal(new ushort[] { 2, 3 }, inImage);
        Assert.Equal(new ushort[] { 1 }, movie.Tracks.Plane(0).ToArray().Where(v => v != 0).Distinct().ToArray());
    }

    [Fact]
    public void Simulate_Fusion_EndsTwoTracksAndStartsOneWithBothParents()
    {
        // A crowded field with certain fusion on contact.
        var options = Small with { Frames = 10, MitochondriaCount = 8, VesicleCount = 0, FusionProbability = 1, FusionDistanceNm = 400, FissionProbability = 0 };
        var movie = new MovieSimulator(Epi1Mixed, options).Simulate(8);
        var fusions = movie.Events.Where(e => e.Kind == TruthEventKind.Fusion).ToArray();
        Assert.NotEmpty(fusions);
        foreach (var e in fusions)
        {
            Assert.Equal(2, e.Parents.Count);
            int child = Assert.Single(e.Children);
            Assert.DoesNotContain(movie.TrackPoints, p => p.Frame >= e.Frame && e.Parents.Contains(p.TrackId));
            var first = movie.TrackPoints.Where(p => p.TrackId == child).MinBy(p => p.Frame);
            Assert.Equal(e.Frame, first.Frame);
            Assert.Equal((e.Parents[0], e.Parents[1]), (first.Parent1, first.Parent2));
        }
    }

    [Fact]
    public void Simulate_Bleaching_PhotonsFallOverFrames()
    {
        var preset = Epi1Mixed;
        var bleaching = preset.Photokinetics with { MeanBleachTimeMs = 60 }; // ~16 % duty: half gone after ~20 frames
        var options = Small with { Frames = 30, Photokinetics = bleaching, FissionProbability = 0, CurlProbability = 0, ElongateProbability = 0, FusionProbability = 0 };
        var movie = new MovieSimulator(preset, options).Simulate(99);
        Assert.True(movie.EmittedPhotons[^1] < 0.6 * movie.EmittedPhotons[0], $"{movie.EmittedPhotons[0]} -> {movie.EmittedPhotons[^1]}");
        for (int f = 5; f < options.Frames; f += 5)
            Assert.True(movie.EmittedPhotons[f] < movie.EmittedPhotons[f - 5]);
        double first = MeanCounts(movie, 0, 3), last = MeanCounts(movie, options.Frames - 3, options.Frames);
        Assert.True(last < first, $"mean counts {first:F2} -> {last:F2}");

        // Without bleaching the photon budget holds steady (blinking only).
        var steady = new MovieSimulator(preset, options with { Photokinetics = null }).Simulate(99);
        Assert.InRange(steady.EmittedPhotons[^1] / steady.EmittedPhotons[0], 0.75, 1.33);
    }

    [Fact]
    public void Simulate_Blinking_ContinuousAcrossFrames()
    {
        // Mean on-time of 5 frames: consecutive frames share most of their bright emitters, so per-frame photon
        // totals are strongly correlated with the previous frame, unlike independent stills.
        var preset = Epi1Mixed with { Photokinetics = Epi1Mixed.Photokinetics with { MeanOnTimeMs = 100, MeanOffTimeMs = 100 } };
        var options = Small with { Frames = 40, MitochondriaCount = 1, VesicleCount = 0, FissionProbability = 0, CurlProbability = 0, ElongateProbability = 0 };
        var p = new MovieSimulator(preset, options).Simulate(3).EmittedPhotons;
        double mean = p.Average();
        double lag0 = p.Sum(v => Sq(v - mean));
        double lag1 = Enumerable.Range(1, p.Count - 1).Sum(i => (p[i] - mean) * (p[i - 1] - mean));
        Assert.True(lag1 / lag0 > 0.5, $"lag-1 autocorrelation {lag1 / lag0:F2}");
    }

    [Fact]
    public void Simulate_ObjectsStayInsideTheField()
    {
        var options = Small with { Frames = 30, DiffusionCoefficientNm2PerFrame = 20_000, FractionDirected = 1, DriftSpeedNmPerFrame = new(150, 250) };
        var simulator = new MovieSimulator(Epi1Mixed, options);
        var movie = simulator.Simulate(4);
        double pixel = simulator.Preset.Microscope.PixelSizeNm;
        foreach (var p in movie.TrackPoints)
        {
            Assert.InRange(p.XNm, 0, options.Width * pixel);
            Assert.InRange(p.YNm, 0, options.Height * pixel);
        }
        for (int f = 0; f < options.Frames; f++)
        {
            var live = movie.TrackPoints.Where(p => p.Frame == f).Select(p => p.TrackId).ToHashSet();
            var seen = movie.Tracks.Plane(f).ToArray().Where(v => v != 0).Select(v => (int)v).ToHashSet();
            Assert.Subset(live, seen);
            Assert.Equal(live.Count, seen.Count); // every object keeps pixels in the field
        }
    }

    private static double MeanCounts(SimulatedMovie movie, int from, int to)
    {
        double sum = 0;
        for (int f = from; f < to; f++) foreach (ushort v in movie.Movie.Plane(f)) sum += v;
        return sum / ((to - from) * movie.Movie.PlaneLength);
    }

    private static (double X, double Y)? Centroid(Span<ushort> plane, int width, int id)
    {
        double sx = 0, sy = 0;
        int n = 0;
        for (int i = 0; i < plane.Length; i++)
        {
            if (plane[i] != id) continue;
            sx += i % width;
            sy += i / width;
            n++;
        }
        return n == 0 ? null : (sx / n, sy / n);
    }

    private static double Sq(double v) => v * v;
}
