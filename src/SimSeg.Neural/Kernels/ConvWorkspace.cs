namespace SimSeg.Neural.Kernels;

/// <summary>
/// The im2col/col2im scratch buffer, one per thread and shared by every convolution that thread runs. A
/// convolution fills and consumes it within one Forward or Backward call (backward re-packs the columns), so
/// layers need not each keep a buffer of their own: a network's workspace is that of its largest convolution,
/// not the sum over all of them.
/// </summary>
internal static class ConvWorkspace
{
    [ThreadStatic]
    private static float[]? t_buffer;

    /// <summary>A span of <paramref name="length"/> floats (contents undefined), valid until the next call on this thread.</summary>
    public static Span<float> Get(int length)
    {
        var buffer = t_buffer;
        if (buffer is null || buffer.Length < length) t_buffer = buffer = GC.AllocateUninitializedArray<float>(length);
        return buffer.AsSpan(0, length);
    }
}
