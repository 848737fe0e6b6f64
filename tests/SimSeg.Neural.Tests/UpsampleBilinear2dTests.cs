using SimSeg.Neural.Layers;

namespace SimSeg.Neural.Tests;

public class UpsampleBilinear2dTests
{
    // x = [[-1, -0.5, 1], [3.5, 7, 11.5]]; outputs printed by PyTorch 1.13:
    // F.interpolate(x, scale_factor=s, mode="bilinear", align_corners=…).
    private static readonly float[] Input = [-1f, -0.5f, 1f, 3.5f, 7f, 11.5f];

    [Fact]
    public void Forward_Scale2_EqualsPyTorch()
    {
        float[] expected = [-1.0f, -0.875f, -0.625f, -0.125f, 0.625f, 1.0f, 0.125f, 0.4375f, 1.0625f, 1.9375f, 3.0625f, 3.625f,
            2.375f, 3.0625f, 4.4375f, 6.0625f, 7.9375f, 8.875f, 3.5f, 4.375f, 6.125f, 8.125f, 10.375f, 11.5f];
        Tensor y = new UpsampleBilinear2d(2).Forward(new Tensor(Input, 1, 1, 2, 3), training: false);
        Assert.Equal([1, 1, 4, 6], y.Shape);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], y.Data[i], 6);
    }

    [Fact]
    public void Forward_Scale2AlignCorners_EqualsPyTorch()
    {
        float[] expected = [-1.0f, -0.8f, -0.6f, -0.2f, 0.4f, 1.0f, 0.5f, 1.1f, 1.7f, 2.5f, 3.5f, 4.5f,
            2.0f, 3.0f, 4.0f, 5.2f, 6.6f, 8.0f, 3.5f, 4.9f, 6.3f, 7.9f, 9.7f, 11.5f];
        Tensor y = new UpsampleBilinear2d(2, alignCorners: true).Forward(new Tensor(Input, 1, 1, 2, 3), training: false);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], y.Data[i], 5);
    }

    [Fact]
    public void Forward_Scale3_EqualsPyTorch()
    {
        float[] expected = [-1.0f, -1.0f, -0.8333333f, -0.6666666f, -0.5f, 0f, 0.5f, 1.0f, 1.0f, -1.0f, -1.0f, -0.8333333f, -0.6666666f, -0.5f, 0f, 0.5f, 1.0f, 1.0f,
            0.5f, 0.5f, 1.0f, 1.5f, 2.0f, 2.8333337f, 3.6666672f, 4.5f, 4.5f, 2.0f, 2.0f, 2.8333335f, 3.666667f, 4.5f, 5.666667f, 6.833334f, 8.0f, 8.0f,
            3.5f, 3.5f, 4.6666665f, 5.833333f, 7.0f, 8.5f, 10.0f, 11.5f, 11.5f, 3.5f, 3.5f, 4.666667f, 5.8333335f, 7.0f, 8.5f, 10.0f, 11.5f, 11.5f];
        Tensor y = new UpsampleBilinear2d(3).Forward(new Tensor(Input, 1, 1, 2, 3), training: false);
        Assert.Equal([1, 1, 6, 9], y.Shape);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], y.Data[i], 5);
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(4, true)]
    [InlineData(1, false)]
    public void Backward_MatchesFiniteDifferences(int scale, bool alignCorners) =>
        GradientCheck.Check(new UpsampleBilinear2d(scale, alignCorners), GradientCheck.Random(new Random(30 + scale), 2, 2, 3, 4), seed: 31);

    [Theory]
    [InlineData(2, false, 5, 7)]
    [InlineData(2, true, 6, 3)]
    [InlineData(3, false, 1, 4)]
    [InlineData(2, false, 64, 70)]
    public void Forward_AnySize_MatchesDirectFormula(int scale, bool alignCorners, int h, int w)
    {
        // 4·3·64·70 = 53,760 outputs per plane batch: the parallel path runs for the largest case.
        var rng = new Random(32);
        Tensor x = GradientCheck.Random(rng, 4, 3, h, w);
        Tensor y = new UpsampleBilinear2d(scale, alignCorners).Forward(x, training: true);
        Tensor expected = Reference(x, scale, alignCorners);
        for (int i = 0; i < y.Length; i++) Assert.True(Math.Abs(expected.Data[i] - y.Data[i]) <= 1e-5, $"element {i}: {expected.Data[i]} vs {y.Data[i]}");
    }

    [Fact]
    public void Forward_ConstantImage_StaysConstant()
    {
        var x = new Tensor(1, 2, 3, 5);
        Array.Fill(x.Data, 2.5f);
        foreach (bool align in new[] { false, true })
            Assert.All(new UpsampleBilinear2d(2, align).Forward(x, false).Data, v => Assert.Equal(2.5f, v, 6));
    }

    [Fact]
    public void Forward_WrongRank_NamesInput()
    {
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => new UpsampleBilinear2d().Forward(new Tensor(2, 3, 4), false)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new UpsampleBilinear2d(0));
        var up = new UpsampleBilinear2d();
        up.Forward(new Tensor(1, 1, 2, 2), false);
        Assert.Equal("outputGradient", Assert.Throws<ArgumentException>(() => up.Backward(new Tensor(1, 1, 2, 2))).ParamName);
    }

    /// <summary>The interpolation written out per output pixel in double, from PyTorch's definition of the source coordinate.</summary>
    private static Tensor Reference(Tensor x, int s, bool alignCorners)
    {
        int h = x.H, w = x.W, ho = h * s, wo = w * s;
        var y = new Tensor(x.N, x.C, ho, wo);
        static (int I0, int I1, double L) Source(int o, int inSize, int outSize, int s, bool align)
        {
            double src = align ? (outSize > 1 ? o * (inSize - 1.0) / (outSize - 1) : 0) : Math.Max((o + 0.5) / s - 0.5, 0);
            int i0 = Math.Min((int)Math.Floor(src), inSize - 1);
            return (i0, Math.Min(i0 + 1, inSize - 1), src - i0);
        }
        for (int n = 0; n < x.N; n++)
            for (int c = 0; c < x.C; c++)
                for (int oy = 0; oy < ho; oy++)
                {
                    var (y0, y1, ly) = Source(oy, h, ho, s, alignCorners);
                    for (int ox = 0; ox < wo; ox++)
                    {
                        var (x0, x1, lx) = Source(ox, w, wo, s, alignCorners);
                        double top = (1 - lx) * x.At(n, c, y0, x0) + lx * x.At(n, c, y0, x1);
                        double bottom = (1 - lx) * x.At(n, c, y1, x0) + lx * x.At(n, c, y1, x1);
                        y.At(n, c, oy, ox) = (float)((1 - ly) * top + ly * bottom);
                    }
                }
        return y;
    }
}
