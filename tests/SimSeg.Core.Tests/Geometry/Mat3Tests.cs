using SimSeg.Core.Geometry;

namespace SimSeg.Core.Tests.Geometry;

public class Mat3Tests
{
    private static void Near(Vec3 expected, Vec3 actual, double tol = 1e-12) =>
        Assert.True(Vec3.Distance(expected, actual) < tol, $"expected {expected}, got {actual}");

    [Fact]
    public void RotationX_180Degrees_MapsYToMinusY()
    {
        Near(new Vec3(0, -1, 0), Mat3.RotationX(Math.PI) * Vec3.UnitY);
        Near(new Vec3(0, 0, -1), Mat3.RotationX(Math.PI) * Vec3.UnitZ);
        Near(Vec3.UnitX, Mat3.RotationX(Math.PI) * Vec3.UnitX);
    }

    [Fact]
    public void Euler_ComposedWithTranspose_IsIdentity()
    {
        Mat3 r = Mat3.Euler(0.7, -0.4, 2.9);
        Mat3 p = r.Transpose() * r;
        var v = new Vec3(1.5, -2, 0.25);
        Near(v, p * v);
        Near(v, Mat3.RotationZ(-1.1) * (Mat3.RotationZ(1.1) * v));
    }

    [Fact]
    public void Euler_Order_IsRzRyRx()
    {
        double a = 0.3, b = 1.2, g = -0.8;
        var v = new Vec3(0.2, -1.0, 3.0);
        Vec3 stepwise = Mat3.RotationZ(g) * (Mat3.RotationY(b) * (Mat3.RotationX(a) * v));
        Near(stepwise, Mat3.Euler(a, b, g) * v);
        // x90 then z90 sends y to z first (x90), which z90 leaves alone.
        Near(Vec3.UnitZ, Mat3.Euler(Math.PI / 2, 0, Math.PI / 2) * Vec3.UnitY);
    }
}
