namespace SimSeg.Segmentation.Inference;

/// <summary>Class maps of K-class models: the most probable class of each pixel.</summary>
public static class ClassMap
{
    /// <summary>
    /// Writes into <paramref name="destination"/> (one plane) the index of the largest of the <paramref name="classes"/>
    /// planes of <paramref name="scores"/> at each pixel (class-major: plane k holds class k). Logits and softmax
    /// probabilities give the same map; a tie goes to the lower class index, and NaN never wins.
    /// </summary>
    /// <exception cref="ArgumentException">The spans do not hold <paramref name="classes"/> planes of the destination's length, or K is outside 2–255.</exception>
    public static void Argmax(ReadOnlySpan<float> scores, int classes, Span<byte> destination)
    {
        if (classes is < 2 or > 255) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be 2-255.");
        int plane = destination.Length;
        if (scores.Length != classes * plane)
            throw new ArgumentException($"scores holds {scores.Length} values; {classes} planes of {plane} pixels need {classes * plane}.", nameof(scores));
        for (int i = 0; i < plane; i++)
        {
            int best = 0;
            float max = scores[i];
            for (int c = 1; c < classes; c++)
            {
                float v = scores[c * plane + i];
                if (v > max || float.IsNaN(max))
                {
                    max = v;
                    best = c;
                }
            }
            destination[i] = (byte)best;
        }
    }

    /// <summary>
    /// Writes into <paramref name="destination"/> a class map with a foreground threshold: background (0) unless the
    /// summed probability of the foreground classes, 1 − p₀, exceeds <paramref name="threshold"/>, then the most probable
    /// foreground class (a tie goes to the lower index). <paramref name="probabilities"/> holds K planes of softmax
    /// probabilities, class-major. A threshold below 0.5 finds faint objects that the plain argmax leaves to the background.
    /// </summary>
    /// <exception cref="ArgumentException">The spans do not hold K planes of the destination's length, K is outside 2–255, or the threshold is outside (0, 1).</exception>
    public static void ForegroundThreshold(ReadOnlySpan<float> probabilities, int classes, double threshold, Span<byte> destination)
    {
        if (classes is < 2 or > 255) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be 2-255.");
        if (!(threshold > 0 && threshold < 1)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must lie in (0, 1).");
        int plane = destination.Length;
        if (probabilities.Length != classes * plane)
            throw new ArgumentException($"probabilities holds {probabilities.Length} values; {classes} planes of {plane} pixels need {classes * plane}.", nameof(probabilities));
        for (int i = 0; i < plane; i++)
        {
            if (!(1 - probabilities[i] > threshold))
            {
                destination[i] = 0;
                continue;
            }
            int best = 1;
            float max = probabilities[plane + i];
            for (int c = 2; c < classes; c++)
            {
                float v = probabilities[c * plane + i];
                if (v > max || float.IsNaN(max))
                {
                    max = v;
                    best = c;
                }
            }
            destination[i] = (byte)best;
        }
    }
}
