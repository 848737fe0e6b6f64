namespace SimSeg.Neural.Losses;

/// <summary>Argument checks shared by the losses.</summary>
internal static class LossChecks
{
    public static void Require(Tensor logits, Tensor targets, Tensor? gradient)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        if (!targets.SameShape(logits))
            throw new ArgumentException($"targets has shape {targets.ShapeText}; logits has {logits.ShapeText}.", nameof(targets));
        if (gradient is not null && !gradient.SameShape(logits))
            throw new ArgumentException($"gradient has shape {gradient.ShapeText}; logits has {logits.ShapeText}.", nameof(gradient));
    }

    /// <summary>log(1 + e^-|x|), the stable tail of the softplus.</summary>
    public static double LogOnePlusExpNegAbs(double x) => Math.Log(1 + Math.Exp(-Math.Abs(x)));

    /// <summary>The logistic function without overflow.</summary>
    public static double Sigmoid(double x)
    {
        if (x >= 0) return 1 / (1 + Math.Exp(-x));
        double e = Math.Exp(x);
        return e / (1 + e);
    }
}
