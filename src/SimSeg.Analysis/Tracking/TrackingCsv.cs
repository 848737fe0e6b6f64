using System.Globalization;
using System.Text;
using SimSeg.Core.IO;

namespace SimSeg.Analysis.Tracking;

/// <summary>
/// Tidy CSV tables of tracks, events and per-track morphology (comma-separated, header row, invariant culture,
/// UTF-8 without BOM, '\n' line ends), written atomically: readers never see a half-written file.
/// </summary>
public static class TrackingCsv
{
    /// <summary>One row per track observation: track_id, frame, label, x_px, y_px, area_px, class, vx, vy
    /// (velocities in px/frame, from the Kalman filter).</summary>
    public static void WriteTracks(string path, TrackingResult tracking)
    {
        ArgumentNullException.ThrowIfNull(tracking);
        Write(path, "track_id,frame,label,x_px,y_px,area_px,class,vx,vy", w =>
        {
            foreach (Track t in tracking.Tracks)
                foreach (TrackPoint p in t.Points)
                    w.Append(Invariant($"{t.Id},{p.Frame},{p.Label},{p.X:0.###},{p.Y:0.###},{p.Area},{CsvLine.Quote(p.Class)},{p.Vx:0.####},{p.Vy:0.####}\n"));
        });
    }

    /// <summary>One row per event: kind, frame, track_ids (space-separated), detail.</summary>
    public static void WriteEvents(string path, IReadOnlyList<TrackEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        Write(path, "kind,frame,track_ids,detail", w =>
        {
            foreach (TrackEvent e in events)
                w.Append(Invariant($"{CsvLine.Quote(e.Kind)},{e.Frame},{string.Join(' ', e.TrackIds)},{CsvLine.Quote(e.Detail)}\n"));
        });
    }

    /// <summary>Morphology over time, one row per track observation: track_id, frame, area (px), class, major_axis (px).</summary>
    public static void WriteMorphology(string path, TrackingResult tracking)
    {
        ArgumentNullException.ThrowIfNull(tracking);
        Write(path, "track_id,frame,area,class,major_axis", w =>
        {
            foreach (Track t in tracking.Tracks)
                foreach (TrackPoint p in t.Points)
                    w.Append(Invariant($"{t.Id},{p.Frame},{p.Area},{CsvLine.Quote(p.Class)},{p.MajorAxis:0.###}\n"));
        });
    }

    /// <summary>
    /// One row per truth track of a scored tracking: truth_id, first_frame, last_frame, frames, mean_area_px,
    /// matched_frames, matched_fraction, dominant_track, dominant_fraction (of the matches), followed (true/false).
    /// </summary>
    public static void WriteTruthTracks(string path, TrackingScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        Write(path, "truth_id,first_frame,last_frame,frames,mean_area_px,matched_frames,matched_fraction,dominant_track,dominant_fraction,followed", w =>
        {
            foreach (TruthTrackScore t in score.PerTrack)
                w.Append(Invariant($"{t.TruthId},{t.FirstFrame},{t.LastFrame},{t.Frames},{t.MeanAreaPx:0.#},{t.MatchedFrames},{(double)t.MatchedFrames / t.Frames:0.###},{t.DominantTrack},{(t.MatchedFrames > 0 ? (double)t.DominantMatches / t.MatchedFrames : 0):0.###},{(t.Followed ? "true" : "false")}\n"));
        });
    }

    private static void Write(string path, string header, Action<StringBuilder> rows)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = new StringBuilder(header).Append('\n');
        rows(text);
        AtomicFile.WriteAllText(path, text.ToString());
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
