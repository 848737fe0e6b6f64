using SimSeg.Neural.Optimizers;

namespace SimSeg.Neural.Tests;

public class OptimizerTests
{
    private static Parameter Scalars(params float[] values) => Parameter.Create("w", new Tensor((float[])values.Clone(), values.Length));

    [Fact]
    public void Adam_FirstStep_IsLearningRateTimesSign()
    {
        // 11 elements: SIMD body and scalar tail.
        float[] g = [3f, -0.01f, 250f, -7f, 1e-3f, -1f, 2f, -2f, 0.5f, -0.5f, 4f];
        var p = Scalars(new float[g.Length]);
        g.CopyTo(p.Gradient.Data, 0);
        new Adam([p], new AdamOptions(LearningRate: 0.01)).Step();
        for (int i = 0; i < g.Length; i++) Assert.Equal(-0.01 * Math.Sign(g[i]), p.Value.Data[i], 5);
    }

    [Fact]
    public void Adam_TwoSteps_MatchHandComputedReference()
    {
        var p = Scalars(1f);
        var adam = new Adam([p], new AdamOptions(LearningRate: 0.1));
        p.Gradient.Data[0] = 2;
        adam.Step();
        Assert.Equal(0.9000000005, p.Value.Data[0], 6);
        adam.ZeroGrad();
        Assert.Equal(0f, p.Gradient.Data[0]);
        p.Gradient.Data[0] = -1;
        adam.Step();
        // m = 0.08, v = 0.004996; m̂ = 0.08/0.19, v̂ = 0.004996/0.001999.
        Assert.Equal(0.8733662967, p.Value.Data[0], 6);
    }

    [Fact]
    public void AdamW_DecaysDecoupled()
    {
        var p = Scalars(2f);
        new Adam([p], new AdamOptions(LearningRate: 0.1, WeightDecay: 0.5)).Step();
        Assert.Equal(2 * (1 - 0.05), p.Value.Data[0], 6); // zero gradient: only the decay acts
    }

    [Fact]
    public void Sgd_Momentum_TwoSteps_MatchHandComputedReference()
    {
        var p = Scalars(1f, 1f);
        var q = Scalars(1f);
        var plain = new Sgd([p], new SgdOptions(LearningRate: 0.1, Momentum: 0.9));
        var nesterov = new Sgd([q], new SgdOptions(LearningRate: 0.1, Momentum: 0.9, Nesterov: true));
        foreach (float g in new[] { 2f, -1f })
        {
            p.Gradient.Data[0] = p.Gradient.Data[1] = q.Gradient.Data[0] = g;
            plain.Step();
            nesterov.Step();
        }
        // b = 2, θ = 0.8; b = 0.9·2 − 1 = 0.8, θ = 0.72. Nesterov: θ = 1 − 0.1·3.8 = 0.62, then 0.62 − 0.1·(−1 + 0.72) = 0.648.
        Assert.Equal(0.72f, p.Value.Data[0], 6);
        Assert.Equal(0.648f, q.Value.Data[0], 6);
    }

    public static TheoryData<string> Optimizers => ["adam", "adamw", "sgd", "momentum", "nesterov"];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Optimizer_MinimisesQuadratic(string name)
    {
        // f(w) = Σ aᵢ(wᵢ − cᵢ)², minimum at c.
        float[] a = [1f, 3f, 0.5f, 2f, 1f, 1f, 4f, 0.7f, 1.5f];
        float[] c = [1f, -2f, 0.5f, 3f, -1f, 0f, 2f, -0.5f, 1f];
        var w = Scalars(new float[a.Length]);
        var buffer = Parameter.Buffer("running_mean", new Tensor([5f], 1));
        IOptimizer opt = name switch
        {
            "adam" => new Adam([w, buffer], new AdamOptions(LearningRate: 0.05)),
            "adamw" => new Adam([w, buffer], new AdamOptions(LearningRate: 0.05, WeightDecay: 1e-4)),
            "sgd" => new Sgd([w, buffer], new SgdOptions(LearningRate: 0.05)),
            "momentum" => new Sgd([w, buffer], new SgdOptions(LearningRate: 0.02, Momentum: 0.9)),
            _ => new Sgd([w, buffer], new SgdOptions(LearningRate: 0.02, Momentum: 0.9, Nesterov: true)),
        };
        Assert.Single(opt.Parameters);
        for (int step = 0; step < 1000; step++)
        {
            opt.ZeroGrad();
            for (int i = 0; i < a.Length; i++) w.Gradient.Data[i] += 2 * a[i] * (w.Value.Data[i] - c[i]);
            opt.Step();
        }
        for (int i = 0; i < a.Length; i++) Assert.Equal(c[i], w.Value.Data[i], 2);
        Assert.Equal(5f, buffer.Value.Data[0]);
    }

    [Fact]
    public void ReduceLrOnPlateau_MaxMode_ReducesAfterPatience()
    {
        var opt = new Sgd([Scalars(0f)], new SgdOptions(LearningRate: 1));
        var schedule = new ReduceLrOnPlateau(opt, MetricMode.Max, factor: 0.5, patience: 2);
        Assert.False(schedule.Step(0.5));
        Assert.False(schedule.Step(0.6));
        Assert.False(schedule.Step(0.6));
        Assert.False(schedule.Step(0.59));
        Assert.True(schedule.Step(0.6)); // third epoch without improvement
        Assert.Equal(0.5, opt.LearningRate);
        Assert.Equal(0.6, schedule.Best);
        Assert.False(schedule.Step(0.7));
        Assert.Equal(0.5, opt.LearningRate);
    }

    [Fact]
    public void CosineSchedule_FollowsHalfCosine()
    {
        var opt = new Adam([Scalars(0f)], new AdamOptions(LearningRate: 1));
        var schedule = new CosineSchedule(opt, totalEpochs: 4, minLearningRate: 0.1);
        Assert.Equal(0.1 + 0.9 * (1 + Math.Cos(Math.PI / 4)) / 2, schedule.Step(), 12);
        schedule.Step();
        Assert.Equal(0.55, opt.LearningRate, 12);
        schedule.Step();
        schedule.Step();
        Assert.Equal(0.1, opt.LearningRate, 12);
        schedule.Step();
        Assert.Equal(0.1, opt.LearningRate, 12);
    }

    [Fact]
    public void Optimizers_BadSettings_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([], new AdamOptions(LearningRate: -1)));
        Assert.Throws<ArgumentException>(() => new Sgd([], new SgdOptions(Nesterov: true)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLrOnPlateau(new Sgd([]), factor: 1.5));
    }
}
