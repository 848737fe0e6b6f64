using System.Numerics;

namespace SimSeg.Neural.Optimizers;

/// <summary>Settings of <see cref="Adam"/>; the defaults are PyTorch's.</summary>
/// <param name="LearningRate">Step size α (1e-3).</param>
/// <param name="Beta1">Decay β₁ of the first-moment estimate (0.9).</param>
/// <param name="Beta2">Decay β₂ of the second-moment estimate (0.999).</param>
/// <param name="Epsilon">ε added to √v̂ (1e-8).</param>
/// <param name="WeightDecay">Decoupled weight decay λ (0: plain Adam; &gt; 0: AdamW, θ ← θ(1 − αλ) before the Adam step).</param>
public sealed record AdamOptions(double LearningRate = 1e-3, double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-8, double WeightDecay = 0);

/// <summary>
/// Adam (Kingma &amp; Ba 2015) with bias correction, m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
/// θ ← θ − α·m̂/(√v̂ + ε) with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ); with weight decay, the decoupled form AdamW
/// (Loshchilov &amp; Hutter 2019), as PyTorch's AdamW. The moment buffers are allocated once.
/// </summary>
public sealed class Adam : IOptimizer
{
    private readonly Parameter[] _parameters;
    private readonly float[][] _m;
    private readonly float[][] _v;
    private double _learningRate;

    /// <summary>Adam over the trainable entries of <paramref name="parameters"/>.</summary>
    public Adam(IReadOnlyList<Parameter> parameters, AdamOptions? options = null)
    {
        Options = options ?? new AdamOptions();
        _learningRate = OptimizerChecks.LearningRate(Options.LearningRate, nameof(options));
        if (!(Options.Beta1 >= 0 && Options.Beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(options), Options.Beta1, "Beta1 must lie in [0, 1).");
        if (!(Options.Beta2 >= 0 && Options.Beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(options), Options.Beta2, "Beta2 must lie in [0, 1).");
        if (!(Options.Epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(options), Options.Epsilon, "Epsilon must be non-negative.");
        if (!(Options.WeightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(options), Options.WeightDecay, "WeightDecay must be non-negative.");
        _parameters = OptimizerChecks.Trainable(parameters);
        _m = [.. _parameters.Select(p => new float[p.Value.Length])];
        _v = [.. _parameters.Select(p => new float[p.Value.Length])];
    }

    /// <summary>The settings; <see cref="LearningRate"/> starts from them.</summary>
    public AdamOptions Options { get; }

    /// <summary>Number of steps taken (t).</summary>
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

    /// <summary>The first-moment estimates m, one array per entry of <see cref="Parameters"/> (live: read them to save a checkpoint).</summary>
    public IReadOnlyList<float[]> FirstMoments => _m;

    /// <summary>The second-moment estimates v, one array per entry of <see cref="Parameters"/> (live: read them to save a checkpoint).</summary>
    public IReadOnlyList<float[]> SecondMoments => _v;

    /// <summary>
    /// Restores the state saved from <see cref="StepCount"/>, <see cref="FirstMoments"/>, <see cref="SecondMoments"/> and
    /// <see cref="LearningRate"/>, so that training resumed from a checkpoint takes exactly the steps it would have taken.
    /// </summary>
    /// <exception cref="ArgumentException">The arrays do not match the parameters in number or length, or the step count is negative.</exception>
    public void RestoreState(int stepCount, IReadOnlyList<float[]> firstMoments, IReadOnlyList<float[]> secondMoments, double learningRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        ArgumentNullException.ThrowIfNull(firstMoments);
        ArgumentNullException.ThrowIfNull(secondMoments);
        if (firstMoments.Count != _parameters.Length || secondMoments.Count != _parameters.Length)
            throw new ArgumentException($"the state holds {firstMoments.Count} and {secondMoments.Count} moment arrays; the optimiser has {_parameters.Length} parameters.", nameof(firstMoments));
        for (int k = 0; k < _parameters.Length; k++)
        {
            if (firstMoments[k]?.Length != _m[k].Length || secondMoments[k]?.Length != _v[k].Length)
                throw new ArgumentException($"moment array {k} has {firstMoments[k]?.Length} and {secondMoments[k]?.Length} values; its parameter has {_m[k].Length}.", nameof(firstMoments));
        }
        LearningRate = learningRate;
        for (int k = 0; k < _parameters.Length; k++)
        {
            firstMoments[k].CopyTo(_m[k], 0);
            secondMoments[k].CopyTo(_v[k], 0);
        }
        StepCount = stepCount;
    }

    /// <inheritdoc/>
    public void Step()
    {
        StepCount++;
        double b1 = Options.Beta1, b2 = Options.Beta2;
        double correction1 = 1 - Math.Pow(b1, StepCount), correction2 = 1 - Math.Pow(b2, StepCount);
        // θ ← θ·decay − stepSize·m/(√v·rootScale + ε), the same as α·m̂/(√v̂ + ε).
        float stepSize = (float)(_learningRate / correction1);
        float rootScale = (float)(1 / Math.Sqrt(correction2));
        float decay = (float)(1 - _learningRate * Options.WeightDecay);
        // 1 − β is taken in double: 1 − 0.999f in float is off by 1.3e-5 relative.
        float beta1 = (float)b1, beta2 = (float)b2, keep1 = (float)(1 - b1), keep2 = (float)(1 - b2), eps = (float)Options.Epsilon;
        for (int k = 0; k < _parameters.Length; k++)
            Update(_parameters[k].Value.Data, _parameters[k].Gradient.Data, _m[k], _v[k], beta1, beta2, keep1, keep2, stepSize, rootScale, eps, decay);
    }

    private static void Update(Span<float> theta, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float beta1, float beta2, float keep1, float keep2, float stepSize, float rootScale, float eps, float decay)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vb1 = new Vector<float>(beta1);
            var vb2 = new Vector<float>(beta2);
            var vc1 = new Vector<float>(keep1);
            var vc2 = new Vector<float>(keep2);
            var vStep = new Vector<float>(stepSize);
            var vRoot = new Vector<float>(rootScale);
            var vEps = new Vector<float>(eps);
            var vDecay = new Vector<float>(decay);
            for (; i <= theta.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var gi = new Vector<float>(g[i..]);
                var mi = vb1 * new Vector<float>(m[i..]) + vc1 * gi;
                var vi = vb2 * new Vector<float>(v[i..]) + vc2 * gi * gi;
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                var denominator = Vector.SquareRoot(vi) * vRoot + vEps;
                (new Vector<float>(theta[i..]) * vDecay - vStep * mi / denominator).CopyTo(theta[i..]);
            }
        }
        for (; i < theta.Length; i++)
        {
            float gi = g[i];
            m[i] = beta1 * m[i] + keep1 * gi;
            v[i] = beta2 * v[i] + keep2 * gi * gi;
            theta[i] = theta[i] * decay - stepSize * m[i] / (MathF.Sqrt(v[i]) * rootScale + eps);
        }
    }
}
