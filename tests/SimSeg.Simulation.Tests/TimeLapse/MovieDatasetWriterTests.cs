using SimSeg.Core.IO;
using SimSeg.Core.Randomness;
using SimSeg.Simulation.Dataset;
using SimSeg.Simulation.Presets;
using SimSeg.Simulation.TimeLapse;

namespace SimSeg.Simulation.Tests.TimeLapse;

public class MovieDatasetWriterTests
{
    private static readonly MovieOptions Options = new() { Width = 64, Height = 48, MitochondriaCount = 2, VesicleCount = 3 };

    [Fact]
    public void Write_FiveFrames_EachTheFirstFrameOfItsOwnMovieWithSplitsAndTrackIds()
    {
        string dir = TempDir();
        try
        {
            var preset = PresetCatalog.Load("epi1-mixed");
            var summary = MovieDatasetWriter.Write(preset, Options, 5, 7, SplitFractions.Default, dir, threads: 2);
            Assert.Equal((5, 0), (summary.Written, summary.Skipped));
            string[] lines = File.ReadAllLines(summary.ManifestPath);
            Assert.Equal(ManifestRow.Header, lines[0]);
            var rows = lines.Skip(1).Select(l => ManifestRow.Parse(l, "manifest")).ToArray();
            Assert.Equal(["train", "train", "train", "val", "test"], rows.Select(r => r.Split));
            var simulator = new MovieSimulator(preset, Options with { Frames = 1 });
            foreach (var row in rows)
            {
                Assert.Equal(Rng.Mix(7, (ulong)row.Index), row.SampleSeed);
                var expected = simulator.Simulate(row.SampleSeed);
                var image = TiffReader.Read(Path.Combine(dir, row.Image));
                Assert.Equal((64, 48, 1, PixelType.UInt16), (image.Width, image.Height, image.PageCount, image.PixelType));
                Assert.Equal(expected.Movie.Data, image.ToImage<ushort>().Data);
                Assert.Equal(expected.Masks.Data, TiffReader.Read(Path.Combine(dir, row.Mask)).ToImage<byte>().Data);
                Assert.Equal(expected.Tracks.Data, TiffReader.Read(Path.Combine(dir, row.Instances)).ToImage<ushort>().Data);
                Assert.Equal((2, 3), (row.Mitochondria, row.Vesicles));
                Assert.True(File.Exists(Path.Combine(dir, row.Meta)));
            }
            Assert.Empty(Directory.GetFiles(dir, "*.tmp*", SearchOption.AllDirectories));

            // A rerun finds every sample complete; one thread writes the same bytes as two.
            var again = MovieDatasetWriter.Write(preset, Options, 5, 7, SplitFractions.Default, dir, threads: 2);
            Assert.Equal((0, 5), (again.Written, again.Skipped));
            string single = TempDir();
            try
            {
                MovieDatasetWriter.Write(preset, Options, 5, 7, SplitFractions.Default, single, threads: 1);
                foreach (var row in rows) Assert.Equal(File.ReadAllBytes(Path.Combine(dir, row.Image)), File.ReadAllBytes(Path.Combine(single, row.Image)));
            }
            finally { Directory.Delete(single, true); }
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Write_NoFrames_Throws()
    {
        var preset = PresetCatalog.Load("epi1-mixed");
        Assert.Throws<ArgumentOutOfRangeException>(() => MovieDatasetWriter.Write(preset, Options, 0, 1, SplitFractions.Default, TempDir(), threads: 1));
    }

    private static string TempDir() => Path.Combine(Path.GetTempPath(), "simseg-movie-dataset-" + Guid.NewGuid().ToString("N"));
}
