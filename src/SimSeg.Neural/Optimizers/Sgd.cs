namespace SimSeg.Neural.Optimizers;

/// <summary>Settings of <see cref="Sgd"/>; the defaults are PyTorch's except the learning rate.</summary>
/// <param name="LearningRate">Step size (1e-2).</param>
/// <param name="Momentum">Momentum μ (0: plain gradient descent).</param>
/// <param name="Nesterov">Nesterov momentum (Sutskever et al. 2013), as PyTorch: the step uses g + μb.</param>
/// <param name="WeightDecay">L2 penalty λ added to the gradient, g ← g + λθ.</param>
/// <param name="Dampening">Dampening d of the momentum update, b ← μb + (1 − d)g.</param>
public sealed record SgdOptions(double LearningRate = 1e-2, double Momentum = 0, bool Nesterov = false, double WeightDecay = 0, double Dampening = 0);

/// <summary>
/// Stochastic gradient descent with optional momentum, as PyTorch's SGD: g ← ∇ + λθ; b ← g on the first step,
/// then b ← μb + (1 − d)g; the step direction is g + μb (Nesterov) or b; θ ← θ − η·direction.
/// </summary>
public sealed class Sgd : IOptimizer
{
    private readonly Parameter[] _parameters;
    private readonly float[][] _momentum;
    private double _learningRate;

    /// <summary>SGD over the trainable entries of <paramref name="parameters"/>.</summary>
    public Sgd(IReadOnlyList<Parameter> parameters, SgdOptions? options = null)
    {
        Options = options ?? new SgdOptions();
        _learningRate = OptimizerChecks.LearningRate(Options.LearningRate, nameof(options));
        if (!(Options.Momentum >= 0 && Options.Momentum < 1)) throw new ArgumentOutOfRangeException(nameof(options), Options.Momentum, "Momentum must lie in [0, 1).");
        if (!(Options.WeightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(options), Options.WeightDecay, "WeightDecay must be non-negative.");
        if (!(Options.Dampening >= 0 && Options.Dampening <= 1)) throw new ArgumentOutOfRangeException(nameof(options), Options.Dampening, "Dampening must lie in [0, 1].");
        if (Options.Nesterov && (Options.Momentum == 0 || Options.Dampening != 0))
            throw new ArgumentException("Nesterov momentum needs a positive momentum and zero dampening.", nameof(options));
        _parameters = OptimizerChecks.Trainable(parameters);
        _momentum = Options.Momentum > 0 ? [.. _parameters.Select(p => new float[p.Value.Length])] : [];
    }

    /// <summary>The settings; <see cref="LearningRate"/> starts from them.</summary>
    public SgdOptions Options { get; }

    /// <summary>Number of steps taken.</summary>
    public int StepCount { get; private set; }

    /// <inheritdoc/>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerChecks.LearningRate(value, nameof(value));
    }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public void ZeroGrad() => OptimizerChecks.ZeroGrad(_parameters);

    /// <inheritdoc/>
    public void Step()
    {
        bool first = StepCount == 0;
        StepCount++;
        float lr = (float)_learningRate, mu = (float)Options.Momentum, wd = (float)Options.WeightDecay, keep = (float)(1 - Options.Dampening);
        for (int k = 0; k < _parameters.Length; k++)
        {
            float[] theta = _parameters[k].Value.Data, grad = _parameters[k].Gradient.Data;
            float[]? b = mu > 0 ? _momentum[k] : null;
            for (int i = 0; i < theta.Length; i++)
            {
                float g = grad[i] + wd * theta[i];
                if (b is not null)
                {
                    b[i] = first ? g : mu * b[i] + keep * g;
                    g = Options.Nesterov ? g + mu * b[i] : b[i];
                }
                theta[i] -= lr * g;
            }
        }
    }
}
