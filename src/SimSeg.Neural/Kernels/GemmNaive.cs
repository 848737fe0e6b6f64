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
        bool transposeA = false, bool transposeB = false, bool accumulate = false)
    {
        Gemm.Validate(a, b, c, m, k, n);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? c[i * n + j] : 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transposeA ? a[p * m + i] : a[i * k + p];
                    float bv = transposeB ? b[j * k + p] : b[p * n + j];
                    sum += (double)av * bv;
                }
                c[i * n + j] = (float)sum;
            }
        }
    }
}
