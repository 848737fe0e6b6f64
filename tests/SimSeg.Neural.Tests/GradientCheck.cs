namespace SimSeg.Neural.Tests;

/// <summary>Central finite-difference checks of analytic gradients (float forward, double accumulation).</summary>
internal static class GradientCheck
{
    public const double Eps = 1e-2;

    public static Tensor Random(Random rng, params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Length; i++) t.Data[i] = (float)(rng.NextDouble() * 2 - 1);
        return t;
    }

    /// <summary>Values at least 0.1 away from zero, so kinks at 0 are not crossed by the perturbation.</summary>
    public static Tensor AwayFromZero(Random rng, params int[] shape)
    {
        var t = Random(rng, shape);
        for (int i = 0; i < t.Length; i++) t.Data[i] = MathF.CopySign(0.1f + MathF.Abs(t.Data[i]), t.Data[i]);
        return t;
    }

    /// <summary>Distinct values 0.1 apart in shuffled order, so a max never changes under the perturbation.</summary>
    public static Tensor Distinct(Random rng, params int[] shape)
    {
        var t = new Tensor(shape);
        int[] order = Enumerable.Range(0, t.Length).ToArray();
        rng.Shuffle(order);
        for (int i = 0; i < t.Length; i++) t.Data[i] = 0.1f * (order[i] - t.Length / 2);
        return t;
    }

    public static void AssertClose(double expected, double actual, string what, double rtol = 1e-2, double atol = 1e-3)
    {
        double tolerance = atol + rtol * Math.Max(Math.Abs(expected), Math.Abs(actual));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: numeric {expected:G6}, analytic {actual:G6}.");
    }

    private static double Objective(ILayer layer, Tensor x, Tensor upstream, bool training)
    {
        Tensor y = layer.Forward(x, training);
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += (double)upstream.Data[i] * y.Data[i];
        return sum;
    }

    /// <summary>Checks d(Σ g·y)/dx and d/dθ for every trainable parameter against central differences.</summary>
    public static void Check(ILayer layer, Tensor x, int seed, bool training = true)
    {
        var rng = new Random(seed);
        Tensor y0 = layer.Forward(x, training);
        Tensor upstream = Random(rng, y0.Shape);
        foreach (var p in layer.Parameters) Array.Clear(p.Gradient.Data);
        layer.Forward(x, training);
        Tensor dx = layer.Backward(upstream).Clone();
        Assert.Equal(x.Shape, dx.Shape);
        var parameterGradients = layer.Parameters.Where(p => p.Trainable).Select(p => p.Gradient.Clone()).ToArray();

        CheckOne(x.Data, dx.Data, "input", () => Objective(layer, x, upstream, training));
        int k = 0;
        foreach (var p in layer.Parameters.Where(p => p.Trainable))
            CheckOne(p.Value.Data, parameterGradients[k++].Data, p.Name, () => Objective(layer, x, upstream, training));
    }

    /// <summary>Checks an analytic gradient of a scalar function of <paramref name="values"/>.</summary>
    public static void CheckOne(float[] values, float[] analytic, string what, Func<double> objective, double rtol = 1e-2, double atol = 1e-3)
    {
        for (int i = 0; i < values.Length; i++)
        {
            float saved = values[i];
            values[i] = saved + (float)Eps;
            double plus = objective();
            values[i] = saved - (float)Eps;
            double minus = objective();
            values[i] = saved;
            double numeric = (plus - minus) / (2 * Eps);
            AssertClose(numeric, analytic[i], $"{what}[{i}]", rtol, atol);
        }
    }
}
