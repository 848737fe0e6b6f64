using System.Numerics;

namespace SimSeg.Core.Imaging;

/// <summary>
/// Converts stored sample values into integer labels, checking that every value is an exact integer in the range of
/// <see cref="int"/>. Used by label-volume readers, which must reject fractional or out-of-range labels rather than
/// silently round them.
/// </summary>
public static class IntegerLabels
{
    /// <summary>
    /// Writes <c>source[i]·slope + intercept</c> to <paramref name="destination"/> as int, stopping at the first value
    /// that is not finite, not an integer, or outside [<see cref="int.MinValue"/>, <see cref="int.MaxValue"/>].
    /// </summary>
    /// <param name="source">Stored values (any integer or floating-point type).</param>
    /// <param name="destination">At least as long as <paramref name="source"/>.</param>
    /// <param name="firstBad">Index of the first rejected value, or -1 when all were converted.</param>
    /// <param name="badValue">The scaled value at <paramref name="firstBad"/> (NaN when all were converted).</param>
    /// <param name="slope">Scale applied to each value (e.g. NIfTI scl_slope); 1 for none.</param>
    /// <param name="intercept">Offset added after scaling (e.g. NIfTI scl_inter); 0 for none.</param>
    /// <returns>True when every value was converted.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="source"/>.</exception>
    public static bool TryConvert<T>(ReadOnlySpan<T> source, Span<int> destination, out long firstBad, out double badValue,
        double slope = 1, double intercept = 0)
        where T : unmanaged, INumberBase<T>
    {
        if (destination.Length < source.Length)
            throw new ArgumentException($"destination has {destination.Length} elements but source has {source.Length}.", nameof(destination));
        firstBad = -1;
        badValue = double.NaN;
        bool identity = slope == 1 && intercept == 0;
        if (identity && (typeof(T) == typeof(byte) || typeof(T) == typeof(sbyte) || typeof(T) == typeof(short)
            || typeof(T) == typeof(ushort) || typeof(T) == typeof(int)))
        {
            for (int i = 0; i < source.Length; i++) destination[i] = int.CreateTruncating(source[i]);
            return true;
        }
        for (int i = 0; i < source.Length; i++)
        {
            double value = double.CreateTruncating(source[i]);
            if (!identity) value = value * slope + intercept;
            if (!(value >= int.MinValue && value <= int.MaxValue) || value != Math.Floor(value))
            {
                firstBad = i;
                badValue = value;
                return false;
            }
            destination[i] = (int)value;
        }
        return true;
    }
}
