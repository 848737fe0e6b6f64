namespace SimSeg.Neural.Tests;

/// <summary>Finite-difference checks for deep blocks and whole networks, where one step size does not fit every coordinate.</summary>
internal static class FiniteDifferences
{
    /// <summary>Steps tried in order: coarse ones lose to curvature and kinks, fine ones to float32 rounding.</summary>
    public static readonly float[] Steps = [1e-2f, 3e-3f, 1e-3f, 3e-4f, 1e-4f];

    /// <summary>Σ a·b in double.</summary>
    public static double Dot(Tensor a, Tensor b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (double)a.Data[i] * b.Data[i];
        return sum;
    }

    /// <summary>
    /// Compares every listed coordinate of <paramref name="analytic"/> with the central difference of
    /// <paramref name="objective"/> within the shared tolerances (those of <see cref="GradientCheck.AssertClose"/>) at
    /// each of <see cref="Steps"/> until one agrees, and adds a description of each coordinate that agrees at none to
    /// <paramref name="misses"/>. A central difference is accurate only where the function is smooth across the step:
    /// a ReLU kink or batch norm over a handful of values spoils a coarse step and float32 rounding a fine one, while a
    /// wrong gradient disagrees at all of them. Returns the number of coordinates checked.
    /// </summary>
    public static int Compare(float[] values, float[] analytic, string what, Func<double> objective, List<string> misses,
        IEnumerable<int>? indices = null, double rtol = 1e-2, double atol = 1e-3)
    {
        int count = 0;
        foreach (int i in indices ?? Enumerable.Range(0, values.Length))
        {
            count++;
            var tried = new List<double>();
            bool agrees = false;
            foreach (float eps in Steps)
            {
                double numeric = Central(values, i, eps, objective);
                tried.Add(numeric);
                if (Math.Abs(numeric - analytic[i]) <= atol + rtol * Math.Max(Math.Abs(numeric), Math.Abs(analytic[i]))) { agrees = true; break; }
            }
            if (!agrees)
                misses.Add($"{what}[{i}]: analytic {analytic[i]:G6}, numeric at steps {string.Join(", ", Steps)}: {string.Join(", ", tried.Select(t => t.ToString("G6")))}");
        }
        return count;
    }

    /// <summary>
    /// Fails unless at most one coordinate in <paramref name="perMissAllowed"/> of <paramref name="checkedCount"/> is in
    /// <paramref name="misses"/>: with ReLUs a coordinate whose perturbation crosses a kink at every step can occur (a
    /// pre-activation within 1e-4 of zero), whereas a wrong backward pass shows up in many coordinates.
    /// </summary>
    public static void AssertFewMisses(List<string> misses, int checkedCount, int perMissAllowed = 200)
    {
        int allowed = checkedCount / perMissAllowed;
        Assert.True(misses.Count <= allowed,
            $"{misses.Count} of {checkedCount} coordinates disagree (at most {allowed} allowed):\n{string.Join("\n", misses.Take(10))}");
    }

    /// <summary>(f(x + ε) − f(x − ε)) / 2ε for coordinate <paramref name="index"/>, restoring the value.</summary>
    public static double Central(float[] values, int index, float eps, Func<double> objective)
    {
        float keep = values[index];
        values[index] = keep + eps;
        double plus = objective();
        values[index] = keep - eps;
        double minus = objective();
        values[index] = keep;
        return (plus - minus) / (2.0 * eps);
    }
}
