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
        int plane = CheckPlanes(scores, classes, destination.Length, nameof(scores));
        for (int i = 0; i < plane; i++) destination[i] = MostProbable(scores, classes, plane, i, 0);
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
        int plane = CheckPlanes(probabilities, classes, destination.Length, nameof(probabilities));
        if (!(threshold > 0 && threshold < 1)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must lie in (0, 1).");
        for (int i = 0; i < plane; i++)
            destination[i] = 1 - probabilities[i] > threshold ? MostProbable(probabilities, classes, plane, i, 1) : (byte)0;
    }

    /// <summary>Checks K and that <paramref name="scores"/> holds K planes of <paramref name="plane"/> pixels; returns the plane length.</summary>
    private static int CheckPlanes(ReadOnlySpan<float> scores, int classes, int plane, string name)
    {
        if (classes is < 2 or > 255) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be 2-255.");
        if (scores.Length != classes * plane)
            throw new ArgumentException($"{name} holds {scores.Length} values; {classes} planes of {plane} pixels need {classes * plane}.", name);
        return plane;
    }

    /// <summary>The class from <paramref name="first"/> on with the largest score at pixel i; a tie goes to the lower index, NaN never wins.</summary>
    private static byte MostProbable(ReadOnlySpan<float> scores, int classes, int plane, int i, int first)
    {
        int best = first;
        float max = scores[first * plane + i];
        for (int c = first + 1; c < classes; c++)
        {
            float v = scores[c * plane + i];
            if (v > max || float.IsNaN(max))
            {
                max = v;
                best = c;
            }
        }
        return (byte)best;
    }
}
