using SimSeg.Core.IO;
using SimSeg.Simulation.Presets;
using SimSeg.Simulation.TimeLapse;

namespace SimSeg.Simulation.Tests.TimeLapse;

public class MovieWriterTests
{
    [Fact]
    public void Write_SmallMovie_AllFilesWithOnePagePerFrame()
    {
        string dir = Path.Combine(Path.GetTempPath(), "simseg-movie-" + Guid.NewGuid().ToString("N"));
        try
        {
            var preset = PresetCatalog.Load("epi1-mixed");
            var options = new MovieOptions { Frames = 4, Width = 64, Height = 48, MitochondriaCount = 2, VesicleCount = 2, FissionProbability = 0 };
            var files = MovieWriter.Write(preset, options, 12, dir);

            var movie = TiffReader.Read(files.Movie);
            Assert.Equal((64, 48, 4, PixelType.UInt16), (movie.Width, movie.Height, movie.PageCount, movie.PixelType));
            Assert.Equal(preset.Microscope.PixelSizeNm, movie.Calibration.PixelWidthNm, 3);
            Assert.Equal((4, PixelType.UInt8), (TiffReader.Read(files.Masks).PageCount, TiffReader.Read(files.Masks).PixelType));
            Assert.Equal((4, PixelType.UInt16), (TiffReader.Read(files.Tracks).PageCount, TiffReader.Read(files.Tracks).PixelType));
            Assert.Equal(4, TiffReader.Read(files.Classes).PageCount);

            string[] tracks = File.ReadAllLines(files.TruthTracks);
            Assert.Equal(MovieWriter.TracksHeader, tracks[0]);
            Assert.Equal(4 * 4 + 1, tracks.Length); // no events: 4 objects in 4 frames
            Assert.Equal(MovieWriter.EventsHeader, File.ReadAllLines(files.TruthEvents)[0]);

            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(files.Sidecar));
            Assert.Equal(12UL, json.RootElement.GetProperty("seed").GetUInt64());
            Assert.Equal(4, json.RootElement.GetProperty("options").GetProperty("frames").GetInt32());
            Assert.Equal("epi1-mixed", json.RootElement.GetProperty("preset").GetProperty("name").GetString());
            Assert.Empty(Directory.GetFiles(dir, "*.tmp*"));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }
}
