using SimSeg.Core.Randomness;
using SimSeg.Neural.Kernels;

namespace SimSeg.Neural.Tests;

public class GemmTests
{
    internal static float[] Random(Rng rng, int count)
    {
        var x = new float[count];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.Uniform(-1, 1);
        return x;
    }

    private static void AssertClose(float[] expected, float[] actual, int k)
    {
        double scale = Math.Sqrt(Math.Max(k, 1));
        for (int i = 0; i < expected.Length; i++)
        {
            double tol = 1e-4 * (Math.Abs(expected[i]) + scale);
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, 1 }, { 1, 7, 1 }, { 3, 5, 7 }, { 8, 32, 32 }, { 9, 33, 31 }, { 17, 1, 65 }, { 6, 16, 16 },
        { 130, 257, 70 }, { 129, 300, 513 }, { 32, 144, 1100 }, { 64, 9, 600 }, { 2, 9000, 3 }, { 33, 8200, 145 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_RandomShapesAndTransposes_MatchesNaive(int m, int k, int n)
    {
        var rng = new Rng((ulong)(m * 1000003 + k * 1009 + n));
        var a = Random(rng, m * k);
        var b = Random(rng, k * n);
        var c0 = Random(rng, m * n);
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (bool acc in new[] { false, true })
                {
                    var expected = (float[])c0.Clone();
                    var actual = (float[])c0.Clone();
                    GemmNaive.Multiply(a, b, expected, m, k, n, ta, tb, acc);
                    Gemm.Multiply(a, b, actual, m, k, n, ta, tb, acc);
                    AssertClose(expected, actual, k);
                }
    }

    [Fact]
    public void Multiply_ManyRandomShapes_MatchesNaive()
    {
        var rng = new Rng(20240611);
        for (int trial = 0; trial < 60; trial++)
        {
            int m = rng.NextInt(1, 70), k = rng.NextInt(1, 300), n = rng.NextInt(1, 90);
            bool ta = rng.NextInt(2) == 1, tb = rng.NextInt(2) == 1;
            var a = Random(rng, m * k);
            var b = Random(rng, k * n);
            var expected = new float[m * n];
            var actual = new float[m * n];
            GemmNaive.Multiply(a, b, expected, m, k, n, ta, tb);
            Gemm.Multiply(a, b, actual, m, k, n, ta, tb);
            AssertClose(expected, actual, k);
        }
    }

    [Fact]
    public void Multiply_RepeatedCalls_AreBitIdentical()
    {
        var rng = new Rng(7);
        int m = 300, k = 9000, n = 40;
        var a = Random(rng, m * k);
        var b = Random(rng, k * n);
        var first = new float[m * n];
        var second = new float[m * n];
        Gemm.Multiply(a, b, first, m, k, n);
        Gemm.Multiply(a, b, second, m, k, n);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Multiply_ShortSpan_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[5], new float[6], new float[4], 2, 3, 2));
        Assert.Equal("a", ex.ParamName);
    }
}
