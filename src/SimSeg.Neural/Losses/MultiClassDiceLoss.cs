namespace SimSeg.Neural.Losses;

/// <summary>
/// Multi-class soft Dice loss on softmax probabilities (the K-class form of <see cref="DiceLoss"/>; Milletari et al.
/// 2016, with the class average of Sudre et al. 2017's generalised Dice left unweighted). For logits z [N, K, d₁, …]
/// and class maps t, p = softmax(z) over dimension 1 and yᵢₖ = [tᵢ = k]; for each scored class k (those from
/// <c>firstClass</c> to K − 1, so 1 leaves out the background) Iₖ = Σᵢ pᵢₖyᵢₖ and Dₖ = Σᵢ pᵢₖ + Σᵢ yᵢₖ + s over every
/// position of the batch, and L = 1 − (1/|C|) Σₖ (2Iₖ + s)/Dₖ. Gradient: ∂L/∂pᵢₖ = (2Iₖ + s − 2yᵢₖDₖ)/(|C|Dₖ²) for
/// scored classes (0 otherwise), through the softmax ∂L/∂zᵢⱼ = pᵢⱼ(∂L/∂pᵢⱼ − Σₖ pᵢₖ ∂L/∂pᵢₖ). The smoothing s makes
/// a class absent from both targets and predictions score 0 loss rather than 0/0.
/// </summary>
public static class MultiClassDiceLoss
{
    /// <summary>Returns the loss; when <paramref name="gradient"/> is given, overwrites it with d loss / d logits.</summary>
    /// <param name="logits">[N, K, d₁, …] with K ≥ 2 classes on dimension 1 (N×K×H×W for segmentation).</param>
    /// <param name="targets">Class indices in [0, K), one per position: N·d₁·… values in the order of [N, d₁, …].</param>
    /// <param name="gradient">Same shape as the logits, or null.</param>
    /// <param name="firstClass">The first scored class (default 1: every class but the background 0); classes below it carry no loss.</param>
    /// <param name="smooth">The smoothing term s (default 1), ≥ 0.</param>
    /// <exception cref="ArgumentException">A shape does not fit, a target is outside [0, K), <paramref name="firstClass"/> is outside [0, K), or smooth is negative; the message names the argument.</exception>
    public static double Compute(Tensor logits, ReadOnlySpan<int> targets, Tensor? gradient = null, int firstClass = 1, double smooth = 1)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank < 2) throw new ArgumentException($"logits must be [N, K, ...] with classes on dimension 1, got shape {logits.ShapeText}.", nameof(logits));
        int k = logits.Shape[1], inner = logits.Length / (logits.Shape[0] * k), positions = logits.Shape[0] * inner;
        if (k < 2) throw new ArgumentException($"multi-class Dice needs at least 2 classes on dimension 1, got shape {logits.ShapeText}.", nameof(logits));
        if (targets.Length != positions)
            throw new ArgumentException($"targets holds {targets.Length} class indices; logits {logits.ShapeText} has {positions} positions (N × the dimensions after the class axis).", nameof(targets));
        if (gradient is not null && !gradient.SameShape(logits))
            throw new ArgumentException($"gradient has shape {gradient.ShapeText}; logits has {logits.ShapeText}.", nameof(gradient));
        if ((uint)firstClass >= (uint)k) throw new ArgumentOutOfRangeException(nameof(firstClass), firstClass, $"firstClass must lie in [0, {k - 1}].");
        if (!(smooth >= 0) || double.IsInfinity(smooth)) throw new ArgumentOutOfRangeException(nameof(smooth), smooth, "smooth must be finite and non-negative.");

        // Softmax in double, kept for the gradient.
        var p = new double[logits.Length];
        float[] z = logits.Data;
        var intersection = new double[k];
        var sumP = new double[k];
        var sumT = new double[k];
        for (int i = 0; i < positions; i++)
        {
            int t = targets[i];
            if ((uint)t >= (uint)k) throw new ArgumentException($"targets[{i}] is {t}; class indices must lie in [0, {k - 1}].", nameof(targets));
            int n = i / inner, o = n * k * inner + i % inner;
            double max = z[o];
            for (int c = 1; c < k; c++) max = Math.Max(max, z[o + c * inner]);
            double sum = 0;
            for (int c = 0; c < k; c++) sum += p[o + c * inner] = Math.Exp(z[o + c * inner] - max);
            for (int c = 0; c < k; c++)
            {
                double pc = p[o + c * inner] /= sum;
                sumP[c] += pc;
            }
            intersection[t] += p[o + t * inner];
            sumT[t] += 1;
        }

        int scored = k - firstClass;
        double loss = 0;
        var numerator = new double[k];
        var denominator = new double[k];
        for (int c = firstClass; c < k; c++)
        {
            numerator[c] = 2 * intersection[c] + smooth;
            denominator[c] = sumP[c] + sumT[c] + smooth;
            if (denominator[c] == 0) throw new ArgumentException($"Dice of class {c} is undefined for smooth = 0 with no targets or predictions of it.", nameof(smooth));
            loss += numerator[c] / denominator[c];
        }
        loss = 1 - loss / scored;
        if (gradient is null) return loss;

        float[] g = gradient.Data;
        var dp = new double[k];
        for (int i = 0; i < positions; i++)
        {
            int t = targets[i], n = i / inner, o = n * k * inner + i % inner;
            double dot = 0;
            for (int c = 0; c < k; c++)
            {
                dp[c] = c < firstClass ? 0 : (numerator[c] - (c == t ? 2 * denominator[c] : 0)) / (scored * denominator[c] * denominator[c]);
                dot += p[o + c * inner] * dp[c];
            }
            for (int c = 0; c < k; c++) g[o + c * inner] = (float)(p[o + c * inner] * (dp[c] - dot));
        }
        return loss;
    }
}
