using SimSeg.Segmentation.Benchmark;
using SimSeg.Segmentation.Tests.Training;
using static SimSeg.Segmentation.Tests.Benchmark.BenchmarkMetricsTests;

namespace SimSeg.Segmentation.Tests.Benchmark;

public class BenchmarkReportTests
{
    private const string Vesicle = "vesicle, 80 nm"; // a comma: quoted in CSV

    /// <summary>otsu on both test sets (3 and 1 images), unet on the first only; values exact in binary.</summary>
    private static BenchmarkResult HandMade(IReadOnlyList<GalleryRow>? gallery = null)
    {
        ImageScore[] scores =
        [
            new("otsu", "mito", "i0", Score(0.25, 0.5)),
            new("otsu", "mito", "i1", Score(0.5, 0.625)),
            new("otsu", "mito", "i2", Score(0.75, 0.75)),
            new("otsu", Vesicle, "v0", Score(0.875, 0.75)),
            new("unet", "mito", "i0", Score(0.75, 0.875)),
            new("unet", "mito", "i1", Score(0.75, 0.875)),
            new("unet", "mito", "i2", Score(0.75, 0.875)),
        ];
        string[] methods = ["otsu", "unet"];
        BenchmarkColumn[] columns = [new("mito", 3, "epi1-mito", 42), new(Vesicle, 1, null, 0)];
        return new BenchmarkResult(methods, columns, scores, BenchmarkMetrics.Summarize(scores, methods, columns.Select(c => c.Name).ToArray()),
            gallery ?? [], [new MethodTiming("otsu", "mito", 0.5, 3)]);
    }

    [Fact]
    public void TableCsv_HandMadeResult_Golden()
    {
        const string expected =
            "method,test_set,metric,mean,std,n\n" +
            "otsu,mito,miou,0.5,0.25,3\n" +
            "otsu,mito,iou,0.5,0,3\n" +
            "otsu,mito,f1,0.625,0.125,3\n" +
            "otsu,mito,precision,1,0,3\n" +
            "otsu,mito,recall,0.5,0,3\n" +
            "otsu,mito,beta0_error,1,0,3\n" +
            "otsu,mito,beta1_error,0,0,3\n" +
            "otsu,mito,object_f1,1,0,3\n" +
            "otsu,\"vesicle, 80 nm\",miou,0.875,,1\n" +
            "otsu,\"vesicle, 80 nm\",iou,0.5,,1\n" +
            "otsu,\"vesicle, 80 nm\",f1,0.75,,1\n" +
            "otsu,\"vesicle, 80 nm\",precision,1,,1\n" +
            "otsu,\"vesicle, 80 nm\",recall,0.5,,1\n" +
            "otsu,\"vesicle, 80 nm\",beta0_error,1,,1\n" +
            "otsu,\"vesicle, 80 nm\",beta1_error,0,,1\n" +
            "otsu,\"vesicle, 80 nm\",object_f1,1,,1\n" +
            "unet,mito,miou,0.75,0,3\n" +
            "unet,mito,iou,0.5,0,3\n" +
            "unet,mito,f1,0.875,0,3\n" +
            "unet,mito,precision,1,0,3\n" +
            "unet,mito,recall,0.5,0,3\n" +
            "unet,mito,beta0_error,1,0,3\n" +
            "unet,mito,beta1_error,0,0,3\n" +
            "unet,mito,object_f1,1,0,3\n";
        Assert.Equal(expected, BenchmarkReport.TableCsv(HandMade()));
    }

    [Fact]
    public void PerImageCsv_HandMadeResult_OneRowPerImageWithCounts()
    {
        var lines = BenchmarkReport.PerImageCsv(HandMade()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("method,test_set,image,miou,iou,f1,precision,recall,beta0_error,beta1_error,object_f1,tp,fp,fn,tn", lines[0]);
        Assert.Equal("otsu,mito,i0,0.25,0.5,0.5,1,0.5,1,0,1,1,0,1,2", lines[1]);
        Assert.Equal("otsu,\"vesicle, 80 nm\",v0,0.875,0.5,0.75,1,0.5,1,0,1,1,0,1,2", lines[4]);
        Assert.Equal(8, lines.Length);
    }

    [Fact]
    public void Markdown_HandMadeResult_GoldenTable1Layout()
    {
        const string expected =
            "# Table\n\n" +
            "mIoU / F1 per method and test set: mean ± sample standard deviation over the n test images, each mask scored against its ground truth. " +
            "mIoU is the mean of the foreground and background IoU, F1 the foreground F1 (Dice), as in PhySeg's Table 1.\n\n" +
            "| method | mito (n = 3) | vesicle, 80 nm (n = 1) |\n" +
            "| --- | --- | --- |\n" +
            "| otsu | 0.500 ± 0.250 / 0.625 ± 0.125 | 0.875 / 0.750 |\n" +
            "| unet | 0.750 ± 0.000 / 0.875 ± 0.000 | – |\n" +
            "\n" +
            "- first note\n";
        Assert.Equal(expected, BenchmarkReport.Markdown(HandMade(), new BenchmarkReportOptions { Title = "Table", Notes = ["first note"] }));
    }

    [Fact]
    public void Markdown_RowHeading_FirstColumn()
    {
        string md = BenchmarkReport.Markdown(HandMade(), new BenchmarkReportOptions { RowHeading = "training ground truth" });
        Assert.Contains("| training ground truth | mito (n = 3) |", md);
    }

    [Fact]
    public void Write_WithGallery_AllFilesAndSelfContainedHtml()
    {
        byte[] truth = [1, 0, 0, 1, 1, 0, 1, 0, 0];
        var row = new GalleryRow(Vesicle, "v0", 3, 3, [0, 50, 100, 150, 200, 250, 255, 10, 20], truth, [[1, 1, 1, 0, 1, 0, 0, 0, 0], truth]);
        string dir = TestData.NewFolder("report");
        var files = BenchmarkReport.Write(dir, HandMade([row]), new BenchmarkReportOptions { Title = "Table <1>" });
        foreach (string f in new[] { files.Table, files.Markdown, files.Html, files.PerImage, files.Chart }) Assert.True(File.Exists(f), f);
        Assert.Equal(Path.Combine(dir, "gallery", "vesicle__80_nm_v0.png"), Assert.Single(files.Gallery));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories));

        string html = File.ReadAllText(files.Html);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<title>Table &lt;1&gt;</title>", html);
        Assert.Contains("<h1>Table &lt;1&gt;</h1>", html);
        // Table 1: caption, headings with the image counts, a cell per method and test set.
        Assert.Contains("<caption>mIoU / F1 per method and test set:", html);
        Assert.Contains("<th scope=\"col\">method</th><th scope=\"col\" class=\"num\">mito (n = 3)</th>", html);
        Assert.Contains("<tr><th scope=\"row\">otsu</th><td class=\"num\">0.500 ± 0.250 / 0.625 ± 0.125</td><td class=\"num\">0.875 / 0.750</td></tr>", html);
        Assert.Contains("<h3>vesicle, 80 nm (n = 1)</h3>", html);
        Assert.Contains("<figure><svg", html);
        Assert.DoesNotContain("<?xml", html);
        // input, truth and two methods: four inline PNGs for the one gallery row.
        Assert.Equal(4, html.Split("<img src=\"data:image/png;base64,").Length - 1);
        Assert.Contains("alt=\"unet v0\" class=\"pixelated\">", html);
        // The legend: the outcome colours of OutcomeMap, black for true negatives.
        Assert.Contains("<span class=\"swatch\" style=\"background:#e69f00\"></span>false positive (extra)</li>", html);
        Assert.Contains("<span class=\"swatch\" style=\"background:#000000\"></span>true negative</li>", html);
        Assert.Contains("<li>time: otsu on mito: 0.5 s (167 ms per image)</li>", html);
        // Nothing outside the file.
        foreach (string forbidden in new[] { "<script", "<link", "src=\"http", "href=", "url(" })
            Assert.DoesNotContain(forbidden, html, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("<?xml", File.ReadAllText(files.Chart));
    }

    [Fact]
    public void GalleryStrip_Panels_SideBySideWithGap()
    {
        byte[] truth = [1, 0, 0, 1];
        var row = new GalleryRow("s", "i", 2, 2, [10, 20, 30, 40], truth, [[1, 1, 0, 0]]);
        var (rgb, width) = BenchmarkReport.GalleryStrip(row);
        Assert.Equal(3 * 2 + 2 * 2, width); // three panels of 2 px, two gaps of 2 px
        byte[] Pixel(int x, int y) => rgb.AsSpan((y * width + x) * 3, 3).ToArray();
        Assert.Equal(new byte[] { 10, 10, 10 }, Pixel(0, 0));   // input, grey
        Assert.Equal(new byte[] { 255, 255, 255 }, Pixel(2, 0)); // gap
        Assert.Equal(new byte[] { 255, 255, 255 }, Pixel(4, 0)); // truth foreground
        Assert.Equal(new byte[] { 0, 0, 0 }, Pixel(5, 0));       // truth background
        Assert.Equal(new byte[] { 0, 114, 178 }, Pixel(8, 0));   // TP, blue
        Assert.Equal(new byte[] { 230, 159, 0 }, Pixel(9, 0));   // FP, orange
        Assert.Equal(new byte[] { 0, 0, 0 }, Pixel(8, 1));       // TN, black
        Assert.Equal(new byte[] { 204, 121, 167 }, Pixel(9, 1)); // FN, reddish purple
    }
}
