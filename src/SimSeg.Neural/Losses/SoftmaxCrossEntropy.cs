namespace SimSeg.Neural.Losses;

/// <summary>
/// Multi-class cross-entropy on logits, as PyTorch's nn.CrossEntropyLoss with reduction "mean": for logits z
/// [N, K, d₁, …] (K classes on dimension 1, e.g. N×K×H×W) and integer class maps t [N, d₁, …], each position i with
/// tᵢ ≠ ignoreIndex contributes ℓᵢ = −log softmax(zᵢ)[tᵢ] = logΣₖ exp(zᵢₖ) − zᵢ,ₜᵢ with weight wᵢ = classWeights[tᵢ]
/// (1 without class weights), and the loss is Σ wᵢℓᵢ / Σ wᵢ, the weighted mean of PyTorch. Its gradient is
/// ∂L/∂zᵢₖ = wᵢ(softmax(zᵢ)ₖ − [k = tᵢ]) / Σ wᵢ, zero at ignored positions. As in PyTorch, the loss is NaN (0/0)
/// when every position is ignored; the gradient is then zero. The log-sum-exp is taken about the maximum logit, in
/// double, so no logit overflows.
/// </summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>PyTorch's default ignore_index, −100: positions with this target do not count.</summary>
    public const int DefaultIgnoreIndex = -100;

    /// <summary>Returns the mean loss; when <paramref name="gradient"/> is given, overwrites it with d loss / d logits.</summary>
    /// <param name="logits">[N, K, d₁, …] with K ≥ 1 classes on dimension 1 (N×K×H×W for segmentation, N×K for classification).</param>
    /// <param name="targets">Class indices in [0, K) or <paramref name="ignoreIndex"/>, one per position: N·d₁·… values in the order of [N, d₁, …].</param>
    /// <param name="gradient">Same shape as the logits, or null.</param>
    /// <param name="classWeights">K finite non-negative weights (PyTorch's weight), or empty for none.</param>
    /// <param name="ignoreIndex">Target value whose positions are left out of the loss and its mean.</param>
    /// <exception cref="ArgumentException">A shape does not fit, a target is outside [0, K) and not the ignore index, or a weight is negative or not finite; the message names the argument.</exception>
    public static double Compute(Tensor logits, ReadOnlySpan<int> targets, Tensor? gradient = null, ReadOnlySpan<float> classWeights = default,
        int ignoreIndex = DefaultIgnoreIndex)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank < 2) throw new ArgumentException($"logits must be [N, K, ...] with classes on dimension 1, got shape {logits.ShapeText}.", nameof(logits));
        int k = logits.Shape[1], inner = logits.Length / (logits.Shape[0] * k), positions = logits.Shape[0] * inner;
        if (targets.Length != positions)
            throw new ArgumentException($"targets holds {targets.Length} class indices; logits {logits.ShapeText} has {positions} positions (N × the dimensions after the class axis).", nameof(targets));
        if (gradient is not null && !gradient.SameShape(logits))
            throw new ArgumentException($"gradient has shape {gradient.ShapeText}; logits has {logits.ShapeText}.", nameof(gradient));
        if (!classWeights.IsEmpty && classWeights.Length != k)
            throw new ArgumentException($"classWeights holds {classWeights.Length} weights; the logits have {k} classes.", nameof(classWeights));
        foreach (float w in classWeights)
            if (!(w >= 0) || float.IsInfinity(w)) throw new ArgumentException($"classWeights must be finite and non-negative, got {w}.", nameof(classWeights));

        float[] z = logits.Data;
        float[]? g = gradient?.Data;
        double total = 0, weightSum = 0;
        for (int i = 0; i < positions; i++)
        {
            int n = i / inner, s = i % inner, o = n * k * inner + s;
            int t = targets[i];
            if (t == ignoreIndex)
            {
                if (g is not null) for (int c = 0; c < k; c++) g[o + c * inner] = 0;
                continue;
            }
            if ((uint)t >= (uint)k)
                throw new ArgumentException($"targets[{i}] is {t}; class indices must lie in [0, {k - 1}] or equal the ignore index {ignoreIndex}.", nameof(targets));
            double max = z[o];
            for (int c = 1; c < k; c++) max = Math.Max(max, z[o + c * inner]);
            double sum = 0;
            for (int c = 0; c < k; c++) sum += Math.Exp(z[o + c * inner] - max);
            double logSumExp = max + Math.Log(sum);
            double w = classWeights.IsEmpty ? 1 : classWeights[t];
            total += w * (logSumExp - z[o + t * inner]);
            weightSum += w;
            if (g is null) continue;
            for (int c = 0; c < k; c++)
                g[o + c * inner] = (float)(w * (Math.Exp(z[o + c * inner] - logSumExp) - (c == t ? 1 : 0)));
        }
        if (g is not null && weightSum > 0)
        {
            float scale = (float)(1 / weightSum);
            for (int i = 0; i < g.Length; i++) g[i] *= scale;
        }
        return total / weightSum;
    }

    /// <summary>
    /// The same with class maps held in a tensor of integer values: [N, d₁, …] or, for N×K×H×W logits, also
    /// [N, 1, H, W] (a mask stack as images are stored).
    /// </summary>
    /// <inheritdoc cref="Compute(Tensor, ReadOnlySpan{int}, Tensor?, ReadOnlySpan{float}, int)"/>
    /// <exception cref="ArgumentException">The target shape does not fit, or a target is not an integer; see also the other overload.</exception>
    public static double Compute(Tensor logits, Tensor targets, Tensor? gradient = null, ReadOnlySpan<float> classWeights = default,
        int ignoreIndex = DefaultIgnoreIndex)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        if (logits.Rank < 2) throw new ArgumentException($"logits must be [N, K, ...] with classes on dimension 1, got shape {logits.ShapeText}.", nameof(logits));
        int[] withoutClasses = [logits.Shape[0], .. logits.Shape[2..]];
        int[] singleChannel = (int[])logits.Shape.Clone();
        singleChannel[1] = 1;
        if (!targets.Shape.AsSpan().SequenceEqual(withoutClasses) && !targets.Shape.AsSpan().SequenceEqual(singleChannel))
            throw new ArgumentException($"targets has shape {targets.ShapeText}; logits {logits.ShapeText} need [{string.Join(", ", withoutClasses)}] or [{string.Join(", ", singleChannel)}].", nameof(targets));
        var indices = new int[targets.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            float v = targets.Data[i];
            if (v != MathF.Round(v) || Math.Abs(v) > int.MaxValue / 2)
                throw new ArgumentException($"targets[{i}] is {v}; class indices must be integers.", nameof(targets));
            indices[i] = (int)v;
        }
        return Compute(logits, indices, gradient, classWeights, ignoreIndex);
    }
}
