using System.Text;
using SimSeg.Core.IO;

namespace SimSeg.Analysis.Reports;

/// <summary>One picture of a figure grid: its markup (an image or an inline SVG) and a caption.</summary>
/// <param name="Content">An <c>&lt;img&gt;</c> or <c>&lt;svg&gt;</c> (see <see cref="Html.PngImage"/>, <see cref="Html.Svg"/>).</param>
/// <param name="Caption">Caption text (escaped), or null for none.</param>
public sealed record HtmlFigure(HtmlFragment Content, string? Caption);

/// <summary>
/// A self-contained HTML report: one UTF-8 file with its style sheet inline, images as data URIs and charts as inline
/// SVG, no scripts, no fonts and no links to other files, laid out to read on screen and to print on A4 or Letter.
/// Blocks are appended in reading order; text arguments are escaped, markup comes as <see cref="HtmlFragment"/>.
/// </summary>
/// <example><code>
/// var report = new HtmlReport("Demo");
/// report.Paragraph("Summary …");
/// report.Section("Metrics").Table(table);
/// report.Save("report.html");
/// </code></example>
public sealed class HtmlReport
{
    /// <summary>The style sheet written into every report: system fonts, tables with tabular figures, a figure grid and print rules.</summary>
    public const string StyleSheet = """
        :root { color-scheme: light; }
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1a1a1a; background: #fff;
               line-height: 1.45; max-width: 1040px; margin: 0 auto; padding: 24px 28px; font-size: 15px; }
        h1 { font-size: 1.6em; margin: 0 0 0.4em; line-height: 1.2; }
        h2 { font-size: 1.25em; margin: 1.6em 0 0.5em; padding-bottom: 0.2em; border-bottom: 1px solid #ccc; }
        h3 { font-size: 1.05em; margin: 1.2em 0 0.4em; }
        p { margin: 0.5em 0; }
        p.summary { font-size: 1.05em; }
        p.note, figcaption, caption { color: #444; font-size: 0.9em; }
        table { border-collapse: collapse; margin: 0.6em 0 1em; }
        .scroll { overflow-x: auto; }
        caption { text-align: left; caption-side: top; padding-bottom: 0.3em; }
        th, td { padding: 4px 12px 4px 0; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
        thead th { border-bottom: 2px solid #888; }
        .num { text-align: right; font-variant-numeric: tabular-nums; padding-left: 12px; white-space: nowrap; }
        .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 14px 16px; margin: 0.6em 0; }
        .grid.wide { grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); }
        figure { margin: 0 0 0.6em; break-inside: avoid; }
        .grid figure { margin: 0; }
        figure img, figure svg { display: block; max-width: 100%; height: auto; border: 1px solid #ddd; }
        figure svg { border: none; }
        img.pixelated { image-rendering: pixelated; }
        figcaption { margin-top: 4px; }
        ul.legend { list-style: none; padding: 0; margin: 0.3em 0 0.6em; display: flex; flex-wrap: wrap; gap: 4px 18px; }
        .swatch { display: inline-block; width: 1em; height: 1em; margin-right: 6px; vertical-align: -0.15em; border: 1px solid rgba(0,0,0,0.35); }
        pre, code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.88em; }
        pre { background: #f5f5f5; border: 1px solid #e2e2e2; padding: 8px 10px; white-space: pre-wrap; overflow-wrap: anywhere; }
        @page { size: A4; margin: 14mm; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10.5pt; }
          h2 { break-after: avoid; }
          figure, table, pre { break-inside: avoid; }
          .scroll { overflow-x: visible; }
          .grid { grid-template-columns: repeat(3, 1fr); }
          .grid.wide { grid-template-columns: repeat(2, 1fr); }
        }
        """;

    private readonly StringBuilder _body = new();

    /// <summary>A report whose title is <paramref name="title"/> (the page title and the first heading).</summary>
    public HtmlReport(string title)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        Title = title;
    }

    /// <summary>The report's title.</summary>
    public string Title { get; }

    /// <summary>A heading (level 2; level 3 for a sub-section).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The level is not 2 or 3 (level 1 is the title).</exception>
    public HtmlReport Section(string heading, int level = 2)
    {
        if (level is not (2 or 3)) throw new ArgumentOutOfRangeException(nameof(level), level, "level must be 2 or 3 (the title is the only level-1 heading).");
        return Add(Html.Element("h" + level, heading));
    }

    /// <summary>A paragraph of text (escaped); <paramref name="cssClass"/> e.g. "summary" or "note".</summary>
    public HtmlReport Paragraph(string text, string? cssClass = null) => Add(Html.Element("p", text, ("class", cssClass)));

    /// <summary>A paragraph of markup (text mixed with e.g. <c>&lt;strong&gt;</c> or <c>&lt;code&gt;</c> made by <see cref="Html"/>).</summary>
    public HtmlReport Paragraph(HtmlFragment content, string? cssClass = null) => Add(Html.Element("p", content, ("class", cssClass)));

    /// <summary>A table; with <paramref name="scroll"/>, in a box that scrolls sideways when the table is wider than the page.</summary>
    public HtmlReport Table(HtmlTable table, bool scroll = false)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Add(scroll ? Html.Element("div", table.ToHtml(), ("class", "scroll")) : table.ToHtml());
    }

    /// <summary>Preformatted text (commands, parameters), escaped.</summary>
    public HtmlReport Preformatted(string text) => Add(Html.Element("pre", text));

    /// <summary>A bulleted list of markup items.</summary>
    public HtmlReport List(IEnumerable<HtmlFragment> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return Add(Html.Element("ul", Html.Concat(items.Select(i => Html.Element("li", i)))));
    }

    /// <summary>A colour legend: a swatch and a label per entry (e.g. true positive, false positive, false negative).</summary>
    /// <param name="entries">Label and RGB colour (3 bytes) of each entry.</param>
    public HtmlReport Legend(IEnumerable<(string Label, byte[] Rgb)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var items = entries.Select(e => Html.Element("li", Html.Concat([
            Html.Element("span", HtmlFragment.Empty, ("class", "swatch"), ("style", "background:" + Html.CssColor(e.Rgb))),
            Html.Text(e.Label),
        ])));
        return Add(Html.Element("ul", Html.Concat(items), ("class", "legend")));
    }

    /// <summary>One figure on its own, as wide as the page allows (its natural size at most).</summary>
    public HtmlReport Figure(HtmlFigure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        return Add(Html.Element("figure", Html.Concat([
            figure.Content,
            figure.Caption is null ? HtmlFragment.Empty : Html.Element("figcaption", figure.Caption),
        ])));
    }

    /// <summary>Figures side by side in a grid that wraps (about three per row on A4; two with <paramref name="wide"/>).</summary>
    public HtmlReport Figures(IEnumerable<HtmlFigure> figures, bool wide = false)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var items = figures.Select(f => Html.Element("figure", Html.Concat([
            f.Content,
            f.Caption is null ? HtmlFragment.Empty : Html.Element("figcaption", f.Caption),
        ])));
        return Add(Html.Element("div", Html.Concat(items), ("class", wide ? "grid wide" : "grid")));
    }

    /// <summary>Any markup made with <see cref="Html"/>.</summary>
    public HtmlReport Add(HtmlFragment block)
    {
        _body.Append(block.Markup).Append('\n');
        return this;
    }

    /// <summary>The complete document: doctype, UTF-8 meta, the style sheet, the title as &lt;h1&gt;, then the blocks in order.</summary>
    public string ToHtml()
    {
        var sb = new StringBuilder(_body.Length + StyleSheet.Length + 512);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<title>").Append(Html.Escape(Title)).Append("</title>\n")
          .Append("<style>\n").Append(StyleSheet).Append("\n</style>\n</head>\n<body>\n<main>\n")
          .Append("<h1>").Append(Html.Escape(Title)).Append("</h1>\n")
          .Append(_body)
          .Append("</main>\n</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>Writes <see cref="ToHtml"/> to <paramref name="path"/> atomically as UTF-8 without a byte-order mark.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToHtml());
}
