using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using SimSeg.Core;
using SimSeg.Core.IO;

namespace SimSeg.Analysis.Plots;

/// <summary>A point in SVG user units (pixels), y pointing down.</summary>
/// <param name="X">Horizontal position, px from the left edge.</param>
/// <param name="Y">Vertical position, px from the top edge.</param>
public readonly record struct SvgPoint(double X, double Y);

/// <summary>Fill and stroke of a shape. Colours are any SVG colour (<c>#0072B2</c>, <c>white</c>); null means none.</summary>
public sealed record SvgStyle
{
    /// <summary>Fill colour; null for no fill.</summary>
    public string? Fill { get; init; }

    /// <summary>Fill opacity in [0, 1].</summary>
    public double FillOpacity { get; init; } = 1;

    /// <summary>Stroke colour; null for no stroke.</summary>
    public string? Stroke { get; init; }

    /// <summary>Stroke width in px.</summary>
    public double StrokeWidth { get; init; } = 1;

    /// <summary>Dash pattern in px (dash, gap, …); empty for a solid line.</summary>
    public IReadOnlyList<double> Dashes { get; init; } = [];

    /// <summary>A filled shape with no outline.</summary>
    public static SvgStyle Filled(string fill, double opacity = 1) => new() { Fill = fill, FillOpacity = opacity };

    /// <summary>An outline with no fill.</summary>
    public static SvgStyle Stroked(string stroke, double width = 1) => new() { Stroke = stroke, StrokeWidth = width };
}

/// <summary>Horizontal alignment of text relative to its anchor point (SVG <c>text-anchor</c>).</summary>
public enum TextAnchor
{
    /// <summary>The text starts at the point.</summary>
    Start,

    /// <summary>The text is centred on the point.</summary>
    Middle,

    /// <summary>The text ends at the point.</summary>
    End,
}

/// <summary>
/// Vertical alignment of text relative to its anchor point. Written as a <c>dy</c> offset in em rather than
/// <c>dominant-baseline</c>, which renderers support unevenly.
/// </summary>
public enum TextBaseline
{
    /// <summary>The point is on the alphabetic baseline.</summary>
    Alphabetic,

    /// <summary>The point is at the middle of capital letters (the text block is centred for several lines).</summary>
    Middle,

    /// <summary>The point is at the top of capital letters.</summary>
    Top,
}

/// <summary>How text is drawn by <see cref="SvgCanvas.Text"/>.</summary>
public sealed record TextStyle
{
    /// <summary>Font size in px.</summary>
    public double FontSize { get; init; } = 12;

    /// <summary>Horizontal alignment.</summary>
    public TextAnchor Anchor { get; init; } = TextAnchor.Start;

    /// <summary>Vertical alignment.</summary>
    public TextBaseline Baseline { get; init; } = TextBaseline.Alphabetic;

    /// <summary>Rotation in degrees about the anchor point, clockwise on screen (−90 reads bottom to top).</summary>
    public double Rotation { get; init; }

    /// <summary>Bold when true.</summary>
    public bool Bold { get; init; }

    /// <summary>Text colour.</summary>
    public string Fill { get; init; } = "#000000";
}

/// <summary>Builds an SVG path's <c>d</c> attribute with invariant, rounded numbers.</summary>
public sealed class SvgPath
{
    private readonly StringBuilder _d = new();

    /// <summary>True when no command has been added.</summary>
    public bool IsEmpty => _d.Length == 0;

    /// <summary>Starts a new sub-path at (x, y).</summary>
    public SvgPath MoveTo(double x, double y) => Command('M', x, y);

    /// <summary>A straight line to (x, y).</summary>
    public SvgPath LineTo(double x, double y) => Command('L', x, y);

    /// <summary>Closes the current sub-path.</summary>
    public SvgPath Close()
    {
        _d.Append(_d.Length == 0 ? "Z" : " Z");
        return this;
    }

    /// <inheritdoc/>
    public override string ToString() => _d.ToString();

    private SvgPath Command(char command, double x, double y,
        [CallerArgumentExpression(nameof(x))] string? xName = null, [CallerArgumentExpression(nameof(y))] string? yName = null)
    {
        if (_d.Length > 0) _d.Append(' ');
        _d.Append(command).Append(SvgCanvas.Number(x, xName)).Append(',').Append(SvgCanvas.Number(y, yName));
        return this;
    }
}

/// <summary>
/// A small SVG 1.1 document builder: shapes, text and groups in pixel coordinates (origin top left, y down),
/// written with invariant numbers rounded to 0.01 px and with all text XML-escaped. Coordinates must be
/// finite: the canvas throws <see cref="ArgumentOutOfRangeException"/> rather than write NaN or Infinity.
/// </summary>
/// <example><code>
/// var canvas = new SvgCanvas(200, 100) { Title = "Example" };
/// canvas.Rect(10, 10, 50, 30, SvgStyle.Filled(Palette.OkabeIto[0]));
/// string svg = canvas.ToSvg();
/// </code></example>
public sealed class SvgCanvas
{
    /// <summary>Sans-serif fonts commonly installed, ending with the generic family.</summary>
    public const string DefaultFontFamily = "Helvetica, Arial, DejaVu Sans, Liberation Sans, sans-serif";

    private readonly StringBuilder _body = new();
    private int _openGroups;

    /// <summary>Creates an empty canvas of <paramref name="width"/> × <paramref name="height"/> px; the viewBox is the same size.</summary>
    public SvgCanvas(double width, double height)
    {
        Guard.Positive(width);
        Guard.Positive(height);
        Width = width;
        Height = height;
    }

    /// <summary>Width in px.</summary>
    public double Width { get; }

    /// <summary>Height in px.</summary>
    public double Height { get; }

    /// <summary>Document title (<c>&lt;title&gt;</c>, shown by viewers and read by screen readers); null for none.</summary>
    public string? Title { get; set; }

    /// <summary>Document description (<c>&lt;desc&gt;</c>); null for none.</summary>
    public string? Description { get; set; }

    /// <summary>Font family for all text.</summary>
    public string FontFamily { get; set; } = DefaultFontFamily;

    /// <summary>A rectangle with its top-left corner at (x, y). Negative sizes are normalised.</summary>
    /// <param name="x">Left edge, px.</param>
    /// <param name="y">Top edge, px.</param>
    /// <param name="width">Width, px.</param>
    /// <param name="height">Height, px.</param>
    /// <param name="style">Fill and stroke.</param>
    /// <param name="tooltip">Text shown on hover (a <c>&lt;title&gt;</c> child); null for none.</param>
    public SvgCanvas Rect(double x, double y, double width, double height, SvgStyle style, string? tooltip = null)
    {
        if (width < 0) { x += width; width = -width; }
        if (height < 0) { y += height; height = -height; }
        _body.Append("<rect x=\"").Append(Number(x)).Append("\" y=\"").Append(Number(y))
            .Append("\" width=\"").Append(Number(width)).Append("\" height=\"").Append(Number(height)).Append('"');
        return Close("rect", style, tooltip);
    }

    /// <summary>A straight line from (x1, y1) to (x2, y2).</summary>
    public SvgCanvas Line(double x1, double y1, double x2, double y2, SvgStyle style)
    {
        _body.Append("<line x1=\"").Append(Number(x1)).Append("\" y1=\"").Append(Number(y1))
            .Append("\" x2=\"").Append(Number(x2)).Append("\" y2=\"").Append(Number(y2)).Append('"');
        return Close("line", style, null);
    }

    /// <summary>An open polyline through <paramref name="points"/>.</summary>
    public SvgCanvas Polyline(ReadOnlySpan<SvgPoint> points, SvgStyle style)
    {
        _body.Append("<polyline points=\"");
        for (int i = 0; i < points.Length; i++)
        {
            if (i > 0) _body.Append(' ');
            _body.Append(Number(points[i].X, "points")).Append(',').Append(Number(points[i].Y, "points"));
        }
        _body.Append('"');
        return Close("polyline", style, null);
    }

    /// <summary>A path built with <see cref="SvgPath"/>.</summary>
    public SvgCanvas Path(SvgPath path, SvgStyle style, string? tooltip = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        _body.Append("<path d=\"").Append(path).Append('"');
        return Close("path", style, tooltip);
    }

    /// <summary>A circle centred at (cx, cy) with radius <paramref name="radius"/> px.</summary>
    public SvgCanvas Circle(double cx, double cy, double radius, SvgStyle style, string? tooltip = null)
    {
        Guard.NonNegative(radius);
        _body.Append("<circle cx=\"").Append(Number(cx)).Append("\" cy=\"").Append(Number(cy))
            .Append("\" r=\"").Append(Number(radius)).Append('"');
        return Close("circle", style, tooltip);
    }

    /// <summary>
    /// Text at (x, y). Line breaks (<c>\n</c>) start new lines, each 1.2 em below the previous one.
    /// </summary>
    public SvgCanvas Text(double x, double y, string text, TextStyle style)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(style);
        Guard.Positive(style.FontSize);
        string[] lines = text.Replace("\r\n", "\n").Split('\n');
        double firstDy = style.Baseline switch
        {
            TextBaseline.Middle => 0.35 - 0.6 * (lines.Length - 1),
            TextBaseline.Top => 0.72,
            _ => 0,
        };
        _body.Append("<text x=\"").Append(Number(x)).Append("\" y=\"").Append(Number(y))
            .Append("\" font-size=\"").Append(Number(style.FontSize)).Append('"');
        if (style.Anchor != TextAnchor.Start)
            _body.Append(" text-anchor=\"").Append(style.Anchor == TextAnchor.Middle ? "middle" : "end").Append('"');
        if (style.Bold) _body.Append(" font-weight=\"bold\"");
        if (style.Fill != "#000000") _body.Append(" fill=\"").Append(EscapeAttribute(style.Fill)).Append('"');
        if (style.Rotation != 0)
            _body.Append(" transform=\"rotate(").Append(Number(style.Rotation, nameof(style.Rotation))).Append(' ')
                .Append(Number(x)).Append(' ').Append(Number(y)).Append(")\"");
        _body.Append('>');
        if (lines.Length == 1)
        {
            if (firstDy != 0) _body.Append("<tspan dy=\"").Append(Number(firstDy)).Append("em\">").Append(EscapeText(text)).Append("</tspan>");
            else _body.Append(EscapeText(text));
        }
        else
        {
            for (int i = 0; i < lines.Length; i++)
            {
                double dy = i == 0 ? firstDy : 1.2;
                _body.Append("<tspan x=\"").Append(Number(x)).Append("\" dy=\"").Append(Number(dy)).Append("em\">")
                    .Append(EscapeText(lines[i])).Append("</tspan>");
            }
        }
        _body.Append("</text>\n");
        return this;
    }

    /// <summary>
    /// Opens a group (<c>&lt;g&gt;</c>) that stays open until the returned handle is disposed; shapes added meanwhile
    /// go inside it.
    /// </summary>
    /// <param name="cssClass">Class attribute (for styling or tests); null for none.</param>
    /// <param name="title">Title shown on hover over the group; null for none.</param>
    public IDisposable Group(string? cssClass = null, string? title = null)
    {
        _body.Append("<g");
        if (!string.IsNullOrEmpty(cssClass)) _body.Append(" class=\"").Append(EscapeAttribute(cssClass)).Append('"');
        _body.Append(">\n");
        if (!string.IsNullOrEmpty(title)) _body.Append("<title>").Append(EscapeText(title)).Append("</title>\n");
        _openGroups++;
        return new GroupScope(this);
    }

    /// <summary>The complete SVG document (UTF-8 XML, with declaration).</summary>
    /// <exception cref="InvalidOperationException">A group is still open.</exception>
    public string ToSvg()
    {
        if (_openGroups != 0) throw new InvalidOperationException($"{_openGroups} group(s) are still open; dispose the handles from Group first.");
        var svg = new StringBuilder(_body.Length + 512);
        svg.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .Append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").Append(Number(Width))
            .Append("\" height=\"").Append(Number(Height)).Append("\" viewBox=\"0 0 ").Append(Number(Width)).Append(' ')
            .Append(Number(Height)).Append("\" font-family=\"").Append(EscapeAttribute(FontFamily)).Append("\" role=\"img\">\n");
        if (!string.IsNullOrEmpty(Title)) svg.Append("<title>").Append(EscapeText(Title)).Append("</title>\n");
        if (!string.IsNullOrEmpty(Description)) svg.Append("<desc>").Append(EscapeText(Description)).Append("</desc>\n");
        svg.Append(_body).Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Writes <see cref="ToSvg"/> to <paramref name="path"/> atomically, as UTF-8 without a byte-order mark.</summary>
    public void Save(string path) => WriteFile(path, ToSvg());

    /// <summary>Writes <paramref name="svg"/> to <paramref name="path"/> atomically as UTF-8 without BOM.</summary>
    internal static void WriteFile(string path, string svg)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(svg);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>A coordinate as written: invariant, at most two decimals, no "-0".</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    internal static string Number(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number to be written to SVG, got {value}.");
        double rounded = Math.Round(value, 2, MidpointRounding.AwayFromZero);
        if (rounded == 0) return "0";
        return rounded.ToString("0.##", CultureInfo.InvariantCulture);
    }

    /// <summary>Escapes text content: &amp;, &lt;, &gt;; characters XML does not allow become U+FFFD.</summary>
    internal static string EscapeText(string text) => Escape(text, attribute: false);

    /// <summary>Escapes an attribute value: as <see cref="EscapeText"/> plus quotes and line breaks.</summary>
    internal static string EscapeAttribute(string text) => Escape(text, attribute: true);

    private static string Escape(string text, bool attribute)
    {
        var result = new StringBuilder(text.Length + 16);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '&': result.Append("&amp;"); break;
                case '<': result.Append("&lt;"); break;
                case '>': result.Append("&gt;"); break;
                case '"' when attribute: result.Append("&quot;"); break;
                case '\'' when attribute: result.Append("&apos;"); break;
                case '\n' or '\r' or '\t' when attribute: result.Append("&#").Append((int)c).Append(';'); break;
                case '\n' or '\r' or '\t': result.Append(c); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        result.Append(c).Append(text[++i]);
                    }
                    else if (c < 0x20 || char.IsSurrogate(c) || c == '\uFFFE' || c == '\uFFFF')
                    {
                        result.Append('\uFFFD');
                    }
                    else
                    {
                        result.Append(c);
                    }
                    break;
            }
        }
        return result.ToString();
    }

    private SvgCanvas Close(string element, SvgStyle style, string? tooltip)
    {
        ArgumentNullException.ThrowIfNull(style);
        _body.Append(" fill=\"").Append(style.Fill is null ? "none" : EscapeAttribute(style.Fill)).Append('"');
        if (style.Fill is not null && style.FillOpacity < 1)
            _body.Append(" fill-opacity=\"").Append(Number(Math.Clamp(style.FillOpacity, 0, 1), "style.FillOpacity")).Append('"');
        if (style.Stroke is not null)
        {
            _body.Append(" stroke=\"").Append(EscapeAttribute(style.Stroke)).Append("\" stroke-width=\"")
                .Append(Number(style.StrokeWidth, "style.StrokeWidth")).Append('"');
            if (style.Dashes.Count > 0)
                _body.Append(" stroke-dasharray=\"").Append(string.Join(' ', style.Dashes.Select(d => Number(d, "style.Dashes")))).Append('"');
        }
        if (tooltip is null)
        {
            _body.Append("/>\n");
        }
        else
        {
            _body.Append("><title>").Append(EscapeText(tooltip)).Append("</title></").Append(element).Append(">\n");
        }
        return this;
    }

    private sealed class GroupScope(SvgCanvas canvas) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            canvas._body.Append("</g>\n");
            canvas._openGroups--;
        }
    }
}
