namespace SimSeg.Neural.Losses;

/// <summary>How <see cref="KlDivergence"/> reduces its per-element terms to one number (PyTorch's KLDivLoss names).</summary>
public enum KlReduction
{
    /// <summary>Sum over all elements divided by the batch size N (dimension 0): the per-sample KL of a VAE, averaged over the batch.</summary>
    BatchMean,

    /// <summary>Sum over all elements.</summary>
    Sum,

    /// <summary>Mean over all elements (sum divided by N × latent size).</summary>
    Mean,
}

/// <summary>
/// The KL divergence of a diagonal Gaussian N(μ, diag(exp(logvar))) from the standard normal N(0, I), the
/// regularising term of a variational auto-encoder (Kingma &amp; Welling 2014, appendix B): per element
/// −½(1 + logvar − μ² − exp(logvar)), summed over the latent dimensions and reduced over the batch as
/// <see cref="KlReduction"/> says. Its derivatives per element are ∂/∂μ = μ and ∂/∂logvar = ½(exp(logvar) − 1),
/// times the reduction's scale (1, 1/N or 1/(N·latent)).
/// </summary>
public static class KlDivergence
{
    /// <summary>Returns the reduced KL divergence; when given, overwrites the gradients with d loss / d μ and d loss / d logvar.</summary>
    /// <param name="mu">Means, [N, ...] (usually N × latent).</param>
    /// <param name="logvar">Log-variances, the shape of <paramref name="mu"/>.</param>
    /// <param name="muGradient">The shape of <paramref name="mu"/>, or null.</param>
    /// <param name="logvarGradient">The shape of <paramref name="mu"/>, or null.</param>
    /// <param name="reduction">Batch mean (the VAE convention and the default), sum, or mean over all elements.</param>
    /// <exception cref="ArgumentException">A shape differs from <paramref name="mu"/>'s, or <paramref name="mu"/> has rank 0; the message names the argument.</exception>
    public static double Compute(Tensor mu, Tensor logvar, Tensor? muGradient = null, Tensor? logvarGradient = null,
        KlReduction reduction = KlReduction.BatchMean)
    {
        ArgumentNullException.ThrowIfNull(mu);
        ArgumentNullException.ThrowIfNull(logvar);
        if (mu.Rank < 1) throw new ArgumentException($"mu must have a batch dimension, got shape {mu.ShapeText}.", nameof(mu));
        RequireLike(logvar, mu, nameof(logvar));
        if (muGradient is not null) RequireLike(muGradient, mu, nameof(muGradient));
        if (logvarGradient is not null) RequireLike(logvarGradient, mu, nameof(logvarGradient));
        double scale = reduction switch
        {
            KlReduction.Sum => 1,
            KlReduction.BatchMean => 1.0 / mu.Shape[0],
            KlReduction.Mean => 1.0 / mu.Length,
            _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "reduction must be BatchMean, Sum or Mean."),
        };
        float[] m = mu.Data, lv = logvar.Data;
        double sum = 0;
        for (int i = 0; i < m.Length; i++)
        {
            double variance = Math.Exp(lv[i]);
            sum += -0.5 * (1 + lv[i] - (double)m[i] * m[i] - variance);
            if (muGradient is not null) muGradient.Data[i] = (float)(m[i] * scale);
            if (logvarGradient is not null) logvarGradient.Data[i] = (float)(0.5 * (variance - 1) * scale);
        }
        return sum * scale;
    }

    /// <summary>The loss with fresh gradient tensors for μ and logvar.</summary>
    /// <inheritdoc cref="Compute(Tensor, Tensor, Tensor?, Tensor?, KlReduction)"/>
    public static (double Loss, Tensor MuGradient, Tensor LogvarGradient) ComputeWithGradients(Tensor mu, Tensor logvar,
        KlReduction reduction = KlReduction.BatchMean)
    {
        ArgumentNullException.ThrowIfNull(mu);
        var muGradient = mu.ZerosLike();
        var logvarGradient = mu.ZerosLike();
        double loss = Compute(mu, logvar, muGradient, logvarGradient, reduction);
        return (loss, muGradient, logvarGradient);
    }

    private static void RequireLike(Tensor t, Tensor mu, string name)
    {
        if (!t.SameShape(mu)) throw new ArgumentException($"{name} has shape {t.ShapeText}; mu has {mu.ShapeText}.", name);
    }
}
