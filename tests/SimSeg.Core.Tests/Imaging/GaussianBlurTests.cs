using SimSeg.Core.Imaging;

namespace SimSeg.Core.Tests.Imaging;

public class GaussianBlurTests
{
    [Fact]
    public void Apply_RandomImage_MatchesNaive2DConvolution()
    {
        var rng = new Random(3);
        const int w = 23, h = 17;
        var source = Enumerable.Range(0, w * h).Select(_ => (float)rng.NextDouble()).ToArray();
        var fast = new float[w * h];
        GaussianBlur.Apply(source, w, h, 1.3, fast);
        float[] k = GaussianBlur.Kernel(1.3);
        int r = k.Length / 2;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double sum = 0;
                for (int dy = -r; dy <= r; dy++)
                    for (int dx = -r; dx <= r; dx++)
                        sum += k[dy + r] * k[dx + r] * source[GaussianBlur.Reflect(y + dy, h) * w + GaussianBlur.Reflect(x + dx, w)];
                Assert.Equal(sum, fast[y * w + x], 4);
            }
    }

    [Fact]
    public void Apply_ConstantImage_StaysConstant()
    {
        var source = Enumerable.Repeat(5f, 64).ToArray();
        var result = new float[64];
        GaussianBlur.Apply(source, 8, 8, 2, result);
        Assert.All(result, v => Assert.Equal(5f, v, 4));
    }

    [Theory]
    [InlineData(-1, 5, 1)]
    [InlineData(5, 5, 3)]
    [InlineData(0, 1, 0)]
    [InlineData(9, 5, 1)]
    public void Reflect_MirrorsWithoutRepeatingTheEdge(int i, int n, int expected) => Assert.Equal(expected, GaussianBlur.Reflect(i, n));
}
