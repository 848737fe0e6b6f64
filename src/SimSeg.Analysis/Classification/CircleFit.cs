namespace SimSeg.Analysis.Classification;

/// <summary>A circle: centre and radius in the units of the fitted points.</summary>
/// <param name="CenterX">Centre x.</param>
/// <param name="CenterY">Centre y.</param>
/// <param name="Radius">Radius.</param>
public readonly record struct Circle(double CenterX, double CenterY, double Radius);

/// <summary>Circle fitting.</summary>
public static class CircleFit
{
    /// <summary>
    /// Algebraic least-squares circle (Kåsa 1976): minimises Σ(x² + y² + Dx + Ey + F)² over D, E, F, on
    /// coordinates centred at their mean for conditioning. Returns null for fewer than three points or points on
    /// one line.
    /// </summary>
    public static Circle? Kasa(IReadOnlyList<(double X, double Y)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        int n = points.Count;
        if (n < 3) return null;
        double mx = 0, my = 0;
        foreach (var (x, y) in points) { mx += x; my += y; }
        mx /= n;
        my /= n;
        // Normal equations for u = x − mx, v = y − my, z = u² + v²: [Suu Suv Su; Suv Svv Sv; Su Sv n]·[D E F] = −[Suz Svz Sz].
        double suu = 0, svv = 0, suv = 0, suz = 0, svz = 0, sz = 0;
        foreach (var (x, y) in points)
        {
            double u = x - mx, v = y - my, z = u * u + v * v;
            suu += u * u; svv += v * v; suv += u * v;
            suz += u * z; svz += v * z; sz += z;
        }
        // Su = Sv = 0 after centring, so F = −Sz/n and D, E solve a 2×2 system.
        double det = suu * svv - suv * suv;
        if (Math.Abs(det) <= 1e-12 * Math.Max(1, suu * svv)) return null;
        double d = (-suz * svv + svz * suv) / det;
        double e = (-svz * suu + suz * suv) / det;
        double f = -sz / n;
        double r2 = d * d / 4 + e * e / 4 - f;
        if (!(r2 > 0)) return null;
        return new Circle(mx - d / 2, my - e / 2, Math.Sqrt(r2));
    }
}
