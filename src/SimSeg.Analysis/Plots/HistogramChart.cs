namespace SimSeg.Analysis.Plots;

/// <summary>Histograms of one or more series over shared bins.</summary>
internal static class HistogramChart
{
    /// <summary>The most bins a histogram may have: a guard against a bin width far below the data range.</summary>
    public const int MaxBins = 10_000;

    public static FigureSpec Build(IReadOnlyList<NamedValues> series, string title, string xLabel, string yLabel, HistogramOptions options)
    {
        ChartInput.NonEmpty(series, nameof(series));
        ChartInput.Common(title, [xLabel, yLabel], options, nameof(options));
        for (int s = 0; s < series.Count; s++)
        {
            ArgumentNullException.ThrowIfNull(series[s].Name, $"series[{s}].Name");
            ArgumentNullException.ThrowIfNull(series[s].Values, $"series[{s}].Values");
        }

        double[][] finite = series.Select(s => SampleStatistics.Finite(s.Values)).ToArray();
        double[] edges = Edges(finite.SelectMany(v => v).ToArray(), options);
        bool hasData = edges.Length > 0;
        int bins = Math.Max(0, edges.Length - 1);

        var heights = new double[series.Count][];
        for (int s = 0; s < series.Count; s++)
        {
            heights[s] = new double[bins];
            foreach (double v in finite[s])
            {
                int bin = Array.BinarySearch(edges, v);
                bin = bin >= 0 ? Math.Min(bin, bins - 1) : ~bin - 1; // Bins are [a, b), the last one [a, b].
                heights[s][Math.Clamp(bin, 0, bins - 1)]++;
            }
            if (options.Density && finite[s].Length > 0)
                for (int b = 0; b < bins; b++) heights[s][b] /= finite[s].Length * (edges[b + 1] - edges[b]);
        }

        var groups = new List<MarkGroup>();
        var legend = new List<LegendEntry>();
        bool overlaid = options.Layout == HistogramLayout.Overlaid;
        double opacity = overlaid && series.Count > 1 ? 0.4 : 0.75;
        for (int s = 0; s < series.Count; s++)
        {
            string color = Palette.Pick(options.Colors, s);
            var marks = new List<Mark>();
            if (bins > 0 && finite[s].Length > 0)
            {
                if (overlaid)
                {
                    marks.Add(Step(edges, heights[s], new SvgStyle { Fill = color, FillOpacity = opacity, Stroke = color, StrokeWidth = 1.5 }));
                }
                else
                {
                    for (int b = 0; b < bins; b++)
                    {
                        if (heights[s][b] == 0) continue;
                        double width = (edges[b + 1] - edges[b]) / series.Count;
                        double x0 = edges[b] + s * width;
                        marks.Add(new RectMark(x0, 0, x0 + width, heights[s][b], SvgStyle.Filled(color, opacity),
                            $"{series[s].Name}, [{Ticks.Format(edges[b])}, {Ticks.Format(edges[b + 1])}): {Ticks.Format(heights[s][b])}"));
                    }
                }
            }
            groups.Add(new MarkGroup("series histogram", series[s].Name, marks));
            legend.Add(new LegendEntry(series[s].Name, color, LegendSymbol.Swatch, FillOpacity: opacity));
        }

        double top = heights.SelectMany(h => h).DefaultIfEmpty(0).Max();
        var x = hasData
            ? Axis.Numeric(edges[0], edges[^1], Figure.MaxXTicks(options), AxisScaleKind.Linear, xLabel)
            : Axis.Numeric(0, 1, Figure.MaxXTicks(options), AxisScaleKind.Linear, xLabel);
        var y = Axis.Numeric(0, top > 0 ? top : 1, Figure.MaxYTicks(options), AxisScaleKind.Linear, yLabel, minStep: options.Density ? 0 : 1);
        return new FigureSpec(title, x, y, null, groups, legend, options, hasData);
    }

    /// <summary>
    /// Bin edges for <paramref name="values"/> (finite): <see cref="HistogramOptions.Bins"/> equal bins from the
    /// smallest to the largest value, or bins of <see cref="HistogramOptions.BinWidth"/> (or an automatic nice
    /// width) with edges on multiples of the width. Empty when there are no values.
    /// </summary>
    internal static double[] Edges(double[] values, HistogramOptions options)
    {
        if (options.Bins is not null && options.BinWidth is not null)
            throw new ArgumentException("Set at most one of options.Bins and options.BinWidth.", nameof(options));
        if (options.Bins is int requested && requested is < 1 or > MaxBins)
            throw new ArgumentOutOfRangeException(nameof(options), $"options.Bins must be between 1 and {MaxBins}, got {requested}.");
        if (options.BinWidth is double w && (!(w > 0) || !double.IsFinite(w)))
            throw new ArgumentOutOfRangeException(nameof(options), $"options.BinWidth must be a finite number > 0, got {w}.");
        if (values.Length == 0) return [];

        double lo = values.Min(), hi = values.Max();
        if (options.Bins is int count)
        {
            if (lo == hi) (lo, hi) = (lo - 0.5, hi + 0.5);
            return Enumerable.Range(0, count + 1).Select(i => i == count ? hi : lo + (hi - lo) * i / count).ToArray();
        }

        double width = options.BinWidth ?? AutomaticWidth(lo, hi, values.Length);
        double first = Math.Floor(lo / width);
        double last = Math.Max(first + 1, Math.Floor(hi / width) + 1);
        if (last - first > MaxBins)
            throw new ArgumentOutOfRangeException(nameof(options),
                $"options.BinWidth {width} gives {last - first} bins over [{lo}, {hi}]; at most {MaxBins} are allowed.");
        return Enumerable.Range(0, (int)(last - first) + 1).Select(i => (first + i) * width).ToArray();
    }

    /// <summary>Sturges' rule (range / (⌈log₂ n⌉ + 1)) rounded to a nice number.</summary>
    private static double AutomaticWidth(double lo, double hi, int count)
    {
        double range = hi - lo;
        if (range <= Math.Max(Math.Abs(lo), Math.Abs(hi)) * 1e-12) return Ticks.NiceNumber(lo == 0 ? 1 : Math.Abs(lo) * 0.1, round: true);
        int bins = (int)Math.Ceiling(Math.Log2(count)) + 1;
        return Ticks.NiceNumber(range / bins, round: true);
    }

    private static PathMark Step(double[] edges, double[] heights, SvgStyle style)
    {
        var xs = new List<double> { edges[0] };
        var ys = new List<double> { 0 };
        for (int b = 0; b < heights.Length; b++)
        {
            xs.Add(edges[b]); ys.Add(heights[b]);
            xs.Add(edges[b + 1]); ys.Add(heights[b]);
        }
        xs.Add(edges[^1]); ys.Add(0);
        return new PathMark(xs, ys, style, Closed: true);
    }
}
