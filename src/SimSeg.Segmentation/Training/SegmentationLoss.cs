using SimSeg.Neural;
using SimSeg.Neural.Losses;

namespace SimSeg.Segmentation.Training;

/// <summary>
/// The training loss, a weighted sum of soft Dice (over the whole batch), focal and binary cross-entropy terms on
/// the logits. The default, Dice + focal with weight 1 each (α 0.25, γ 2), is PhySeg's
/// (<c>sm.losses.DiceLoss() + sm.losses.BinaryFocalLoss()</c>).
/// </summary>
public sealed record LossOptions
{
    /// <summary>Weight of the soft Dice loss (default 1).</summary>
    public double DiceWeight { get; init; } = 1;

    /// <summary>Weight of the focal loss (default 1).</summary>
    public double FocalWeight { get; init; } = 1;

    /// <summary>Weight of binary cross-entropy (default 0: off).</summary>
    public double BceWeight { get; init; }

    /// <summary>Focal α, the weight of the foreground class (default 0.25, as torchvision and segmentation_models).</summary>
    public double FocalAlpha { get; init; } = 0.25;

    /// <summary>Focal γ (default 2).</summary>
    public double FocalGamma { get; init; } = 2;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        foreach (var (value, name) in new[] { (DiceWeight, "--dice-weight"), (FocalWeight, "--focal-weight"), (BceWeight, "--bce-weight") })
            if (!(value >= 0) || double.IsInfinity(value)) throw new ArgumentException($"{name} must be a finite number >= 0, got {value}.", nameof(DiceWeight));
        if (DiceWeight + FocalWeight + BceWeight == 0) throw new ArgumentException("at least one loss weight (Dice, focal, BCE) must be positive.", nameof(DiceWeight));
        if (FocalAlpha > 1 || double.IsNaN(FocalAlpha)) throw new ArgumentException($"focal alpha must lie in [0, 1] (negative: no weighting), got {FocalAlpha}.", nameof(FocalAlpha));
        if (!(FocalGamma >= 0) || double.IsInfinity(FocalGamma)) throw new ArgumentException($"focal gamma must be finite and >= 0, got {FocalGamma}.", nameof(FocalGamma));
    }
}

/// <summary>Evaluates <see cref="LossOptions"/> with gradient buffers reused from step to step.</summary>
internal sealed class SegmentationLoss(LossOptions options)
{
    private Tensor? _term;

    public LossOptions Options { get; } = options;

    /// <summary>The loss; when <paramref name="gradient"/> is given it receives d loss / d logits.</summary>
    public double Compute(Tensor logits, Tensor targets, Tensor? gradient)
    {
        Tensor? term = null;
        if (gradient is not null)
        {
            gradient.Data.AsSpan().Clear();
            if (_term is null || !_term.SameShape(logits)) _term = logits.ZerosLike();
            term = _term;
        }
        double loss = 0;
        if (Options.DiceWeight > 0) loss += Add(Options.DiceWeight, DiceLoss.Compute(logits, targets, term), term, gradient);
        if (Options.FocalWeight > 0) loss += Add(Options.FocalWeight, FocalLoss.Compute(logits, targets, term, Options.FocalAlpha, Options.FocalGamma), term, gradient);
        if (Options.BceWeight > 0) loss += Add(Options.BceWeight, BceWithLogits.Compute(logits, targets, term), term, gradient);
        return loss;
    }

    private static double Add(double weight, double value, Tensor? term, Tensor? gradient)
    {
        if (term is not null && gradient is not null)
        {
            float w = (float)weight;
            var g = gradient.Data;
            var t = term.Data;
            for (int i = 0; i < g.Length; i++) g[i] += w * t[i];
        }
        return weight * value;
    }
}
