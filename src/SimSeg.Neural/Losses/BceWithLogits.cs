namespace SimSeg.Neural.Losses;

/// <summary>
/// Binary cross-entropy on logits, averaged over all elements, as PyTorch's BCEWithLogitsLoss: for logit x and
/// target t in [0, 1], ℓ = max(x, 0) − x·t + log(1 + e^−|x|) (the log-sum-exp form, stable for any x), and
/// ∂ℓ/∂x = σ(x) − t.
/// </summary>
public static class BceWithLogits
{
    /// <summary>Returns the mean loss; when <paramref name="gradient"/> is given, overwrites it with d loss / d logits.</summary>
    /// <param name="logits">Any shape.</param>
    /// <param name="targets">Same shape, values in [0, 1].</param>
    /// <param name="gradient">Same shape, or null.</param>
    public static double Compute(Tensor logits, Tensor targets, Tensor? gradient = null)
    {
        LossChecks.Require(logits, targets, gradient);
        float[] x = logits.Data, t = targets.Data;
        double inverseCount = 1.0 / x.Length, sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double xi = x[i];
            sum += Math.Max(xi, 0) - xi * t[i] + LossChecks.LogOnePlusExpNegAbs(xi);
            if (gradient is not null) gradient.Data[i] = (float)((LossChecks.Sigmoid(xi) - t[i]) * inverseCount);
        }
        return sum * inverseCount;
    }
}
