using SimSeg.Core.Randomness;

namespace SimSeg.Core;

/// <summary>
/// A closed interval [<see cref="Min"/>, <see cref="Max"/>] of real numbers, used for the random ranges of
/// the simulator options (sizes in nm). Named <c>Interval</c> rather than <c>Range</c> so that it never
/// clashes with <see cref="System.Range"/> under implicit usings.
/// </summary>
/// <param name="Min">Lower end (inclusive).</param>
/// <param name="Max">Upper end (inclusive).</param>
public readonly record struct Interval(double Min, double Max)
{
    /// <summary><see cref="Max"/> − <see cref="Min"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double Width => Max - Min;

    /// <summary>The midpoint.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double Center => 0.5 * (Min + Max);

    /// <summary>True when <paramref name="value"/> lies in [Min, Max].</summary>
    public bool Contains(double value) => value >= Min && value <= Max;

    /// <summary>A uniform draw from [Min, Max); returns <see cref="Min"/> for a degenerate interval.</summary>
    public double Sample(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return Max > Min ? rng.Uniform(Min, Max) : Min;
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming <paramref name="name"/>, the interval and the accepted
    /// bounds unless both ends are finite, Min ≤ Max and the interval lies within
    /// [<paramref name="lowest"/>, <paramref name="highest"/>]. Pass <see cref="double.Epsilon"/> as
    /// <paramref name="lowest"/> to require strictly positive values.
    /// </summary>
    public void Validate(string name, double lowest = double.NegativeInfinity, double highest = double.PositiveInfinity)
    {
        if (!double.IsFinite(Min) || !double.IsFinite(Max) || Min > Max || Min < lowest || Max > highest)
        {
            string low = lowest == double.Epsilon ? "(0" : $"[{lowest}";
            throw new ArgumentException(
                $"{name} must be a range [min, max] of finite numbers with min <= max within {low}, {highest}], got {this}.", name);
        }
    }

    /// <summary>The interval as "[min, max]".</summary>
    public override string ToString() => $"[{Min}, {Max}]";
}

/// <summary>A closed interval [<see cref="Min"/>, <see cref="Max"/>] of integers (object counts and the like).</summary>
/// <param name="Min">Lower end (inclusive).</param>
/// <param name="Max">Upper end (inclusive).</param>
public readonly record struct IntInterval(int Min, int Max)
{
    /// <summary>True when <paramref name="value"/> lies in [Min, Max].</summary>
    public bool Contains(int value) => value >= Min && value <= Max;

    /// <summary>A uniform integer draw from [Min, Max].</summary>
    public int Sample(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return Max > Min ? rng.NextInt(Min, Max) : Min;
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming <paramref name="name"/>, the interval and the accepted
    /// bounds unless Min ≤ Max and the interval lies within [<paramref name="lowest"/>, <paramref name="highest"/>].
    /// </summary>
    public void Validate(string name, int lowest = int.MinValue, int highest = int.MaxValue)
    {
        if (Min > Max || Min < lowest || Max > highest)
            throw new ArgumentException(
                $"{name} must be an integer range [min, max] with min <= max within [{lowest}, {highest}], got {this}.", name);
    }

    /// <summary>The interval as "[min, max]".</summary>
    public override string ToString() => $"[{Min}, {Max}]";
}
