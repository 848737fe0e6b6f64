using SimSeg.Core;
using SimSeg.Core.Randomness;
using SimSeg.Simulation.TimeLapse;

namespace SimSeg.Simulation.Tests.TimeLapse;

public class MotionModelTests
{
    private const double Field = 1e9; // large enough that no object reaches a border

    [Theory]
    [InlineData(100.0, 10)]
    [InlineData(250.0, 40)]
    public void Step_Brownian_MeanSquaredDisplacementIsFourDt(double diffusion, int steps)
    {
        var options = new MovieOptions { DiffusionCoefficientNm2PerFrame = diffusion, FractionDirected = 0 };
        var rng = new Rng(20240611);
        const int objects = 4000;
        double sum = 0;
        for (int i = 0; i < objects; i++)
        {
            var pose = MotionModel.Start(Field / 2, Field / 2, 0, options, rng);
            for (int t = 0; t < steps; t++) pose = MotionModel.Step(pose, options, Field, Field, rng);
            double dx = pose.XNm - Field / 2, dy = pose.YNm - Field / 2;
            sum += dx * dx + dy * dy;
        }
        double msd = sum / objects, expected = 4 * diffusion * steps;
        // Standard error of the mean of a (scaled) chi-square with 2 degrees of freedom: expected / sqrt(objects) ≈ 1.6 %.
        Assert.InRange(msd / expected, 0.94, 1.06);
    }

    [Fact]
    public void Step_Directed_MovesAtTheGivenSpeed()
    {
        var options = new MovieOptions
        {
            DiffusionCoefficientNm2PerFrame = 0,
            RotationDiffusionRad2PerFrame = 0,
            FractionDirected = 1,
            DriftSpeedNmPerFrame = new Interval(30, 30),
        };
        var rng = new Rng(7);
        double meanCos = 0;
        for (int i = 0; i < 200; i++)
        {
            var start = MotionModel.Start(Field / 2, Field / 2, 0, options, rng);
            var pose = start;
            for (int t = 0; t < 20; t++) pose = MotionModel.Step(pose, options, Field, Field, rng);
            double dx = pose.XNm - start.XNm, dy = pose.YNm - start.YNm;
            Assert.Equal(600, Math.Sqrt(dx * dx + dy * dy), 3); // coordinates near 5e8 nm keep ~1e-7 nm
            meanCos += dx / 600 / 200;
        }
        Assert.InRange(meanCos, -0.2, 0.2); // directions are uniform
    }

    [Fact]
    public void Step_NearBorders_CentresReflectedIntoTheField()
    {
        var options = new MovieOptions { DiffusionCoefficientNm2PerFrame = 40_000, FractionDirected = 0.5, DriftSpeedNmPerFrame = new Interval(100, 300), BorderMarginNm = 200 };
        var rng = new Rng(3);
        const double width = 3000, height = 2000;
        for (int i = 0; i < 50; i++)
        {
            var pose = MotionModel.Start(rng.Uniform(200, 2800), rng.Uniform(200, 1800), 0, options, rng);
            for (int t = 0; t < 200; t++)
            {
                pose = MotionModel.Step(pose, options, width, height, rng);
                Assert.InRange(pose.XNm, 200, width - 200);
                Assert.InRange(pose.YNm, 200, height - 200);
            }
        }
    }

    [Fact]
    public void Step_Rotation_VarianceIsTwoDrT()
    {
        var options = new MovieOptions { DiffusionCoefficientNm2PerFrame = 0, FractionDirected = 0, RotationDiffusionRad2PerFrame = 0.01 };
        var rng = new Rng(11);
        double sum = 0;
        const int objects = 4000, steps = 25;
        for (int i = 0; i < objects; i++)
        {
            var pose = MotionModel.Start(Field / 2, Field / 2, 0, options, rng);
            for (int t = 0; t < steps; t++) pose = MotionModel.Step(pose, options, Field, Field, rng);
            sum += pose.OrientationRad * pose.OrientationRad;
        }
        Assert.InRange(sum / objects / (2 * 0.01 * steps), 0.93, 1.07);
    }
}
