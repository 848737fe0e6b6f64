namespace SimSeg.Analysis.Plots;

/// <summary>
/// Charts as standalone SVG documents (SVG 1.1, no scripts or external resources), sized for a printed page
/// by default. Each chart returns the SVG text or, given a path first, writes it atomically as UTF-8.
/// </summary>
/// <remarks>
/// <para><b>Missing values.</b> NaN and ±∞ in the data are treated as missing and skipped: a bar is not drawn,
/// a line breaks, a violin or histogram counts only finite values (and says so in its "n = …"). On a log
/// axis, values ≤ 0 are skipped the same way. A chart whose data are all missing is drawn with empty axes and
/// the words "No data". The SVG never contains "NaN" or "Infinity".</para>
/// <para><b>Invalid arguments.</b> Structural mistakes throw: null lists or names
/// (<see cref="ArgumentNullException"/>), an empty list of series or categories, lists whose lengths
/// disagree, negative error bars, contradictory bin settings (<see cref="ArgumentException"/> or
/// <see cref="ArgumentOutOfRangeException"/>), each naming the argument and the value received.</para>
/// <para><b>Labels.</b> Any text is allowed in titles, labels and names; it is XML-escaped. Write units in
/// the axis label, e.g. with <see cref="AxisLabel"/>: "Branch length (µm)".</para>
/// </remarks>
public static class Plot
{
    /// <summary>An axis label with its unit in parentheses: "Branch length (µm)"; the quantity alone when the unit is null or empty.</summary>
    public static string AxisLabel(string quantity, string? unit)
    {
        ArgumentNullException.ThrowIfNull(quantity);
        return string.IsNullOrEmpty(unit) ? quantity : $"{quantity} ({unit})";
    }

    /// <summary>
    /// Grouped bars, e.g. class frequencies per condition: one slot per category, one bar per series in each
    /// slot, bars from 0, optional error bars (± <see cref="BarSeries.Errors"/>, e.g. standard deviations).
    /// </summary>
    /// <param name="categories">Category names along x, at least one.</param>
    /// <param name="series">At least one series, each with one value per category.</param>
    /// <param name="title">Figure title; "" for none.</param>
    /// <param name="yLabel">Value-axis label with unit; "" for none.</param>
    /// <param name="options">Appearance; null for the defaults.</param>
    /// <returns>The SVG document.</returns>
    public static string Bar(IReadOnlyList<string> categories, IReadOnlyList<BarSeries> series, string title, string yLabel, BarOptions? options = null) =>
        Figure.Render(BarChart.Build(categories, series, title, yLabel, options ?? new BarOptions()));

    /// <summary>Writes <see cref="Bar(IReadOnlyList{string}, IReadOnlyList{BarSeries}, string, string, BarOptions?)"/> to <paramref name="path"/> atomically.</summary>
    public static void Bar(string path, IReadOnlyList<string> categories, IReadOnlyList<BarSeries> series, string title, string yLabel, BarOptions? options = null) =>
        SvgCanvas.WriteFile(path, Bar(categories, series, title, yLabel, options));

    /// <summary>
    /// One violin per group: a Gaussian kernel density estimate (Silverman's bandwidth, see
    /// <see cref="KernelDensity"/>) mirrored about the group's slot and cut at the smallest and largest value,
    /// with a bar from the first to the third quartile, a white dot at the median and "n = …" under the name.
    /// A group of identical values is drawn as a horizontal line with a dot, a single value as a dot, an
    /// empty group as nothing (n = 0).
    /// </summary>
    /// <param name="groups">At least one group.</param>
    /// <param name="title">Figure title; "" for none.</param>
    /// <param name="yLabel">Value-axis label with unit; "" for none.</param>
    /// <param name="options">Appearance; null for the defaults.</param>
    /// <returns>The SVG document.</returns>
    public static string Violin(IReadOnlyList<NamedValues> groups, string title, string yLabel, ViolinOptions? options = null) =>
        Figure.Render(ViolinChart.Build(groups, title, yLabel, options ?? new ViolinOptions()));

    /// <summary>Writes <see cref="Violin(IReadOnlyList{NamedValues}, string, string, ViolinOptions?)"/> to <paramref name="path"/> atomically.</summary>
    public static void Violin(string path, IReadOnlyList<NamedValues> groups, string title, string yLabel, ViolinOptions? options = null) =>
        SvgCanvas.WriteFile(path, Violin(groups, title, yLabel, options));

    /// <summary>
    /// Histograms of one or more series over shared bins (see <see cref="HistogramOptions"/> for the binning),
    /// overlaid or side by side, as counts or densities. E.g. endpoint–junction and junction–junction branch
    /// lengths.
    /// </summary>
    /// <param name="series">At least one series.</param>
    /// <param name="title">Figure title; "" for none.</param>
    /// <param name="xLabel">Value-axis label with unit; "" for none.</param>
    /// <param name="yLabel">Count or density label; "" for none.</param>
    /// <param name="options">Bins, density, layout and appearance; null for the defaults.</param>
    /// <returns>The SVG document.</returns>
    public static string Histogram(IReadOnlyList<NamedValues> series, string title, string xLabel, string yLabel, HistogramOptions? options = null) =>
        Figure.Render(HistogramChart.Build(series, title, xLabel, yLabel, options ?? new HistogramOptions()));

    /// <summary>Writes <see cref="Histogram(IReadOnlyList{NamedValues}, string, string, string, HistogramOptions?)"/> to <paramref name="path"/> atomically.</summary>
    public static void Histogram(string path, IReadOnlyList<NamedValues> series, string title, string xLabel, string yLabel, HistogramOptions? options = null) =>
        SvgCanvas.WriteFile(path, Histogram(series, title, xLabel, yLabel, options));

    /// <summary>
    /// Lines through (x, y) points in the given order, e.g. training curves (loss, mIoU per epoch). Series with
    /// <see cref="XYSeries.SecondaryAxis"/> use a right-hand y axis and are drawn dashed.
    /// </summary>
    /// <param name="series">At least one series.</param>
    /// <param name="title">Figure title; "" for none.</param>
    /// <param name="xLabel">X-axis label with unit; "" for none.</param>
    /// <param name="yLabel">Left y-axis label with unit; "" for none.</param>
    /// <param name="options">Markers, scales, right-axis label and appearance; null for the defaults.</param>
    /// <returns>The SVG document.</returns>
    public static string Line(IReadOnlyList<XYSeries> series, string title, string xLabel, string yLabel, LineOptions? options = null)
    {
        options ??= new LineOptions();
        ArgumentNullException.ThrowIfNull(options.SecondaryYLabel, "options.SecondaryYLabel");
        return Figure.Render(XYChart.Build(series, title, xLabel, yLabel, options, lines: true, options.Markers, 3,
            AxisScaleKind.Linear, options.YScale, options.SecondaryYScale, options.SecondaryYLabel));
    }

    /// <summary>Writes <see cref="Line(IReadOnlyList{XYSeries}, string, string, string, LineOptions?)"/> to <paramref name="path"/> atomically.</summary>
    public static void Line(string path, IReadOnlyList<XYSeries> series, string title, string xLabel, string yLabel, LineOptions? options = null) =>
        SvgCanvas.WriteFile(path, Line(series, title, xLabel, yLabel, options));

    /// <summary>A dot per (x, y) point, translucent so that overlaps show; linear or log axes.</summary>
    /// <param name="series">At least one series.</param>
    /// <param name="title">Figure title; "" for none.</param>
    /// <param name="xLabel">X-axis label with unit; "" for none.</param>
    /// <param name="yLabel">Y-axis label with unit; "" for none.</param>
    /// <param name="options">Scales, dot size and appearance; null for the defaults.</param>
    /// <returns>The SVG document.</returns>
    public static string Scatter(IReadOnlyList<XYSeries> series, string title, string xLabel, string yLabel, ScatterOptions? options = null)
    {
        options ??= new ScatterOptions();
        if (!(options.MarkerRadius is > 0 and <= 50))
            throw new ArgumentOutOfRangeException(nameof(options), $"options.MarkerRadius must be in (0, 50] px, got {options.MarkerRadius}.");
        return Figure.Render(XYChart.Build(series, title, xLabel, yLabel, options, lines: false, markers: true, options.MarkerRadius,
            options.XScale, options.YScale, AxisScaleKind.Linear, ""));
    }

    /// <summary>Writes <see cref="Scatter(IReadOnlyList{XYSeries}, string, string, string, ScatterOptions?)"/> to <paramref name="path"/> atomically.</summary>
    public static void Scatter(string path, IReadOnlyList<XYSeries> series, string title, string xLabel, string yLabel, ScatterOptions? options = null) =>
        SvgCanvas.WriteFile(path, Scatter(series, title, xLabel, yLabel, options));
}
