namespace SimSeg.Simulation.Optics;

/// <summary>Gauss–Legendre quadrature rules on [−1, 1], from Newton iteration on the Legendre recurrence.</summary>
internal static class GaussLegendre
{
    /// <summary>Nodes (ascending) and weights (summing to 2) of the <paramref name="count"/>-point rule.</summary>
    public static (double[] Nodes, double[] Weights) Rule(int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, $"{nameof(count)} must be a positive integer, got {count}.");
        var nodes = new double[count];
        var weights = new double[count];
        for (int i = 0; i < (count + 1) / 2; i++)
        {
            double x = Math.Cos(Math.PI * (i + 0.75) / (count + 0.5));
            double derivative = 1;
            for (int iteration = 0; iteration < 100; iteration++)
            {
                (double value, derivative) = Legendre(count, x);
                double step = value / derivative;
                x -= step;
                if (Math.Abs(step) < 1e-16) break;
            }
            (_, derivative) = Legendre(count, x);
            double w = 2.0 / ((1 - x * x) * derivative * derivative);
            nodes[i] = -x;
            nodes[count - 1 - i] = x;
            weights[i] = w;
            weights[count - 1 - i] = w;
        }
        if (count % 2 == 1) nodes[count / 2] = 0;
        return (nodes, weights);
    }

    private static (double Value, double Derivative) Legendre(int n, double x)
    {
        double p0 = 1, p1 = x;
        for (int k = 2; k <= n; k++)
        {
            double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
            p0 = p1;
            p1 = p2;
        }
        if (n == 0) return (1, 0);
        return (p1, n * (x * p1 - p0) / (x * x - 1));
    }
}
