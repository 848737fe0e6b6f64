namespace SimSeg.Neural.Kernels;

/// <summary>
/// The im2col/col2im scratch buffer, one per thread and shared by every convolution that thread runs. A
/// convolution fills and consumes it within one Forward or Backward call (backward re-packs the columns), so
/// layers need not each keep a buffer of their own: a network's workspace is that of its largest convolution,
/// not the sum over all of them. Convolutions bound it further by working on bands of output rows
/// (<see cref="BandRows"/>): a 3×3 convolution over 32 channels at 1024² would need 288 × 1024² floats (1.1 GiB)
/// at once, and needs <see cref="DefaultLimit"/> floats (32 MiB) in bands.
/// </summary>
internal static class ConvWorkspace
{
    /// <summary>The default bound on a convolution's workspace: 8 Mi floats, 32 MiB.</summary>
    public const int DefaultLimit = 8 << 20;

    [ThreadStatic]
    private static float[]? t_buffer;

    /// <summary>A span of <paramref name="length"/> floats (contents undefined), valid until the next call on this thread.</summary>
    public static Span<float> Get(int length)
    {
        var buffer = t_buffer;
        if (buffer is null || buffer.Length < length)
        {
            // Grow by doubling (up to the default bound), so the sizes a network asks for one after another leave
            // little garbage behind.
            int grown = (int)Math.Min(2L * (buffer?.Length ?? 0), DefaultLimit);
            t_buffer = buffer = GC.AllocateUninitializedArray<float>(Math.Max(length, grown));
        }
        return buffer.AsSpan(0, length);
    }

    /// <summary>Floats held by this thread's buffer (0 before the first convolution), for tests of the bound.</summary>
    public static int Capacity => t_buffer?.Length ?? 0;

    /// <summary>
    /// Output rows per band for a column matrix of <paramref name="columnRows"/> rows over an output of
    /// <paramref name="outHeight"/> × <paramref name="outWidth"/>, so that a band's columns hold at most
    /// <paramref name="limit"/> floats: the whole height when it fits, otherwise the fewest bands that fit, of
    /// (nearly) equal height; never less than one row, so a single row wider than the limit still runs.
    /// </summary>
    public static int BandRows(int columnRows, int outHeight, int outWidth, int limit)
    {
        long perRow = (long)columnRows * outWidth;
        long maxRows = Math.Max(1, limit / perRow);
        if (maxRows >= outHeight) return outHeight;
        long bands = (outHeight + maxRows - 1) / maxRows;
        return (int)((outHeight + bands - 1) / bands);
    }
}
