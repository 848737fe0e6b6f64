using System.Numerics;
using SimSeg.Core.Imaging;

namespace SimSeg.Segmentation.Baselines;

/// <summary>The plane-by-plane plumbing the baselines share: a plane as floats in, a 0/1 plane out.</summary>
internal static class Planes
{
    /// <summary>Copies plane <paramref name="z"/> of <paramref name="image"/> into <paramref name="destination"/> as floats.</summary>
    public static void ToFloat<T>(Image<T> image, int z, Span<float> destination) where T : unmanaged, INumberBase<T>
    {
        var source = image.Plane(z);
        for (int i = 0; i < source.Length; i++) destination[i] = float.CreateTruncating(source[i]);
    }

    /// <summary>Writes 1 where <paramref name="values"/> is strictly above <paramref name="threshold"/>, else 0.</summary>
    public static void Above(ReadOnlySpan<float> values, double threshold, Span<byte> destination)
    {
        for (int i = 0; i < values.Length; i++) destination[i] = values[i] > threshold ? (byte)1 : (byte)0;
    }
}
