namespace SimSeg.Segmentation.Benchmark;

/// <summary>
/// Paints a mask by its outcome against the ground truth, pixel by pixel: true positive white, false positive
/// magenta, false negative green, true negative black. Magenta and green stay apart for the common forms of colour
/// blindness (they are the usual replacement for red and green in fluorescence figures), and both stand out from
/// white and black.
/// </summary>
public static class OutcomeColours
{
    /// <summary>Foreground in both: white.</summary>
    public static ReadOnlySpan<byte> TruePositive => [255, 255, 255];

    /// <summary>Foreground only in the prediction: magenta.</summary>
    public static ReadOnlySpan<byte> FalsePositive => [255, 0, 255];

    /// <summary>Foreground only in the truth: green.</summary>
    public static ReadOnlySpan<byte> FalseNegative => [0, 200, 0];

    /// <summary>Background in both: black.</summary>
    public static ReadOnlySpan<byte> TrueNegative => [0, 0, 0];

    /// <summary>The legend, one "colour: meaning" entry per outcome.</summary>
    public const string Legend = "white: true positive, magenta: false positive, green: false negative, black: true negative";

    /// <summary>Writes 3 bytes (RGB) per pixel into <paramref name="rgb"/>: the outcome colour of prediction against truth (non-zero = foreground in both).</summary>
    /// <exception cref="ArgumentException">The lengths disagree (rgb must hold three bytes per pixel).</exception>
    public static void Paint(ReadOnlySpan<byte> predicted, ReadOnlySpan<byte> truth, Span<byte> rgb)
    {
        if (predicted.Length != truth.Length) throw new ArgumentException($"predicted has {predicted.Length} pixels; truth has {truth.Length}.", nameof(truth));
        if (rgb.Length != 3 * truth.Length) throw new ArgumentException($"rgb must hold 3 bytes per pixel ({3 * truth.Length}), got {rgb.Length}.", nameof(rgb));
        for (int i = 0; i < truth.Length; i++)
        {
            bool p = predicted[i] != 0, t = truth[i] != 0;
            ReadOnlySpan<byte> colour = p ? (t ? TruePositive : FalsePositive) : (t ? FalseNegative : TrueNegative);
            colour.CopyTo(rgb.Slice(3 * i, 3));
        }
    }

    /// <summary>As <see cref="Paint(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/>, returning a new RGB array.</summary>
    public static byte[] Paint(ReadOnlySpan<byte> predicted, ReadOnlySpan<byte> truth)
    {
        var rgb = new byte[3 * truth.Length];
        Paint(predicted, truth, rgb);
        return rgb;
    }
}
