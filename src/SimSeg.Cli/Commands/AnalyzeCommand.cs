using System.CommandLine;
using SimSeg.Analysis.Classification;
using SimSeg.Analysis.Labels;
using SimSeg.Core.Imaging;
using SimSeg.Core.IO;

namespace SimSeg.Cli.Commands;

/// <summary><c>simseg analyze</c>: morphology of every object in masks or label images (PhySeg Fig. 4).</summary>
internal static class AnalyzeCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("MASK_OR_DIR") { Description = "Binary masks (0/1 or 0/255) or label images as TIFF, or folders of them; several pages = several images.", Arity = ArgumentArity.OneOrMore };
        var image = new Option<string?>("--image") { Description = "Raw image for intensities and overlays (same size as the mask; only with one mask file)." };
        var pixel = new Option<double?>("--pixel-size") { Description = "Pixel size, nm (default: from the TIFF metadata; required when the file has none)." };
        var kind = new Option<string>("--kind") { Description = "mito (dot/rod/network), vesicle (small/large by a fitted circle) or auto (decide per object).", DefaultValueFactory = _ => "mito" };
        var conditions = new Option<string[]>("--condition") { Description = "Condition of each input, in order (repeat the flag), to compare conditions in one table and one plot.", AllowMultipleArgumentsPerToken = false };
        var connectivity = new Option<int>("--connectivity") { Description = "Pixel connectivity of objects in binary masks: 4 or 8.", DefaultValueFactory = _ => 8 };
        var dotArea = new Option<int>("--dot-max-area") { Description = "Largest area (pixels) of a dot (PhySeg: 120).", DefaultValueFactory = _ => 120 };
        var dotAreaUm = new Option<double?>("--dot-max-area-um2") { Description = "The dot area threshold in µm² instead of pixels." };
        var output = new Option<string>("--out", "-o") { Description = "Output folder.", Required = true };
        var command = new Command("analyze",
            "Measure every object: area, perimeter, centroid, axes, eccentricity, solidity, intensity; skeleton, branches\n" +
            "(endpoint-endpoint, endpoint-junction, junction-junction, cycle) and their lengths; classes by PhySeg's rule\n" +
            "(dot: area <= 120 px and max degree 1; rod: area > 120 px and max degree 1; network otherwise; vesicles\n" +
            "small if r <= 150 nm). Writes objects.csv, branches.csv, summary.csv, labels/ (TIFF), overlays/ (PNG) and\n" +
            "plots/ (SVG: class frequencies, area violins per condition, branch-length histograms).\n\n" +
            "Examples:\n" +
            "  simseg analyze masks/ --pixel-size 42 --out analysis\n" +
            "  simseg analyze control/ treated/ --condition control --condition treated --out compare\n" +
            "  simseg analyze ves-mask.tif --image ves.tif --kind vesicle --out ves-analysis")
        {
            inputs, image, pixel, kind, conditions, connectivity, dotArea, dotAreaUm, output,
        };
        command.SetAction((parse, token) => Task.FromResult(CommandRunner.Run(ct =>
        {
            string[] paths = parse.GetValue(inputs)!;
            string[] conds = parse.GetValue(conditions) ?? [];
            if (conds.Length != 0 && conds.Length != paths.Length)
                throw new CliArgumentException($"--condition must be given once per input ({paths.Length}), got {conds.Length}.");
            var options = new AnalyzeOptions
            {
                Kind = parse.GetValue(kind)!.ToLowerInvariant() switch
                {
                    "mito" => AnalysisKind.Mito,
                    "vesicle" => AnalysisKind.Vesicle,
                    "auto" => AnalysisKind.Auto,
                    string other => throw new CliArgumentException($"--kind must be mito, vesicle or auto, got '{other}'."),
                },
                Connectivity = parse.GetValue(connectivity) switch
                {
                    4 => Connectivity2D.Four,
                    8 => Connectivity2D.Eight,
                    int other => throw new CliArgumentException($"--connectivity must be 4 or 8, got {other}."),
                },
                Mito = new MitoClassThresholds { DotMaxAreaPx = parse.GetValue(dotArea), DotMaxAreaUm2 = parse.GetValue(dotAreaUm) },
            };
            double? pixelFlag = parse.GetValue(pixel);
            if (pixelFlag is double p && !(p > 0 && double.IsFinite(p))) throw new CliArgumentException($"--pixel-size must be a number > 0 (nm), got {p}.");
            string? rawPath = parse.GetValue(image);
            var files = paths.Select(SegmentCommand.InputFiles).ToArray();
            if (rawPath is not null && files.Sum(f => f.Length) != 1)
                throw new CliArgumentException("--image can be used with exactly one mask file.");

            string outDir = parse.GetValue(output)!;
            Directory.CreateDirectory(Path.Combine(outDir, "labels"));
            Directory.CreateDirectory(Path.Combine(outDir, "overlays"));
            Directory.CreateDirectory(Path.Combine(outDir, "plots"));
            var analyses = new List<NamedAnalysis>();
            for (int i = 0; i < paths.Length; i++)
            {
                string? condition = conds.Length > 0 ? conds[i] : null;
                foreach (string file in files[i])
                {
                    ct.ThrowIfCancellationRequested();
                    var tiff = TiffReader.Read(file);
                    double pixelNm = pixelFlag ?? (tiff.Calibration.IsKnown ? tiff.Calibration.PixelWidthNm : 0);
                    if (pixelNm <= 0)
                        throw new CliArgumentException($"{file} has no pixel size in its metadata; pass --pixel-size NM.");
                    var stack = ToLabels(tiff, file);
                    Image<float>? raw = rawPath is null ? null : TiffReader.Read(rawPath).ToFloat();
                    if (raw is not null && (raw.Width != stack.Width || raw.Height != stack.Height || raw.Depth != stack.Depth))
                        throw new CliArgumentException($"--image {rawPath} is {raw.Width}x{raw.Height}x{raw.Depth} but the mask is {stack.Width}x{stack.Height}x{stack.Depth}.");
                    for (int z = 0; z < stack.Depth; z++)
                    {
                        string name = Path.GetFileNameWithoutExtension(file) + (stack.Depth > 1 ? $"_p{z:D3}" : "");
                        var plane = stack.ClonePlane(z);
                        plane.Calibration = Calibration.Square(pixelNm);
                        var (labels, _) = Measure.Relabel(plane);
                        labels.Calibration = plane.Calibration;
                        var analysis = ObjectAnalyzer.Analyze(labels, options with { PixelSizeNm = pixelNm }, raw?.ClonePlane(z));
                        analyses.Add(new NamedAnalysis(analysis, name, condition));
                        TiffWriter.Write(Path.Combine(outDir, "labels", name + ".tif"), labels);
                        WriteOverlay(Path.Combine(outDir, "overlays", name + ".png"), labels, analysis, raw?.ClonePlane(z));
                    }
                }
            }
            AnalysisCsv.WriteObjects(Path.Combine(outDir, "objects.csv"), analyses);
            AnalysisCsv.WriteBranches(Path.Combine(outDir, "branches.csv"), analyses);
            AnalysisCsv.WriteSummary(Path.Combine(outDir, "summary.csv"), analyses);
            AnalysisPlots.WriteAll(Path.Combine(outDir, "plots"), analyses);

            int objects = analyses.Sum(a => a.Analysis.Objects.Count);
            Console.WriteLine($"Analysed {objects} objects in {analyses.Count} image(s).");
            foreach (var group in analyses.SelectMany(a => a.Analysis.Objects.Select(o => (a.Condition, o.ClassName))).GroupBy(g => g).OrderBy(g => g.Key.Condition).ThenBy(g => AnalysisPlots.ClassIndex(g.Key.ClassName)))
                Console.WriteLine($"  {(group.Key.Condition is null ? "" : group.Key.Condition + ": ")}{group.Key.ClassName,-8} {group.Count()}");
            Console.WriteLine($"  tables:   {Path.Combine(outDir, "objects.csv")}, branches.csv, summary.csv");
            Console.WriteLine($"  labels:   {Path.Combine(outDir, "labels")}");
            Console.WriteLine($"  overlays: {Path.Combine(outDir, "overlays")}");
            Console.WriteLine($"  plots:    {Path.Combine(outDir, "plots")}");
            return ExitCodes.Success;
        }, token)));
        return command;
    }

    /// <summary>
    /// Reads a mask or label TIFF as integer labels: binary (0/1 or 0/255) masks stay 0/1 and are labelled by
    /// connectivity later; anything else must hold non-negative integer labels.
    /// </summary>
    internal static Image<int> ToLabels(TiffImageData tiff, string file)
    {
        var result = SimSeg.Shapes.Instances.LabelVolumes.FromTiff(tiff, file);
        bool binary = true;
        for (int i = 0; i < result.Data.Length; i++)
        {
            int v = result.Data[i];
            if (v < 0) throw new InvalidDataException($"{file}: pixel {i} holds {v}; a mask must be 0/1 (or 0/255) and a label image must hold non-negative integers.");
            if (v != 0 && v != 1 && v != 255) binary = false;
        }
        if (!binary) return result;
        for (int i = 0; i < result.Data.Length; i++) result.Data[i] = result.Data[i] != 0 ? 1 : 0;
        return LabelBinary(result);
    }

    // Binary planes are labelled by 8-connectivity here so that each plane becomes a label image.
    private static Image<int> LabelBinary(Image<int> mask)
    {
        var labelled = new Image<int>(mask.Width, mask.Height, mask.Depth, mask.Calibration);
        for (int z = 0; z < mask.Depth; z++)
        {
            var plane = new Image<byte>(mask.Width, mask.Height);
            var source = mask.Plane(z);
            for (int i = 0; i < source.Length; i++) plane.Data[i] = (byte)source[i];
            var (labels, _) = Measure.Label(plane);
            labels.Data.CopyTo(labelled.Plane(z));
        }
        return labelled;
    }

    private static void WriteOverlay(string path, Image<int> labels, ImageAnalysis analysis, Image<float>? raw)
    {
        var classOf = new Dictionary<int, byte>();
        foreach (var o in analysis.Objects) classOf[o.Label] = (byte)(AnalysisPlots.ClassIndex(o.ClassName) + 1);
        var classes = new Image<byte>(labels.Width, labels.Height);
        for (int i = 0; i < labels.Data.Length; i++)
            classes.Data[i] = labels.Data[i] != 0 && classOf.TryGetValue(labels.Data[i], out byte c) ? c : (byte)0;
        Image<float> background = raw ?? new Image<float>(labels.Width, labels.Height, 1, labels.Data.Select(v => v != 0 ? 1f : 0f).ToArray());
        var (rgb, width) = Overlay.SideBySide(background, classes, 0, AnalysisPlots.ClassPalette);
        PngWriter.WriteRgb8(path, width, labels.Height, rgb);
    }
}
