using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SimSeg.Neural.Kernels;

/// <summary>
/// Single-precision matrix multiply C (+)= op(A)·op(B), row-major, in the structure of BLIS / GotoBLAS:
/// C is cut into fixed MC×NC tiles; each tile loops over K in KC blocks, packs an MC×KC panel of A into
/// MR-row slivers and a KC×NC panel of B into NR-column slivers (zero-padded at the edges), and runs an
/// MR×NR register-blocked FMA microkernel (8×32 with Vector512 where accelerated, else 6×16 with Vector256).
/// Tiles run in parallel; when there are too few tiles and K is long, K is split into fixed chunks whose
/// partial products are summed in chunk order. The cut depends only on the shape, so every output element
/// is computed by one thread in a fixed order and the result is bit-identical for any thread count.
/// </summary>
public static unsafe class Gemm
{
    private static readonly bool Use512 = Vector512.IsHardwareAccelerated;
    private static readonly int MR = Use512 ? 8 : 6;
    private static readonly int NR = Use512 ? 32 : 16;
    private const int KC = 256;
    private static readonly int MC = Use512 ? 128 : 120;
    private const int NC = 512;
    private const int KSplit = 4096;
    private const double ParallelFlops = 4e6;

    [ThreadStatic] private static float[]? t_pack;
    [ThreadStatic] private static float[]? t_partials;

    /// <summary>
    /// C (+)= op(A)·op(B) with op(A) m×k and op(B) k×n, all row-major and dense. A is stored m×k, or k×m when
    /// <paramref name="transposeA"/>; B is stored k×n, or n×k when <paramref name="transposeB"/>; C is m×n.
    /// Overwrites C unless <paramref name="accumulate"/> (then adds). Deterministic for any thread count.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than its matrix or a size is negative.</exception>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        bool transposeA = false, bool transposeB = false, bool accumulate = false) =>
        Multiply(a, transposeA ? m : k, b, transposeB ? k : n, c, n, m, k, n, transposeA, transposeB, accumulate);

    /// <summary>
    /// C (+)= op(A)·op(B) on strided row-major matrices, as BLAS's sgemm: each matrix is stored with a leading
    /// dimension (the distance in elements between the starts of consecutive stored rows), so a block of columns of
    /// a wider matrix can be used in place. A is stored m×k with row stride <paramref name="lda"/> ≥ k, or k×m with
    /// <paramref name="lda"/> ≥ m when <paramref name="transposeA"/>; B is stored k×n with <paramref name="ldb"/> ≥ n,
    /// or n×k with <paramref name="ldb"/> ≥ k when <paramref name="transposeB"/>; C is m×n with <paramref name="ldc"/>
    /// ≥ n, and elements of C between rows are left untouched. Deterministic for any thread count.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than its strided matrix, a leading dimension is below its row length, or a size is negative.</exception>
    public static void Multiply(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, int m, int k, int n,
        bool transposeA = false, bool transposeB = false, bool accumulate = false)
    {
        Validate(a, lda, b, ldb, c, ldc, m, k, n, transposeA, transposeB);
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate)
                for (int i = 0; i < m; i++) c.Slice(i * ldc, n).Clear();
            return;
        }
        fixed (float* pa = a, pb = b, pc = c)
        {
            var job = new Job((nint)pa, (nint)pb, (nint)pc, m, k, n, lda, ldb, ldc, transposeA, transposeB);
            Run(job, accumulate);
        }
    }

    internal static void Validate(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, int m, int k, int n,
        bool transposeA, bool transposeB)
    {
        if (m < 0 || k < 0 || n < 0) throw new ArgumentException($"sizes must be non-negative, got m={m}, k={k}, n={n}.");
        CheckMatrix(a.Length, transposeA ? k : m, transposeA ? m : k, lda, "a", "lda");
        CheckMatrix(b.Length, transposeB ? n : k, transposeB ? k : n, ldb, "b", "ldb");
        CheckMatrix(c.Length, m, n, ldc, "c", "ldc");
    }

    private static void CheckMatrix(int length, int rows, int cols, int ld, string name, string ldName)
    {
        if (ld < cols) throw new ArgumentException($"{ldName} is {ld}; a stored row of {name} holds {cols} elements, so it must be at least {cols}.", ldName);
        long need = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < need)
            throw new ArgumentException($"{name} holds {length} elements; a {rows}×{cols} matrix with row stride {ld} needs {need}.", name);
    }

    private readonly record struct Job(nint A, nint B, nint C, int M, int K, int N, int Lda, int Ldb, int Ldc, bool TransA, bool TransB);

    private static void Run(Job job, bool accumulate)
    {
        int m = job.M, n = job.N, k = job.K;
        int tilesM = (m + MC - 1) / MC, tilesN = (n + NC - 1) / NC, tiles = tilesM * tilesN;
        bool parallel = Environment.ProcessorCount > 1 && 2.0 * m * n * k >= ParallelFlops;
        int chunks = tiles < 4 && k >= 2 * KSplit ? (k + KSplit - 1) / KSplit : 1;
        if (chunks == 1)
        {
            if (!parallel || tiles == 1)
                for (int t = 0; t < tiles; t++) Tile(job, t / tilesN, t % tilesN, 0, k, job.C, job.Ldc, accumulate);
            else
                Parallel.For(0, tiles, t => Tile(job, t / tilesN, t % tilesN, 0, k, job.C, job.Ldc, accumulate));
            return;
        }

        // Split K: chunk q computes its partial product into its own m×n slab, summed in chunk order.
        int slab = m * n;
        var partials = t_partials;
        if (partials == null || partials.Length < slab * chunks) t_partials = partials = GC.AllocateUninitializedArray<float>(slab * chunks, pinned: true);
        fixed (float* pp = partials)
        {
            nint p0 = (nint)pp;
            int work = tiles * chunks;
            void Item(int w)
            {
                int q = w / tiles, t = w % tiles;
                int kStart = q * KSplit, kEnd = Math.Min(k, kStart + KSplit);
                Tile(job, t / tilesN, t % tilesN, kStart, kEnd, p0 + (nint)q * slab * sizeof(float), n, false);
            }
            if (parallel) Parallel.For(0, work, Item);
            else for (int w = 0; w < work; w++) Item(w);

            float* c = (float*)job.C;
            for (int i = 0; i < m; i++)
            {
                var sum = new Span<float>(c + (long)i * job.Ldc, n);
                if (!accumulate) new Span<float>(pp + (long)i * n, n).CopyTo(sum);
                for (int q = accumulate ? 0 : 1; q < chunks; q++) Add(new ReadOnlySpan<float>(pp + (long)q * slab + (long)i * n, n), sum);
            }
        }
    }

    private static void Add(ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            (Vector256.LoadUnsafe(ref rx, (nuint)i) + Vector256.LoadUnsafe(ref ry, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
        for (; i < x.Length; i++) y[i] += x[i];
    }

    private static float* Workspace(out float[] pinnedOwner)
    {
        int need = MC * KC + KC * NC + 64;
        var buf = t_pack;
        if (buf == null || buf.Length < need) t_pack = buf = GC.AllocateArray<float>(need, pinned: true);
        pinnedOwner = buf;
        float* p = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buf));
        return (float*)(((nint)p + 63) & ~(nint)63);
    }

    /// <summary>Computes the C tile (ti, tj) over K range [kStart, kEnd) into c (leading dimension ldc).</summary>
    private static void Tile(Job job, int ti, int tj, int kStart, int kEnd, nint cBase, int ldc, bool accumulate)
    {
        int i0 = ti * MC, j0 = tj * NC;
        int mc = Math.Min(MC, job.M - i0), nc = Math.Min(NC, job.N - j0);
        float* ws = Workspace(out float[] owner);
        float* packA = ws, packB = ws + MC * KC;
        float* c = (float*)cBase;
        int mr = MR, nr = NR;
        float* edge = stackalloc float[8 * 32];
        for (int p0 = kStart; p0 < kEnd; p0 += KC)
        {
            int kc = Math.Min(KC, kEnd - p0);
            bool acc = accumulate || p0 > kStart;
            PackA(job, i0, mc, p0, kc, packA);
            PackB(job, j0, nc, p0, kc, packB);
            for (int jr = 0; jr < nc; jr += nr)
            {
                int nn = Math.Min(nr, nc - jr);
                float* bs = packB + (long)jr * kc;
                for (int ir = 0; ir < mc; ir += mr)
                {
                    int mm = Math.Min(mr, mc - ir);
                    float* aS = packA + (long)ir * kc;
                    float* cij = c + (long)(i0 + ir) * ldc + j0 + jr;
                    if (mm == mr && nn == nr)
                        Kernel(kc, aS, bs, cij, ldc, acc);
                    else
                    {
                        Kernel(kc, aS, bs, edge, nr, false);
                        for (int r = 0; r < mm; r++)
                            for (int q = 0; q < nn; q++)
                                cij[(long)r * ldc + q] = acc ? cij[(long)r * ldc + q] + edge[r * nr + q] : edge[r * nr + q];
                    }
                }
            }
        }
        GC.KeepAlive(owner);
    }

    /// <summary>Packs op(A)[i0..i0+mc, p0..p0+kc] as MR-row slivers, each kc×MR, rows past m zero.</summary>
    private static void PackA(Job job, int i0, int mc, int p0, int kc, float* dst)
    {
        float* a = (float*)job.A;
        int lda = job.Lda, mr = MR;
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            float* d = dst + (long)ir * kc;
            if (job.TransA)
            {
                // A stored k×m: op(A)(i, p) = a[p*lda + i], contiguous over i.
                for (int p = 0; p < kc; p++)
                {
                    float* src = a + (long)(p0 + p) * lda + i0 + ir;
                    float* dd = d + p * mr;
                    int r = 0;
                    for (; r < rows; r++) dd[r] = src[r];
                    for (; r < mr; r++) dd[r] = 0;
                }
            }
            else
            {
                for (int r = 0; r < mr; r++)
                {
                    if (r < rows)
                    {
                        float* src = a + (long)(i0 + ir + r) * lda + p0;
                        for (int p = 0; p < kc; p++) d[p * mr + r] = src[p];
                    }
                    else
                        for (int p = 0; p < kc; p++) d[p * mr + r] = 0;
                }
            }
        }
    }

    /// <summary>Packs op(B)[p0..p0+kc, j0..j0+nc] as NR-column slivers, each kc×NR, columns past n zero.</summary>
    private static void PackB(Job job, int j0, int nc, int p0, int kc, float* dst)
    {
        float* b = (float*)job.B;
        int ldb = job.Ldb, nr = NR;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* d = dst + (long)jr * kc;
            if (!job.TransB)
            {
                // B stored k×n: row p (at p*ldb) contiguous over j.
                for (int p = 0; p < kc; p++)
                {
                    float* src = b + (long)(p0 + p) * ldb + j0 + jr;
                    float* dd = d + p * nr;
                    if (cols == nr)
                    {
                        if (Use512)
                        {
                            Vector512.Store(Vector512.Load(src), dd);
                            Vector512.Store(Vector512.Load(src + 16), dd + 16);
                        }
                        else
                        {
                            Vector256.Store(Vector256.Load(src), dd);
                            Vector256.Store(Vector256.Load(src + 8), dd + 8);
                        }
                    }
                    else
                    {
                        int q = 0;
                        for (; q < cols; q++) dd[q] = src[q];
                        for (; q < nr; q++) dd[q] = 0;
                    }
                }
            }
            else
            {
                // B stored n×k: op(B)(p, j) = b[j*ldb + p], contiguous over p.
                for (int q = 0; q < nr; q++)
                {
                    if (q < cols)
                    {
                        float* src = b + (long)(j0 + jr + q) * ldb + p0;
                        for (int p = 0; p < kc; p++) d[p * nr + q] = src[p];
                    }
                    else
                        for (int p = 0; p < kc; p++) d[p * nr + q] = 0;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Kernel(int kc, float* a, float* b, float* c, int ldc, bool accumulate)
    {
        if (Use512) Kernel8x32(kc, a, b, c, ldc, accumulate);
        else Kernel6x16(kc, a, b, c, ldc, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel8x32(int kc, float* a, float* b, float* c, int ldc, bool accumulate)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var x = Vector512.Create(a[0]); c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a[6]); c60 = Vector512.FusedMultiplyAdd(x, b0, c60); c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a[7]); c70 = Vector512.FusedMultiplyAdd(x, b0, c70); c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
            a += 8;
            b += 32;
        }
        Store512(c, c00, c01, accumulate); c += ldc;
        Store512(c, c10, c11, accumulate); c += ldc;
        Store512(c, c20, c21, accumulate); c += ldc;
        Store512(c, c30, c31, accumulate); c += ldc;
        Store512(c, c40, c41, accumulate); c += ldc;
        Store512(c, c50, c51, accumulate); c += ldc;
        Store512(c, c60, c61, accumulate); c += ldc;
        Store512(c, c70, c71, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(float* c, Vector512<float> v0, Vector512<float> v1, bool accumulate)
    {
        if (accumulate)
        {
            v0 += Vector512.Load(c);
            v1 += Vector512.Load(c + 16);
        }
        Vector512.Store(v0, c);
        Vector512.Store(v1, c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(int kc, float* a, float* b, float* c, int ldc, bool accumulate)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(a[0]); c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a[1]); c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a[2]); c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a[3]); c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(a[4]); c40 = Vector256.FusedMultiplyAdd(x, b0, c40); c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(a[5]); c50 = Vector256.FusedMultiplyAdd(x, b0, c50); c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
            a += 6;
            b += 16;
        }
        Store256(c, c00, c01, accumulate); c += ldc;
        Store256(c, c10, c11, accumulate); c += ldc;
        Store256(c, c20, c21, accumulate); c += ldc;
        Store256(c, c30, c31, accumulate); c += ldc;
        Store256(c, c40, c41, accumulate); c += ldc;
        Store256(c, c50, c51, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(float* c, Vector256<float> v0, Vector256<float> v1, bool accumulate)
    {
        if (accumulate)
        {
            v0 += Vector256.Load(c);
            v1 += Vector256.Load(c + 8);
        }
        Vector256.Store(v0, c);
        Vector256.Store(v1, c + 8);
    }
}
