using System.Diagnostics;

namespace SimSeg.Analysis.Plots;

/// <summary>A shape in data coordinates; charts describe their data as marks and <see cref="Figure"/> places them.</summary>
internal abstract record Mark(SvgStyle Style, bool Secondary);

/// <summary>An axis-aligned rectangle between two data corners.</summary>
internal sealed record RectMark(double X0, double Y0, double X1, double Y1, SvgStyle Style, string? Tooltip = null, bool Secondary = false)
    : Mark(Style, Secondary);

/// <summary>A polyline (or, when <paramref name="Closed"/>, a polygon); a point with a non-finite coordinate starts a new piece.</summary>
internal sealed record PathMark(IReadOnlyList<double> X, IReadOnlyList<double> Y, SvgStyle Style, bool Closed = false, bool Secondary = false)
    : Mark(Style, Secondary);

/// <summary>A dot of fixed pixel radius at a data point.</summary>
internal sealed record DotMark(double X, double Y, double Radius, SvgStyle Style, string? Tooltip = null, bool Secondary = false)
    : Mark(Style, Secondary);

/// <summary>The marks of one series, written as one SVG group with the series name as its title.</summary>
internal sealed record MarkGroup(string CssClass, string? Title, IReadOnlyList<Mark> Marks);

/// <summary>How a legend entry shows its series.</summary>
internal enum LegendSymbol
{
    Swatch,
    Line,
    LineWithDot,
    Dot,
}

/// <summary>One legend row.</summary>
internal sealed record LegendEntry(string Label, string Color, LegendSymbol Symbol, IReadOnlyList<double>? Dashes = null, double FillOpacity = 1);

/// <summary>
/// One axis: a tick layout and the mapping of values to [0, 1]. Categorical axes put category i at i, with
/// limits −0.5 and n − 0.5.
/// </summary>
internal sealed record Axis(NiceScale Scale, bool Log, bool Categorical, string Label)
{
    public static Axis Numeric(double min, double max, int maxTicks, AxisScaleKind kind, string label, double minStep = 0)
    {
        Debug.Assert(double.IsFinite(min) && double.IsFinite(max) && min <= max);
        return kind == AxisScaleKind.Log
            ? new Axis(Ticks.LogScale(min, max, maxTicks), true, false, label)
            : new Axis(Ticks.LinearScale(min, max, maxTicks, minStep), false, false, label);
    }

    public static Axis Categories(IReadOnlyList<string> names, string label)
    {
        double[] positions = Enumerable.Range(0, names.Count).Select(i => (double)i).ToArray();
        return new Axis(new NiceScale(-0.5, names.Count - 0.5, 1, positions, names.ToArray()), false, true, label);
    }

    /// <summary>Position of <paramref name="value"/> as a fraction of the axis length.</summary>
    public double Fraction(double value) => Log
        ? (Math.Log10(value) - Math.Log10(Scale.Min)) / (Math.Log10(Scale.Max) - Math.Log10(Scale.Min))
        : (value - Scale.Min) / (Scale.Max - Scale.Min);

    /// <summary>True when the value can be placed on this axis (finite, and &gt; 0 on a log axis).</summary>
    public bool CanShow(double value) => double.IsFinite(value) && (!Log || value > 0);
}

/// <summary>Everything a chart hands to <see cref="Figure.Render"/>.</summary>
internal sealed record FigureSpec(
    string Title,
    Axis X,
    Axis Y,
    Axis? Y2,
    IReadOnlyList<MarkGroup> Groups,
    IReadOnlyList<LegendEntry> Legend,
    PlotOptions Options,
    bool HasData);

/// <summary>
/// Lays out and draws one set of axes: margins sized from the estimated widths of the labels, grid, data
/// groups, spines, ticks, labels, title and legend, in that order (later items on top).
/// </summary>
internal static class Figure
{
    private const double Pad = 10;
    private const double TickLength = 5;
    private const double TickGap = 4;
    private const double RotatedLabelDegrees = 35;
    private const string AxisColor = "#333333";
    private const string GridColor = "#E5E5E5";

    /// <summary>How many ticks a value (vertical) axis aims for at this figure height.</summary>
    public static int MaxYTicks(PlotOptions options) => Math.Clamp((int)((options.Height - 120) / 40), 3, 10);

    /// <summary>How many ticks a numeric x axis aims for at this figure width.</summary>
    public static int MaxXTicks(PlotOptions options) => Math.Clamp((int)(options.Width / 90), 3, 10);

    public static string Render(FigureSpec spec)
    {
        PlotOptions o = spec.Options;
        double labelFont = o.FontSize + 1;
        // One series needs no legend unless asked for by placement: the title and axis labels name it.
        bool wanted = o.Legend != LegendPlacement.None && (spec.Legend.Count > 1 || o.Legend != LegendPlacement.Auto);
        var legend = wanted && spec.Legend.Any(e => e.Label.Length > 0) ? spec.Legend : [];
        (double legendWidth, double legendHeight) = LegendSize(legend, o.FontSize);

        LegendPlacement placement = o.Legend;
        Area area = Layout(spec, legend.Count > 0 && placement == LegendPlacement.Outside ? legendWidth : 0, labelFont, out bool rotate);
        (double X, double Y) legendAt = default;
        if (legend.Count > 0)
        {
            if (placement == LegendPlacement.Auto)
            {
                placement = LegendPlacement.Outside;
                bool fits = legendWidth < 0.5 * area.Width && legendHeight < 0.7 * area.Height;
                if (fits)
                {
                    var shapes = Footprints(spec, area).ToList();
                    foreach (var corner in (ReadOnlySpan<LegendPlacement>)[LegendPlacement.TopRight, LegendPlacement.TopLeft, LegendPlacement.BottomRight, LegendPlacement.BottomLeft])
                    {
                        var at = CornerPosition(corner, area, legendWidth, legendHeight);
                        var box = new Box(at.X - 4, at.Y - 4, at.X + legendWidth + 4, at.Y + legendHeight + 4);
                        if (!shapes.Any(s => s.Hits(box)))
                        {
                            placement = corner;
                            break;
                        }
                    }
                }
                if (placement == LegendPlacement.Outside) area = Layout(spec, legendWidth, labelFont, out rotate);
            }
            legendAt = placement == LegendPlacement.Outside
                ? (o.Width - Pad - legendWidth, area.Top)
                : CornerPosition(placement, area, legendWidth, legendHeight);
        }

        var canvas = new SvgCanvas(o.Width, o.Height)
        {
            Title = spec.Title.Length > 0 ? spec.Title : null,
            Description = o.Description,
            FontFamily = o.FontFamily,
        };
        canvas.Rect(0, 0, o.Width, o.Height, SvgStyle.Filled("#FFFFFF"));

        if (o.Grid) DrawGrid(canvas, spec, area);
        foreach (MarkGroup group in spec.Groups)
        {
            using (canvas.Group(group.CssClass, group.Title))
                foreach (Mark mark in group.Marks) DrawMark(canvas, mark, spec, area);
        }
        if (!spec.HasData)
            canvas.Text(area.Left + area.Width / 2, area.Top + area.Height / 2, "No data",
                new TextStyle { FontSize = labelFont, Anchor = TextAnchor.Middle, Baseline = TextBaseline.Middle, Fill = "#777777" });

        DrawAxes(canvas, spec, area, rotate);
        DrawAxisLabels(canvas, spec, area, labelFont);
        if (spec.Title.Length > 0)
            canvas.Text(area.Left + area.Width / 2, Pad, spec.Title,
                new TextStyle { FontSize = o.TitleFontSize, Anchor = TextAnchor.Middle, Baseline = TextBaseline.Top, Bold = true });
        if (legend.Count > 0) DrawLegend(canvas, legend, legendAt.X, legendAt.Y, legendWidth, legendHeight, o.FontSize);
        return canvas.ToSvg();
    }

    /// <summary>Fallback fonts (DejaVu Sans) run about 12 % wider than Helvetica; estimate for the wider one.</summary>
    private const double WidthAllowance = 1.12;

    /// <summary>Estimated advance width of <paramref name="text"/> (widest line) in a Helvetica-like font, px.</summary>
    public static double TextWidth(string text, double fontSize)
    {
        double widest = 0;
        foreach (string line in text.Split('\n'))
        {
            double em = 0;
            foreach (char c in line)
            {
                em += c switch
                {
                    'i' or 'j' or 'l' or '.' or ',' or ':' or ';' or '\'' or '|' or '!' or 'I' => 0.28,
                    ' ' or 'f' or 't' or '(' or ')' or '[' or ']' or '-' or 'r' => 0.34,
                    'm' or 'w' or 'M' or 'W' or '%' or '@' => 0.86,
                    >= 'A' and <= 'Z' => 0.68,
                    >= '0' and <= '9' => 0.56,
                    >= 'a' and <= 'z' => 0.53,
                    _ => 0.6,
                };
            }
            widest = Math.Max(widest, em * fontSize * WidthAllowance);
        }
        return widest;
    }

    private static int LineCount(string text) => text.Count(c => c == '\n') + 1;

    /// <summary>The data area in px; y grows downwards.</summary>
    private readonly record struct Area(double Left, double Top, double Right, double Bottom)
    {
        public double Width => Right - Left;

        public double Height => Bottom - Top;
    }

    private static Area Layout(FigureSpec spec, double legendOutsideWidth, double labelFont, out bool rotate)
    {
        PlotOptions o = spec.Options;
        double tickFont = o.FontSize;
        double left = Pad + (spec.Y.Label.Length > 0 ? labelFont * 1.2 + 4 : 0)
            + spec.Y.Scale.Labels.DefaultIfEmpty("").Max(l => TextWidth(l, tickFont)) + TickLength + TickGap;
        double right = Pad + (legendOutsideWidth > 0 ? legendOutsideWidth + 12 : 0);
        if (spec.Y2 is { } y2)
            right += (y2.Label.Length > 0 ? labelFont * 1.2 + 4 : 0) + y2.Scale.Labels.DefaultIfEmpty("").Max(l => TextWidth(l, tickFont)) + TickLength + TickGap;
        else if (!spec.X.Categorical)
            right += Math.Max(0, TextWidth(spec.X.Scale.Labels.LastOrDefault() ?? "", tickFont) / 2 - 4); // room for the last x label

        double top = spec.Title.Length > 0 ? Pad + o.TitleFontSize * 1.2 * LineCount(spec.Title) + 10 : Pad + 6;

        // x tick labels: rotate category names that do not fit their slot.
        double plotWidth = o.Width - left - right;
        int count = Math.Max(1, spec.X.Scale.Values.Count);
        double widest = spec.X.Scale.Labels.DefaultIfEmpty("").Max(l => TextWidth(l, tickFont));
        int lines = spec.X.Scale.Labels.DefaultIfEmpty("").Max(LineCount);
        rotate = spec.X.Categorical && widest > plotWidth / count - 6;
        double labelBlock;
        if (rotate)
        {
            double angle = RotatedLabelDegrees * Math.PI / 180;
            labelBlock = widest * Math.Sin(angle) + lines * 1.2 * tickFont * Math.Cos(angle);
            // The first label runs left from its tick: widen the left margin if it would leave the figure.
            double firstReach = TextWidth(spec.X.Scale.Labels[0], tickFont) * Math.Cos(angle) - plotWidth / count / 2;
            left = Math.Max(left, Pad + firstReach);
        }
        else
        {
            labelBlock = lines * 1.2 * tickFont;
        }
        double bottom = Pad + TickLength + TickGap + labelBlock + (spec.X.Label.Length > 0 ? 6 + labelFont * 1.2 : 0);
        return new Area(left, top, o.Width - right, Math.Max(top + 20, o.Height - bottom));
    }

    private static double MapX(FigureSpec spec, Area area, double x) => area.Left + spec.X.Fraction(x) * area.Width;

    private static double MapY(FigureSpec spec, Area area, double y, bool secondary)
    {
        Axis axis = secondary && spec.Y2 is not null ? spec.Y2 : spec.Y;
        return area.Bottom - axis.Fraction(y) * area.Height;
    }

    private static void DrawMark(SvgCanvas canvas, Mark mark, FigureSpec spec, Area area)
    {
        switch (mark)
        {
            case RectMark r:
                double x0 = MapX(spec, area, r.X0), x1 = MapX(spec, area, r.X1);
                double y0 = MapY(spec, area, r.Y0, r.Secondary), y1 = MapY(spec, area, r.Y1, r.Secondary);
                canvas.Rect(Math.Min(x0, x1), Math.Min(y0, y1), Math.Abs(x1 - x0), Math.Abs(y1 - y0), r.Style, r.Tooltip);
                break;
            case PathMark p:
                var path = new SvgPath();
                foreach (var piece in Pieces(p, spec, area))
                {
                    for (int i = 0; i < piece.Count; i++)
                    {
                        if (i == 0) path.MoveTo(piece[i].X, piece[i].Y);
                        else path.LineTo(piece[i].X, piece[i].Y);
                    }
                    if (p.Closed) path.Close();
                }
                if (!path.IsEmpty) canvas.Path(path, p.Style);
                break;
            case DotMark d:
                canvas.Circle(MapX(spec, area, d.X), MapY(spec, area, d.Y, d.Secondary), d.Radius, d.Style, d.Tooltip);
                break;
            default:
                throw new UnreachableException($"Unknown mark {mark.GetType().Name}.");
        }
    }

    /// <summary>The runs of consecutive showable points of a path, in px.</summary>
    private static IEnumerable<List<SvgPoint>> Pieces(PathMark p, FigureSpec spec, Area area)
    {
        Axis yAxis = p.Secondary && spec.Y2 is not null ? spec.Y2 : spec.Y;
        var piece = new List<SvgPoint>();
        for (int i = 0; i < p.X.Count; i++)
        {
            if (spec.X.CanShow(p.X[i]) && yAxis.CanShow(p.Y[i]))
            {
                piece.Add(new SvgPoint(MapX(spec, area, p.X[i]), MapY(spec, area, p.Y[i], p.Secondary)));
            }
            else if (piece.Count > 0)
            {
                yield return piece;
                piece = [];
            }
        }
        if (piece.Count > 0) yield return piece;
    }

    private static void DrawGrid(SvgCanvas canvas, FigureSpec spec, Area area)
    {
        var style = SvgStyle.Stroked(GridColor, 1);
        using var _ = canvas.Group("grid");
        foreach (double y in spec.Y.Scale.Values)
        {
            double py = MapY(spec, area, y, false);
            canvas.Line(area.Left, py, area.Right, py, style);
        }
        if (!spec.X.Categorical)
        {
            foreach (double x in spec.X.Scale.Values)
            {
                double px = MapX(spec, area, x);
                canvas.Line(px, area.Top, px, area.Bottom, style);
            }
        }
    }

    private static void DrawAxes(SvgCanvas canvas, FigureSpec spec, Area area, bool rotate)
    {
        PlotOptions o = spec.Options;
        var line = SvgStyle.Stroked(AxisColor, 1);
        var tickText = new TextStyle { FontSize = o.FontSize, Fill = "#222222" };

        using (canvas.Group("x-axis"))
        {
            canvas.Line(area.Left, area.Bottom, area.Right, area.Bottom, line);
            double labelY = area.Bottom + TickLength + TickGap;
            for (int i = 0; i < spec.X.Scale.Values.Count; i++)
            {
                double px = MapX(spec, area, spec.X.Scale.Values[i]);
                canvas.Line(px, area.Bottom, px, area.Bottom + TickLength, line);
                canvas.Text(px, labelY, spec.X.Scale.Labels[i], rotate
                    ? tickText with { Anchor = TextAnchor.End, Baseline = TextBaseline.Middle, Rotation = -RotatedLabelDegrees }
                    : tickText with { Anchor = TextAnchor.Middle, Baseline = TextBaseline.Top });
            }
        }

        using (canvas.Group("y-axis"))
        {
            canvas.Line(area.Left, area.Top, area.Left, area.Bottom, line);
            for (int i = 0; i < spec.Y.Scale.Values.Count; i++)
            {
                double py = MapY(spec, area, spec.Y.Scale.Values[i], false);
                canvas.Line(area.Left - TickLength, py, area.Left, py, line);
                canvas.Text(area.Left - TickLength - TickGap, py, spec.Y.Scale.Labels[i],
                    tickText with { Anchor = TextAnchor.End, Baseline = TextBaseline.Middle });
            }
        }

        if (spec.Y2 is { } y2)
        {
            using (canvas.Group("y2-axis"))
            {
                canvas.Line(area.Right, area.Top, area.Right, area.Bottom, line);
                for (int i = 0; i < y2.Scale.Values.Count; i++)
                {
                    double py = MapY(spec, area, y2.Scale.Values[i], true);
                    canvas.Line(area.Right, py, area.Right + TickLength, py, line);
                    canvas.Text(area.Right + TickLength + TickGap, py, y2.Scale.Labels[i],
                        tickText with { Anchor = TextAnchor.Start, Baseline = TextBaseline.Middle });
                }
            }
        }
    }

    private static void DrawAxisLabels(SvgCanvas canvas, FigureSpec spec, Area area, double labelFont)
    {
        PlotOptions o = spec.Options;
        using var _ = canvas.Group("axis-labels");
        if (spec.X.Label.Length > 0)
            canvas.Text(area.Left + area.Width / 2, o.Height - Pad, spec.X.Label,
                new TextStyle { FontSize = labelFont, Anchor = TextAnchor.Middle });
        if (spec.Y.Label.Length > 0)
        {
            // Baseline just left of the widest tick label; the rotated glyphs rise to the left of it.
            double widest = spec.Y.Scale.Labels.DefaultIfEmpty("").Max(l => TextWidth(l, o.FontSize));
            double x = Math.Max(Pad + labelFont * 0.9, area.Left - TickLength - TickGap - widest - 4 - labelFont * 0.25);
            canvas.Text(x, area.Top + area.Height / 2, spec.Y.Label,
                new TextStyle { FontSize = labelFont, Anchor = TextAnchor.Middle, Rotation = -90 });
        }
        if (spec.Y2 is { Label.Length: > 0 } y2)
        {
            double widest = y2.Scale.Labels.Max(l => TextWidth(l, o.FontSize));
            canvas.Text(area.Right + TickLength + TickGap + widest + 4 + labelFont * 0.9, area.Top + area.Height / 2, y2.Label,
                new TextStyle { FontSize = labelFont, Anchor = TextAnchor.Middle, Rotation = 90 });
        }
    }

    private static (double Width, double Height) LegendSize(IReadOnlyList<LegendEntry> legend, double fontSize)
    {
        if (legend.Count == 0) return (0, 0);
        double text = legend.Max(e => TextWidth(e.Label, fontSize));
        return (8 + 24 + 6 + text + 8, 6 + legend.Count * fontSize * 1.5 + 4);
    }

    private static (double X, double Y) CornerPosition(LegendPlacement corner, Area area, double width, double height)
    {
        const double inset = 8;
        double left = area.Left + inset, right = area.Right - inset - width;
        double top = area.Top + inset, bottom = area.Bottom - inset - height;
        return corner switch
        {
            LegendPlacement.TopLeft => (left, top),
            LegendPlacement.BottomRight => (right, bottom),
            LegendPlacement.BottomLeft => (left, bottom),
            _ => (right, top),
        };
    }

    private static void DrawLegend(SvgCanvas canvas, IReadOnlyList<LegendEntry> legend, double x, double y, double width, double height, double fontSize)
    {
        using var _ = canvas.Group("legend");
        canvas.Rect(x, y, width, height, new SvgStyle { Fill = "#FFFFFF", FillOpacity = 0.9, Stroke = "#CCCCCC", StrokeWidth = 1 });
        double row = fontSize * 1.5;
        for (int i = 0; i < legend.Count; i++)
        {
            LegendEntry e = legend[i];
            double cy = y + 6 + row * (i + 0.5);
            double sx = x + 8;
            switch (e.Symbol)
            {
                case LegendSymbol.Swatch:
                    canvas.Rect(sx + 4, cy - 6, 16, 12, new SvgStyle { Fill = e.Color, FillOpacity = e.FillOpacity, Stroke = e.Color, StrokeWidth = 1 });
                    break;
                case LegendSymbol.Dot:
                    canvas.Circle(sx + 12, cy, 4, SvgStyle.Filled(e.Color, e.FillOpacity));
                    break;
                default:
                    canvas.Line(sx, cy, sx + 24, cy, SvgStyle.Stroked(e.Color, 2) with { Dashes = e.Dashes ?? [] });
                    if (e.Symbol == LegendSymbol.LineWithDot) canvas.Circle(sx + 12, cy, 3, SvgStyle.Filled(e.Color));
                    break;
            }
            canvas.Text(sx + 30, cy, e.Label, new TextStyle { FontSize = fontSize, Baseline = TextBaseline.Middle });
        }
    }

    /// <summary>A rectangle in px (x0 ≤ x1, y0 ≤ y1).</summary>
    private readonly record struct Box(double X0, double Y0, double X1, double Y1)
    {
        public bool Contains(double x, double y) => x >= X0 && x <= X1 && y >= Y0 && y <= Y1;
    }

    /// <summary>Where the data is drawn, in px, for placing the legend where it hides nothing.</summary>
    private abstract record Footprint
    {
        public abstract bool Hits(Box box);
    }

    private sealed record RectFootprint(Box Rect) : Footprint
    {
        public override bool Hits(Box box) => Rect.X0 <= box.X1 && Rect.X1 >= box.X0 && Rect.Y0 <= box.Y1 && Rect.Y1 >= box.Y0;
    }

    private sealed record PolylineFootprint(IReadOnlyList<SvgPoint> Points, bool Filled) : Footprint
    {
        public override bool Hits(Box box)
        {
            for (int i = 0; i + 1 < Points.Count; i++)
                if (SegmentHits(Points[i], Points[i + 1], box)) return true;
            if (Points.Count == 1) return box.Contains(Points[0].X, Points[0].Y);
            if (!Filled) return false;
            if (SegmentHits(Points[^1], Points[0], box)) return true;
            return Inside(Points, (box.X0 + box.X1) / 2, (box.Y0 + box.Y1) / 2);
        }

        /// <summary>Liang–Barsky clipping: does the segment a–b meet the box?</summary>
        private static bool SegmentHits(SvgPoint a, SvgPoint b, Box box)
        {
            double t0 = 0, t1 = 1, dx = b.X - a.X, dy = b.Y - a.Y;
            ReadOnlySpan<double> p = [-dx, dx, -dy, dy];
            ReadOnlySpan<double> q = [a.X - box.X0, box.X1 - a.X, a.Y - box.Y0, box.Y1 - a.Y];
            for (int i = 0; i < 4; i++)
            {
                if (p[i] == 0)
                {
                    if (q[i] < 0) return false;
                    continue;
                }
                double t = q[i] / p[i];
                if (p[i] < 0) t0 = Math.Max(t0, t);
                else t1 = Math.Min(t1, t);
                if (t0 > t1) return false;
            }
            return true;
        }

        /// <summary>Even–odd point-in-polygon test.</summary>
        private static bool Inside(IReadOnlyList<SvgPoint> polygon, double x, double y)
        {
            bool inside = false;
            for (int i = 0, j = polygon.Count - 1; i < polygon.Count; j = i++)
            {
                SvgPoint a = polygon[i], b = polygon[j];
                if ((a.Y > y) != (b.Y > y) && x < (b.X - a.X) * (y - a.Y) / (b.Y - a.Y) + a.X) inside = !inside;
            }
            return inside;
        }
    }

    private static IEnumerable<Footprint> Footprints(FigureSpec spec, Area area)
    {
        foreach (Mark mark in spec.Groups.SelectMany(g => g.Marks))
        {
            switch (mark)
            {
                case RectMark r:
                    double x0 = MapX(spec, area, r.X0), x1 = MapX(spec, area, r.X1);
                    double y0 = MapY(spec, area, r.Y0, r.Secondary), y1 = MapY(spec, area, r.Y1, r.Secondary);
                    yield return new RectFootprint(new Box(Math.Min(x0, x1), Math.Min(y0, y1), Math.Max(x0, x1), Math.Max(y0, y1)));
                    break;
                case PathMark p:
                    foreach (var piece in Pieces(p, spec, area)) yield return new PolylineFootprint(piece, p.Closed);
                    break;
                case DotMark d:
                    double cx = MapX(spec, area, d.X), cy = MapY(spec, area, d.Y, d.Secondary);
                    yield return new RectFootprint(new Box(cx - d.Radius, cy - d.Radius, cx + d.Radius, cy + d.Radius));
                    break;
            }
        }
    }
}
