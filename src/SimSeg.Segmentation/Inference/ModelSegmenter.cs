using SimSeg.Core.Imaging;
using SimSeg.Segmentation.Models;

namespace SimSeg.Segmentation.Inference;

/// <summary>A probability map and its thresholded mask, one plane per segmented frame, with the input's calibration.</summary>
/// <param name="Probabilities">Foreground probability per pixel, in [0, 1].</param>
/// <param name="Mask">1 where the probability exceeds the threshold, else 0.</param>
public sealed record ModelSegmentation(Image<float> Probabilities, Image<byte> Mask);

/// <summary>
/// Segments images with a trained model: a model of C input channels takes each run of C consecutive pages as one
/// frame (C = 1: every page of a 2D image, stack or time series on its own; C = 3: a time series of 3-slice stacks),
/// each frame normalised as in training and predicted through <see cref="TiledPredictor"/>.
/// </summary>
public static class ModelSegmenter
{
    /// <summary>Probabilities and mask of every frame of <paramref name="image"/>.</summary>
    /// <param name="bundle">The model and its config.</param>
    /// <param name="image">Pages in frame order; the page count must be a multiple of the model's input channels.</param>
    /// <param name="tiling">Tile size, overlap and batch (null: defaults).</param>
    /// <param name="threshold">Foreground threshold in (0, 1); null takes the config's.</param>
    /// <param name="progress">Called with frames done and total.</param>
    /// <param name="cancellationToken">Checked between tile batches.</param>
    /// <exception cref="ArgumentException">The page count does not fit the model's channels, or the threshold is outside (0, 1).</exception>
    public static ModelSegmentation Segment(ModelBundle bundle, Image<float> image, TilingOptions? tiling = null, double? threshold = null,
        Action<int, int>? progress = null, CancellationToken cancellationToken = default)
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
        double t = threshold ?? bundle.Config.Threshold;
        if (!(t > 0 && t < 1)) throw new ArgumentException($"--threshold must lie in (0, 1), got {t}.", nameof(threshold));
        int frames = image.Depth / channels, plane = image.PlaneLength;
        var probabilities = new Image<float>(image.Width, image.Height, frames, image.Calibration with { PlaneSpacingNm = channels == 1 ? image.Calibration.PlaneSpacingNm : 0 });
        var mask = new Image<byte>(image.Width, image.Height, frames, probabilities.Calibration);
        var predictor = new TiledPredictor(bundle.Model, tiling, bundle.Config.Normalization);
        float th = (float)t;
        for (int f = 0; f < frames; f++)
        {
            var p = predictor.Predict(image.Data.AsSpan(f * channels * plane, channels * plane), image.Width, image.Height, cancellationToken);
            p.CopyTo(probabilities.Plane(f));
            var m = mask.Plane(f);
            for (int i = 0; i < plane; i++) m[i] = p[i] > th ? (byte)1 : (byte)0;
            progress?.Invoke(f + 1, frames);
        }
        return new ModelSegmentation(probabilities, mask);
    }
}
