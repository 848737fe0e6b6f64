using SimSeg.Core.Geometry;
using SimSeg.Simulation.Geometry;

namespace SimSeg.Simulation.Tests.Geometry;

public class CenterlineSplineTests
{
    private static readonly Vec3[] Points = [new(0, 0, 0), new(1000, 800, 100), new(2000, -300, 200), new(3500, 400, 300)];

    [Fact]
    public void Evaluate_AtControlPointKnots_InterpolatesControlPoints()
    {
        var spline = new CenterlineSpline(Points);
        double t = 0;
        for (int i = 0; i < Points.Length; i++)
        {
            if (i > 0) t += Vec3.Distance(Points[i - 1], Points[i]);
            Assert.True(Vec3.Distance(Points[i], spline.Evaluate(t)) < 1e-9, $"control point {i}");
        }
    }

    [Fact]
    public void Evaluate_AroundInteriorKnot_IsC2Smooth()
    {
        var spline = new CenterlineSpline(Points);
        double k = Vec3.Distance(Points[0], Points[1]), h = 1e-2;
        Vec3 SecondDiff(double t) => (spline.Evaluate(t + h) - spline.Evaluate(t) * 2 + spline.Evaluate(t - h)) / (h * h);
        Vec3 left = SecondDiff(k - 2 * h), right = SecondDiff(k + 2 * h);
        Assert.True((left - right).Length < 1e-3 * Math.Max(1, left.Length), $"{left} vs {right}");
    }

    [Fact]
    public void Sample_Step_SpacingAtMostStepAndEndsMatch()
    {
        var spline = new CenterlineSpline(Points);
        Vec3[] s = spline.Sample(50);
        Assert.Equal(Points[0], s[0]);
        Assert.True(Vec3.Distance(Points[^1], s[^1]) < 1e-9);
        double total = 0;
        for (int i = 1; i < s.Length; i++)
        {
            double d = Vec3.Distance(s[i - 1], s[i]);
            Assert.True(d <= 50 + 1e-9);
            total += d;
        }
        Assert.InRange(total, spline.ArcLength * 0.999, spline.ArcLength + 1e-9);
        Assert.True(spline.ArcLength > Vec3.Distance(Points[0], Points[^1]));
    }

    [Fact]
    public void Sample_MaxArcLength_TruncatesPolyline()
    {
        var spline = new CenterlineSpline(Points);
        Vec3[] s = spline.Sample(40, maxArcLengthNm: 1500);
        double total = 0;
        for (int i = 1; i < s.Length; i++) total += Vec3.Distance(s[i - 1], s[i]);
        Assert.InRange(total, 1490, 1500);
    }

    [Fact]
    public void Constructor_TooFewOrRepeatedPoints_Throws()
    {
        Assert.Throws<ArgumentException>(() => new CenterlineSpline([Vec3.Zero]));
        Assert.Throws<ArgumentException>(() => new CenterlineSpline([Vec3.Zero, Vec3.Zero, Vec3.UnitX]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CenterlineSpline(Points).Sample(0));
    }
}
