using System.Globalization;

namespace SimSeg.Analysis.Plots;

/// <summary>
/// Violins: a mirrored Gaussian KDE (Silverman's bandwidth) per group, cut at the smallest and largest value and
/// scaled so every violin has the same greatest width (seaborn's <c>density_norm="width"</c>); inside, a bar
/// from the first to the third quartile and a white dot at the median.
/// </summary>
internal static class ViolinChart
{
    private const int Samples = 100;

    public static FigureSpec Build(IReadOnlyList<NamedValues> groups, string title, string yLabel, ViolinOptions options)
    {
        ChartInput.NonEmpty(groups, nameof(groups));
        ChartInput.Common(title, [yLabel], options, nameof(options));
        ChartInput.Fraction(options.ViolinWidth, "options.ViolinWidth");
        for (int g = 0; g < groups.Count; g++)
        {
            ArgumentNullException.ThrowIfNull(groups[g].Name, $"groups[{g}].Name");
            ArgumentNullException.ThrowIfNull(groups[g].Values, $"groups[{g}].Values");
        }

        double[][] sorted = groups.Select(g =>
        {
            double[] finite = SampleStatistics.Finite(g.Values);
            Array.Sort(finite);
            return finite;
        }).ToArray();
        bool hasData = sorted.Any(s => s.Length > 0);
        double lo = hasData ? sorted.Where(s => s.Length > 0).Min(s => s[0]) : 0;
        double hi = hasData ? sorted.Where(s => s.Length > 0).Max(s => s[^1]) : 1;

        double half = options.ViolinWidth / 2;
        var inner = SvgStyle.Stroked("#333333", 5);
        var median = new SvgStyle { Fill = "#FFFFFF", Stroke = "#333333", StrokeWidth = 1.2 };
        var marks = new List<MarkGroup>();
        for (int g = 0; g < groups.Count; g++)
        {
            double[] v = sorted[g];
            string color = Palette.Pick(options.Colors, g);
            var group = new List<Mark>();
            if (v.Length > 0)
            {
                double q1 = SampleStatistics.Quantile(v, 0.25), q2 = SampleStatistics.Quantile(v, 0.5), q3 = SampleStatistics.Quantile(v, 0.75);
                string summary = $"{groups[g].Name}: median {Ticks.Format(q2)}, quartiles {Ticks.Format(q1)} to {Ticks.Format(q3)}, n = {v.Length}";
                if (v[0] == v[^1])
                {
                    // One value, or all the same: no spread to estimate a density from.
                    if (v.Length > 1) group.Add(new PathMark([g - half, g + half], [v[0], v[0]], SvgStyle.Stroked(color, 2.5)));
                    group.Add(new DotMark(g, v[0], 4, SvgStyle.Filled(color), summary));
                }
                else
                {
                    group.Add(Outline(v, g, half, color));
                    group.Add(new PathMark([g, g], [q1, q3], inner));
                    group.Add(new DotMark(g, q2, 3.5, median, summary));
                }
            }
            marks.Add(new MarkGroup("violin", groups[g].Name, group));
        }

        string[] names = groups.Select((g, i) => options.ShowCounts
            ? $"{g.Name}\nn = {sorted[i].Length.ToString(CultureInfo.InvariantCulture)}"
            : g.Name).ToArray();
        var x = Axis.Categories(names, "");
        var y = Axis.Numeric(lo, hi, Figure.MaxYTicks(options), AxisScaleKind.Linear, yLabel);
        return new FigureSpec(title, x, y, null, marks, [], options, hasData);
    }

    private static PathMark Outline(double[] sorted, int centre, double half, string color)
    {
        double bandwidth = KernelDensity.SilvermanBandwidth(sorted);
        double lo = sorted[0], hi = sorted[^1];
        var at = new double[Samples];
        for (int i = 0; i < Samples; i++) at[i] = lo + (hi - lo) * i / (Samples - 1);
        double[] density = KernelDensity.Gaussian(sorted, bandwidth, at);
        double scale = half / density.Max();
        var xs = new double[2 * Samples];
        var ys = new double[2 * Samples];
        for (int i = 0; i < Samples; i++)
        {
            xs[i] = centre + density[i] * scale;
            ys[i] = at[i];
            xs[2 * Samples - 1 - i] = centre - density[i] * scale;
            ys[2 * Samples - 1 - i] = at[i];
        }
        return new PathMark(xs, ys, new SvgStyle { Fill = color, FillOpacity = 0.55, Stroke = color, StrokeWidth = 1.2 }, Closed: true);
    }
}
