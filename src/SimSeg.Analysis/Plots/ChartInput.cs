namespace SimSeg.Analysis.Plots;

/// <summary>Boundary checks shared by the charts; each message names the argument and what is accepted.</summary>
internal static class ChartInput
{
    public static void Common(string title, string[] labels, PlotOptions options, string optionsName)
    {
        ArgumentNullException.ThrowIfNull(title);
        foreach (string label in labels) ArgumentNullException.ThrowIfNull(label, "label");
        ArgumentNullException.ThrowIfNull(options, optionsName);
        if (!(options.Width >= 200) || !double.IsFinite(options.Width))
            throw new ArgumentOutOfRangeException(optionsName, $"{optionsName}.Width must be a finite number >= 200 px, got {options.Width}.");
        if (!(options.Height >= 150) || !double.IsFinite(options.Height))
            throw new ArgumentOutOfRangeException(optionsName, $"{optionsName}.Height must be a finite number >= 150 px, got {options.Height}.");
        if (!(options.FontSize is >= 4 and <= 72) || !(options.TitleFontSize is >= 4 and <= 72))
            throw new ArgumentOutOfRangeException(optionsName, $"{optionsName}.FontSize and TitleFontSize must be between 4 and 72 px, got {options.FontSize} and {options.TitleFontSize}.");
        if (options.Colors is null || options.Colors.Count == 0 || options.Colors.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException($"{optionsName}.Colors must hold at least one colour and no empty ones.", optionsName);
        ArgumentNullException.ThrowIfNull(options.FontFamily, optionsName + ".FontFamily");
    }

    /// <summary>Requires a non-empty list with no null items.</summary>
    public static void NonEmpty<T>(IReadOnlyList<T>? list, string name) where T : class
    {
        if (list is null) throw new ArgumentNullException(name);
        if (list.Count == 0) throw new ArgumentException($"{name} must hold at least one item.", name);
        for (int i = 0; i < list.Count; i++)
            if (list[i] is null) throw new ArgumentNullException(name, $"{name}[{i}] is null.");
    }

    /// <summary>Requires a fraction in (0, 1].</summary>
    public static void Fraction(double value, string name)
    {
        if (!(value > 0 && value <= 1)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be in (0, 1], got {value}.");
    }
}
