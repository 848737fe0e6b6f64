namespace SimSeg.Neural.Optimizers;

/// <summary>Whether a larger or a smaller metric is better.</summary>
public enum MetricMode
{
    /// <summary>Smaller is better (a loss).</summary>
    Min,

    /// <summary>Larger is better (mIoU, Dice).</summary>
    Max,
}

/// <summary>
/// Reduces the learning rate by <c>factor</c> when the metric has not improved for more than <c>patience</c>
/// epochs, as PyTorch's ReduceLROnPlateau with a relative threshold: in mode Max an epoch improves when
/// metric &gt; best·(1 + threshold), in mode Min when metric &lt; best·(1 − threshold).
/// </summary>
public sealed class ReduceLrOnPlateau
{
    private readonly IOptimizer _optimizer;
    private int _cooldownLeft;

    /// <summary>A plateau schedule driving <paramref name="optimizer"/>'s learning rate.</summary>
    /// <param name="optimizer">The optimiser whose learning rate is reduced.</param>
    /// <param name="mode">Max for mIoU-like metrics, Min for losses.</param>
    /// <param name="factor">Multiplier in (0, 1) applied on a plateau (PyTorch: 0.1).</param>
    /// <param name="patience">Epochs without improvement tolerated before reducing (PyTorch: 10).</param>
    /// <param name="threshold">Relative improvement that counts (PyTorch: 1e-4).</param>
    /// <param name="minLearningRate">Floor of the learning rate.</param>
    /// <param name="cooldown">Epochs after a reduction during which bad epochs are not counted.</param>
    public ReduceLrOnPlateau(IOptimizer optimizer, MetricMode mode = MetricMode.Max, double factor = 0.1, int patience = 10,
        double threshold = 1e-4, double minLearningRate = 0, int cooldown = 0)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!(factor > 0 && factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "factor must lie in (0, 1).");
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
        if (!(threshold >= 0)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must be non-negative.");
        if (!(minLearningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, "minLearningRate must be non-negative.");
        _optimizer = optimizer;
        Mode = mode;
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        MinLearningRate = minLearningRate;
        Cooldown = cooldown;
        Best = mode == MetricMode.Max ? double.NegativeInfinity : double.PositiveInfinity;
    }

    /// <summary>Whether larger or smaller metrics are better.</summary>
    public MetricMode Mode { get; }

    /// <summary>Multiplier applied on a plateau.</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement tolerated.</summary>
    public int Patience { get; }

    /// <summary>Relative improvement that counts.</summary>
    public double Threshold { get; }

    /// <summary>Floor of the learning rate.</summary>
    public double MinLearningRate { get; }

    /// <summary>Epochs after a reduction during which bad epochs are not counted.</summary>
    public int Cooldown { get; }

    /// <summary>The best metric so far.</summary>
    public double Best { get; private set; }

    /// <summary>Consecutive epochs without improvement.</summary>
    public int BadEpochs { get; private set; }

    /// <summary>Epochs of cooldown left after the last reduction.</summary>
    public int CooldownLeft => _cooldownLeft;

    /// <summary>Restores the state saved from <see cref="Best"/>, <see cref="BadEpochs"/> and <see cref="CooldownLeft"/> (for resumed training).</summary>
    public void RestoreState(double best, int badEpochs, int cooldownLeft)
    {
        if (double.IsNaN(best)) throw new ArgumentOutOfRangeException(nameof(best), best, "best must not be NaN.");
        ArgumentOutOfRangeException.ThrowIfNegative(badEpochs);
        ArgumentOutOfRangeException.ThrowIfNegative(cooldownLeft);
        Best = best;
        BadEpochs = badEpochs;
        _cooldownLeft = cooldownLeft;
    }

    /// <summary>Records one epoch's metric; returns true when the learning rate was reduced.</summary>
    public bool Step(double metric)
    {
        if (double.IsNaN(metric)) throw new ArgumentOutOfRangeException(nameof(metric), metric, "metric must not be NaN.");
        bool better = Mode == MetricMode.Max ? metric > Best * (Best >= 0 ? 1 + Threshold : 1 - Threshold) || double.IsNegativeInfinity(Best)
                                              : metric < Best * (Best >= 0 ? 1 - Threshold : 1 + Threshold) || double.IsPositiveInfinity(Best);
        if (better)
        {
            Best = metric;
            BadEpochs = 0;
        }
        else
        {
            BadEpochs++;
        }
        if (_cooldownLeft > 0)
        {
            _cooldownLeft--;
            BadEpochs = 0;
        }
        if (BadEpochs <= Patience) return false;
        BadEpochs = 0;
        _cooldownLeft = Cooldown;
        double reduced = Math.Max(_optimizer.LearningRate * Factor, MinLearningRate);
        if (reduced >= _optimizer.LearningRate) return false;
        _optimizer.LearningRate = reduced;
        return true;
    }
}

/// <summary>
/// Cosine annealing without restarts (Loshchilov &amp; Hutter 2017, SGDR; PyTorch's CosineAnnealingLR in closed form):
/// after epoch e of T, η = η_min + (η₀ − η_min)(1 + cos(π·e/T))/2; after T epochs the rate stays η_min.
/// </summary>
public sealed class CosineSchedule
{
    private readonly IOptimizer _optimizer;

    /// <summary>A cosine schedule from <paramref name="optimizer"/>'s current rate down to <paramref name="minLearningRate"/> over <paramref name="totalEpochs"/>.</summary>
    public CosineSchedule(IOptimizer optimizer, int totalEpochs, double minLearningRate = 0)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalEpochs, 1);
        if (!(minLearningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, "minLearningRate must be non-negative.");
        _optimizer = optimizer;
        TotalEpochs = totalEpochs;
        MinLearningRate = minLearningRate;
        BaseLearningRate = optimizer.LearningRate;
    }

    /// <summary>Length T of the schedule, in epochs.</summary>
    public int TotalEpochs { get; }

    /// <summary>The initial rate η₀.</summary>
    public double BaseLearningRate { get; }

    /// <summary>The final rate η_min.</summary>
    public double MinLearningRate { get; }

    /// <summary>Epochs completed.</summary>
    public int Epoch { get; private set; }

    /// <summary>The rate after <paramref name="epoch"/> epochs.</summary>
    public double LearningRateAt(int epoch) => At(BaseLearningRate, MinLearningRate, epoch, TotalEpochs);

    /// <summary>
    /// The cosine rate after <paramref name="done"/> of <paramref name="total"/> units (epochs, or steps for a schedule
    /// that moves every step): η_min + (η₀ − η_min)(1 + cos(π·done/total))/2, η_min from <paramref name="total"/> on.
    /// </summary>
    public static double At(double baseLearningRate, double minLearningRate, long done, long total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(done);
        ArgumentOutOfRangeException.ThrowIfLessThan(total, 1);
        double progress = Math.Min(done, total) / (double)total;
        return minLearningRate + (baseLearningRate - minLearningRate) * (1 + Math.Cos(Math.PI * progress)) / 2;
    }

    /// <summary>Ends an epoch and sets the optimiser's rate for the next; returns the new rate.</summary>
    public double Step()
    {
        Epoch++;
        _optimizer.LearningRate = LearningRateAt(Epoch);
        return _optimizer.LearningRate;
    }
}
