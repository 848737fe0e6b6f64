using SimSeg.Simulation.Optics;

namespace SimSeg.Simulation.Tests.Optics;

public class BesselTests
{
    // Reference values from the power series summed in 80-digit decimal arithmetic.
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.001, 0.9999997500000156)]
    [InlineData(1.0, 0.7651976865579666)]
    [InlineData(2.404825557695773, 0.0)]
    [InlineData(7.5, 0.2663396578803784)]
    [InlineData(10.0, -0.24593576445134835)]
    [InlineData(12.0, 0.047689310796833535)]
    [InlineData(20.0, 0.16702466434058316)]
    [InlineData(50.0, 0.055812327669251816)]
    [InlineData(100.0, 0.019985850304223122)]
    [InlineData(-10.0, -0.24593576445134835)]
    public void J0_KnownArgument_MatchesReference(double x, double expected) =>
        Assert.True(Math.Abs(Bessel.J0(x) - expected) <= 1e-9 + 1e-8 * Math.Abs(expected), $"J0({x}) = {Bessel.J0(x):R}, expected {expected:R}");

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.001, 0.0004999999375000026)]
    [InlineData(1.0, 0.4400505857449335)]
    [InlineData(3.8317059702075125, 0.0)]
    [InlineData(7.5, 0.1352484275797055)]
    [InlineData(10.0, 0.04347274616886144)]
    [InlineData(12.0, -0.2234471044906276)]
    [InlineData(20.0, 0.06683312417585005)]
    [InlineData(50.0, -0.09751182812517514)]
    [InlineData(100.0, -0.07714535201411216)]
    [InlineData(-1.0, -0.4400505857449335)]
    public void J1_KnownArgument_MatchesReference(double x, double expected) =>
        Assert.True(Math.Abs(Bessel.J1(x) - expected) <= 1e-9 + 1e-8 * Math.Abs(expected), $"J1({x}) = {Bessel.J1(x):R}, expected {expected:R}");

    [Fact]
    public void J0_AcrossSeriesAndAsymptoticBoundary_IsContinuous()
    {
        Assert.True(Math.Abs(Bessel.J0(12 - 1e-12) - Bessel.J0(12)) < 1e-10);
        Assert.True(Math.Abs(Bessel.J1(12 - 1e-12) - Bessel.J1(12)) < 1e-10);
    }

    [Fact]
    public void GaussLegendre_TenPoints_IntegratesPolynomialOfDegree19Exactly()
    {
        (double[] nodes, double[] weights) = GaussLegendre.Rule(10);
        double sum = 0;
        for (int i = 0; i < nodes.Length; i++) sum += weights[i] * Math.Pow(nodes[i], 18);
        Assert.Equal(2.0 / 19, sum, 1e-14);
        Assert.Equal(2.0, weights.Sum(), 1e-14);
    }
}
