namespace SimSeg.Neural.Losses;

/// <summary>
/// Soft Dice loss on sigmoid probabilities p = σ(x), with sums over all elements of the batch:
/// L = 1 − (2Σpt + s)/(Σp + Σt + s) (Milletari et al. 2016, V-Net, with a smoothing term s).
/// With I = Σpt and D = Σp + Σt + s, ∂L/∂pᵢ = (2I + s − 2tᵢD)/D², and ∂pᵢ/∂xᵢ = pᵢ(1 − pᵢ).
/// </summary>
public static class DiceLoss
{
    /// <summary>Returns the loss; when <paramref name="gradient"/> is given, overwrites it with d loss / d logits.</summary>
    /// <param name="logits">Any shape.</param>
    /// <param name="targets">Same shape, values in [0, 1].</param>
    /// <param name="gradient">Same shape, or null.</param>
    /// <param name="smooth">The smoothing term s (1 by default), which also makes the loss 0 for empty target and prediction.</param>
    public static double Compute(Tensor logits, Tensor targets, Tensor? gradient = null, double smooth = 1)
    {
        LossChecks.Require(logits, targets, gradient);
        if (!(smooth >= 0)) throw new ArgumentOutOfRangeException(nameof(smooth), smooth, "smooth must be non-negative.");
        float[] x = logits.Data, t = targets.Data;
        double intersection = 0, sumP = 0, sumT = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double p = LossChecks.Sigmoid(x[i]);
            intersection += p * t[i];
            sumP += p;
            sumT += t[i];
        }
        double numerator = 2 * intersection + smooth, denominator = sumP + sumT + smooth;
        if (denominator == 0) throw new ArgumentException("Dice is undefined for smooth = 0 with no positive targets or predictions.", nameof(smooth));
        if (gradient is not null)
        {
            double inverseSquare = 1 / (denominator * denominator);
            for (int i = 0; i < x.Length; i++)
            {
                double p = LossChecks.Sigmoid(x[i]);
                gradient.Data[i] = (float)((numerator - 2 * t[i] * denominator) * inverseSquare * p * (1 - p));
            }
        }
        return 1 - numerator / denominator;
    }
}
