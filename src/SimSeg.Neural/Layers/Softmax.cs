namespace SimSeg.Neural.Layers;

/// <summary>
/// Softmax over the channel axis (dimension 1) of a tensor [N, K, ...], as PyTorch's torch.softmax(x, dim=1): turns
/// K-class logits into per-pixel class probabilities for inference. Computed as exp(zₖ − max z)/Σ exp(zⱼ − max z),
/// so large logits do not overflow. Training uses <see cref="Losses.SoftmaxCrossEntropy"/>, which fuses the softmax
/// into the loss and its gradient.
/// </summary>
public static class Softmax
{
    /// <summary>A new tensor of probabilities, the shape of <paramref name="logits"/>.</summary>
    /// <exception cref="ArgumentException">The logits have rank below 2.</exception>
    public static Tensor Forward(Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var probabilities = logits.ZerosLike();
        Forward(logits, probabilities);
        return probabilities;
    }

    /// <summary>Writes the probabilities of <paramref name="logits"/> [N, K, ...] into <paramref name="destination"/> (same shape; may be the logits).</summary>
    /// <exception cref="ArgumentException">The logits have rank below 2, or the destination's shape differs.</exception>
    public static void Forward(Tensor logits, Tensor destination)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(destination);
        if (logits.Rank < 2) throw new ArgumentException($"logits must be [N, K, ...] with classes on dimension 1, got shape {logits.ShapeText}.", nameof(logits));
        if (!destination.SameShape(logits)) throw new ArgumentException($"destination has shape {destination.ShapeText}; logits has {logits.ShapeText}.", nameof(destination));
        int k = logits.Shape[1], inner = logits.Length / (logits.Shape[0] * k);
        var max = new float[inner];
        var sum = new float[inner];
        float[] z = logits.Data, p = destination.Data;
        for (int n = 0; n < logits.Shape[0]; n++)
        {
            int image = n * k * inner;
            z.AsSpan(image, inner).CopyTo(max);
            for (int c = 1; c < k; c++)
            {
                var row = z.AsSpan(image + c * inner, inner);
                for (int s = 0; s < inner; s++) max[s] = MathF.Max(max[s], row[s]);
            }
            Array.Clear(sum);
            for (int c = 0; c < k; c++)
            {
                int o = image + c * inner;
                for (int s = 0; s < inner; s++)
                {
                    float e = MathF.Exp(z[o + s] - max[s]);
                    p[o + s] = e;
                    sum[s] += e;
                }
            }
            for (int c = 0; c < k; c++)
            {
                int o = image + c * inner;
                for (int s = 0; s < inner; s++) p[o + s] /= sum[s];
            }
        }
    }
}
