using System.Globalization;
using System.Text;
using SimSeg.Analysis.Plots;
using SimSeg.Analysis.Reports;
using HtmlMarkup = SimSeg.Analysis.Reports.Html;
using SimSeg.Core.IO;
using SimSeg.Segmentation.Metrics;

namespace SimSeg.Segmentation.Benchmark;

/// <summary>Titles and notes of a benchmark report.</summary>
public sealed record BenchmarkReportOptions
{
    /// <summary>The heading of the Markdown and HTML reports.</summary>
    public string Title { get; init; } = "SimSeg benchmark";

    /// <summary>What the rows are, for the first column of Table 1 (e.g. "method", or "training ground truth").</summary>
    public string RowHeading { get; init; } = "method";

    /// <summary>Lines listed under the table: settings, model folders, data.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>The files a report wrote.</summary>
/// <param name="Table">table.csv: tidy mean ± std per method × test set × metric.</param>
/// <param name="Markdown">table.md: Table 1's layout.</param>
/// <param name="Html">table.html: the table, the mIoU chart and the gallery in one self-contained file.</param>
/// <param name="PerImage">per-image.csv: every score of every image.</param>
/// <param name="Chart">miou.svg: mIoU per method and test set.</param>
/// <param name="Gallery">gallery/*.png: one row of panels per gallery image.</param>
public sealed record BenchmarkFiles(string Table, string Markdown, string Html, string PerImage, string Chart, IReadOnlyList<string> Gallery);

/// <summary>
/// Writes a <see cref="BenchmarkResult"/> as tables, a chart and a gallery, each file atomically. Numbers in the CSV
/// files are written in full (shortest round-trip form; an undefined standard deviation, for n &lt; 2, is an empty
/// field); the Markdown and HTML tables round to three decimals. Gallery rows show the input (auto-contrasted), the
/// ground truth (white on black) and each method's mask coloured by outcome (<see cref="OutcomeMap"/>; true negatives black).
/// </summary>
public static class BenchmarkReport
{
    /// <summary>The header of table.csv.</summary>
    public const string TableHeader = "method,test_set,metric,mean,std,n";

    /// <summary>Writes table.csv, table.md, table.html, per-image.csv, miou.svg and gallery/*.png into <paramref name="directory"/> (created if missing).</summary>
    public static BenchmarkFiles Write(string directory, BenchmarkResult result, BenchmarkReportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(result);
        var o = options ?? new BenchmarkReportOptions();
        string galleryDir = Path.Combine(directory, "gallery");
        Directory.CreateDirectory(galleryDir);
        var gallery = new List<string>();
        foreach (var row in result.Gallery)
        {
            string path = Path.Combine(galleryDir, GalleryFileName(row));
            var (rgb, width) = GalleryStrip(row);
            PngWriter.WriteRgb8(path, width, row.Height, rgb);
            gallery.Add(path);
        }
        string chart = Path.Combine(directory, "miou.svg");
        AtomicFile.WriteAllText(chart, MeanIoUChart(result, o));
        var files = new BenchmarkFiles(Path.Combine(directory, "table.csv"), Path.Combine(directory, "table.md"), Path.Combine(directory, "table.html"),
            Path.Combine(directory, "per-image.csv"), chart, gallery);
        AtomicFile.WriteAllText(files.Table, TableCsv(result));
        AtomicFile.WriteAllText(files.PerImage, PerImageCsv(result));
        AtomicFile.WriteAllText(files.Markdown, Markdown(result, o));
        AtomicFile.WriteAllText(files.Html, Html(result, o));
        return files;
    }

    /// <summary>table.csv: one row per method × test set × metric with mean, sample std and n.</summary>
    public static string TableCsv(BenchmarkResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var csv = new StringBuilder(TableHeader).Append('\n');
        foreach (var r in result.Summary)
            csv.Append(CsvLine.Quote(r.Method)).Append(',').Append(CsvLine.Quote(r.TestSet)).Append(',').Append(r.Metric).Append(',')
                .Append(Number(r.Mean)).Append(',').Append(Number(r.Std)).Append(',').Append(r.N.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return csv.ToString();
    }

    /// <summary>per-image.csv: method, test set, image id, every metric of <see cref="BenchmarkMetrics.All"/> and the pixel counts.</summary>
    public static string PerImageCsv(BenchmarkResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var csv = new StringBuilder("method,test_set,image,").Append(string.Join(',', BenchmarkMetrics.All.Select(m => m.Name))).Append(",tp,fp,fn,tn\n");
        foreach (var s in result.Images)
        {
            csv.Append(CsvLine.Quote(s.Method)).Append(',').Append(CsvLine.Quote(s.TestSet)).Append(',').Append(CsvLine.Quote(s.Image));
            foreach (var metric in BenchmarkMetrics.All) csv.Append(',').Append(Number(metric.Value(s.Score)));
            var c = s.Score;
            csv.Append(',').Append(c.TruePositives.ToString(CultureInfo.InvariantCulture)).Append(',').Append(c.FalsePositives.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(c.FalseNegatives.ToString(CultureInfo.InvariantCulture)).Append(',').Append(c.TrueNegatives.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>
    /// table.md: PhySeg Table 1's layout (rows methods, columns test sets with their image counts), each cell
    /// "mIoU ± std / F1 ± std" to three decimals (without ± when n &lt; 2, "–" when the pair was not run), then the notes.
    /// </summary>
    public static string Markdown(BenchmarkResult result, BenchmarkReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var o = options ?? new BenchmarkReportOptions();
        var md = new StringBuilder();
        md.Append("# ").Append(o.Title).Append("\n\n");
        md.Append(Caption(o)).Append("\n\n");
        md.Append("| ").Append(MarkdownCell(o.RowHeading));
        foreach (var column in result.TestSets) md.Append(" | ").Append(MarkdownCell(ColumnTitle(column)));
        md.Append(" |\n|");
        for (int i = 0; i <= result.TestSets.Count; i++) md.Append(" --- |");
        md.Append('\n');
        foreach (string method in result.Methods)
        {
            md.Append("| ").Append(MarkdownCell(method));
            foreach (var column in result.TestSets) md.Append(" | ").Append(Cell(result, method, column.Name));
            md.Append(" |\n");
        }
        if (o.Notes.Count > 0)
        {
            md.Append('\n');
            foreach (string note in o.Notes) md.Append("- ").Append(note).Append('\n');
        }
        return md.ToString();
    }

    /// <summary>
    /// table.html: one self-contained page (inline CSS, the chart as inline SVG, gallery images as base64 PNG) with
    /// Table 1, the mIoU chart, every metric per test set, the gallery with its legend, the notes and the timings.
    /// </summary>
    public static string Html(BenchmarkResult result, BenchmarkReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var o = options ?? new BenchmarkReportOptions();
        var report = new HtmlReport(o.Title);
        report.Table(MethodTable(result, o, result.TestSets.Select(ColumnTitle), method => result.TestSets.Select(c => (HtmlCell)Cell(result, method, c.Name))) with { Caption = Caption(o) });

        report.Section($"mIoU per {o.RowHeading} and test set").Figure(new HtmlFigure(HtmlMarkup.Svg(MeanIoUChart(result, o)), null));

        report.Section("All metrics").Paragraph("Mean ± sample standard deviation over the test images. β0 and β1 errors are the absolute differences in object " +
            "(8-connected) and hole counts; object F1 matches objects at IoU ≥ 0.5.", "note");
        foreach (var column in result.TestSets)
            report.Section(ColumnTitle(column), 3).Table(MethodTable(result, o, BenchmarkMetrics.All.Select(m => m.Label),
                method => BenchmarkMetrics.All.Select(m => (HtmlCell)MeanPlusMinus(result.Find(method, column.Name, m.Name)))), scroll: true);

        if (result.Gallery.Count > 0)
        {
            report.Section("Gallery").Paragraph("Input (auto-contrast, 0.5–99.5 percentiles), ground truth (white) and each mask by outcome:", "note")
                .Legend(GalleryLegend);
            foreach (var column in result.TestSets)
            {
                var rows = result.Gallery.Where(g => g.TestSet == column.Name).ToArray();
                if (rows.Length == 0) continue;
                report.Section(column.Name, 3).Table(new HtmlTable
                {
                    Columns = ["image", "input", "truth", .. result.Methods],
                    Rows = [.. rows.Select(row => (IReadOnlyList<HtmlCell>)[row.Image,
                        ImageCell(row, row.Input, 1, "input " + row.Image),
                        ImageCell(row, Scale(row.Truth), 1, "truth " + row.Image),
                        .. row.Masks.Select((mask, m) => ImageCell(row, Outcomes(mask, row.Truth), 3, result.Methods[m] + " " + row.Image))])],
                }, scroll: true);
            }
        }

        var notes = o.Notes.ToList();
        foreach (var column in result.TestSets)
            notes.Add($"{column.Name}: {column.Images} test image(s)" + (column.Preset is null ? "" : $", preset {column.Preset}")
                + (column.PixelSizeNm > 0 ? $", {column.PixelSizeNm.ToString("0.#", CultureInfo.InvariantCulture)} nm pixels" : ""));
        foreach (var t in result.Timings)
            notes.Add($"time: {t.Method} on {t.TestSet}: {t.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s ({(t.Images == 0 ? 0 : 1000 * t.Seconds / t.Images).ToString("0", CultureInfo.InvariantCulture)} ms per image)");
        report.Section("Notes").List(notes.Select(HtmlMarkup.Text));
        return report.ToHtml();
    }

    /// <summary>miou.svg: grouped bars of the mean mIoU (± sample std) per method (row), one bar per test set.</summary>
    public static string MeanIoUChart(BenchmarkResult result, BenchmarkReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        string rows = (options ?? new BenchmarkReportOptions()).RowHeading;
        var series = result.TestSets.Select(c => new BarSeries(c.Name,
            result.Methods.Select(m => result.Find(m, c.Name, BenchmarkMetrics.MeanIoU)?.Mean ?? double.NaN).ToArray(),
            result.Methods.Select(m => result.Find(m, c.Name, BenchmarkMetrics.MeanIoU)?.Std ?? double.NaN).ToArray())).ToArray();
        double width = Math.Max(640, 90 * result.Methods.Count * Math.Max(1, Math.Min(3, result.TestSets.Count)));
        return Plot.Bar(result.Methods, series, $"mIoU per {rows} and test set", "mIoU (mean ± std)", new BarOptions { Width = width, Description = "Mean mIoU over the test images; bars: sample standard deviation." });
    }

    /// <summary>
    /// One gallery row as an RGB strip: input, ground truth and each method's outcome-coloured mask, side by side
    /// with a 2-pixel white gap. Returns the pixels (3 bytes each, row-major) and the strip's width.
    /// </summary>
    public static (byte[] Rgb, int Width) GalleryStrip(GalleryRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        const int gap = 2;
        int w = row.Width, h = row.Height, panels = 2 + row.Masks.Count, stripWidth = panels * w + (panels - 1) * gap;
        var rgb = new byte[stripWidth * h * 3];
        rgb.AsSpan().Fill(255);
        var truth = Scale(row.Truth);
        for (int p = 0; p < panels; p++)
        {
            byte[] panel = p switch
            {
                0 => Gray(row.Input),
                1 => Gray(truth),
                _ => Outcomes(row.Masks[p - 2], row.Truth),
            };
            int x0 = p * (w + gap);
            for (int y = 0; y < h; y++) panel.AsSpan(y * w * 3, w * 3).CopyTo(rgb.AsSpan((y * stripWidth + x0) * 3, w * 3));
        }
        return (rgb, stripWidth);
    }

    /// <summary>The gallery file name of a row: test set and image id, with characters other than letters, digits, '-', '_' and '.' replaced by '_'.</summary>
    public static string GalleryFileName(GalleryRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Safe(row.TestSet) + "_" + Safe(row.Image) + ".png";
    }

    private static string Caption(BenchmarkReportOptions o) =>
        $"mIoU / F1 per {o.RowHeading} and test set: mean ± sample standard deviation over the n test images, each mask scored against its ground truth. " +
        "mIoU is the mean of the foreground and background IoU, F1 the foreground F1 (Dice), as in PhySeg's Table 1.";

    private static string ColumnTitle(BenchmarkColumn column) => $"{column.Name} (n = {column.Images.ToString(CultureInfo.InvariantCulture)})";

    /// <summary>"mIoU ± std / F1 ± std" of a method on a test set, "–" when it was not run.</summary>
    private static string Cell(BenchmarkResult result, string method, string testSet)
    {
        var miou = result.Find(method, testSet, BenchmarkMetrics.MeanIoU);
        var f1 = result.Find(method, testSet, BenchmarkMetrics.F1);
        return miou is null || f1 is null ? "–" : MeanPlusMinus(miou) + " / " + MeanPlusMinus(f1);
    }

    private static string MeanPlusMinus(SummaryRow? row)
    {
        if (row is null || double.IsNaN(row.Mean)) return "–";
        string mean = row.Mean.ToString("0.000", CultureInfo.InvariantCulture);
        return double.IsNaN(row.Std) ? mean : mean + " ± " + row.Std.ToString("0.000", CultureInfo.InvariantCulture);
    }

    private static string Number(double value) => double.IsNaN(value) ? "" : value.ToString(CultureInfo.InvariantCulture);

    private static string MarkdownCell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>The gallery's legend: the outcome colours of <see cref="OutcomeMap"/>, and black for true negatives.</summary>
    private static readonly IReadOnlyList<(string Label, byte[] Rgb)> GalleryLegend = [.. OutcomeMap.Legend, ("true negative", [0, 0, 0])];

    /// <summary>A table with one row per method: its name, then <paramref name="cells"/> under <paramref name="columns"/>, all numeric.</summary>
    private static HtmlTable MethodTable(BenchmarkResult result, BenchmarkReportOptions o, IEnumerable<string> columns, Func<string, IEnumerable<HtmlCell>> cells)
    {
        string[] headings = [o.RowHeading, .. columns];
        return new HtmlTable
        {
            Columns = headings,
            Rows = [.. result.Methods.Select(method => (IReadOnlyList<HtmlCell>)[method, .. cells(method)])],
            NumericColumns = Enumerable.Range(1, headings.Length - 1).ToHashSet(),
        };
    }

    /// <summary>A mask coloured by outcome against its truth (<see cref="OutcomeMap.Palette"/>), true negatives black: 3 bytes per pixel.</summary>
    private static byte[] Outcomes(byte[] mask, byte[] truth) => ReportImages.Paint(new byte[truth.Length], OutcomeMap.Of(mask, truth), OutcomeMap.Palette, alpha: 1);

    /// <summary>A gallery panel as an inline PNG, shown 128 pixels wide with its pixels sharp.</summary>
    private static HtmlCell ImageCell(GalleryRow row, byte[] pixels, int channels, string alt)
    {
        const int shown = 128;
        return HtmlCell.Of(HtmlMarkup.PngImage(ReportImages.Png(pixels, row.Width, row.Height, channels), shown,
            Math.Max(1, (int)Math.Round((double)shown * row.Height / row.Width)), alt, "pixelated"));
    }

    // 0/1 to 0/255.
    private static byte[] Scale(byte[] mask)
    {
        var gray = new byte[mask.Length];
        for (int i = 0; i < mask.Length; i++) gray[i] = mask[i] != 0 ? (byte)255 : (byte)0;
        return gray;
    }

    private static byte[] Gray(byte[] gray)
    {
        var rgb = new byte[gray.Length * 3];
        for (int i = 0; i < gray.Length; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = gray[i];
        return rgb;
    }

    private static string Safe(string name)
    {
        var s = new StringBuilder(name.Length);
        foreach (char c in name) s.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        return s.ToString();
    }
}
