using SimSeg.Core.Imaging;
using SimSeg.Segmentation.Models;

namespace SimSeg.Segmentation.Inference;

/// <summary>
/// Probability maps and the segmentation of every frame, with the input's calibration. A binary model: one
/// probability plane per frame (the foreground) and a 0/1 mask. A K-class model: K probability planes per frame,
/// frame-major (page f·K + k is the probability of class k in frame f, classes in the order of
/// <see cref="Classes"/>), and the class map (0…K−1, the most probable class).
/// </summary>
/// <param name="Probabilities">Probabilities in [0, 1]: one plane per frame (binary) or K per frame (K classes).</param>
/// <param name="Mask">One plane per frame: 1 where the foreground probability exceeds the threshold, else 0 (binary); the class index (K classes).</param>
/// <param name="Classes">The class names, index = value in a K-class map; ["background", "foreground"] for a binary model.</param>
public sealed record ModelSegmentation(Image<float> Probabilities, Image<byte> Mask, IReadOnlyList<string> Classes)
{
    /// <summary>True when <see cref="Mask"/> is a class map of a K-class model.</summary>
    public bool IsClassMap => Probabilities.Depth != Mask.Depth;
}

/// <summary>
/// Segments images with a trained model: a model of C input channels takes each run of C consecutive pages as one
/// frame (C = 1: every page of a 2D image, stack or time series on its own; C = 3: a time series of 3-slice stacks),
/// each frame normalised as in training and predicted through <see cref="TiledPredictor"/>. A binary model's
/// foreground probability is cut at the threshold; a K-class model's class map is the argmax of its K probabilities, or
/// with a threshold the most probable foreground class where the foreground probability exceeds it. Optionally the
/// probabilities of a time series are averaged over a few frames first.
/// </summary>
public static class ModelSegmenter
{
    /// <summary>Probabilities and mask (binary) or class map (K classes) of every frame of <paramref name="image"/>.</summary>
    /// <param name="bundle">The model and its config.</param>
    /// <param name="image">Pages in frame order; the page count must be a multiple of the model's input channels.</param>
    /// <param name="tiling">Tile size, overlap and batch (null: defaults).</param>
    /// <param name="threshold">
    /// Foreground threshold in (0, 1): a binary model's probability cut (null takes the config's); for a K-class model,
    /// foreground where the summed foreground probability 1 − p(background) exceeds it, with the most probable
    /// foreground class (<see cref="ClassMap.ForegroundThreshold"/>; null takes the argmax of all K classes).
    /// </param>
    /// <param name="progress">Called with frames done and total.</param>
    /// <param name="cancellationToken">Checked between tile batches.</param>
    /// <param name="temporalWindow">
    /// Odd number of frames (default 1: none) whose probabilities are averaged, centred on each frame (fewer at the ends
    /// of the series), before the mask or class map is made: in a time series of objects that move little from frame
    /// to frame, it averages out shot noise and blinking, so faint objects are found in more frames. The probability
    /// maps returned are the model's, frame by frame.
    /// </param>
    /// <exception cref="ArgumentException">The page count does not fit the model's channels, the threshold is outside (0, 1), or the window is not a positive odd number.</exception>
    public static ModelSegmentation Segment(ModelBundle bundle, Image<float> image, TilingOptions? tiling = null, double? threshold = null,
        Action<int, int>? progress = null, CancellationToken cancellationToken = default, int temporalWindow = 1)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(image);
        int channels = bundle.Model.InChannels;
        if (image.Depth % channels != 0)
        {
            throw new ArgumentException(channels == 1
                ? $"the image has {image.Depth} pages; expected at least one."
                : $"the model expects {channels} channels (pages per frame), but the image has {image.Depth} page(s), not a multiple of {channels}.", nameof(image));
        }
        int planes = bundle.Model.OutChannels;
        var classes = bundle.Config.ClassNames;
        double t = threshold ?? bundle.Config.Threshold;
        CheckDecision(t, temporalWindow);
        int frames = image.Depth / channels, plane = image.PlaneLength;
        // Pages of the outputs are frames (or classes within frames), not z slices, unless a single-channel model segments a stack.
        var calibration = image.Calibration with { PlaneSpacingNm = channels == 1 && planes == 1 ? image.Calibration.PlaneSpacingNm : 0 };
        var probabilities = new Image<float>(image.Width, image.Height, frames * planes, calibration);
        var mask = new Image<byte>(image.Width, image.Height, frames, image.Calibration with { PlaneSpacingNm = channels == 1 ? image.Calibration.PlaneSpacingNm : 0 });
        var predictor = new TiledPredictor(bundle.Model, tiling, bundle.Config.Normalization);
        for (int f = 0; f < frames; f++)
        {
            var p = predictor.Predict(image.Data.AsSpan(f * channels * plane, channels * plane), image.Width, image.Height, cancellationToken);
            p.CopyTo(probabilities.Data.AsSpan(f * planes * plane, planes * plane));
            progress?.Invoke(f + 1, frames);
        }
        Decide(probabilities, planes, threshold is null && planes > 1 ? null : t, temporalWindow, mask);
        return new ModelSegmentation(probabilities, mask, classes);
    }

    /// <summary>
    /// The masks (binary model) or class maps (K-class model) of probabilities that <see cref="Segment"/> returned, for
    /// another threshold or temporal window without running the network again.
    /// </summary>
    /// <param name="segmentation">A segmentation from <see cref="Segment"/>.</param>
    /// <param name="threshold">As in <see cref="Segment"/>; null: 0.5 for a binary model, the argmax for a K-class model.</param>
    /// <param name="temporalWindow">As in <see cref="Segment"/>.</param>
    /// <exception cref="ArgumentException">The threshold is outside (0, 1) or the window is not a positive odd number.</exception>
    public static Image<byte> Remask(ModelSegmentation segmentation, double? threshold = null, int temporalWindow = 1)
    {
        ArgumentNullException.ThrowIfNull(segmentation);
        CheckDecision(threshold, temporalWindow);
        int planes = segmentation.Probabilities.Depth / segmentation.Mask.Depth;
        var mask = new Image<byte>(segmentation.Mask.Width, segmentation.Mask.Height, segmentation.Mask.Depth, segmentation.Mask.Calibration);
        Decide(segmentation.Probabilities, planes, threshold ?? (planes > 1 ? null : 0.5), temporalWindow, mask);
        return mask;
    }

    private static void CheckDecision(double? threshold, int temporalWindow)
    {
        if (threshold is double t && !(t > 0 && t < 1)) throw new ArgumentException($"--threshold must lie in (0, 1), got {t}.", nameof(threshold));
        if (temporalWindow < 1 || temporalWindow % 2 == 0)
            throw new ArgumentException($"--temporal-window must be a positive odd number of frames, got {temporalWindow}.", nameof(temporalWindow));
    }

    /// <summary>Fills every plane of <paramref name="mask"/> from the (windowed) probabilities of its frame.</summary>
    private static void Decide(Image<float> probabilities, int planes, double? threshold, int temporalWindow, Image<byte> mask)
    {
        int frames = mask.Depth, size = planes * mask.PlaneLength;
        if (temporalWindow == 1)
        {
            for (int f = 0; f < frames; f++) Decide(probabilities.Data.AsSpan(f * size, size), planes, threshold, mask.Plane(f));
            return;
        }
        int half = temporalWindow / 2;
        var mean = new float[size];
        for (int f = 0; f < frames; f++)
        {
            int first = Math.Max(0, f - half), last = Math.Min(frames - 1, f + half);
            Array.Clear(mean);
            for (int g = first; g <= last; g++)
            {
                var source = probabilities.Data.AsSpan(g * size, size);
                for (int i = 0; i < size; i++) mean[i] += source[i];
            }
            float scale = 1f / (last - first + 1);
            for (int i = 0; i < size; i++) mean[i] *= scale;
            Decide(mean, planes, threshold, mask.Plane(f));
        }
    }

    /// <summary>Mask (one plane) or class map (K planes) of one frame's probabilities; a null threshold means the K-class argmax.</summary>
    private static void Decide(ReadOnlySpan<float> p, int planes, double? threshold, Span<byte> mask)
    {
        if (planes > 1)
        {
            if (threshold is double ft) ClassMap.ForegroundThreshold(p, planes, ft, mask);
            else ClassMap.Argmax(p, planes, mask);
            return;
        }
        float th = (float)threshold!.Value;
        for (int i = 0; i < mask.Length; i++) mask[i] = p[i] > th ? (byte)1 : (byte)0;
    }
}
