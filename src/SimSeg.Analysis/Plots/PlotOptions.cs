namespace SimSeg.Analysis.Plots;

/// <summary>Where the legend goes.</summary>
public enum LegendPlacement
{
    /// <summary>The first inside corner (top right, top left, bottom right, bottom left) that covers no data; outside on the right when every corner does.</summary>
    Auto,

    /// <summary>Inside the top-right corner of the data area.</summary>
    TopRight,

    /// <summary>Inside the top-left corner of the data area.</summary>
    TopLeft,

    /// <summary>Inside the bottom-right corner of the data area.</summary>
    BottomRight,

    /// <summary>Inside the bottom-left corner of the data area.</summary>
    BottomLeft,

    /// <summary>To the right of the data area, which narrows to make room.</summary>
    Outside,

    /// <summary>No legend.</summary>
    None,
}

/// <summary>How a numeric axis maps values to positions.</summary>
public enum AxisScaleKind
{
    /// <summary>Equal distances for equal differences.</summary>
    Linear,

    /// <summary>Equal distances for equal ratios (base 10). Values ≤ 0 cannot be shown and are skipped.</summary>
    Log,
}

/// <summary>How histograms of several series share the bins.</summary>
public enum HistogramLayout
{
    /// <summary>Each series is a translucent filled outline over the same bins.</summary>
    Overlaid,

    /// <summary>Each bin is split into one narrow bar per series.</summary>
    SideBySide,
}

/// <summary>
/// Settings every chart shares. Defaults suit a figure printed at paper size: 640 × 420 px, 12 px tick labels,
/// 13 px axis labels, a 14 px bold title, the <see cref="Palette.OkabeIto"/> colours.
/// </summary>
public abstract record PlotOptions
{
    /// <summary>Figure width in px, ≥ 200.</summary>
    public double Width { get; init; } = 640;

    /// <summary>Figure height in px, ≥ 150.</summary>
    public double Height { get; init; } = 420;

    /// <summary>Font size of tick labels and legend in px; axis labels are 1 px larger.</summary>
    public double FontSize { get; init; } = 12;

    /// <summary>Font size of the title in px.</summary>
    public double TitleFontSize { get; init; } = 14;

    /// <summary>CSS font family list.</summary>
    public string FontFamily { get; init; } = SvgCanvas.DefaultFontFamily;

    /// <summary>Series colours, taken in order and repeated when there are more series.</summary>
    public IReadOnlyList<string> Colors { get; init; } = Palette.OkabeIto;

    /// <summary>Light grid lines at the value-axis ticks (and at the x ticks of numeric x axes).</summary>
    public bool Grid { get; init; } = true;

    /// <summary>
    /// Legend position. With <see cref="LegendPlacement.Auto"/> a legend is drawn for two or more series; any other
    /// placement but <see cref="LegendPlacement.None"/> draws it for one series too. Never drawn when no series has a name.
    /// </summary>
    public LegendPlacement Legend { get; init; } = LegendPlacement.Auto;

    /// <summary>Longer description for the SVG's <c>&lt;desc&gt;</c> element (read by screen readers); null for none.</summary>
    public string? Description { get; init; }
}

/// <summary>Options of <see cref="Plot.Bar(IReadOnlyList{string}, IReadOnlyList{BarSeries}, string, string, BarOptions?)"/>.</summary>
public sealed record BarOptions : PlotOptions
{
    /// <summary>Fraction of each category's slot filled by its group of bars, in (0, 1].</summary>
    public double GroupWidth { get; init; } = 0.8;
}

/// <summary>Options of <see cref="Plot.Violin(IReadOnlyList{NamedValues}, string, string, ViolinOptions?)"/>.</summary>
public sealed record ViolinOptions : PlotOptions
{
    /// <summary>Width of the widest point of each violin as a fraction of its category slot, in (0, 1].</summary>
    public double ViolinWidth { get; init; } = 0.8;

    /// <summary>Adds "n = …" (the number of finite values) under each group name.</summary>
    public bool ShowCounts { get; init; } = true;
}

/// <summary>
/// Options of <see cref="Plot.Histogram(IReadOnlyList{NamedValues}, string, string, string, HistogramOptions?)"/>.
/// Set at most one of <see cref="Bins"/> and <see cref="BinWidth"/>; with neither, the bin width is the nice
/// number nearest to range / (log₂ n + 1) (Sturges' rule) and bin edges fall on multiples of it.
/// </summary>
public sealed record HistogramOptions : PlotOptions
{
    /// <summary>Number of equal bins from the smallest to the largest value (numpy's convention); null for automatic.</summary>
    public int? Bins { get; init; }

    /// <summary>Bin width in data units; edges fall on multiples of it. Null for automatic.</summary>
    public double? BinWidth { get; init; }

    /// <summary>Scales each series so its bars' area is 1 (count / (n · width)) rather than showing counts.</summary>
    public bool Density { get; init; }

    /// <summary>How several series share the bins.</summary>
    public HistogramLayout Layout { get; init; } = HistogramLayout.Overlaid;
}

/// <summary>Options of <see cref="Plot.Line(IReadOnlyList{XYSeries}, string, string, string, LineOptions?)"/>.</summary>
public sealed record LineOptions : PlotOptions
{
    /// <summary>Draws a dot at each point as well as the line.</summary>
    public bool Markers { get; init; }

    /// <summary>Scale of the left y axis.</summary>
    public AxisScaleKind YScale { get; init; } = AxisScaleKind.Linear;

    /// <summary>Label of the right y axis, used by series with <see cref="XYSeries.SecondaryAxis"/>.</summary>
    public string SecondaryYLabel { get; init; } = "";

    /// <summary>Scale of the right y axis.</summary>
    public AxisScaleKind SecondaryYScale { get; init; } = AxisScaleKind.Linear;
}

/// <summary>Options of <see cref="Plot.Scatter(IReadOnlyList{XYSeries}, string, string, string, ScatterOptions?)"/>.</summary>
public sealed record ScatterOptions : PlotOptions
{
    /// <summary>Scale of the x axis.</summary>
    public AxisScaleKind XScale { get; init; } = AxisScaleKind.Linear;

    /// <summary>Scale of the y axis.</summary>
    public AxisScaleKind YScale { get; init; } = AxisScaleKind.Linear;

    /// <summary>Dot radius in px.</summary>
    public double MarkerRadius { get; init; } = 3;
}

/// <summary>One series of a grouped bar chart: one value per category.</summary>
/// <param name="Name">Legend label.</param>
/// <param name="Values">One value per category; non-finite values leave a gap.</param>
/// <param name="Errors">Optional error-bar half-lengths (e.g. standard deviations), one per category, ≥ 0; non-finite ones are not drawn.</param>
public sealed record BarSeries(string Name, IReadOnlyList<double> Values, IReadOnlyList<double>? Errors = null);

/// <summary>A named sample: a violin, or a histogram series.</summary>
/// <param name="Name">Group or series name.</param>
/// <param name="Values">The observations; non-finite values are skipped.</param>
public sealed record NamedValues(string Name, IReadOnlyList<double> Values);

/// <summary>A series of (x, y) points for line and scatter charts.</summary>
/// <param name="Name">Legend label.</param>
/// <param name="X">X values.</param>
/// <param name="Y">Y values, as many as <paramref name="X"/>; a point with a non-finite coordinate breaks the line.</param>
/// <param name="SecondaryAxis">Plots against the right y axis (drawn dashed, so it reads without colour).</param>
public sealed record XYSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, bool SecondaryAxis = false);
