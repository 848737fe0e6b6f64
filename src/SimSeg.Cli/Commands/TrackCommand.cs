using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SimSeg.Analysis.Tracking;
using SimSeg.Core.Imaging;
using SimSeg.Core.IO;

namespace SimSeg.Cli.Commands;

/// <summary><c>simseg track</c>: Kalman + Hungarian tracking of objects through a mask or label time series.</summary>
internal static class TrackCommand
{
    public static Command Create()
    {
        var frames = new Argument<string>("FRAMES") { Description = "Masks (0/1 or 0/255) or label images over time: one multi-page TIFF (a page per frame) or a folder of single-frame TIFFs (sorted by name)." };
        var classes = new Option<string?>("--classes") { Description = "Class images of the same frames (1 mitochondrion, 2 vesicle), e.g. classes.tif of `simulate-movie`; enables vesicle–mitochondrion contacts." };
        var truth = new Option<string?>("--truth") { Description = "A `simulate-movie` folder (tracks.tif holds the true track ids): scores the tracking (MOTA, ID switches, tracks followed)." };
        var maxDistance = new Option<double>("--max-distance") { Description = "Gate: largest distance (pixels) between a track's predicted position and a detection it may take.", DefaultValueFactory = _ => 10 };
        var maxGap = new Option<int>("--max-gap") { Description = "Frames a track may be missing and still be continued (gap closing).", DefaultValueFactory = _ => 3 };
        var contact = new Option<double>("--contact-distance") { Description = "Vesicle–mitochondrion contact when their boundaries are closer than this (pixels)…", DefaultValueFactory = _ => 2 };
        var contactFrames = new Option<int>("--contact-frames") { Description = "…for at least this many consecutive frames.", DefaultValueFactory = _ => 3 };
        var match = new Option<string>("--match") { Description = "With --truth: ctc (a prediction covering more than half of a true object matches it, the Cell Tracking Challenge rule) or iou (IoU >= 0.5).", DefaultValueFactory = _ => "ctc" };
        var overlays = new Option<bool>("--overlays") { Description = "Also write overlays/frame_NNNN.png with track ids." };
        var output = new Option<string>("--out", "-o") { Description = "Output folder.", Required = true };
        var byClass = new Option<bool>("--by-class")
        {
            Description = "FRAMES are class maps (0 background, 1 mitochondrion, 2 vesicle: `segment --model` of a mitochondria + vesicles " +
                "model, or classes.tif of `simulate-movie`): each class is labelled on its own, so a vesicle touching a mitochondrion " +
                "stays a separate object, and each object's class comes from the map (no --classes needed).",
        };
        var withinClass = new Option<bool?>("--link-within-class")
        {
            Description = "Link a track only to detections of its own class, so a vesicle and a mitochondrion never swap tracks. " +
                "Default: on with --by-class (classes from class maps), off otherwise (a class read from a merged component can flip); `--link-within-class false` turns it off.",
        };
        var minArea = new Option<int>("--min-area")
        {
            Description = "Ignore objects smaller than this many pixels (their labels are cleared before tracking and scoring): fragments that noise splits off an object then neither start tracks nor take one. 0 keeps all.",
            DefaultValueFactory = _ => 0,
        };
        var command = new Command("track",
            "Track objects through time: constant-velocity Kalman filters, exact Hungarian assignment with a distance gate,\n" +
            "gap closing, births and deaths; events from overlaps (fission, fusion), morphology changes along tracks and\n" +
            "vesicle–mitochondrion contacts. Writes tracks.csv, events.csv, morphology.csv (and score.json and truth-tracks.csv with --truth).\n\n" +
            "Examples:\n" +
            "  simseg simulate-movie --frames 100 --out movie\n" +
            "  simseg segment movie/movie.tif --method otsu --out seg\n" +
            "  simseg track seg/movie.tif --classes movie/classes.tif --truth movie --overlays --out tracking\n" +
            "  simseg segment movie/movie.tif --model models/frames --out seg   # a mito-vesicle model: class maps\n" +
            "  simseg track seg/movie.tif --by-class --min-area 5 --truth movie --out tracking")
        {
            frames, classes, byClass, withinClass, minArea, truth, maxDistance, maxGap, contact, contactFrames, match, overlays, output,
        };
        command.SetAction((parse, token) => Task.FromResult(CommandRunner.Run(ct =>
        {
            var options = new TrackerOptions
            {
                MaxLinkDistancePx = parse.GetValue(maxDistance), MaxGapFrames = parse.GetValue(maxGap),
                LinkWithinClass = parse.GetValue(withinClass) ?? parse.GetValue(byClass),
            };
            var criterion = parse.GetValue(match)!.ToLowerInvariant() switch
            {
                "ctc" => MatchCriterion.CellTrackingChallenge,
                "iou" => MatchCriterion.IoU,
                string other => throw new CliArgumentException($"--match must be ctc or iou, got '{other}'."),
            };
            options.Validate();
            if (parse.GetValue(minArea) < 0) throw new CliArgumentException($"--min-area must be >= 0 pixels, got {parse.GetValue(minArea)}.");
            IReadOnlyList<Image<int>> labels;
            IReadOnlyList<IReadOnlyList<Detection>>? classDetections = null;
            Func<Detection, string>? classify = null;
            if (parse.GetValue(byClass))
            {
                if (parse.GetValue(classes) is not null)
                    throw new CliArgumentException("--classes and --by-class exclude each other: with --by-class the classes come from FRAMES themselves.");
                (labels, classDetections) = Detections.FromClassMaps(ReadClassMaps(parse.GetValue(frames)!));
            }
            else labels = ReadFrames(parse.GetValue(frames)!);
            if (parse.GetValue(classes) is string classPath)
            {
                var classFrames = RawPlanes(classPath);
                if (classFrames.Count != labels.Count || classFrames[0].Width != labels[0].Width || classFrames[0].Height != labels[0].Height)
                    throw new CliArgumentException($"--classes {classPath} has {classFrames.Count} frame(s) of {classFrames[0].Width}x{classFrames[0].Height}; the frames are {labels.Count} of {labels[0].Width}x{labels[0].Height}.");
                var classOf = new Dictionary<int, string>[labels.Count];
                classify = d => (classOf[d.Frame] ??= MajorityClasses(labels[d.Frame], classFrames[d.Frame]))[d.Label];
            }
            var clock = Stopwatch.StartNew();
            var detections = classDetections ?? Detections.FromLabels(labels, classify);
            if (parse.GetValue(minArea) is int smallest && smallest > 0) (labels, detections) = Detections.RemoveSmall(labels, detections, smallest);
            var tracking = Tracker.Track(detections, options);
            var events = EventDetector.Detect(labels, tracking, new EventOptions { ContactDistancePx = parse.GetValue(contact), MinContactFrames = parse.GetValue(contactFrames) });
            double seconds = clock.Elapsed.TotalSeconds;

            string outDir = parse.GetValue(output)!;
            Directory.CreateDirectory(outDir);
            TrackingCsv.WriteTracks(Path.Combine(outDir, "tracks.csv"), tracking);
            TrackingCsv.WriteEvents(Path.Combine(outDir, "events.csv"), events);
            TrackingCsv.WriteMorphology(Path.Combine(outDir, "morphology.csv"), tracking);
            if (parse.GetValue(overlays)) WriteOverlays(Path.Combine(outDir, "overlays"), labels, tracking);

            Console.WriteLine($"Tracked {detections.Sum(f => f.Count)} detections in {labels.Count} frames into {tracking.Tracks.Count} tracks " +
                $"({tracking.Births.Count} births, {tracking.Deaths.Count} deaths) in {seconds:0.00} s; {events.Count} events.");
            foreach (var group in events.GroupBy(e => e.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
                Console.WriteLine($"  {group.Key,-12} {group.Count()}");
            Console.WriteLine($"  tracks:     {Path.Combine(outDir, "tracks.csv")}");
            Console.WriteLine($"  events:     {Path.Combine(outDir, "events.csv")}");
            Console.WriteLine($"  morphology: {Path.Combine(outDir, "morphology.csv")}");

            if (parse.GetValue(truth) is string truthDir)
            {
                string truthPath = Path.Combine(truthDir, "tracks.tif");
                if (!File.Exists(truthPath)) throw new FileNotFoundException($"--truth {truthDir} has no tracks.tif (write one with `simseg simulate-movie`).", truthPath);
                var truthFrames = RawPlanes(truthPath);
                if (truthFrames.Count != labels.Count)
                    throw new CliArgumentException($"--truth {truthDir} has {truthFrames.Count} frames; the frames are {labels.Count}.");
                var score = TrackingScore.Compute(labels, tracking, truthFrames, criterion);
                byte[] json = JsonSerializer.SerializeToUtf8Bytes(score, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
                AtomicFile.Write(Path.Combine(outDir, "score.json"), s => s.Write(json));
                TrackingCsv.WriteTruthTracks(Path.Combine(outDir, "truth-tracks.csv"), score);
                Console.WriteLine($"Against the truth: MOTA {score.Mota:0.000}, {score.IdSwitches} ID switches ({score.IdSwitchRate:P2} of true detections), " +
                    $"{score.FollowedTracks}/{score.TruthTracks} tracks followed ({score.FollowedFraction:P1}), mean IoU {score.MeanIoU:0.00}, FN {score.FalseNegatives}, FP {score.FalsePositives}.");
                Console.WriteLine($"  score:      {Path.Combine(outDir, "score.json")}, per truth track: {Path.Combine(outDir, "truth-tracks.csv")}");
            }
            return ExitCodes.Success;
        }, token)));
        return command;
    }

    /// <summary>Reads the frames (multi-page TIFF or a folder of TIFFs) as label images; binary masks are labelled (8-connectivity).</summary>
    internal static IReadOnlyList<Image<int>> ReadFrames(string source)
    {
        var files = SegmentCommand.InputFiles(source);
        var frames = new List<Image<int>>();
        foreach (string file in files) frames.AddRange(Detections.SplitPlanes(AnalyzeCommand.ToLabels(TiffReader.Read(file), file)));
        return RequireOneSize(frames, source);
    }

    /// <summary>Reads class maps (multi-page TIFF or a folder), one per frame, with values 0-255 kept as they are.</summary>
    private static IReadOnlyList<Image<byte>> ReadClassMaps(string source)
    {
        var frames = new List<Image<byte>>();
        foreach (string file in SegmentCommand.InputFiles(source))
            foreach (var plane in RawPlanes(file))
            {
                var map = new Image<byte>(plane.Width, plane.Height, 1, plane.Calibration);
                for (int i = 0; i < map.Data.Length; i++)
                {
                    int v = plane.Data[i];
                    if (v is < 0 or > 255) throw new InvalidDataException($"{file}: --by-class needs class maps with values 0-255 (0 background, 1 mitochondrion, 2 vesicle), found {v}.");
                    map.Data[i] = (byte)v;
                }
                frames.Add(map);
            }
        return RequireOneSize(frames, source);
    }

    /// <summary>Returns <paramref name="frames"/> when all have the size of the first, else throws naming the first that differs.</summary>
    private static IReadOnlyList<Image<T>> RequireOneSize<T>(IReadOnlyList<Image<T>> frames, string source) where T : unmanaged
    {
        for (int i = 1; i < frames.Count; i++)
            if (frames[i].Width != frames[0].Width || frames[i].Height != frames[0].Height)
                throw new InvalidDataException($"{source}: frame {i} is {frames[i].Width}x{frames[i].Height} but frame 0 is {frames[0].Width}x{frames[0].Height}; all frames must have one size.");
        return frames;
    }

    /// <summary>The pages of a class or track-id image as integers (values kept, not relabelled).</summary>
    private static IReadOnlyList<Image<int>> RawPlanes(string path) =>
        Detections.SplitPlanes(SimSeg.Shapes.Instances.LabelVolumes.FromTiff(TiffReader.Read(path), path));

    // The most common class (1 mitochondrion, 2 vesicle) under each object's pixels, in one pass over the frame.
    private static Dictionary<int, string> MajorityClasses(Image<int> labels, Image<int> classes)
    {
        var votes = new Dictionary<int, (int Mito, int Vesicle)>();
        for (int i = 0; i < labels.Data.Length; i++)
        {
            int label = labels.Data[i];
            if (label == 0) continue;
            var (mito, vesicle) = votes.GetValueOrDefault(label);
            votes[label] = (mito + (classes.Data[i] == 1 ? 1 : 0), vesicle + (classes.Data[i] == 2 ? 1 : 0));
        }
        return votes.ToDictionary(v => v.Key, v => v.Value.Vesicle > v.Value.Mito ? "vesicle" : "mitochondrion");
    }

    private static void WriteOverlays(string dir, IReadOnlyList<Image<int>> labels, TrackingResult tracking)
    {
        Directory.CreateDirectory(dir);
        var idOf = tracking.BuildLabelIndex();
        for (int f = 0; f < labels.Count; f++)
        {
            var frame = labels[f];
            int w = frame.Width, h = frame.Height, scale = w >= 512 ? 2 : 1;
            var rgb = new byte[w * h * 3];
            var sums = new Dictionary<int, (double X, double Y, int N)>();
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    int label = frame[x, y];
                    if (label == 0 || !idOf.TryGetValue((f, label), out int id)) continue;
                    // A stable colour per track id (golden-ratio hue steps).
                    double hue = (id * 0.618033988749895) % 1.0;
                    var (r, g, b) = Hsv(hue, 0.65, 0.95);
                    int i = (y * w + x) * 3;
                    rgb[i] = r; rgb[i + 1] = g; rgb[i + 2] = b;
                    var s = sums.TryGetValue(id, out var v) ? v : (0, 0, 0);
                    sums[id] = (s.X + x, s.Y + y, s.N + 1);
                }
            foreach (var (id, s) in sums)
                DigitFont.Draw(rgb, w, h, (int)(s.X / s.N) - DigitFont.Width(id, scale) / 2, (int)(s.Y / s.N) - 2 * scale, id, scale, 255, 255, 255);
            PngWriter.WriteRgb8(Path.Combine(dir, $"frame_{f.ToString("D4", CultureInfo.InvariantCulture)}.png"), w, h, rgb);
        }
    }

    private static (byte, byte, byte) Hsv(double h, double s, double v)
    {
        double c = v * s, x = c * (1 - Math.Abs(h * 6 % 2 - 1)), m = v - c;
        var (r, g, b) = (int)(h * 6) switch { 0 => (c, x, 0.0), 1 => (x, c, 0.0), 2 => (0.0, c, x), 3 => (0.0, x, c), 4 => (x, 0.0, c), _ => (c, 0.0, x) };
        return ((byte)((r + m) * 255), (byte)((g + m) * 255), (byte)((b + m) * 255));
    }
}
