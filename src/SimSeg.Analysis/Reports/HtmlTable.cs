using System.Globalization;
using System.Text;

namespace SimSeg.Analysis.Reports;

/// <summary>One cell of an <see cref="HtmlTable"/>: text (escaped when written) or markup, optionally in bold.</summary>
/// <param name="Text">The cell's text.</param>
/// <param name="Bold">Wrap the text in <c>&lt;strong&gt;</c> (e.g. the best value of a column).</param>
/// <param name="Content">Markup written in place of the text (e.g. an image from <see cref="Html.PngImage"/>), or null.</param>
public readonly record struct HtmlCell(string Text, bool Bold = false, HtmlFragment? Content = null)
{
    /// <summary>A cell holding <paramref name="text"/>.</summary>
    public static implicit operator HtmlCell(string text) => new(text);

    /// <summary>A cell holding markup.</summary>
    public static HtmlCell Of(HtmlFragment content) => new("", Content: content);
}

/// <summary>
/// A table of text: a header row, body rows with one cell per column, an optional caption. The first column can be
/// a row header (<c>&lt;th scope="row"&gt;</c>, e.g. method names); numeric columns are right-aligned with tabular
/// figures (class <c>num</c>, styled by <see cref="HtmlReport"/>).
/// </summary>
public sealed record HtmlTable
{
    /// <summary>Column headings, at least one.</summary>
    public required IReadOnlyList<string> Columns { get; init; }

    /// <summary>Rows, each with exactly one cell per column.</summary>
    public required IReadOnlyList<IReadOnlyList<HtmlCell>> Rows { get; init; }

    /// <summary>Caption above the table, or null.</summary>
    public string? Caption { get; init; }

    /// <summary>The first cell of each row is a row header (default true).</summary>
    public bool RowHeaders { get; init; } = true;

    /// <summary>Indices of the columns to right-align as numbers (default none).</summary>
    public IReadOnlySet<int> NumericColumns { get; init; } = new HashSet<int>();

    /// <summary>
    /// A table whose body rows are <paramref name="rowNames"/> followed by <paramref name="values"/> formatted with
    /// <paramref name="format"/>, with the largest (or, where <paramref name="lowerIsBetter"/> says so, smallest)
    /// finite value of each value column in bold; ties are all bold, NaN is written as "–".
    /// </summary>
    /// <param name="columns">Headings: the row-name column, then one per value column.</param>
    /// <param name="rowNames">One name per row.</param>
    /// <param name="values">values[row][column], one column per heading after the first.</param>
    /// <param name="format">.NET number format (invariant culture) of every value column, e.g. "0.000".</param>
    /// <param name="lowerIsBetter">Per value column: true when the smallest value is the best; null: larger is better everywhere.</param>
    /// <param name="boldColumns">Per value column: whether to mark its best value; null: every column.</param>
    /// <param name="formats">Per value column: its number format, overriding <paramref name="format"/>; null: <paramref name="format"/> everywhere.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static HtmlTable WithBestInBold(IReadOnlyList<string> columns, IReadOnlyList<string> rowNames, IReadOnlyList<IReadOnlyList<double>> values,
        string format = "0.000", IReadOnlyList<bool>? lowerIsBetter = null, IReadOnlyList<bool>? boldColumns = null, IReadOnlyList<string>? formats = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rowNames);
        ArgumentNullException.ThrowIfNull(values);
        int valueColumns = columns.Count - 1;
        if (valueColumns < 1) throw new ArgumentException($"columns must hold a row-name heading and at least one value heading, got {columns.Count}.", nameof(columns));
        if (values.Count != rowNames.Count) throw new ArgumentException($"values has {values.Count} rows but rowNames has {rowNames.Count}.", nameof(values));
        if (values.Any(r => r is null || r.Count != valueColumns)) throw new ArgumentException($"every row of values must hold {valueColumns} values (one per value heading).", nameof(values));
        if (lowerIsBetter is not null && lowerIsBetter.Count != valueColumns) throw new ArgumentException($"lowerIsBetter must hold {valueColumns} flags, got {lowerIsBetter.Count}.", nameof(lowerIsBetter));
        if (boldColumns is not null && boldColumns.Count != valueColumns) throw new ArgumentException($"boldColumns must hold {valueColumns} flags, got {boldColumns.Count}.", nameof(boldColumns));
        if (formats is not null && formats.Count != valueColumns) throw new ArgumentException($"formats must hold {valueColumns} formats, got {formats.Count}.", nameof(formats));

        var best = new double[valueColumns];
        for (int c = 0; c < valueColumns; c++)
        {
            bool lower = lowerIsBetter?[c] ?? false;
            var finite = values.Select(r => r[c]).Where(double.IsFinite).ToArray();
            best[c] = finite.Length == 0 ? double.NaN : lower ? finite.Min() : finite.Max();
        }
        var rows = new List<IReadOnlyList<HtmlCell>>(rowNames.Count);
        for (int r = 0; r < rowNames.Count; r++)
        {
            var cells = new List<HtmlCell> { new(rowNames[r]) };
            for (int c = 0; c < valueColumns; c++)
            {
                double v = values[r][c];
                string columnFormat = formats?[c] ?? format;
                string text = double.IsFinite(v) ? v.ToString(columnFormat, CultureInfo.InvariantCulture) : "–";
                // Compare the written values, so that two values printed alike are both bold.
                bool bold = (boldColumns?[c] ?? true) && double.IsFinite(v)
                    && text == best[c].ToString(columnFormat, CultureInfo.InvariantCulture);
                cells.Add(new HtmlCell(text, bold));
            }
            rows.Add(cells);
        }
        return new HtmlTable { Columns = columns, Rows = rows, NumericColumns = Enumerable.Range(1, valueColumns).ToHashSet() };
    }

    /// <summary>The table as HTML: caption, <c>&lt;thead&gt;</c> with the headings, <c>&lt;tbody&gt;</c> with the rows, one line per row.</summary>
    /// <exception cref="ArgumentException">There is no column, or a row has another number of cells than there are columns.</exception>
    public HtmlFragment ToHtml()
    {
        ArgumentNullException.ThrowIfNull(Columns, nameof(Columns));
        ArgumentNullException.ThrowIfNull(Rows, nameof(Rows));
        if (Columns.Count == 0) throw new ArgumentException("a table needs at least one column.", nameof(Columns));
        for (int r = 0; r < Rows.Count; r++)
            if (Rows[r] is null || Rows[r].Count != Columns.Count)
                throw new ArgumentException($"row {r} has {Rows[r]?.Count ?? 0} cells; the table has {Columns.Count} columns.", nameof(Rows));
        var sb = new StringBuilder();
        sb.Append("<table>\n");
        if (!string.IsNullOrEmpty(Caption)) sb.Append("<caption>").Append(Html.Escape(Caption)).Append("</caption>\n");
        sb.Append("<thead><tr>");
        for (int c = 0; c < Columns.Count; c++)
            sb.Append("<th scope=\"col\"").Append(ClassOf(c)).Append('>').Append(Html.Escape(Columns[c])).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in Rows)
        {
            sb.Append("<tr>");
            for (int c = 0; c < row.Count; c++)
            {
                bool header = c == 0 && RowHeaders;
                sb.Append(header ? "<th scope=\"row\"" : "<td").Append(ClassOf(c)).Append('>');
                string text = row[c].Content is { } content ? content.Markup : Html.Escape(row[c].Text);
                sb.Append(row[c].Bold ? "<strong>" + text + "</strong>" : text);
                sb.Append(header ? "</th>" : "</td>");
            }
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody>\n</table>");
        return new HtmlFragment(sb.ToString());
    }

    private string ClassOf(int column) => NumericColumns.Contains(column) ? " class=\"num\"" : "";
}
