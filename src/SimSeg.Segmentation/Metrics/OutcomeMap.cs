using SimSeg.Core.Imaging;

namespace SimSeg.Segmentation.Metrics;

/// <summary>What a pixel of a segmentation is against the ground truth.</summary>
public enum PixelOutcome : byte
{
    /// <summary>Background in both (true negative).</summary>
    TrueNegative = 0,

    /// <summary>Foreground in both.</summary>
    TruePositive = 1,

    /// <summary>Foreground only in the prediction.</summary>
    FalsePositive = 2,

    /// <summary>Foreground only in the truth.</summary>
    FalseNegative = 3,
}

/// <summary>
/// Pixel outcomes of a mask against its truth, for pictures that show where a method is right and wrong, and their
/// colours: true positives blue, false positives orange, false negatives reddish purple (Okabe–Ito, distinct under
/// the common forms of colour blindness).
/// </summary>
public static class OutcomeMap
{
    /// <summary>RGB colours of <see cref="PixelOutcome.TruePositive"/>, <see cref="PixelOutcome.FalsePositive"/> and <see cref="PixelOutcome.FalseNegative"/>, in that order (index = outcome − 1).</summary>
    public static IReadOnlyList<byte[]> Palette { get; } = [[0, 114, 178], [230, 159, 0], [204, 121, 167]];

    /// <summary>Legend labels in the order of <see cref="Palette"/>.</summary>
    public static IReadOnlyList<string> Labels { get; } = ["true positive (found)", "false positive (extra)", "false negative (missed)"];

    /// <summary>Label and colour of each outcome in <see cref="Palette"/>, for a colour legend.</summary>
    public static IReadOnlyList<(string Label, byte[] Rgb)> Legend { get; } = [.. Labels.Zip(Palette)];

    /// <summary>The outcome of every pixel (non-zero = foreground in both images), as bytes valued <see cref="PixelOutcome"/>.</summary>
    /// <exception cref="ArgumentException">The images are not single planes of one size.</exception>
    public static byte[] Of(Image<byte> predicted, Image<byte> truth)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        if (predicted.Width != truth.Width || predicted.Height != truth.Height || predicted.Depth != 1 || truth.Depth != 1)
            throw new ArgumentException($"predicted ({predicted.Width}x{predicted.Height}x{predicted.Depth}) and truth ({truth.Width}x{truth.Height}x{truth.Depth}) must be single planes of one size.", nameof(predicted));
        return Of(predicted.Data, truth.Data);
    }

    /// <summary>As <see cref="Of(Image{byte}, Image{byte})"/>, for masks as pixel arrays of one picture.</summary>
    /// <exception cref="ArgumentException">The pixel counts differ.</exception>
    public static byte[] Of(ReadOnlySpan<byte> predicted, ReadOnlySpan<byte> truth)
    {
        if (predicted.Length != truth.Length) throw new ArgumentException($"predicted has {predicted.Length} pixels; truth has {truth.Length}.", nameof(truth));
        var outcome = new byte[truth.Length];
        for (int i = 0; i < outcome.Length; i++)
        {
            bool p = predicted[i] != 0, t = truth[i] != 0;
            outcome[i] = (byte)(p && t ? PixelOutcome.TruePositive : p ? PixelOutcome.FalsePositive : t ? PixelOutcome.FalseNegative : PixelOutcome.TrueNegative);
        }
        return outcome;
    }
}
