using SimSeg.Neural;
using SimSeg.Neural.Losses;

namespace SimSeg.Segmentation.Training;

/// <summary>How softmax cross-entropy weighs the classes of a K-class model.</summary>
public enum ClassWeighting
{
    /// <summary>Every pixel weighs 1 (the default).</summary>
    None,

    /// <summary>
    /// Class k weighs 1/(K·fₖ), fₖ its share of the training pixels and K the number of classes present (<see cref="ClassWeights.InverseFrequency"/>):
    /// every class present carries the same total weight.
    /// </summary>
    InverseFrequency,

    /// <summary>The weights of <see cref="LossOptions.ClassWeights"/>, one per class.</summary>
    Manual,
}

/// <summary>
/// The training loss. A binary model: a weighted sum of soft Dice (over the whole batch), focal, binary
/// cross-entropy and per-image Lovász hinge terms on the logits; the default, Dice + focal with weight 1 each (α 0.25, γ 2), is PhySeg's
/// (<c>sm.losses.DiceLoss() + sm.losses.BinaryFocalLoss()</c>). A K-class model: softmax cross-entropy (optionally
/// class-weighted) plus the multi-class soft Dice over the foreground classes, weight 1 each.
/// </summary>
public sealed record LossOptions
{
    /// <summary>Weight of the soft Dice loss (default 1); for K classes the multi-class Dice over the foreground classes.</summary>
    public double DiceWeight { get; init; } = 1;

    /// <summary>Weight of the focal loss (default 1; binary models only).</summary>
    public double FocalWeight { get; init; } = 1;

    /// <summary>Weight of binary cross-entropy (default 0: off; binary models only).</summary>
    public double BceWeight { get; init; }

    /// <summary>
    /// Weight of the Lovász hinge loss, image by image (default 0: off; binary models only): a convex surrogate of the
    /// mean per-image 1 − IoU (<see cref="LovaszHingeLoss"/>), useful to fine-tune a model trained with Dice + focal.
    /// </summary>
    public double LovaszWeight { get; init; }

    /// <summary>Weight of softmax cross-entropy (default 1; K-class models only).</summary>
    public double CrossEntropyWeight { get; init; } = 1;

    /// <summary>How the cross-entropy weighs the classes (K-class models; default none).</summary>
    public ClassWeighting ClassWeighting { get; init; } = ClassWeighting.None;

    /// <summary>The class weights of <see cref="ClassWeighting.Manual"/>, one per class in class order (finite, ≥ 0, not all 0); null otherwise.</summary>
    public IReadOnlyList<double>? ClassWeights { get; init; }

    /// <summary>Focal α, the weight of the foreground class (default 0.25, as torchvision and segmentation_models).</summary>
    public double FocalAlpha { get; init; } = 0.25;

    /// <summary>Focal γ (default 2).</summary>
    public double FocalGamma { get; init; } = 2;

    /// <summary>The terms with a positive weight, e.g. "dice 1 + focal 1" (binary) or "cross-entropy 1 + dice 1" (K classes).</summary>
    public string Describe(ClassScheme classes = ClassScheme.Binary)
    {
        var terms = classes == ClassScheme.Binary
            ? new[] { ("dice", DiceWeight), ("focal", FocalWeight), ("bce", BceWeight), ("lovasz", LovaszWeight) }
            : new[] { ("cross-entropy", CrossEntropyWeight), ("dice", DiceWeight) };
        return string.Join(" + ", terms.Where(t => t.Item2 > 0).Select(t => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.Item1} {t.Item2:0.###}")));
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting for a model of <paramref name="classes"/>.</summary>
    public void Validate(ClassScheme classes = ClassScheme.Binary)
    {
        foreach (var (value, name) in new[] { (DiceWeight, "--dice-weight"), (FocalWeight, "--focal-weight"), (BceWeight, "--bce-weight"), (LovaszWeight, "--lovasz-weight"), (CrossEntropyWeight, "--ce-weight") })
            if (!(value >= 0) || double.IsInfinity(value)) throw new ArgumentException($"{name} must be a finite number >= 0, got {value}.", nameof(DiceWeight));
        if (classes == ClassScheme.Binary && DiceWeight + FocalWeight + BceWeight + LovaszWeight == 0)
            throw new ArgumentException("at least one loss weight (Dice, focal, BCE, Lovász) must be positive.", nameof(DiceWeight));
        if (classes != ClassScheme.Binary && DiceWeight + CrossEntropyWeight == 0)
            throw new ArgumentException("at least one loss weight (Dice, cross-entropy) must be positive.", nameof(DiceWeight));
        if (ClassWeighting == ClassWeighting.Manual)
        {
            int k = classes.ClassCount();
            if (ClassWeights is null || ClassWeights.Count != k)
                throw new ArgumentException($"--class-weights needs {k} weights ({string.Join(", ", classes.ClassNames())}), got {ClassWeights?.Count ?? 0}.", nameof(ClassWeights));
            if (ClassWeights.Any(w => !(w >= 0) || double.IsInfinity(w)) || ClassWeights.All(w => w == 0))
                throw new ArgumentException($"--class-weights must be finite numbers >= 0, not all 0; got {string.Join(",", ClassWeights)}.", nameof(ClassWeights));
        }
        else if (ClassWeights is not null)
        {
            throw new ArgumentException($"class weights are given only with class weighting 'manual', got {ClassWeighting}.", nameof(ClassWeights));
        }
        if (classes != ClassScheme.Binary && (BceWeight != 0 || LovaszWeight != 0))
            throw new ArgumentException("the BCE and Lovász terms apply to binary models only.", nameof(LovaszWeight));
        if (FocalAlpha > 1 || double.IsNaN(FocalAlpha)) throw new ArgumentException($"focal alpha must lie in [0, 1] (negative: no weighting), got {FocalAlpha}.", nameof(FocalAlpha));
        if (!(FocalGamma >= 0) || double.IsInfinity(FocalGamma)) throw new ArgumentException($"focal gamma must be finite and >= 0, got {FocalGamma}.", nameof(FocalGamma));
    }
}

/// <summary>Class weights of the cross-entropy of K-class models.</summary>
public static class ClassWeights
{
    /// <summary>
    /// Inverse-frequency weights wₖ = 1/(K′·fₖ), fₖ the share of class k among all pixels of <paramref name="samples"/>
    /// (whole images, before augmentation) and K′ the number of classes present: Σₖ fₖwₖ = 1, so a pixel weighs 1 on
    /// average and every class present carries the same total weight. A class absent from the samples gets weight 1
    /// (it is never a target).
    /// </summary>
    /// <param name="samples">Training samples whose <see cref="SegmentationSample.Mask"/> holds class indices.</param>
    /// <param name="classes">K.</param>
    /// <exception cref="ArgumentException">A sample holds a class index of K or more, or there are no pixels.</exception>
    public static double[] InverseFrequency(IReadOnlyList<SegmentationSample> samples, int classes)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        var counts = new long[classes];
        foreach (var sample in samples)
            foreach (byte c in sample.Mask)
            {
                if (c >= classes) throw new ArgumentException($"sample {sample.Id} holds class {c}; expected 0-{classes - 1}.", nameof(samples));
                counts[c]++;
            }
        long total = counts.Sum();
        if (total == 0) throw new ArgumentException("inverse-frequency class weights need at least one pixel.", nameof(samples));
        int present = counts.Count(n => n > 0);
        return counts.Select(n => n == 0 ? 1.0 : total / ((double)present * n)).ToArray();
    }
}

/// <summary>Evaluates <see cref="LossOptions"/> with gradient buffers reused from step to step.</summary>
/// <param name="options">The loss terms and weights.</param>
/// <param name="logitChannels">1 for a binary model (targets 0/1), K ≥ 2 for a K-class model (targets are class indices).</param>
/// <param name="classWeights">K class weights of the cross-entropy, or null for none (K-class models only).</param>
internal sealed class SegmentationLoss(LossOptions options, int logitChannels = 1, IReadOnlyList<double>? classWeights = null)
{
    private readonly float[] _classWeights = classWeights?.Select(w => (float)w).ToArray() ?? [];
    private Tensor? _term;
    private int[] _classes = [];

    public LossOptions Options { get; } = options;

    /// <summary>The loss; when <paramref name="gradient"/> is given it receives d loss / d logits.</summary>
    /// <param name="logits">[N, C, H, W] with C the logit channels.</param>
    /// <param name="targets">[N, 1, H, W]: 0/1, or class indices for K classes.</param>
    /// <param name="gradient">The logits' shape, or null.</param>
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
        if (logitChannels > 1)
        {
            if (_classes.Length != targets.Length) _classes = new int[targets.Length];
            for (int i = 0; i < _classes.Length; i++) _classes[i] = (int)targets.Data[i];
            if (Options.CrossEntropyWeight > 0)
                loss += Add(Options.CrossEntropyWeight, SoftmaxCrossEntropy.Compute(logits, _classes, term, _classWeights), term, gradient);
            if (Options.DiceWeight > 0) loss += Add(Options.DiceWeight, MultiClassDiceLoss.Compute(logits, _classes, term), term, gradient);
            return loss;
        }
        if (Options.DiceWeight > 0) loss += Add(Options.DiceWeight, DiceLoss.Compute(logits, targets, term), term, gradient);
        if (Options.FocalWeight > 0) loss += Add(Options.FocalWeight, FocalLoss.Compute(logits, targets, term, Options.FocalAlpha, Options.FocalGamma), term, gradient);
        if (Options.BceWeight > 0) loss += Add(Options.BceWeight, BceWithLogits.Compute(logits, targets, term), term, gradient);
        if (Options.LovaszWeight > 0) loss += Add(Options.LovaszWeight, LovaszHingeLoss.Compute(logits, targets, term), term, gradient);
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
