using SimSeg.Core.Imaging;
using SimSeg.Core.IO;
using SimSeg.Segmentation.Inference;
using SimSeg.Segmentation.Models;

namespace SimSeg.Cli.Commands;

/// <summary>The <c>segment --model</c> path: a trained network through tiled inference, with probability maps and overlays.</summary>
internal static class ModelSegmentation
{
    /// <summary>
    /// Segments every file with the model of <paramref name="modelDir"/>; writes per input NAME.tif (binary model: uint8
    /// 0/1 mask, as the baselines; K-class model: uint8 class map 0…K−1), NAME.prob.tif (float32 probabilities: one
    /// page per frame, or K pages per frame in class order) and NAME.png (image | overlay of the first frame coloured by
    /// class), each with the input's pixel size.
    /// </summary>
    public static int Run(string modelDir, string[] files, string outDir, TilingOptions tiling, double? threshold, CancellationToken ct, int temporalWindow = 1)
    {
        tiling.Validate();
        if (threshold is double t && !(t > 0 && t < 1)) throw new CliArgumentException($"--threshold must lie in (0, 1), got {t}.");
        var bundle = ModelBundle.Load(modelDir);
        int channels = bundle.Model.InChannels;
        var names = bundle.Config.ClassNames;
        Directory.CreateDirectory(outDir);
        foreach (string file in files)
        {
            ct.ThrowIfCancellationRequested();
            var image = TiffReader.Read(file).ToFloat();
            if (image.Depth % channels != 0)
                throw new InvalidDataException($"{file}: the model expects {channels} channels (pages per frame) but the image has {image.Depth} page(s), not a multiple of {channels}.");
            double trained = bundle.Config.PixelSizeNm, actual = image.Calibration.PixelWidthNm;
            if (trained > 0 && actual > 0 && Math.Abs(actual / trained - 1) > 0.1)
                CommandRunner.Note($"{Path.GetFileName(file)} has {actual:0.#} nm pixels; the model was trained at {trained:0.#} nm (resample the image for best results).");
            var result = ModelSegmenter.Segment(bundle, image, tiling, threshold, cancellationToken: ct, temporalWindow: temporalWindow);
            string stem = Path.GetFileNameWithoutExtension(file);
            string maskPath = Path.Combine(outDir, Path.GetFileName(file));
            string probabilityPath = Path.Combine(outDir, stem + ".prob.tif");
            string overlayPath = Path.Combine(outDir, stem + ".png");
            TiffWriter.Write(maskPath, result.Mask);
            TiffWriter.Write(probabilityPath, result.Probabilities);
            var (rgb, width) = Overlay.SideBySide(image, result.Mask.ClonePlane(0), (channels - 1) / 2);
            PngWriter.WriteRgb8(overlayPath, width, image.Height, rgb);
            string shares = result.IsClassMap
                ? string.Join(", ", Enumerable.Range(1, names.Count - 1).Select(k => $"{result.Mask.Data.Count(v => v == k) * 100.0 / result.Mask.Data.Length:0.0}% {names[k]}"))
                : $"{result.Mask.Data.Count(v => v != 0) * 100.0 / result.Mask.Data.Length:0.0}% foreground";
            Console.WriteLine($"{file} -> {maskPath}, {probabilityPath}, {overlayPath} ({result.Mask.Depth} frame(s), {shares})");
        }
        return ExitCodes.Success;
    }
}
