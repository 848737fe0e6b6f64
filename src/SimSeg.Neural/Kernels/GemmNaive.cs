namespace SimSeg.Neural.Kernels;

/// <summary>
/// The reference twin of <see cref="Gemm"/>: three plain loops with double accumulation. Slow, obviously
/// right; tests hold the fast kernel equal to it.
/// </summary>
public static class GemmNaive
{
    /// <summary>
    /// C (+)= op(A)·op(B) with op(A) m×k and op(B) k×n, all row-major. A is stored m×k, or k×m when
    /// <paramref name="transposeA"/>; B is stored k×n, or n×k when <paramref name="transposeB"/>; C is m×n.
    /// Overwrites C unless <paramref name="accumulate"/>.
    /// </summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        bool transposeA = false, bool transposeB = false, bool accumulate = false) =>
        Multiply(a, transposeA ? m : k, b, transposeB ? k : n, c, n, m, k, n, transposeA, transposeB, accumulate);

    /// <summary>
    /// The strided form, as <see cref="Gemm.Multiply(ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int, int, int, int, bool, bool, bool)"/>:
    /// stored rows of A, B and C start <paramref name="lda"/>, <paramref name="ldb"/> and <paramref name="ldc"/> elements apart.
    /// </summary>
    public static void Multiply(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, int m, int k, int n,
        bool transposeA = false, bool transposeB = false, bool accumulate = false)
    {
        Gemm.Validate(a, lda, b, ldb, c, ldc, m, k, n, transposeA, transposeB);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? c[i * ldc + j] : 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transposeA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transposeB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += (double)av * bv;
                }
                c[i * ldc + j] = (float)sum;
            }
        }
    }
}
