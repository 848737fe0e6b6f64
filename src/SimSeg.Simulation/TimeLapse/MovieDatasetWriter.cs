using System.Text.Json;
using SimSeg.Core.IO;
using SimSeg.Core.Randomness;
using SimSeg.Simulation.Dataset;
using SimSeg.Simulation.Geometry;
using SimSeg.Simulation.Presets;

namespace SimSeg.Simulation.TimeLapse;

/// <summary>
/// Writes single frames of independent movies as a segmentation dataset in the layout of <see cref="DatasetWriter"/>
/// (images/, masks/, instances/ with the true track ids, classes/, meta/, manifest.csv with train/val/test splits),
/// so that <c>simseg train</c> can learn to segment frames like those of a movie: whole fields with the movie's
/// object counts, depth band and camera levels, where a 128² still of the same preset would scale its few objects to
/// the target signal-to-background on their own. Sample k is the first frame of the movie with seed
/// Rng.Mix(seed, k); a rerun skips the samples already complete.
/// </summary>
public static class MovieDatasetWriter
{
    /// <summary>
    /// Simulates and writes <paramref name="count"/> frames. <paramref name="progress"/> is called (from worker threads,
    /// serialised) with the frames finished so far and the total.
    /// </summary>
    /// <exception cref="ArgumentException">An option or preset setting is invalid (the message names it).</exception>
    public static DatasetSummary Write(Preset preset, MovieOptions options, int count, ulong seed, SplitFractions split, string outputDirectory,
        int threads, Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(preset);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be at least 1 frame.");
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        split.Validate();
        // One frame per movie, one thread per frame: the frames run in parallel instead.
        var simulator = new MovieSimulator(preset, options with { Frames = 1, Threads = 1 });
        foreach (string folder in DatasetWriter.Folders) Directory.CreateDirectory(Path.Combine(outputDirectory, folder));
        var rows = new ManifestRow[count];
        int done = 0, skipped = 0;
        object gate = new();
        progress?.Invoke(0, count);
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, index =>
        {
            var row = DatasetWriter.TryReadComplete(outputDirectory, index);
            if (row is null) row = WriteFrame(simulator, index, Rng.Mix(seed, (ulong)index), seed, split.Of(index, count), outputDirectory);
            else Interlocked.Increment(ref skipped);
            rows[index] = row;
            lock (gate) progress?.Invoke(++done, count);
        });
        string manifest = Path.Combine(outputDirectory, "manifest.csv");
        DatasetWriter.WriteManifest(manifest, rows);
        return new DatasetSummary(count - skipped, skipped, manifest);
    }

    private static ManifestRow WriteFrame(MovieSimulator simulator, int index, ulong sampleSeed, ulong masterSeed, string split, string root)
    {
        var movie = simulator.Simulate(sampleSeed);
        var row = DatasetWriter.Row(index, split, sampleSeed, simulator.Preset.Name, movie.Masks,
            movie.TrackPoints.Count(p => p.Class == ObjectClass.Mitochondrion), movie.TrackPoints.Count(p => p.Class == ObjectClass.Vesicle),
            movie.TrackPoints.Sum(p => p.Emitters));
        DatasetWriter.WriteImages(root, row, movie.Movie, movie.Masks, movie.Tracks, movie.Classes);
        var sidecar = new
        {
            id = row.Id,
            index,
            split,
            masterSeed,
            sampleSeed,
            source = "first frame of a simulated movie (simseg simulate-movie --dataset)",
            movieOptions = simulator.Options,
            cameraLevels = movie.Levels,
            files = new { image = row.Image, mask = row.Mask, instances = row.Instances, classes = row.Classes },
            preset = simulator.Preset,
            manifest = row,
        };
        // Last, so that its presence marks the sample complete (a rerun skips it).
        AtomicFile.WriteAllText(Path.Combine(root, row.Meta), JsonSerializer.Serialize(sidecar, PresetCatalog.JsonOptions));
        return row;
    }
}
