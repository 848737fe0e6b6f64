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
}
