using System.Runtime.CompilerServices;

namespace SimSeg.Core;

/// <summary>
/// Argument checks for public entry points. Each failure names the argument, the value received and what
/// is accepted, so the message can be shown to a user as it is.
/// </summary>
public static class Guard
{
    /// <summary>Requires a strictly positive integer.</summary>
    public static void Positive(int value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive integer, got {value}.");
    }

    /// <summary>Requires a finite, strictly positive number.</summary>
    public static void Positive(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0, got {value}.");
    }

    /// <summary>Requires a finite number ≥ 0.</summary>
    public static void NonNegative(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number >= 0, got {value}.");
    }

    /// <summary>Requires a finite number.</summary>
    public static void Finite(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number, got {value}.");
    }

    /// <summary>Requires <paramref name="value"/> in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static void InRange(double value, double min, double max, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value >= min && value <= max))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}, got {value}.");
    }

    /// <summary>Requires an ordered range min ≤ max of finite numbers.</summary>
    public static void OrderedRange(double min, double max, [CallerArgumentExpression(nameof(min))] string? name = null)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max)
            throw new ArgumentOutOfRangeException(name, $"{name} must be a range [min, max] of finite numbers with min <= max, got [{min}, {max}].");
    }
}
