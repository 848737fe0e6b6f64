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

    [Theory]
    [InlineData(5, 7, 9)]
    [InlineData(40, 300, 530)]
    [InlineData(16, 9000, 40)]
    public void Multiply_StridedMatrices_MatchesNaiveAndLeavesGapsAlone(int m, int k, int n)
    {
        // Every matrix is a block of columns of a wider one (row stride = width + 3), as a convolution band is.
        var rng = new Rng((ulong)(m * 31 + k * 7 + n));
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (bool acc in new[] { false, true })
                {
                    int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 3, ldc = n + 3;
                    var a = Random(rng, (ta ? k : m) * lda);
                    var b = Random(rng, (tb ? n : k) * ldb);
                    var c0 = Random(rng, m * ldc);
                    var expected = (float[])c0.Clone();
                    var actual = (float[])c0.Clone();
                    GemmNaive.Multiply(a, lda, b, ldb, expected, ldc, m, k, n, ta, tb, acc);
                    Gemm.Multiply(a, lda, b, ldb, actual, ldc, m, k, n, ta, tb, acc);
                    AssertClose(expected, actual, k);
                    for (int i = 0; i < m; i++)
                        for (int j = n; j < ldc && i * ldc + j < c0.Length; j++) Assert.Equal(c0[i * ldc + j], actual[i * ldc + j]);
                }
    }

    [Fact]
    public void Multiply_StridedEqualsDenseCopy_BitIdentical()
    {
        // A block of columns taken in place gives the same bits as the same block copied out densely.
        var rng = new Rng(3);
        int m = 24, k = 200, n = 700, width = 1000, offset = 150;
        var a = Random(rng, m * k);
        var wide = Random(rng, k * width);
        var dense = new float[k * n];
        for (int p = 0; p < k; p++) wide.AsSpan(p * width + offset, n).CopyTo(dense.AsSpan(p * n, n));
        var expected = new float[m * n];
        Gemm.Multiply(a, dense, expected, m, k, n);
        var actual = new float[m * width];
        Gemm.Multiply(a, k, wide.AsSpan(offset), width, actual.AsSpan(offset), width, m, k, n);
        for (int i = 0; i < m; i++) Assert.Equal(expected.AsSpan(i * n, n).ToArray(), actual.AsSpan(i * width + offset, n).ToArray());
    }

    [Fact]
    public void Multiply_LeadingDimensionTooSmall_ThrowsNamingIt()
    {
        Assert.Equal("lda", Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[6], 2, new float[6], 2, new float[4], 2, 2, 3, 2)).ParamName);
        Assert.Equal("ldc", Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[6], 3, new float[6], 2, new float[4], 1, 2, 3, 2)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[6], 3, new float[6], 4, new float[4], 2, 2, 3, 2)).ParamName);
    }

    [Fact]
    public void Multiply_ShortSpan_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[5], new float[6], new float[4], 2, 3, 2));
        Assert.Equal("a", ex.ParamName);
    }
}
