using SimSeg.Core.Geometry;

namespace SimSeg.Simulation.Geometry;

/// <summary>
/// A smooth 3D centreline through a few control points: a natural cubic spline (C2, interpolating every
/// control point) in the chord-length parameter, as used for the mitochondrion centrelines of PhySeg's
/// simulator (Sekh et al., Nat. Mach. Intell. 2021, which interpolates 3–4 random control points with a
/// B-spline). Positions in nm.
/// </summary>
public sealed class CenterlineSpline
{
    private const int DenseStepsPerSpan = 64;
    private readonly Vec3[] _points;
    private readonly double[] _knots;
    private readonly Vec3[] _second;
    private readonly Vec3[] _dense;
    private readonly double[] _denseArc;

    /// <summary>
    /// Creates the spline through <paramref name="controlPoints"/> (at least 2; consecutive points must be
    /// distinct). Two points give a straight segment.
    /// </summary>
    public CenterlineSpline(IReadOnlyList<Vec3> controlPoints)
    {
        ArgumentNullException.ThrowIfNull(controlPoints);
        if (controlPoints.Count < 2)
            throw new ArgumentException($"controlPoints must hold at least 2 points, got {controlPoints.Count}.", nameof(controlPoints));
        int n = controlPoints.Count;
        _points = new Vec3[n];
        _knots = new double[n];
        for (int i = 0; i < n; i++)
        {
            Vec3 p = controlPoints[i];
            if (!double.IsFinite(p.X) || !double.IsFinite(p.Y) || !double.IsFinite(p.Z))
                throw new ArgumentException($"control point {i} must be finite, got {p}.", nameof(controlPoints));
            _points[i] = p;
            if (i > 0)
            {
                double h = Vec3.Distance(_points[i - 1], p);
                if (!(h > 1e-9))
                    throw new ArgumentException($"control points {i - 1} and {i} coincide ({p}); consecutive points must differ.", nameof(controlPoints));
                _knots[i] = _knots[i - 1] + h;
            }
        }
        _second = SolveNaturalSecondDerivatives(_points, _knots);

        int denseCount = (n - 1) * DenseStepsPerSpan + 1;
        _dense = new Vec3[denseCount];
        _denseArc = new double[denseCount];
        int k = 0;
        for (int span = 0; span < n - 1; span++)
        {
            for (int j = 0; j < DenseStepsPerSpan; j++)
                _dense[k++] = EvaluateSpan(span, _knots[span] + (_knots[span + 1] - _knots[span]) * j / DenseStepsPerSpan);
        }
        _dense[k] = _points[n - 1];
        for (int i = 1; i < denseCount; i++) _denseArc[i] = _denseArc[i - 1] + Vec3.Distance(_dense[i - 1], _dense[i]);
        ArcLength = _denseArc[^1];
    }

    /// <summary>The control points the spline passes through (nm).</summary>
    public IReadOnlyList<Vec3> ControlPoints => _points;

    /// <summary>The parameter range [0, ParameterLength] of <see cref="Evaluate"/>: the summed chord lengths (nm).</summary>
    public double ParameterLength => _knots[^1];

    /// <summary>Total arc length (nm), measured on a polyline of 64 chords per span (relative error ~1e-4 or less).</summary>
    public double ArcLength { get; }

    /// <summary>
    /// The point at chord-length parameter <paramref name="t"/> (clamped to [0, <see cref="ParameterLength"/>]);
    /// t equal to the cumulative chord length of a control point returns that control point.
    /// </summary>
    public Vec3 Evaluate(double t)
    {
        t = Math.Clamp(t, 0, ParameterLength);
        int span = Array.BinarySearch(_knots, t);
        if (span < 0) span = ~span - 1;
        span = Math.Clamp(span, 0, _knots.Length - 2);
        return EvaluateSpan(span, t);
    }

    /// <summary>
    /// Points along the curve equally spaced in arc length, from the start to arc length
    /// min(<see cref="ArcLength"/>, <paramref name="maxArcLengthNm"/>) (both ends included), with spacing
    /// at most <paramref name="stepNm"/>; the polyline's length never exceeds <paramref name="maxArcLengthNm"/>.
    /// </summary>
    public Vec3[] Sample(double stepNm, double maxArcLengthNm = double.PositiveInfinity)
    {
        SimSeg.Core.Guard.Positive(stepNm);
        if (!(maxArcLengthNm > 0)) throw new ArgumentOutOfRangeException(nameof(maxArcLengthNm), maxArcLengthNm, $"maxArcLengthNm must be > 0, got {maxArcLengthNm}.");
        double length = Math.Min(ArcLength, maxArcLengthNm);
        int segments = Math.Max(1, (int)Math.Ceiling(length / stepNm - 1e-9));
        double ds = length / segments;
        var result = new Vec3[segments + 1];
        result[0] = _dense[0];
        int j = 1;
        for (int i = 1; i <= segments; i++)
        {
            double s = i == segments ? length : i * ds;
            while (j < _denseArc.Length - 1 && _denseArc[j] < s) j++;
            double a = _denseArc[j - 1], b = _denseArc[j];
            double f = b > a ? Math.Clamp((s - a) / (b - a), 0, 1) : 1;
            result[i] = _dense[j - 1] + (_dense[j] - _dense[j - 1]) * f;
        }
        return result;
    }

    private Vec3 EvaluateSpan(int span, double t)
    {
        double h = _knots[span + 1] - _knots[span];
        double a = (_knots[span + 1] - t) / h, b = 1 - a;
        return _points[span] * a + _points[span + 1] * b
               + (_second[span] * (a * a * a - a) + _second[span + 1] * (b * b * b - b)) * (h * h / 6.0);
    }

    /// <summary>Second derivatives of the natural cubic spline (zero at both ends), Thomas algorithm.</summary>
    private static Vec3[] SolveNaturalSecondDerivatives(Vec3[] y, double[] x)
    {
        int n = y.Length;
        var m = new Vec3[n];
        if (n < 3) return m;
        int k = n - 2;
        var diag = new double[k];
        var rhs = new Vec3[k];
        var upper = new double[k];
        for (int i = 1; i <= k; i++)
        {
            double h0 = x[i] - x[i - 1], h1 = x[i + 1] - x[i];
            diag[i - 1] = 2 * (h0 + h1);
            upper[i - 1] = h1;
            rhs[i - 1] = ((y[i + 1] - y[i]) / h1 - (y[i] - y[i - 1]) / h0) * 6.0;
        }
        for (int i = 1; i < k; i++)
        {
            double lower = x[i + 1] - x[i]; // h_i couples unknown i-1 and i
            double w = lower / diag[i - 1];
            diag[i] -= w * upper[i - 1];
            rhs[i] -= rhs[i - 1] * w;
        }
        m[k] = rhs[k - 1] / diag[k - 1];
        for (int i = k - 2; i >= 0; i--) m[i + 1] = (rhs[i] - m[i + 2] * upper[i]) / diag[i];
        return m;
    }
}
