namespace SimSeg.Analysis.Plots;

/// <summary>
/// Colours that stay distinct under the common forms of colour blindness: the Okabe–Ito palette (M. Okabe and
/// K. Ito, "Color Universal Design", 2002; recommended by B. Wong, Nature Methods 8:441, 2011).
/// </summary>
public static class Palette
{
    /// <summary>Blue, #0072B2.</summary>
    public const string Blue = "#0072B2";

    /// <summary>Orange, #E69F00.</summary>
    public const string Orange = "#E69F00";

    /// <summary>Bluish green, #009E73.</summary>
    public const string BluishGreen = "#009E73";

    /// <summary>Vermillion, #D55E00.</summary>
    public const string Vermillion = "#D55E00";

    /// <summary>Reddish purple, #CC79A7.</summary>
    public const string ReddishPurple = "#CC79A7";

    /// <summary>Sky blue, #56B4E9.</summary>
    public const string SkyBlue = "#56B4E9";

    /// <summary>Yellow, #F0E442 (low contrast on white: last but one).</summary>
    public const string Yellow = "#F0E442";

    /// <summary>Black, #000000.</summary>
    public const string Black = "#000000";

    /// <summary>
    /// The eight Okabe–Ito colours in the order series take them: strong contrasts first, yellow and black last.
    /// </summary>
    public static IReadOnlyList<string> OkabeIto { get; } =
        [Blue, Orange, BluishGreen, Vermillion, ReddishPurple, SkyBlue, Yellow, Black];

    /// <summary>The colour of series <paramref name="index"/>: colours repeat after the last one.</summary>
    /// <param name="colors">A non-empty palette.</param>
    /// <param name="index">Series index, ≥ 0.</param>
    public static string Pick(IReadOnlyList<string> colors, int index)
    {
        ArgumentNullException.ThrowIfNull(colors);
        if (colors.Count == 0) throw new ArgumentException("The palette must hold at least one colour.", nameof(colors));
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return colors[index % colors.Count];
    }
}
