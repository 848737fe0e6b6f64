namespace SimSeg.Analysis.Plots;

/// <summary>Grouped bars: one slot per category, one bar per series in each slot, optional error bars.</summary>
internal static class BarChart
{
    public static FigureSpec Build(IReadOnlyList<string> categories, IReadOnlyList<BarSeries> series, string title, string yLabel, BarOptions options)
    {
        ChartInput.NonEmpty(categories, nameof(categories));
        ChartInput.NonEmpty(series, nameof(series));
        ChartInput.Common(title, [yLabel], options, nameof(options));
        ChartInput.Fraction(options.GroupWidth, "options.GroupWidth");
        for (int s = 0; s < series.Count; s++)
        {
            BarSeries one = series[s];
            ArgumentNullException.ThrowIfNull(one.Name, $"series[{s}].Name");
            if (one.Values is null || one.Values.Count != categories.Count)
                throw new ArgumentException($"series[{s}].Values must hold one value per category ({categories.Count}), got {one.Values?.Count.ToString() ?? "null"}.", nameof(series));
            if (one.Errors is null) continue;
            if (one.Errors.Count != categories.Count)
                throw new ArgumentException($"series[{s}].Errors must hold one value per category ({categories.Count}), got {one.Errors.Count}.", nameof(series));
            for (int i = 0; i < one.Errors.Count; i++)
                if (one.Errors[i] < 0)
                    throw new ArgumentOutOfRangeException(nameof(series), $"series[{s}].Errors[{i}] must be >= 0 (a half-length), got {one.Errors[i]}.");
        }

        double lo = 0, hi = 0;
        bool hasData = false;
        foreach (BarSeries one in series)
        {
            for (int i = 0; i < categories.Count; i++)
            {
                double v = one.Values[i];
                if (!double.IsFinite(v)) continue;
                hasData = true;
                double e = Error(one, i);
                lo = Math.Min(lo, v - e);
                hi = Math.Max(hi, v + e);
            }
        }
        if (!hasData) hi = 1;

        double barWidth = options.GroupWidth / series.Count;
        var groups = new List<MarkGroup>();
        var legend = new List<LegendEntry>();
        var errorStyle = SvgStyle.Stroked("#222222", 1.2);
        for (int s = 0; s < series.Count; s++)
        {
            BarSeries one = series[s];
            string color = Palette.Pick(options.Colors, s);
            var marks = new List<Mark>();
            var errors = new List<Mark>();
            for (int i = 0; i < categories.Count; i++)
            {
                double v = one.Values[i];
                if (!double.IsFinite(v)) continue;
                double x0 = i - options.GroupWidth / 2 + s * barWidth, centre = x0 + barWidth / 2;
                double e = Error(one, i);
                string tooltip = $"{one.Name}, {categories[i]}: {Ticks.Format(v)}" + (e > 0 ? $" ± {Ticks.Format(e)}" : "");
                marks.Add(new RectMark(x0, 0, x0 + barWidth, v, SvgStyle.Filled(color), tooltip));
                if (e > 0)
                {
                    double cap = barWidth * 0.15;
                    errors.Add(new PathMark(
                        [centre, centre, double.NaN, centre - cap, centre + cap, double.NaN, centre - cap, centre + cap],
                        [v - e, v + e, double.NaN, v + e, v + e, double.NaN, v - e, v - e],
                        errorStyle));
                }
            }
            marks.AddRange(errors);
            groups.Add(new MarkGroup("series bars", one.Name, marks));
            legend.Add(new LegendEntry(one.Name, color, LegendSymbol.Swatch));
        }

        var x = Axis.Categories(categories, "");
        var y = Axis.Numeric(lo, hi, Figure.MaxYTicks(options), AxisScaleKind.Linear, yLabel);
        return new FigureSpec(title, x, y, null, groups, legend, options, hasData);
    }

    private static double Error(BarSeries series, int i) =>
        series.Errors is { } errors && double.IsFinite(errors[i]) ? errors[i] : 0;
}
