using System.Globalization;
using System.Text.RegularExpressions;
using SimSeg.Core.IO;
using SimSeg.Segmentation.Demo;
using SimSeg.Simulation.Presets;

namespace SimSeg.Segmentation.Tests.Demo;

[Collection("tiny demo")]
public class DemoPipelineTests(TinyDemo demo)
{
    private static readonly string[] MethodNames = ["unet", "otsu", "adaptive", "mitometer"];

    [Fact]
    public void Run_TinyScale_WritesEveryProduct()
    {
        foreach (string file in new[]
        {
            "report.html", "demo.json", "metrics.csv", "timings.csv", "cell.tif", "truth.tif", "truth-classes.tif",
            "data/manifest.csv", "model/config.json", "model/model.safetensors", "model/train-log.csv", "model/train-curves.svg",
            "masks/unet.tif", "masks/unet.prob.tif", "masks/otsu.tif", "masks/adaptive.tif", "masks/mitometer.tif",
            "analysis/objects.csv", "analysis/branches.csv", "analysis/summary.csv", "analysis/labels/unet.tif", "analysis/labels/truth.tif",
            "analysis/plots/class_frequencies.svg", "analysis/plots/area_violin.svg", "analysis/plots/branch_lengths.svg",
        })
            Assert.True(File.Exists(demo[file]), file);
        var cell = TiffReader.Read(demo["cell.tif"]);
        Assert.Equal((256, 256, PixelType.UInt16), (cell.Width, cell.Height, cell.PixelType));
        Assert.Equal(42, cell.Calibration.PixelWidthNm, 3);
        Assert.Equal(200, File.ReadAllLines(demo["data/manifest.csv"]).Length - 1);
        Assert.Equal(demo["report.html"], demo.Result.ReportPath);
    }

    [Fact]
    public void Run_TinyScale_MetricsCsvHasEveryMethodWithScoresInUnitInterval()
    {
        var lines = File.ReadAllLines(demo["metrics.csv"]);
        Assert.Equal("method,miou,iou,f1,precision,recall,object_f1", lines[0]);
        Assert.Equal(MethodNames, lines.Skip(1).Select(l => l.Split(',')[0]));
        foreach (string line in lines.Skip(1))
            foreach (string value in line.Split(',').Skip(1))
                Assert.InRange(double.Parse(value, CultureInfo.InvariantCulture), 0, 1);
        Assert.Equal(MethodNames, demo.Result.Methods.Select(m => m.Name));
        Assert.Contains(demo.Result.BestBaseline.Name, new[] { "otsu", "adaptive", "mitometer" });
    }

    [Fact]
    public void Run_TinyScale_ReportIsSelfContainedWithTablesImagesAndCharts()
    {
        string html = File.ReadAllText(demo["report.html"]);
        Assert.StartsWith("<!DOCTYPE html>", html);

        // The metrics table: a row per method, headed by its name, with the scores.
        int table = html.IndexOf("<th scope=\"col\">Method</th>", StringComparison.Ordinal);
        Assert.True(table > 0, "the metrics table is missing");
        string metrics = html[table..html.IndexOf("</table>", table, StringComparison.Ordinal)];
        foreach (string column in new[] { "mIoU", "F1", "Precision", "Recall", "Object F1" })
            Assert.Contains($">{column}</th>", metrics);
        foreach (var m in demo.Result.Methods)
            Assert.Contains($"<tr><th scope=\"row\">{m.Label}</th><td class=\"num\">", metrics);
        Assert.Contains("<strong>", metrics);

        // Pictures as PNG data URIs, charts as inline SVG, nothing loaded from elsewhere.
        var images = Regex.Matches(html, "<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\" width=\"(\\d+)\" height=\"(\\d+)\"");
        Assert.True(images.Count >= 12, $"{images.Count} images"); // input, truth, 4 methods, classes, 6 crops
        foreach (Match image in images)
        {
            byte[] png = Convert.FromBase64String(image.Groups[1].Value);
            Assert.Equal(0x89, png[0]);
            Assert.InRange(int.Parse(image.Groups[2].Value, CultureInfo.InvariantCulture), 1, 128); // 256² shrunk to the 128 px display size
        }
        Assert.True(Regex.Matches(html, "<svg ").Count >= 3, "training curves, class frequencies and area violins");
        foreach (string forbidden in new[] { "<script", "<link", "src=\"http", "href=", "@import", "<?xml" })
            Assert.DoesNotContain(forbidden, html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("simseg demo --out tiny &lt;test&gt;", html); // the command line, escaped
        Assert.Contains("true positive", html);
    }

    [Fact]
    public void Run_TinyScale_ReportsEveryStageInOrderAndTimesIt()
    {
        var stages = demo.Progress.Select(p => p.Stage).Distinct().ToArray();
        Assert.Equal(Enum.GetValues<DemoStage>(), stages);
        Assert.Equal(Enum.GetValues<DemoStage>(), demo.Result.Timings.Select(t => t.Stage));
        Assert.All(demo.Result.Timings, t => Assert.True(t.Seconds >= 0));
        var timings = File.ReadAllLines(demo["timings.csv"]);
        Assert.Equal("stage,seconds,detail", timings[0]);
        Assert.StartsWith("total,", timings[^1]);
        Assert.Single(demo.Result.Training.History);
        Assert.Contains("\"format\": \"simseg-demo\"", File.ReadAllText(demo["demo.json"]));
    }

    [Fact]
    public void Run_TinyScale_AnalysesTheUNetAndTheTruth()
    {
        var objects = File.ReadAllLines(demo["analysis/objects.csv"]);
        // One epoch of a tiny network may find nothing yet; the rows must match whatever it found.
        Assert.Equal(demo.Result.UNetAnalysis.Objects.Count, objects.Count(l => l.StartsWith("U-Net,unet,", StringComparison.Ordinal)));
        Assert.Equal(demo.Result.TruthAnalysis.Objects.Count, objects.Count(l => l.StartsWith("ground truth,truth,", StringComparison.Ordinal)));
        Assert.True(demo.Result.TruthAnalysis.Objects.Count > 0);
        Assert.True(demo.Result.Cell.Mitochondria > 0 && demo.Result.Cell.Vesicles > 0);
    }

    [Fact]
    public void PrepareOutput_PreviousDemo_RemovesItsProducts()
    {
        string dir = Path.Combine(Path.GetTempPath(), "simseg-demo-prepare-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "model"));
            File.WriteAllText(Path.Combine(dir, "model", "train-state.safetensors"), "x");
            Assert.Throws<ArgumentException>(() => DemoPipeline.PrepareOutput(dir)); // not a demo's folder: left alone
            Assert.True(File.Exists(Path.Combine(dir, "model", "train-state.safetensors")));
            File.WriteAllText(Path.Combine(dir, DemoPipeline.MarkerFileName), "{}");
            DemoPipeline.PrepareOutput(dir);
            Assert.False(Directory.Exists(Path.Combine(dir, "model")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void CheckOutput_File_Throws()
    {
        string file = Path.GetTempFileName();
        try
        {
            var ex = Assert.Throws<ArgumentException>(() => DemoPipeline.CheckOutput(file));
            Assert.Contains("is a file", ex.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Validate_MinutesNotPositive_Throws(double minutes)
    {
        var ex = Assert.Throws<ArgumentException>(() => (TinyDemo.Small("x") with { Minutes = minutes }).Validate());
        Assert.Contains("--minutes", ex.Message);
    }

    [Fact]
    public void Validate_TileNotMultipleOfDepth_Throws()
    {
        Assert.Throws<ArgumentException>(() => (TinyDemo.Small("x") with { TileSize = 60 }).Validate());
        Assert.Throws<ArgumentException>(() => (TinyDemo.Small("x") with { CellSize = 32 }).Validate());
    }

    [Fact]
    public void PlannedTrainingImages_FollowsTheBudget()
    {
        Assert.Equal(1500, new DemoOptions { OutputDirectory = "x" }.PlannedTrainingImages);
        Assert.Equal(600, new DemoOptions { OutputDirectory = "x", Minutes = 4 }.PlannedTrainingImages);
        Assert.Equal(100, new DemoOptions { OutputDirectory = "x", Minutes = 0.1 }.PlannedTrainingImages);
        Assert.Equal(200, TinyDemo.Small("x").PlannedTrainingImages);
    }

    [Fact]
    public void CellObjectCounts_Epi1Mixed_ScalesThePresetDensityToTheCell()
    {
        var scene = PresetCatalog.Load("epi1-mixed").Scene; // 1-2 mitochondria, 1-4 vesicles per 128² field
        Assert.Equal((48, 80), DemoPipeline.CellObjectCounts(scene, 1024, 1024, 0.5));
        Assert.Equal((1, 1), DemoPipeline.CellObjectCounts(scene, 64, 64, 0.5));
        Assert.Equal((3, 0), DemoPipeline.CellObjectCounts(PresetCatalog.Load("epi1-mito").Scene, 256, 256, 0.5)); // 1.5 x 4 fields x 0.5; no vesicles
    }
}
