using SimSeg.Analysis.Tracking;

namespace SimSeg.Analysis.Tests.Tracking;

public class KalmanFilter2DTests
{
    [Fact]
    public void Predict_StraightConstantVelocity_ExactAfterFewUpdates()
    {
        var f = new KalmanFilter2D(5, 7, processNoise: 1, measurementNoise: 1);
        for (int t = 1; t <= 6; t++)
        {
            f.Predict();
            f.Update(5 + 2.5 * t, 7 - 1.5 * t);
        }
        f.Predict();
        Assert.Equal(5 + 2.5 * 7, f.X, 1e-3);
        Assert.Equal(7 - 1.5 * 7, f.Y, 1e-3);
        Assert.Equal(2.5, f.Vx, 1e-3);
        Assert.Equal(-1.5, f.Vy, 1e-3);
    }

    [Fact]
    public void Update_NoisyTrack_VarianceDecreasesAndEstimateNearTruth()
    {
        var rng = new Random(20230828);
        var f = new KalmanFilter2D(0, 0, processNoise: 0.01, measurementNoise: 4);
        double previous = double.PositiveInfinity;
        double previousVelocity = double.PositiveInfinity;
        for (int t = 1; t <= 40; t++)
        {
            f.Predict();
            f.Update(t + Normal(rng) * 2, 0.5 * t + Normal(rng) * 2);
            if (t >= 2)
            {
                Assert.True(f.VelocityVariance < previousVelocity, $"velocity variance rose at t = {t}");
                Assert.True(f.PositionVariance <= previous + 1e-12, $"position variance rose at t = {t}");
            }
            previous = f.PositionVariance;
            previousVelocity = f.VelocityVariance;
        }
        Assert.True(f.PositionVariance < 4, "filtered position must be better than one measurement");
        Assert.Equal(1, f.Vx, 0.3);
        Assert.Equal(0.5, f.Vy, 0.3);
    }

    [Fact]
    public void MahalanobisDistance_ScalesEuclideanByInnovationStd()
    {
        var f = new KalmanFilter2D(0, 0, processNoise: 0, measurementNoise: 1);
        // P = r initially, so S = 2r and the distance is |ν| / sqrt(2).
        Assert.Equal(5, f.EuclideanDistance(3, 4), 12);
        Assert.Equal(5 / Math.Sqrt(2), f.MahalanobisDistance(3, 4), 12);
    }

    [Fact]
    public void Constructor_BadNoise_ThrowsNamingArgument()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new KalmanFilter2D(0, 0, 1, 0));
        Assert.Equal("measurementNoise", ex.ParamName);
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
