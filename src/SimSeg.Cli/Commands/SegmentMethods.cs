using System.CommandLine;
using System.Globalization;
using SimSeg.Core.Imaging;
using SimSeg.Core.IO;
using SimSeg.Segmentation.Baselines;

namespace SimSeg.Cli.Commands;

/// <summary>
/// The baseline methods of <c>simseg segment</c>: their flags, their one-line help and the mapping from a parse
/// result to a segmenter of one image (every page on its own).
/// </summary>
internal sealed class SegmentMethods
{
    /// <summary>Method names in the order the help lists them.</summary>
    public static IReadOnlyList<string> Names => BaselineMethods.Names;

    /// <summary>The --method help: one line per method.</summary>
    public const string Help =
        "Baseline, one of:\n" +
        "  otsu: Gaussian smoothing (--sigma, default 1) then Otsu's global threshold (PhySeg's baseline).\n" +
        "  noise: smoothing (--sigma, default 2) then a threshold --k robust standard deviations above the median background.\n" +
        "  adaptive: smoothing (--sigma, default 1) then pixel > local mean (--window gaussian|mean of --block-size px) - --offset (scikit-image threshold_local).\n" +
        "  oracle-threshold: smoothing (--sigma, default 1) then the global threshold that scores best against --truth (upper bound of global thresholds).\n" +
        "  mitometer: minus the background (min of disc medians, radii 0.3-1 µm or --radii), smoothing (--sigma, default 1), Otsu (Mitometer, Lefebvre 2021).\n" +
        "  vesselness: Frangi multiscale Hessian tubularity of bright ridges (--sigmas, default 1-3 px) then Otsu or --threshold (MitoGraph-style).\n" +
        "  kanezaki: unsupervised clustering by a CNN trained on its own argmax labels (Kanezaki 2018; slow), bright clusters kept by Otsu.\n" +
        "  unet: a trained network, given with --model MODEL_DIR (--method may then be left out).";

    private readonly Option<int> _blockSize = new("--block-size") { Description = "adaptive: side of the local window, pixels (odd, >= 3; the Gaussian window has σ = (size - 1) / 6).", DefaultValueFactory = _ => 51 };
    private readonly Option<string> _window = new("--window") { Description = "adaptive: gaussian (weighted local mean) or mean (box).", DefaultValueFactory = _ => "gaussian" };
    private readonly Option<double> _offset = new("--offset") { Description = "adaptive: subtracted from the local mean (image units; negative raises the threshold above the mean).", DefaultValueFactory = _ => 0 };
    private readonly Option<string?> _truth = new("--truth") { Description = "oracle-threshold: ground-truth mask TIFF (non-zero = foreground), or a folder holding one of the same file name per input." };
    private readonly Option<string> _criterion = new("--criterion") { Description = "oracle-threshold: score maximised, miou (mean of foreground and background IoU) or iou (foreground IoU).", DefaultValueFactory = _ => "miou" };
    private readonly Option<string?> _radii = new("--radii") { Description = "mitometer: median radii in pixels, e.g. 3,5,8 (default: 0.3-1 µm from the pixel size, 100 nm if unknown; at most 8)." };
    private readonly Option<string> _sigmas = new("--sigmas") { Description = "vesselness: Hessian scales in pixels, comma-separated (a bar of width w responds most at σ = w/2).", DefaultValueFactory = _ => "1,1.5,2,2.5,3" };
    private readonly Option<double?> _threshold = new("--threshold") { Description = "vesselness: threshold on the vesselness in [0, 1] (default: Otsu's); --model: probability above which a pixel is foreground (default: the model's, 0.5); for a mitochondria + vesicles model, the summed probability of the foreground classes above which a pixel takes its most probable foreground class (default: the most probable of all classes)." };
    /// <summary>The shared --threshold option (vesselness and trained models).</summary>
    public Option<double?> Threshold => _threshold;

    private readonly Option<int> _iterations = new("--iterations") { Description = "kanezaki: most training iterations per page.", DefaultValueFactory = _ => 1000 };
    private readonly Option<int> _minLabels = new("--min-labels") { Description = "kanezaki: stop once this many clusters or fewer remain.", DefaultValueFactory = _ => 3 };
    private readonly Option<int> _channels = new("--channels") { Description = "kanezaki: feature channels of the network.", DefaultValueFactory = _ => 100 };
    private readonly Option<ulong> _seed = new("--seed") { Description = "kanezaki: seed of the weight initialisation.", DefaultValueFactory = _ => 1 };

    /// <summary>Adds the method-specific flags to <paramref name="command"/>.</summary>
    public SegmentMethods(Command command)
    {
        foreach (var option in new Option[] { _blockSize, _window, _offset, _truth, _criterion, _radii, _sigmas, _threshold, _iterations, _minLabels, _channels, _seed }) command.Options.Add(option);
    }

    /// <summary>
    /// Validates the flags of <paramref name="method"/> and returns the segmenter: (image, its file) to a 0/1 mask.
    /// Argument errors throw <see cref="CliArgumentException"/> (exit 2); a missing truth file or one whose size differs from its
    /// image throws an IO exception (exit 3) when that image is segmented.
    /// </summary>
    public Func<Image<float>, string, Image<byte>> Bind(ParseResult parse, string method, double? sigma, double k)
    {
        if (!BaselineMethods.IsBaseline(method)) throw new CliArgumentException($"--method must be one of {string.Join(", ", Names)}, got '{method}'.");
        var settings = Settings(parse, method, sigma, k);
        if (method == BaselineMethods.OracleThreshold)
        {
            string truth = parse.GetValue(_truth) ?? throw new CliArgumentException("--method oracle-threshold needs --truth MASK_OR_DIR (the ground truth to score thresholds against).");
            if (!File.Exists(truth) && !Directory.Exists(truth)) throw new FileNotFoundException($"--truth not found: {truth}", truth);
            var oracle = settings.Oracle with { SmoothingSigma = settings.SigmaFor(method) };
            return (image, file) => Oracle(image, file, truth, oracle);
        }
        var segment = BaselineMethods.Create(method, settings);
        return (image, _) => segment(image, null);
    }

    /// <summary>The settings of <paramref name="method"/> from its flags; only that method's flags are read and checked.</summary>
    private BaselineSettings Settings(ParseResult parse, string method, double? sigma, double k)
    {
        var settings = new BaselineSettings { SmoothingSigma = sigma, NoiseK = k };
        switch (method)
        {
            case BaselineMethods.Adaptive:
                var adaptive = new AdaptiveThresholdOptions
                {
                    BlockSize = parse.GetValue(_blockSize),
                    Window = parse.GetValue(_window)!.ToLowerInvariant() switch
                    {
                        "gaussian" => LocalWindow.Gaussian,
                        "mean" => LocalWindow.Mean,
                        var w => throw new CliArgumentException($"--window must be gaussian or mean, got '{w}'."),
                    },
                    Offset = parse.GetValue(_offset),
                };
                if (adaptive.BlockSize < 3 || adaptive.BlockSize % 2 == 0) throw new CliArgumentException($"--block-size must be an odd number of pixels >= 3, got {adaptive.BlockSize}.");
                if (!double.IsFinite(adaptive.Offset)) throw new CliArgumentException($"--offset must be a finite number, got {adaptive.Offset}.");
                return settings with { Adaptive = adaptive };
            case BaselineMethods.OracleThreshold:
                return settings with
                {
                    Oracle = new OracleThresholdOptions
                    {
                        Criterion = parse.GetValue(_criterion)!.ToLowerInvariant() switch
                        {
                            "miou" => OracleCriterion.MeanIoU,
                            "iou" => OracleCriterion.ForegroundIoU,
                            var c => throw new CliArgumentException($"--criterion must be miou or iou, got '{c}'."),
                        },
                    },
                };
            case BaselineMethods.Mitometer:
                return settings with { Mitometer = new MitometerOptions { RadiiPixels = parse.GetValue(_radii) is { } radii ? IntList(radii, "--radii", 1) : null } };
            case BaselineMethods.Vesselness:
                double? threshold = parse.GetValue(_threshold);
                if (threshold is { } t && !(t >= 0 && t <= 1)) throw new CliArgumentException($"--threshold must be between 0 and 1, got {t}.");
                return settings with { Vesselness = new VesselnessOptions { Sigmas = PositiveList(parse.GetValue(_sigmas)!, "--sigmas"), Threshold = threshold } };
            case BaselineMethods.Kanezaki:
                int iterations = parse.GetValue(_iterations), channels = parse.GetValue(_channels);
                if (iterations < 0) throw new CliArgumentException($"--iterations must be >= 0, got {iterations}.");
                if (channels < 2) throw new CliArgumentException($"--channels must be >= 2, got {channels}.");
                return settings with
                {
                    Kanezaki = new KanezakiOptions
                    {
                        MaxIterations = iterations,
                        MinLabels = CliParse.Positive(parse.GetValue(_minLabels), "--min-labels"),
                        Channels = channels,
                        Seed = parse.GetValue(_seed),
                    },
                };
            default:
                return settings;
        }
    }

    // Reads the truth of one input (the file itself, or the file of the same name in a folder) and checks its size.
    private static Image<byte> Oracle(Image<float> image, string file, string truthPath, OracleThresholdOptions options)
    {
        string path = Directory.Exists(truthPath) ? Path.Combine(truthPath, Path.GetFileName(file)) : truthPath;
        if (!File.Exists(path)) throw new FileNotFoundException($"--truth has no mask for {Path.GetFileName(file)}: {path} not found", path);
        var truth = TiffReader.Read(path).ToFloat();
        if (truth.Width != image.Width || truth.Height != image.Height || truth.Depth != image.Depth)
            throw new InvalidDataException($"--truth {path} is {truth.Width}x{truth.Height}x{truth.Depth} but {file} is {image.Width}x{image.Height}x{image.Depth}; they must match.");
        var mask = new Image<byte>(truth.Width, truth.Height, truth.Depth);
        for (int i = 0; i < mask.Data.Length; i++) mask.Data[i] = truth.Data[i] != 0 ? (byte)1 : (byte)0;
        var (result, thresholds) = OracleThresholdSegmenter.Run(image, mask, options);
        CommandRunner.Note($"oracle-threshold: {Path.GetFileName(file)}: {(options.Criterion == OracleCriterion.MeanIoU ? "mIoU" : "IoU")} "
            + string.Join(", ", thresholds.Select(t => t.Score.ToString("0.000", CultureInfo.InvariantCulture)))
            + (thresholds.Length == 1 ? $" at threshold {thresholds[0].Value.ToString("G6", CultureInfo.InvariantCulture)}" : " (per page)"));
        return result;
    }

    private static int[] IntList(string text, string flag, int min)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i]) || values[i] < min)
                throw new CliArgumentException($"{flag} must be a comma-separated list of whole numbers >= {min}, got '{text}'.");
        return values;
    }

    private static double[] PositiveList(string text, string flag)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !(values[i] > 0) || double.IsInfinity(values[i]))
                throw new CliArgumentException($"{flag} must be a comma-separated list of numbers > 0, got '{text}'.");
        return values;
    }
}
