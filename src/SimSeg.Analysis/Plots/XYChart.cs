namespace SimSeg.Analysis.Plots;

/// <summary>Line and scatter charts of (x, y) series, with an optional right-hand y axis.</summary>
internal static class XYChart
{
    public static FigureSpec Build(IReadOnlyList<XYSeries> series, string title, string xLabel, string yLabel, PlotOptions options,
        bool lines, bool markers, double markerRadius, AxisScaleKind xScale, AxisScaleKind yScale, AxisScaleKind y2Scale, string y2Label)
    {
        ChartInput.NonEmpty(series, nameof(series));
        ChartInput.Common(title, [xLabel, yLabel, y2Label], options, nameof(options));
        for (int s = 0; s < series.Count; s++)
        {
            XYSeries one = series[s];
            ArgumentNullException.ThrowIfNull(one.Name, $"series[{s}].Name");
            ArgumentNullException.ThrowIfNull(one.X, $"series[{s}].X");
            ArgumentNullException.ThrowIfNull(one.Y, $"series[{s}].Y");
            if (one.X.Count != one.Y.Count)
                throw new ArgumentException($"series[{s}].X and series[{s}].Y must have the same length, got {one.X.Count} and {one.Y.Count}.", nameof(series));
        }

        bool secondary = series.Any(s => s.SecondaryAxis);
        var xRange = new Range(xScale);
        var yRange = new Range(yScale);
        var y2Range = new Range(y2Scale);
        foreach (XYSeries one in series)
        {
            Range range = one.SecondaryAxis ? y2Range : yRange;
            for (int i = 0; i < one.X.Count; i++)
            {
                if (!xRange.Accepts(one.X[i]) || !range.Accepts(one.Y[i])) continue;
                xRange.Add(one.X[i]);
                range.Add(one.Y[i]);
            }
        }

        var groups = new List<MarkGroup>();
        var legend = new List<LegendEntry>();
        for (int s = 0; s < series.Count; s++)
        {
            XYSeries one = series[s];
            string color = Palette.Pick(options.Colors, s);
            IReadOnlyList<double> dashes = one.SecondaryAxis ? [6, 3] : [];
            var marks = new List<Mark>();
            if (lines) marks.Add(new PathMark(one.X, one.Y, SvgStyle.Stroked(color, 2) with { Dashes = dashes }, Secondary: one.SecondaryAxis));
            if (markers)
            {
                Range range = one.SecondaryAxis ? y2Range : yRange;
                var style = lines ? SvgStyle.Filled(color) : new SvgStyle { Fill = color, FillOpacity = 0.7, Stroke = color, StrokeWidth = 0.8 };
                for (int i = 0; i < one.X.Count; i++)
                {
                    if (!xRange.Accepts(one.X[i]) || !range.Accepts(one.Y[i])) continue;
                    marks.Add(new DotMark(one.X[i], one.Y[i], markerRadius, style,
                        $"{one.Name}: ({Ticks.Format(one.X[i])}, {Ticks.Format(one.Y[i])})", one.SecondaryAxis));
                }
            }
            groups.Add(new MarkGroup(lines ? "series line" : "series scatter", one.Name, marks));
            legend.Add(new LegendEntry(one.Name, color,
                !lines ? LegendSymbol.Dot : markers ? LegendSymbol.LineWithDot : LegendSymbol.Line, dashes, lines ? 1 : 0.7));
        }

        var x = xRange.Axis(Figure.MaxXTicks(options), xLabel);
        var y = yRange.Axis(Figure.MaxYTicks(options), yLabel);
        Axis? y2 = secondary ? y2Range.Axis(Figure.MaxYTicks(options), y2Label) : null;
        return new FigureSpec(title, x, y, y2, groups, legend, options, xRange.Count > 0);
    }

    /// <summary>The extent of the values shown on one axis.</summary>
    private sealed class Range(AxisScaleKind kind)
    {
        private double _min = double.PositiveInfinity, _max = double.NegativeInfinity;

        public int Count { get; private set; }

        public bool Accepts(double value) => double.IsFinite(value) && (kind == AxisScaleKind.Linear || value > 0);

        public void Add(double value)
        {
            _min = Math.Min(_min, value);
            _max = Math.Max(_max, value);
            Count++;
        }

        public Axis Axis(int maxTicks, string label) => Count > 0
            ? Plots.Axis.Numeric(_min, _max, maxTicks, kind, label)
            : Plots.Axis.Numeric(kind == AxisScaleKind.Log ? 1 : 0, kind == AxisScaleKind.Log ? 10 : 1, maxTicks, kind, label);
    }
}
