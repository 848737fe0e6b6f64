using SimSeg.Analysis.Plots;

namespace SimSeg.Analysis.Tests.Plots;

public class TicksTests
{
    [Theory]
    [InlineData(0, 1, 7)]
    [InlineData(0, 0.99, 5)]
    [InlineData(-3.7, 12.2, 7)]
    [InlineData(0.001, 0.0093, 6)]
    [InlineData(1234, 98765, 7)]
    [InlineData(-1e-7, 3e-7, 5)]
    [InlineData(17, 17.4, 4)]
    [InlineData(-50, -2, 10)]
    [InlineData(0.1, 0.3, 3)]
    [InlineData(5, 5, 7)]
    [InlineData(0, 0, 7)]
    public void Linear_AnyRange_TicksAreNiceCoverTheRangeAndFitTheCount(double min, double max, int maxTicks)
    {
        NiceScale scale = Ticks.LinearScale(min, max, maxTicks);
        double[] ticks = scale.Values.ToArray();

        Assert.InRange(ticks.Length, 2, maxTicks);
        Assert.True(ticks[0] <= min, $"first tick {ticks[0]} > min {min}");
        Assert.True(ticks[^1] >= max, $"last tick {ticks[^1]} < max {max}");
        Assert.Equal(scale.Min, ticks[0]);
        Assert.Equal(scale.Max, ticks[^1]);
        double step = scale.Step;
        double mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step)));
        Assert.Contains(Math.Round(mantissa, 9), new[] { 1.0, 2.0, 5.0 });
        for (int i = 1; i < ticks.Length; i++) Assert.Equal(step, ticks[i] - ticks[i - 1], step * 1e-9);
        foreach (double t in ticks)
        {
            // Each tick is the double nearest to its label: parsing the label gives the tick back.
            Assert.Equal(t, double.Parse(scale.Labels[ticks.ToList().IndexOf(t)], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Linear_ZeroToOne_GivesTenthsOrFifths()
    {
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1.0], Ticks.Linear(0, 1, 7));
    }

    [Fact]
    public void Linear_TenthSteps_ValuesAndLabelsHaveNoFloatNoise()
    {
        NiceScale scale = Ticks.LinearScale(0, 0.7, 8);

        Assert.Equal(0.1, scale.Step);
        Assert.Contains(0.3, scale.Values); // 3 / 10, not 3 * 0.1 = 0.30000000000000004
        Assert.Equal(["0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"], scale.Labels);
    }

    [Fact]
    public void Format_FloatNoise_PrintsTheShortDecimal()
    {
        Assert.Equal("0.3", Ticks.Format(0.1 + 0.2));
        Assert.Equal("0.3", Ticks.Format(0.30000000000000004));
        Assert.Equal("1.1", Ticks.Format(1.1000000000000001));
        Assert.Equal("-2.5", Ticks.Format(-2.5));
        Assert.Equal("0", Ticks.Format(-0.0));
        Assert.Equal("1234567", Ticks.Format(1234567));
        Assert.Equal("1.5e-7", Ticks.Format(1.5e-7));
    }

    [Fact]
    public void FormatLabels_LargeAndTinySteps_UseExponentNotation()
    {
        Assert.Equal(["0", "2e6", "4e6"], Ticks.FormatLabels([0, 2e6, 4e6], 2e6));
        Assert.Equal(["0", "1e-5", "2e-5"], Ticks.FormatLabels([0, 1e-5, 2e-5], 1e-5));
        Assert.Equal(["-0.50", "0", "0.25"], Ticks.FormatLabels([-0.5, 1e-17, 0.25], 0.25));
    }

    [Theory]
    [InlineData(1.0, false, 1.0)]
    [InlineData(1.03, false, 2.0)]
    [InlineData(2.5, true, 2.0)]
    [InlineData(3.5, true, 5.0)]
    [InlineData(0.072, true, 0.1)]
    [InlineData(0.0013, false, 0.002)]
    [InlineData(740, false, 1000)]
    public void NiceNumber_Heckbert_RoundsToOneTwoFive(double value, bool round, double expected)
    {
        Assert.Equal(expected, Ticks.NiceNumber(value, round));
    }

    [Fact]
    public void Log_SeveralDecades_GivesPowersOfTen()
    {
        Assert.Equal([1e-3, 1e-2, 1e-1, 1, 10, 100, 1000], Ticks.Log(0.002, 500, 7));
        Assert.Equal(["0.001", "0.01", "0.1", "1", "10", "100", "1000"], Ticks.LogScale(0.002, 500, 7).Labels);
    }

    [Fact]
    public void Log_ManyDecades_SkipsDecadesToFit()
    {
        double[] ticks = Ticks.Log(1e-9, 1e9, 5);

        Assert.InRange(ticks.Length, 2, 5);
        Assert.True(ticks[0] <= 1e-9 && ticks[^1] >= 1e9);
        Assert.Equal("1e-9", Ticks.LogScale(1e-9, 1e9, 5).Labels[0]);
    }

    [Fact]
    public void Log_WithinOneDecade_UsesOneTwoFive()
    {
        Assert.Equal([0.2, 0.5, 1], Ticks.Log(0.25, 0.9, 7));
    }

    [Theory]
    [InlineData(double.NaN, 1)]
    [InlineData(0, double.PositiveInfinity)]
    [InlineData(2, 1)]
    public void Linear_BadRange_ThrowsNamingMin(double min, double max)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Ticks.Linear(min, max));
        Assert.Equal("min", e.ParamName);
    }

    [Fact]
    public void Linear_OneTick_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Ticks.Linear(0, 1, 1));
        Assert.Equal("maxTicks", e.ParamName);
    }

    [Fact]
    public void Log_NonPositiveMin_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Ticks.Log(0, 10));
        Assert.Equal("min", e.ParamName);
    }
}
