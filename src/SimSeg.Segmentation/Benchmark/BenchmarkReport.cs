using System.Globalization;
using System.Net;
using System.Text;
using SimSeg.Analysis.Plots;
using SimSeg.Core.IO;

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
/// ground truth (white on black) and each method's mask coloured by outcome (<see cref="OutcomeColours"/>).
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
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(Encode(o.Title)).Append("</title>\n<style>\n")
            .Append("body{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#222}\n")
            .Append("table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}\n")
            .Append("th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n")
            .Append("table.gallery td{padding:2px;text-align:center}table.gallery img{width:128px;image-rendering:pixelated;display:block}\n")
            .Append(".swatch{display:inline-block;width:.9em;height:.9em;border:1px solid #888;vertical-align:middle;margin:0 .3em 0 1em}\n")
            .Append("p.caption{color:#555}div.wide{overflow-x:auto}\n")
            .Append("</style>\n</head>\n<body>\n");
        h.Append("<h1>").Append(Encode(o.Title)).Append("</h1>\n");
        h.Append("<p class=\"caption\">").Append(Encode(Caption(o))).Append("</p>\n");

        h.Append("<table class=\"table1\">\n<thead><tr><th>").Append(Encode(o.RowHeading)).Append("</th>");
        foreach (var column in result.TestSets) h.Append("<th>").Append(Encode(ColumnTitle(column))).Append("</th>");
        h.Append("</tr></thead>\n<tbody>\n");
        foreach (string method in result.Methods)
        {
            h.Append("<tr><th>").Append(Encode(method)).Append("</th>");
            foreach (var column in result.TestSets) h.Append("<td class=\"num\">").Append(Encode(Cell(result, method, column.Name))).Append("</td>");
            h.Append("</tr>\n");
        }
        h.Append("</tbody>\n</table>\n");

        h.Append("<h2>mIoU per ").Append(Encode(o.RowHeading)).Append(" and test set</h2>\n").Append(StripXmlDeclaration(MeanIoUChart(result, o))).Append('\n');

        h.Append("<h2>All metrics</h2>\n<p class=\"caption\">Mean ± sample standard deviation over the test images. β0 and β1 errors are the absolute differences in object (8-connected) and hole counts; object F1 matches objects at IoU ≥ 0.5.</p>\n");
        foreach (var column in result.TestSets)
        {
            h.Append("<h3>").Append(Encode(ColumnTitle(column))).Append("</h3>\n<div class=\"wide\"><table>\n<thead><tr><th>").Append(Encode(o.RowHeading)).Append("</th>");
            foreach (var metric in BenchmarkMetrics.All) h.Append("<th>").Append(Encode(metric.Label)).Append("</th>");
            h.Append("</tr></thead>\n<tbody>\n");
            foreach (string method in result.Methods)
            {
                h.Append("<tr><th>").Append(Encode(method)).Append("</th>");
                foreach (var metric in BenchmarkMetrics.All)
                    h.Append("<td class=\"num\">").Append(Encode(MeanPlusMinus(result.Find(method, column.Name, metric.Name)))).Append("</td>");
                h.Append("</tr>\n");
            }
            h.Append("</tbody>\n</table></div>\n");
        }

        if (result.Gallery.Count > 0)
        {
            h.Append("<h2>Gallery</h2>\n<p class=\"caption\">Input (auto-contrast, 0.5–99.5 percentiles), ground truth and each mask by outcome:")
                .Append(Swatch(OutcomeColours.TruePositive, "true positive")).Append(Swatch(OutcomeColours.FalsePositive, "false positive"))
                .Append(Swatch(OutcomeColours.FalseNegative, "false negative")).Append(Swatch(OutcomeColours.TrueNegative, "true negative")).Append("</p>\n");
            foreach (var column in result.TestSets)
            {
                var rows = result.Gallery.Where(g => g.TestSet == column.Name).ToArray();
                if (rows.Length == 0) continue;
                h.Append("<h3>").Append(Encode(column.Name)).Append("</h3>\n<div class=\"wide\"><table class=\"gallery\">\n<thead><tr><th>image</th><th>input</th><th>truth</th>");
                foreach (string method in result.Methods) h.Append("<th>").Append(Encode(method)).Append("</th>");
                h.Append("</tr></thead>\n<tbody>\n");
                foreach (var row in rows)
                {
                    h.Append("<tr><td>").Append(Encode(row.Image)).Append("</td>");
                    h.Append(ImageCell(row.Width, row.Height, row.Input, false, "input " + row.Image));
                    h.Append(ImageCell(row.Width, row.Height, Scale(row.Truth), false, "truth " + row.Image));
                    for (int m = 0; m < result.Methods.Count; m++)
                        h.Append(ImageCell(row.Width, row.Height, OutcomeColours.Paint(row.Masks[m], row.Truth), true, result.Methods[m] + " " + row.Image));
                    h.Append("</tr>\n");
                }
                h.Append("</tbody>\n</table></div>\n");
            }
        }

        h.Append("<h2>Notes</h2>\n<ul>\n");
        foreach (string note in o.Notes) h.Append("<li>").Append(Encode(note)).Append("</li>\n");
        foreach (var column in result.TestSets)
            h.Append("<li>").Append(Encode($"{column.Name}: {column.Images} test image(s)" + (column.Preset is null ? "" : $", preset {column.Preset}")
                + (column.PixelSizeNm > 0 ? $", {column.PixelSizeNm.ToString("0.#", CultureInfo.InvariantCulture)} nm pixels" : ""))).Append("</li>\n");
        foreach (var t in result.Timings)
            h.Append("<li>").Append(Encode($"time: {t.Method} on {t.TestSet}: {t.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s ({(t.Images == 0 ? 0 : 1000 * t.Seconds / t.Images).ToString("0", CultureInfo.InvariantCulture)} ms per image)")).Append("</li>\n");
        h.Append("</ul>\n</body>\n</html>\n");
        return h.ToString();
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
                _ => OutcomeColours.Paint(row.Masks[p - 2], row.Truth),
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

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string StripXmlDeclaration(string svg) => svg.StartsWith("<?xml", StringComparison.Ordinal) ? svg[(svg.IndexOf("?>", StringComparison.Ordinal) + 2)..].TrimStart() : svg;

    private static string Swatch(ReadOnlySpan<byte> rgb, string label) =>
        $"<span class=\"swatch\" style=\"background:#{rgb[0]:X2}{rgb[1]:X2}{rgb[2]:X2}\"></span>{label}";

    private static string ImageCell(int width, int height, byte[] pixels, bool rgb, string alt)
    {
        using var png = new MemoryStream();
        PngWriter.Write(png, width, height, pixels, rgb);
        return $"<td><img alt=\"{Encode(alt)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png.GetBuffer(), 0, (int)png.Length)}\"></td>";
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
