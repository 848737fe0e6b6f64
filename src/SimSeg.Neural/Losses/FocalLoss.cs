namespace SimSeg.Neural.Losses;

/// <summary>
/// Binary focal loss on logits (Lin et al. 2017), averaged over all elements, as torchvision's sigmoid_focal_loss:
/// with p = σ(x), pₜ = p·t + (1 − p)(1 − t), αₜ = α·t + (1 − α)(1 − t) and the cross-entropy
/// ce = max(x, 0) − x·t + log(1 + e^−|x|), ℓ = αₜ·(1 − pₜ)^γ·ce. Its derivative is
/// ∂ℓ/∂x = αₜ[(p − t)(1 − pₜ)^γ − γ(1 − pₜ)^(γ−1)·p(1 − p)(2t − 1)·ce].
/// </summary>
public static class FocalLoss
{
    /// <summary>Returns the mean loss; when <paramref name="gradient"/> is given, overwrites it with d loss / d logits.</summary>
    /// <param name="logits">Any shape.</param>
    /// <param name="targets">Same shape, values in [0, 1].</param>
    /// <param name="gradient">Same shape, or null.</param>
    /// <param name="alpha">Weight α of the positive class in [0, 1] (0.25); negative for no class weighting.</param>
    /// <param name="gamma">Focusing exponent γ ≥ 0 (2); 0 gives the (α-weighted) cross-entropy.</param>
    public static double Compute(Tensor logits, Tensor targets, Tensor? gradient = null, double alpha = 0.25, double gamma = 2)
    {
        LossChecks.Require(logits, targets, gradient);
        if (alpha > 1 || double.IsNaN(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must lie in [0, 1], or be negative for no weighting.");
        if (!(gamma >= 0) || double.IsInfinity(gamma)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be finite and non-negative.");
        float[] x = logits.Data, t = targets.Data;
        double inverseCount = 1.0 / x.Length, sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double xi = x[i], ti = t[i];
            double p = LossChecks.Sigmoid(xi);
            double ce = Math.Max(xi, 0) - xi * ti + LossChecks.LogOnePlusExpNegAbs(xi);
            double q = p + ti - 2 * p * ti; // 1 − pₜ
            double weight = alpha >= 0 ? alpha * ti + (1 - alpha) * (1 - ti) : 1;
            double modulation = gamma == 0 ? 1 : Math.Pow(q, gamma);
            sum += weight * modulation * ce;
            if (gradient is null) continue;
            double modulationSlope = gamma == 0 || q == 0 ? 0 : gamma * Math.Pow(q, gamma - 1);
            double dq = p * (1 - p) * (1 - 2 * ti);
            gradient.Data[i] = (float)(weight * ((p - ti) * modulation + modulationSlope * dq * ce) * inverseCount);
        }
        return sum * inverseCount;
    }
}
