using System.Numerics;

namespace SimSeg.Neural;

/// <summary>Elementwise span kernels with a SIMD body and a scalar tail.</summary>
internal static partial class VectorMath
{
    /// <summary>destination[i] = x[i] + y[i]; destination may alias x or y.</summary>
    public static void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                (new Vector<float>(x[i..]) + new Vector<float>(y[i..])).CopyTo(destination[i..]);
        }
        for (; i < x.Length; i++) destination[i] = x[i] + y[i];
    }
}
