using System.CommandLine;
using System.Diagnostics;
using SimSeg.Simulation.Dataset;
using SimSeg.Simulation.Presets;
using SimSeg.Simulation.TimeLapse;

namespace SimSeg.Cli.Commands;

/// <summary><c>simseg simulate-movie</c>: a time-lapse with true track ids, the ground truth for tracking.</summary>
internal static class SimulateMovieCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset", "-p") { Description = "Preset (name or JSON path): microscope, camera, shapes and blinking.", DefaultValueFactory = _ => "epi1-mixed" };
        var frames = new Option<int>("--frames", "-t") { Description = "Number of frames.", DefaultValueFactory = _ => 100 };
        var width = new Option<int>("--width") { Description = "Frame width, pixels.", DefaultValueFactory = _ => 256 };
        var height = new Option<int>("--height") { Description = "Frame height, pixels.", DefaultValueFactory = _ => 256 };
        var mito = new Option<int?>("--mitochondria") { Description = "Mitochondria in the field (default: the preset's density scaled to the field)." };
        var vesicles = new Option<int?>("--vesicles") { Description = "Vesicles in the field (default: the preset's density scaled to the field)." };
        var diffusion = new Option<double>("--diffusion") { Description = "Brownian diffusion coefficient, nm² per frame.", DefaultValueFactory = _ => 100 };
        var directed = new Option<double>("--directed-fraction") { Description = "Fraction of objects that also drift in a straight line.", DefaultValueFactory = _ => 0.2 };
        var fission = new Option<double>("--fission") { Description = "Probability per frame that a mitochondrion splits.", DefaultValueFactory = _ => 0.002 };
        var fusion = new Option<double>("--fusion") { Description = "Probability per frame that two mitochondria with ends closer than 150 nm fuse.", DefaultValueFactory = _ => 0.1 };
        var depth = new Option<string?>("--z-range") { Description = "Depth band MIN,MAX (nm, relative to the focal plane at 0) for every object, replacing the preset's bands; e.g. -250,250 keeps everything within the depth of field." };
        var seed = new Option<ulong>("--seed") { Description = "Seed; the same seed gives the same movie whatever the thread count.", DefaultValueFactory = _ => 1UL };
        var output = new Option<string>("--out", "-o") { Description = "Output folder.", Required = true };
        var dataset = new Option<int?>("--dataset")
        {
            Description = "Instead of one movie, write this many frames, each the first frame of its own movie with these options, as a " +
                "training dataset for `simseg train` (images/, masks/, instances/ = track ids, classes/, meta/, manifest.csv): a " +
                "segmenter for frames like the movie's. --frames is not used.",
        };
        var split = new Option<string>("--split") { Description = "With --dataset: train,validation,test fractions.", DefaultValueFactory = _ => "0.6,0.2,0.2" };
        var command = new Command("simulate-movie",
            "Simulate a time-lapse: objects diffuse and drift, mitochondria curl, elongate, split and fuse, emitters blink\n" +
            "and bleach from frame to frame. Writes movie.tif (uint16, one page per frame), masks.tif (physics ground\n" +
            "truth), tracks.tif (true track id per pixel), classes.tif, truth_tracks.csv, truth_events.csv and movie.json.\n" +
            "Score a tracker against it with `simseg track ... --truth DIR`.\n\n" +
            "With --dataset N it writes N independent frames as a training dataset instead: train a U-Net on frames simulated\n" +
            "like the movie you will track (same field size, object counts, depth band and camera levels).\n\n" +
            "Examples:\n  simseg simulate-movie --preset epi1-mixed --frames 100 --mitochondria 20 --vesicles 30 --out movie\n" +
            "  simseg simulate-movie --preset epi1-mixed --width 1024 --height 1024 --mitochondria 15 --vesicles 35 --z-range -200,200 --dataset 200 --seed 2 --out frames\n" +
            "  simseg train --data frames --tile-size 128 --out models/frames")
        {
            preset, frames, width, height, mito, vesicles, diffusion, directed, fission, fusion, depth, seed, output, dataset, split,
        };
        command.SetAction((parse, token) => Task.FromResult(CommandRunner.Run(ct =>
        {
            var p = PresetCatalog.Load(parse.GetValue(preset)!);
            if (parse.GetValue(depth) is string band) p = WithDepthBand(p, ParseBand(band));
            var options = new MovieOptions
            {
                Frames = parse.GetValue(frames),
                Width = parse.GetValue(width),
                Height = parse.GetValue(height),
                MitochondriaCount = parse.GetValue(mito),
                VesicleCount = parse.GetValue(vesicles),
                DiffusionCoefficientNm2PerFrame = parse.GetValue(diffusion),
                FractionDirected = parse.GetValue(directed),
                FissionProbability = parse.GetValue(fission),
                FusionProbability = parse.GetValue(fusion),
            };
            options.Validate();
            string outDir = parse.GetValue(output)!;
            var clock = Stopwatch.StartNew();
            if (parse.GetValue(dataset) is int count)
            {
                if (count < 1) throw new CliArgumentException($"--dataset must be a positive number of frames, got {count}.");
                var fractions = SplitFractions.Parse(parse.GetValue(split)!);
                var summary = SimulateCommand.WithProgress("simulating frames", report =>
                    MovieDatasetWriter.Write(p, options, count, parse.GetValue(seed), fractions, outDir, Environment.ProcessorCount, report, ct));
                Console.WriteLine($"Wrote {summary.Written} frames of {options.Width}x{options.Height} with preset {p.Name} in {clock.Elapsed.TotalSeconds:0.0} s" +
                    (summary.Skipped > 0 ? $" ({summary.Skipped} already complete)." : "."));
                Console.WriteLine($"  manifest: {summary.ManifestPath}");
                Console.WriteLine($"  train on it: simseg train --data {outDir} --tile-size 128 --out MODEL_DIR");
                return ExitCodes.Success;
            }
            var files = SimulateCommand.WithProgress("simulating frames", report => MovieWriter.Write(p, options, parse.GetValue(seed), outDir, report, ct));
            Console.WriteLine($"Simulated {options.Frames} frames of {options.Width}x{options.Height} with preset {p.Name} in {clock.Elapsed.TotalSeconds:0.0} s.");
            Console.WriteLine($"  movie:        {files.Movie}");
            Console.WriteLine($"  masks:        {files.Masks}");
            Console.WriteLine($"  track ids:    {files.Tracks}");
            Console.WriteLine($"  classes:      {files.Classes}");
            Console.WriteLine($"  true tracks:  {files.TruthTracks}");
            Console.WriteLine($"  true events:  {files.TruthEvents}");
            return ExitCodes.Success;
        }, token)));
        return command;
    }

    /// <summary>The preset with every object's depth band replaced by <paramref name="band"/>.</summary>
    internal static Preset WithDepthBand(Preset preset, SimSeg.Core.Interval band) => preset with
    {
        Scene = preset.Scene with
        {
            Mitochondria = preset.Scene.Mitochondria with { ZRangeNm = band },
            Vesicles = preset.Scene.Vesicles with { ZRangeNm = band },
            MeshZRangeNm = band,
        },
    };

    private static SimSeg.Core.Interval ParseBand(string text)
    {
        string[] parts = text.Split(',');
        if (parts.Length == 2
            && double.TryParse(parts[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double min)
            && double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double max)
            && double.IsFinite(min) && double.IsFinite(max) && min <= max)
            return new SimSeg.Core.Interval(min, max);
        throw new CliArgumentException($"--z-range must be MIN,MAX in nm with MIN <= MAX (e.g. -250,250), got '{text}'.");
    }
}
