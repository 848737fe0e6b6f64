using System.Numerics;

namespace SimSeg.Neural;

/// <summary>Scaling, multiply-add and dot-product span kernels with a SIMD body and a scalar tail.</summary>
internal static partial class VectorMath
{
    /// <summary>destination[i] = x[i]·factor; destination may alias x.</summary>
    public static void Scale(ReadOnlySpan<float> x, float factor, Span<float> destination)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var f = new Vector<float>(factor);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count) (new Vector<float>(x[i..]) * f).CopyTo(destination[i..]);
        }
        for (; i < x.Length; i++) destination[i] = x[i] * factor;
    }

    /// <summary>y[i] += a·x[i] (BLAS axpy).</summary>
    public static void MultiplyAdd(ReadOnlySpan<float> x, float a, Span<float> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<float>(a);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                (new Vector<float>(y[i..]) + va * new Vector<float>(x[i..])).CopyTo(y[i..]);
        }
        for (; i < x.Length; i++) y[i] += a * x[i];
    }

    /// <summary>Σ a[i]·b[i] in float, lanes summed after the SIMD body (a fixed order for a given length).</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int i = 0;
        float sum = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var acc = Vector<float>.Zero;
            for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count) acc += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
            sum = Vector.Sum(acc);
        }
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
