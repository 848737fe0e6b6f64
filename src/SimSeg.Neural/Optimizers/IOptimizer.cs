namespace SimSeg.Neural.Optimizers;

/// <summary>A first-order optimiser over the trainable parameters it was given (buffers are skipped).</summary>
public interface IOptimizer
{
    /// <summary>The learning rate of the next <see cref="Step"/>; schedules change it between steps.</summary>
    double LearningRate { get; set; }

    /// <summary>The trainable parameters updated by <see cref="Step"/>.</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Sets every gradient to zero.</summary>
    void ZeroGrad();

    /// <summary>Updates every trainable parameter from its gradient.</summary>
    void Step();
}

/// <summary>Shared checks and parameter filtering.</summary>
internal static class OptimizerChecks
{
    public static Parameter[] Trainable(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = new List<Parameter>();
        foreach (var p in parameters)
        {
            if (p is null) throw new ArgumentException("parameters contains null.", nameof(parameters));
            if (p.Trainable) list.Add(p);
        }
        return [.. list];
    }

    public static double LearningRate(double value, string name) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, "the learning rate must be finite and non-negative.");

    public static void ZeroGrad(Parameter[] parameters)
    {
        foreach (var p in parameters) Array.Clear(p.Gradient.Data);
    }
}
