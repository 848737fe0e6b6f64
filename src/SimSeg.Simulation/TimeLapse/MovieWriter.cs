using System.Globalization;
using System.Text;
using System.Text.Json;
using SimSeg.Core.IO;
using SimSeg.Simulation.Presets;

namespace SimSeg.Simulation.TimeLapse;

/// <summary>The files of a written movie (full paths).</summary>
/// <param name="Movie">movie.tif: uint16 camera counts, one page per frame.</param>
/// <param name="Masks">masks.tif: uint8 physics-based masks.</param>
/// <param name="Tracks">tracks.tif: uint16 true track ids.</param>
/// <param name="Classes">classes.tif: uint8 classes (1 mitochondrion, 2 vesicle).</param>
/// <param name="TruthTracks">truth_tracks.csv: one row per object and frame.</param>
/// <param name="TruthEvents">truth_events.csv: one row per fission or fusion.</param>
/// <param name="Sidecar">movie.json: preset, options, seed and summary.</param>
public sealed record MovieFiles(string Movie, string Masks, string Tracks, string Classes, string TruthTracks, string TruthEvents, string Sidecar);

/// <summary>
/// Writes a simulated movie to a folder: movie.tif, masks.tif, tracks.tif and classes.tif (multi-page TIFF,
/// one page per frame, pixel size in the calibration; ImageJ reads the pages as slices), truth_tracks.csv,
/// truth_events.csv and movie.json. Every file is written atomically (temporary file, then rename), and
/// movie.json last, so its presence means the movie is complete.
/// </summary>
public static class MovieWriter
{
    /// <summary>Header of truth_tracks.csv (positions in nm; parents 0 when none).</summary>
    public const string TracksHeader = "frame,track_id,class,x_nm,y_nm,orientation_rad,emitters,parent_1,parent_2";

    /// <summary>Header of truth_events.csv (track ids separated by ';').</summary>
    public const string EventsHeader = "frame,kind,parent_ids,child_ids";

    /// <summary>Simulates a movie of <paramref name="preset"/> with <paramref name="options"/> and writes it to <paramref name="outputDirectory"/> (created if missing).</summary>
    /// <exception cref="ArgumentException">An option or preset setting is invalid (the message names it).</exception>
    public static MovieFiles Write(Preset preset, MovieOptions options, ulong seed, string outputDirectory, Action<int, int>? progress = null, CancellationToken cancellationToken = default) =>
        Write(new MovieSimulator(preset, options), seed, outputDirectory, progress, cancellationToken);

    /// <summary>Simulates a movie with <paramref name="simulator"/> and writes it to <paramref name="outputDirectory"/> (created if missing).</summary>
    public static MovieFiles Write(MovieSimulator simulator, ulong seed, string outputDirectory, Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        SimulatedMovie movie = simulator.Simulate(seed, progress, cancellationToken);
        return Write(simulator, movie, seed, outputDirectory);
    }

    /// <summary>Writes an already simulated <paramref name="movie"/> (made by <paramref name="simulator"/> with <paramref name="seed"/>).</summary>
    public static MovieFiles Write(MovieSimulator simulator, SimulatedMovie movie, ulong seed, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(movie);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        Directory.CreateDirectory(outputDirectory);
        var files = new MovieFiles(
            Path.Combine(outputDirectory, "movie.tif"),
            Path.Combine(outputDirectory, "masks.tif"),
            Path.Combine(outputDirectory, "tracks.tif"),
            Path.Combine(outputDirectory, "classes.tif"),
            Path.Combine(outputDirectory, "truth_tracks.csv"),
            Path.Combine(outputDirectory, "truth_events.csv"),
            Path.Combine(outputDirectory, "movie.json"));
        // Pages are time points: Fiji opens the files as movies with the frame interval.
        var asFrames = new TiffWriteOptions { FrameIntervalMs = simulator.Photokinetics.FrameIntervalMs };
        TiffWriter.Write(files.Movie, movie.Movie, asFrames);
        TiffWriter.Write(files.Masks, movie.Masks, asFrames);
        TiffWriter.Write(files.Tracks, movie.Tracks, asFrames);
        TiffWriter.Write(files.Classes, movie.Classes, asFrames);
        AtomicFile.WriteAllText(files.TruthTracks, TracksCsv(movie.TrackPoints));
        AtomicFile.WriteAllText(files.TruthEvents, EventsCsv(movie.Events));

        var sidecar = new
        {
            seed,
            frames = simulator.Options.Frames,
            width = simulator.Options.Width,
            height = simulator.Options.Height,
            pixelSizeNm = simulator.Preset.Microscope.PixelSizeNm,
            frameIntervalMs = simulator.Photokinetics.FrameIntervalMs,
            tracks = movie.TrackPoints.Select(p => p.TrackId).Distinct().Count(),
            fissions = movie.Events.Count(e => e.Kind == TruthEventKind.Fission),
            fusions = movie.Events.Count(e => e.Kind == TruthEventKind.Fusion),
            backgroundPhotons = movie.Levels.BackgroundPhotons,
            signalToBackground = movie.Levels.SignalToBackground,
            photonScale = movie.Levels.PhotonScale,
            emittedPhotons = movie.EmittedPhotons,
            files = new
            {
                movie = "movie.tif",
                masks = "masks.tif",
                tracks = "tracks.tif",
                classes = "classes.tif",
                truthTracks = "truth_tracks.csv",
                truthEvents = "truth_events.csv",
            },
            options = simulator.Options,
            preset = simulator.Preset,
        };
        AtomicFile.WriteAllText(files.Sidecar, JsonSerializer.Serialize(sidecar, PresetCatalog.JsonOptions));
        return files;
    }

    /// <summary>truth_tracks.csv text: <see cref="TracksHeader"/> then one row per track point.</summary>
    public static string TracksCsv(IEnumerable<TrackPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var sb = new StringBuilder(TracksHeader).Append('\n');
        foreach (TrackPoint p in points)
            sb.Append(CultureInfo.InvariantCulture, $"{p.Frame},{p.TrackId},{p.Class.ToString().ToLowerInvariant()},{p.XNm:F2},{p.YNm:F2},{p.OrientationRad:F5},{p.Emitters},{p.Parent1},{p.Parent2}\n");
        return sb.ToString();
    }

    /// <summary>truth_events.csv text: <see cref="EventsHeader"/> then one row per event.</summary>
    public static string EventsCsv(IEnumerable<TruthEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var sb = new StringBuilder(EventsHeader).Append('\n');
        foreach (TruthEvent e in events)
            sb.Append(CultureInfo.InvariantCulture, $"{e.Frame},{e.Kind.ToString().ToLowerInvariant()},{string.Join(';', e.Parents)},{string.Join(';', e.Children)}\n");
        return sb.ToString();
    }
}
