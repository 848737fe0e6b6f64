using System.Numerics;
using SimSeg.Core;
using SimSeg.Core.Imaging;

namespace SimSeg.Segmentation.Baselines;

/// <summary>The neighbourhood over which <see cref="AdaptiveThresholdSegmenter"/> averages.</summary>
public enum LocalWindow
{
    /// <summary>A Gaussian of σ = (block size − 1) / 6 (scikit-image's <c>threshold_local</c>, method "gaussian").</summary>
    Gaussian,

    /// <summary>The plain mean of a block-size × block-size square (method "mean").</summary>
    Mean,
}

/// <summary>Settings of <see cref="AdaptiveThresholdSegmenter"/>. Lengths in pixels, offsets in image intensity units.</summary>
public sealed record AdaptiveThresholdOptions
{
    /// <summary>Side of the neighbourhood in pixels, odd and ≥ 3 (the Gaussian window has σ = (size − 1) / 6).</summary>
    public int BlockSize { get; init; } = 51;

    /// <summary>Gaussian-weighted or plain local mean.</summary>
    public LocalWindow Window { get; init; } = LocalWindow.Gaussian;

    /// <summary>
    /// Subtracted from the local mean to give the threshold (scikit-image's <c>offset</c>, same sign): 0 marks every
    /// pixel brighter than its surroundings, which in flat noisy background is about half of them; a negative offset
    /// of a few noise standard deviations (threshold above the local mean) keeps the background empty.
    /// </summary>
    public double Offset { get; init; }

    /// <summary>Gaussian smoothing of the image before thresholding, pixels (0 = none; 1 as the Otsu baseline).</summary>
    public double SmoothingSigma { get; init; } = 1;

    /// <summary>Defaults: 51-pixel Gaussian window, offset 0, smoothing σ 1.</summary>
    public static AdaptiveThresholdOptions Default { get; } = new();

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (BlockSize < 3 || BlockSize % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(BlockSize), BlockSize, $"{nameof(BlockSize)} must be an odd number of pixels >= 3, got {BlockSize}.");
        if (!Enum.IsDefined(Window)) throw new ArgumentOutOfRangeException(nameof(Window), Window, $"{nameof(Window)} must be Gaussian or Mean, got {Window}.");
        Guard.Finite(Offset, nameof(Offset));
        Guard.NonNegative(SmoothingSigma, nameof(SmoothingSigma));
    }
}

/// <summary>
/// The adaptive (local) threshold baseline of PhySeg's Table 1: after optional Gaussian smoothing, a pixel is
/// foreground when it is brighter than the mean of its neighbourhood minus an offset, as scikit-image's
/// <c>threshold_local</c> (block size, method "gaussian" or "mean", offset). The Gaussian window is separable and
/// the box window uses running sums, so the cost per pixel does not grow with the block size (the box) or grows
/// linearly with it (the Gaussian). Borders are mirrored; planes are thresholded one by one.
/// A constant plane gives an empty mask for any offset ≥ 0.
/// </summary>
public static class AdaptiveThresholdSegmenter
{
    /// <summary>A 0/1 mask with the image's size and calibration, one plane per input plane.</summary>
    /// <param name="image">The image (any pixel type).</param>
    /// <param name="options">Window, block size, offset and smoothing (<see cref="AdaptiveThresholdOptions.Default"/> when null).</param>
    public static Image<byte> Segment<T>(Image<T> image, AdaptiveThresholdOptions? options = null) where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(image);
        options ??= AdaptiveThresholdOptions.Default;
        options.Validate();
        int w = image.Width, h = image.Height, n = w * h;
        var mask = new Image<byte>(w, h, image.Depth, image.Calibration);
        var plane = new float[n];
        var smooth = new float[n];
        var threshold = new float[n];
        for (int z = 0; z < image.Depth; z++)
        {
            Planes.ToFloat(image, z, plane);
            GaussianBlur.Apply(plane, w, h, options.SmoothingSigma, smooth);
            LocalThreshold(smooth, w, h, options, threshold);
            var target = mask.Plane(z);
            for (int i = 0; i < n; i++) target[i] = smooth[i] > threshold[i] ? (byte)1 : (byte)0;
        }
        return mask;
    }

    /// <summary>
    /// The per-pixel threshold of one plane: its local mean (Gaussian or box window of
    /// <see cref="AdaptiveThresholdOptions.BlockSize"/>, mirror borders) minus <see cref="AdaptiveThresholdOptions.Offset"/>,
    /// plus 1e-5 of the plane's largest magnitude so that float rounding never lifts a flat region above its own mean.
    /// No smoothing is applied here.
    /// </summary>
    public static void LocalThreshold(ReadOnlySpan<float> plane, int width, int height, AdaptiveThresholdOptions options, Span<float> threshold)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Window == LocalWindow.Gaussian)
        {
            var kernel = SeparableFilter.GaussianKernel((options.BlockSize - 1) / 6.0);
            SeparableFilter.Apply(plane, width, height, kernel, kernel, threshold);
        }
        else
        {
            BoxFilter.Mean(plane, width, height, options.BlockSize, threshold);
        }
        // Float rounding of a weighted mean can put it a hair below a flat region's value; a margin of 1e-5 of the
        // plane's largest magnitude keeps flat regions (and constant planes) background at offset 0.
        float largest = 0;
        foreach (float v in plane) largest = Math.Max(largest, Math.Abs(v));
        float shift = (float)(1e-5 * largest - options.Offset);
        for (int i = 0; i < threshold.Length; i++) threshold[i] += shift;
    }
}
