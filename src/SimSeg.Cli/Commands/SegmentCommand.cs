using System.CommandLine;
using SimSeg.Core.Imaging;
using SimSeg.Core.IO;

namespace SimSeg.Cli.Commands;

/// <summary><c>simseg segment</c>: segments images or image series with a threshold baseline or a trained model (<c>--model</c>).</summary>
internal static class SegmentCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("IMAGE_OR_DIR") { Description = "A TIFF (2D, stack or time series: every page is segmented on its own) or a folder of TIFFs." };
        var method = new Option<string>("--method", "-m") { Description = SegmentMethods.Help, DefaultValueFactory = _ => "otsu" };
        var sigma = new Option<double?>("--sigma") { Description = "Gaussian smoothing before thresholding, pixels (0 = none; default 2 for noise, 1 otherwise; not used by vesselness)." };
        var k = new Option<double>("--k") { Description = "noise: threshold in robust standard deviations above the background.", DefaultValueFactory = _ => 5 };
        var minSize = new Option<int>("--min-size") { Description = "Remove objects smaller than this many pixels (8-connected) from each mask page.", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out", "-o") { Description = "Output folder: one uint8 0/1 mask TIFF per input (same name, pixel size carried over).", Required = true };
        var model = new Option<string?>("--model") { Description = "A model folder from `simseg train`: segment with the trained network (also writes NAME.prob.tif, float32 probabilities, and NAME.png, an overlay coloured by class). A model trained with --classes mito-vesicle writes NAME.tif as a class map (0 background, 1 mitochondrion, 2 vesicle) and K pages per frame in NAME.prob.tif (page f*K + k: class k of frame f). Implies --method unet." };
        var tile = new Option<int>("--tile") { Description = "--model: tile side for inference, pixels (any image size works; tiles overlap and are blended).", DefaultValueFactory = _ => 256 };
        var overlap = new Option<int>("--overlap") { Description = "--model: overlap of neighbouring tiles, pixels.", DefaultValueFactory = _ => 32 };
        var tta = new Option<bool>("--tta") { Description = "--model: test-time augmentation, the probabilities averaged over the 8 flips and 90° rotations of every tile (8× the time)." };
        var temporalWindow = new Option<int>("--temporal-window")
        {
            Description = "--model, time series: average the probabilities over this odd number of frames centred on each frame before the mask or class map is made (objects that move little between frames are found in more frames despite noise and blinking; NAME.prob.tif keeps the per-frame probabilities).",
            DefaultValueFactory = _ => 1,
        };
        var command = new Command("segment",
            "Segment images into binary masks, page by page.\n\n" +
            "Examples:\n" +
            "  simseg segment movie/movie.tif --method noise --out movie-seg\n" +
            "  simseg segment cells/ --method otsu --sigma 1.5 --min-size 20 --out cells-seg\n" +
            "  simseg segment data/images --method oracle-threshold --truth data/masks --out oracle-seg\n" +
            "  simseg segment cells/ --model models/epi1-mito --tile 256 --overlap 32 --out cells-unet\n" +
            "  simseg segment cells/ --model models/epi1-vesicle --tta --out cells-unet\n" +
            "  simseg segment movie/movie.tif --model models/frames --threshold 0.1 --temporal-window 5 --out movie-seg")
        { input, method, sigma, k, minSize, output, model, tile, overlap, tta, temporalWindow };
        var methods = new SegmentMethods(command);
        command.SetAction((parse, token) => Task.FromResult(CommandRunner.Run(ct =>
        {
            string m = parse.GetValue(method)!.ToLowerInvariant();
            if (parse.GetValue(model) is not null || m == "unet")
            {
                if (parse.GetResult(method) is { Implicit: false } && m != "unet") throw new CliArgumentException($"--model segments with the trained network; leave out --method {m} (or use --method unet).");
                string modelDir = parse.GetValue(model) ?? throw new CliArgumentException("--method unet needs --model MODEL_DIR (a folder written by `simseg train`).");
                var tiling = new SimSeg.Segmentation.Inference.TilingOptions { TileSize = parse.GetValue(tile), Overlap = parse.GetValue(overlap), TestTimeAugmentation = parse.GetValue(tta) };
                int window = parse.GetValue(temporalWindow);
                if (window < 1 || window % 2 == 0) throw new CliArgumentException($"--temporal-window must be a positive odd number of frames (1 = none), got {window}.");
                return ModelSegmentation.Run(modelDir, InputFiles(parse.GetValue(input)!), parse.GetValue(output)!, tiling, parse.GetValue(methods.Threshold), ct, window);
            }
            if (parse.GetResult(temporalWindow) is { Implicit: false }) throw new CliArgumentException("--temporal-window applies to --model (averaging a network's probabilities over frames).");
            double? s = parse.GetValue(sigma);
            if (s is { } sv && (!(sv >= 0) || double.IsInfinity(sv))) throw new CliArgumentException($"--sigma must be a number >= 0, got {sv}.");
            int minPixels = parse.GetValue(minSize);
            if (minPixels < 0) throw new CliArgumentException($"--min-size must be >= 0 pixels, got {minPixels}.");
            double kValue = parse.GetValue(k);
            if (!(kValue > 0) || double.IsInfinity(kValue)) throw new CliArgumentException($"--k must be a number > 0, got {kValue}.");
            var segment = methods.Bind(parse, m, s, kValue);
            string source = parse.GetValue(input)!;
            string outDir = parse.GetValue(output)!;
            var files = InputFiles(source);
            Directory.CreateDirectory(outDir);
            foreach (string file in files)
            {
                ct.ThrowIfCancellationRequested();
                var image = TiffReader.Read(file).ToFloat();
                var mask = segment(image, file);
                if (minPixels > 0) mask = SimSeg.Analysis.Labels.SmallObjects.Remove(mask, minPixels);
                string target = Path.Combine(outDir, Path.GetFileName(file));
                TiffWriter.Write(target, mask);
                Console.WriteLine($"{file} -> {target} ({mask.Depth} page(s), {mask.Data.Count(v => v != 0) * 100.0 / mask.Data.Length:0.0}% foreground)");
            }
            return ExitCodes.Success;
        }, token)));
        return command;
    }

    /// <summary>The TIFF files named by a file or folder argument.</summary>
    internal static string[] InputFiles(string source)
    {
        if (File.Exists(source)) return [source];
        if (Directory.Exists(source))
        {
            var files = Directory.GetFiles(source).Where(f => f.EndsWith(".tif", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".tiff", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).ToArray();
            if (files.Length == 0) throw new FileNotFoundException($"no .tif or .tiff files in {source}", source);
            return files;
        }
        throw new FileNotFoundException($"input not found: {source}", source);
    }
}
