using System.Globalization;
using System.Runtime.InteropServices;
using SimSeg.Analysis.Classification;
using SimSeg.Analysis.Reports;
using SimSeg.Core.Imaging;
using SimSeg.Core.IO;
using SimSeg.Segmentation.Metrics;
using SimSeg.Segmentation.Models;
using SimSeg.Segmentation.Training;
using SimSeg.Simulation.Presets;

namespace SimSeg.Segmentation.Demo;

/// <summary>The report's pictures, encoded once.</summary>
/// <param name="Input">The cell, auto-contrasted.</param>
/// <param name="Truth">The ground truth over the cell, coloured by class.</param>
/// <param name="Methods">Each method's outcome picture by short name.</param>
/// <param name="Classes">The U-Net's objects coloured by morphology class.</param>
/// <param name="Details">Full-resolution crops: input, truth, then each method.</param>
/// <param name="Detail">The crop's corner and side, pixels.</param>
/// <param name="Factor">How much the whole-cell pictures were shrunk.</param>
internal sealed record DemoPictures(HtmlFragment Input, HtmlFragment Truth, IReadOnlyDictionary<string, HtmlFragment> Methods, HtmlFragment Classes,
    IReadOnlyList<HtmlFigure> Details, (int X, int Y, int Side) Detail, int Factor);

/// <summary>
/// Composes report.html of a demo run: a summary with the headline scores, the cell, the ground truth and each
/// method's outcome (true positives, false positives, false negatives in colour-blind-safe colours), the score table,
/// the training curves, the morphology of the U-Net's objects against the truth's, and how the run was made.
/// </summary>
internal static class DemoReport
{
    private static readonly byte[][] TruthPalette = [[0, 158, 115], [240, 228, 66]]; // mitochondria bluish green, vesicles yellow (Okabe–Ito)

    private static string F(double value, string format = "0.000") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Encodes every picture of the report.</summary>
    public static DemoPictures Pictures(DemoArtifacts artifacts, IReadOnlyList<DemoMethod> methods, ImageAnalysis unetAnalysis, int displaySize)
    {
        var field = artifacts.Field;
        int w = field.Image.Width, h = field.Image.Height;
        byte[] gray = Preview.AutoContrast(field.Image);
        var truth = field.Physics.Mask;
        int factor = ReportImages.FactorToFit(w, h, displaySize);
        string scale = factor == 1 ? "" : $", shown at 1/{factor} scale";

        HtmlFragment Picture(byte[] pixels, int channels, string alt)
        {
            var (small, sw, sh) = ReportImages.Downscale(pixels, w, h, channels, factor);
            return Html.PngImage(ReportImages.Png(small, sw, sh, channels), sw, sh, alt);
        }

        var classesOfTruth = field.Physics.Classes.Data;
        var truthRgb = ReportImages.Paint(gray, classesOfTruth, TruthPalette);
        var outcomes = methods.ToDictionary(m => m.Name, m => ReportImages.Paint(gray, OutcomeMap.Of(artifacts.Masks[m.Name], truth), OutcomeMap.Palette));

        var classOf = new Dictionary<int, byte>();
        foreach (var o in unetAnalysis.Objects) classOf[o.Label] = (byte)(AnalysisPlots.ClassIndex(o.ClassName) + 1);
        var classLabels = new byte[w * h];
        for (int i = 0; i < classLabels.Length; i++)
            classLabels[i] = artifacts.UNetLabels.Data[i] is int label and > 0 && classOf.TryGetValue(label, out byte c) ? c : (byte)0;
        var classesRgb = ReportImages.Paint(gray, classLabels, AnalysisPlots.ClassPalette);

        // The detail: the crop (on a half-crop grid) with the most ground-truth foreground.
        int side = Math.Min(256, Math.Min(w, h) / 2);
        var (dx, dy) = BusiestWindow(truth, side);
        HtmlFigure Crop(byte[] pixels, int channels, string caption)
        {
            var crop = ReportImages.Crop(pixels, w, h, channels, dx, dy, side, side);
            return new HtmlFigure(Html.PngImage(ReportImages.Png(crop, side, side, channels), side, side, caption, "pixelated"), caption);
        }
        var details = new List<HtmlFigure> { Crop(gray, 1, "Input"), Crop(truthRgb, 3, "Ground truth") };
        details.AddRange(methods.Select(m => Crop(outcomes[m.Name], 3, m.Label)));

        return new DemoPictures(
            Picture(gray, 1, $"The simulated cell, {w} × {h} pixels, auto-contrast{scale}"),
            Picture(truthRgb, 3, "Ground truth: mitochondria and vesicles"),
            methods.ToDictionary(m => m.Name, m => Picture(outcomes[m.Name], 3, $"{m.Label}: true positives, false positives and false negatives")),
            Picture(classesRgb, 3, "U-Net objects coloured by morphology class"),
            details, (dx, dy, side), factor);
    }

    /// <summary>The top-left corner of the side × side window, on a grid of half-window steps, holding the most foreground.</summary>
    private static (int X, int Y) BusiestWindow(Image<byte> mask, int side)
    {
        int w = mask.Width, h = mask.Height, step = Math.Max(1, side / 2);
        var integral = new long[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++)
        {
            long row = 0;
            for (int x = 0; x < w; x++)
            {
                row += mask.Data[y * w + x] != 0 ? 1 : 0;
                integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + row;
            }
        }
        long Sum(int x0, int y0) => integral[(y0 + side) * (w + 1) + x0 + side] - integral[y0 * (w + 1) + x0 + side] - integral[(y0 + side) * (w + 1) + x0] + integral[y0 * (w + 1) + x0];
        (int X, int Y) best = (0, 0);
        long most = -1;
        for (int y = 0; y + side <= h; y += step)
            for (int x = 0; x + side <= w; x += step)
            {
                long s = Sum(x, y);
                if (s > most) (most, best) = (s, (x, y));
            }
        return best;
    }

    /// <summary>The report of <paramref name="result"/> with <paramref name="pictures"/>.</summary>
    public static HtmlReport Build(DemoResult result, DemoPictures pictures, Preset preset)
    {
        var o = result.Options;
        var cell = result.Cell;
        var unet = result.UNet;
        var best = result.BestBaseline;
        var provenance = result.Training.Config.Training;
        double trainSeconds = result.Timings.Where(t => t.Stage == DemoStage.Train).Sum(t => t.Seconds);
        double widthUm = cell.Width * cell.PixelSizeNm / 1000, heightUm = cell.Height * cell.PixelSizeNm / 1000;
        var report = new HtmlReport("Simulation-supervised segmentation of a simulated cell");

        double gain = unet.Score.MeanIoU - best.Score.MeanIoU;
        report.Paragraph(
            $"SimSeg simulated a {cell.Width} × {cell.Height} pixel image ({F(widthUm, "0.0")} × {F(heightUm, "0.0")} µm at {F(cell.PixelSizeNm, "0.#")} nm per pixel) " +
            $"of a cell holding {cell.Mitochondria} mitochondria and {cell.Vesicles} vesicles, as the {preset.Microscope.Name} microscope of preset {preset.Name} would record it: " +
            $"{cell.Emitters:N0} fluorophores on the membranes, blinking, blurred by the microscope's point spread function and recorded with photon shot noise and camera read noise. " +
            $"Its ground truth comes from the positions of the fluorophores, not from a person. " +
            $"A U-Net trained for {DemoPipeline.Clock(trainSeconds)} on {provenance?.TrainSamples} simulated {o.TileSize} × {o.TileSize} images " +
            $"({provenance?.ValidationSamples} more for validation) segmented it with " +
            $"mIoU {F(unet.Score.MeanIoU)} (F1 {F(unet.Score.Dice)}), against {F(best.Score.MeanIoU)} (F1 {F(best.Score.Dice)}) for the best classical method, {best.Label} " +
            $"({(gain >= 0 ? "+" : "−")}{F(Math.Abs(gain))} mIoU).", "summary");
        report.Paragraph($"Made by SimSeg {ModelBundle.SimSegVersion} in {DemoPipeline.Clock(result.Seconds)} with the command below. The same seed gives the same " +
            "training images and the same cell; the U-Net trains for a time budget, so how far it gets, and its scores, depend on the speed of the machine.", "note");
        report.Preformatted(CommandLine(result));

        // The cell.
        report.Section("The simulated cell");
        report.Figure(new HtmlFigure(pictures.Input, $"The image as the camera records it ({cell.Width} × {cell.Height} px, auto-contrast 0.5–99.5 percentiles" +
            (pictures.Factor > 1 ? $", shown at 1/{pictures.Factor} scale by block averages)." : ")." ) +
            $" Background {F(cell.BackgroundPhotons, "0")} photons per pixel, signal-to-background {F(cell.SignalToBackground, "0.0")}."));

        // Segmentations.
        report.Section("Segmentations");
        report.Paragraph("The ground truth, coloured by object class, and each method's mask against it: every pixel a method marks is either right (a true positive) " +
            "or extra (a false positive); every true pixel it leaves out is missed (a false negative)." +
            (cell.Vesicles > 0 ? " The ground truth holds every labelled structure, including vesicles up to " +
                $"{F(preset.Scene.Vesicles.ZRangeNm.Max / 1000, "0.0#")} µm from the focal plane that are barely visible, so no method finds them all." : ""));
        report.Legend([("mitochondrion (truth)", TruthPalette[0]), ("vesicle (truth)", TruthPalette[1]),
            .. OutcomeMap.Legend]);
        var figures = new List<HtmlFigure> { new(pictures.Truth, $"Ground truth: {cell.Mitochondria} mitochondria and {cell.Vesicles} vesicles, {F(100 * cell.ForegroundFraction, "0.0")}% of the pixels.") };
        figures.AddRange(result.Methods.Select(m => new HtmlFigure(pictures.Methods[m.Name],
            $"{m.Label}: mIoU {F(m.Score.MeanIoU)}, F1 {F(m.Score.Dice)}, precision {F(m.Score.Precision)}, recall {F(m.Score.Recall)}.")));
        report.Figures(figures, wide: true);
        var (dx, dy, side) = pictures.Detail;
        report.Section("Detail at full resolution", 3);
        report.Paragraph($"The {side} × {side} pixel region at x = {dx}, y = {dy} ({F(side * cell.PixelSizeNm / 1000, "0.0")} µm across), where the ground truth is densest.", "note");
        report.Figures(pictures.Details);

        // Scores.
        report.Section("Scores against the ground truth");
        string[] columns = ["Method", "mIoU", "IoU", "F1", "Precision", "Recall", "Object F1", "Time (s)"];
        var values = result.Methods.Select(m => (IReadOnlyList<double>)[m.Score.MeanIoU, m.Score.IoU, m.Score.Dice, m.Score.Precision, m.Score.Recall, m.Score.ObjectF1, m.Seconds]).ToList();
        var table = HtmlTable.WithBestInBold(columns, result.Methods.Select(m => m.Label).ToList(), values,
            boldColumns: [true, true, true, true, true, true, false], formats: ["0.000", "0.000", "0.000", "0.000", "0.000", "0.000", "0.0"])
            with { Caption = "Best value of each score in bold." };
        report.Table(table);
        report.Paragraph("mIoU is the mean of the foreground and background intersection over union (PhySeg, Table 1); IoU is the foreground's alone; F1 is the " +
            "foreground F1 (Dice); precision and recall count pixels; object F1 matches 8-connected objects at IoU ≥ 0.5. Time is the segmentation of the " +
            "whole cell on this machine (the U-Net's excludes training).", "note");

        // Training.
        report.Section("Training");
        string curves = Path.Combine(result.Training.OutputDirectory, TrainingLog.PlotFileName);
        if (File.Exists(curves)) report.Figure(new HtmlFigure(Html.Svg(File.ReadAllText(curves)), "Training loss (Dice + focal), validation loss and validation mIoU per epoch."));
        var history = result.Training.History;
        long steps = provenance?.Steps ?? 0;
        report.Table(new HtmlTable
        {
            Columns = ["Training", ""],
            Rows =
            [
                ["training images", $"{provenance?.TrainSamples} (validation: {provenance?.ValidationSamples}, scored on the first {Math.Min(o.ValidationImages, provenance?.ValidationSamples ?? 0)} after each epoch)"],
                ["epochs", $"{provenance?.EpochsRun} ({steps} steps of {o.BatchSize} images: {steps * o.BatchSize:N0} images seen)"],
                ["best validation mIoU", $"{F(provenance?.BestValidationMeanIoU ?? double.NaN)} (F1 {F(provenance?.BestValidationF1 ?? double.NaN)}) at epoch {provenance?.BestEpoch}; these weights segment the cell"],
                ["stopped by", DemoPipeline.StopReason(result.Training.Stop)],
                ["time", DemoPipeline.Clock(trainSeconds) + (history.Count > 0 ? $" ({F(history[^1].Seconds / Math.Max(1, steps), "0.00")} s per step)" : "")],
            ],
        });

        // Morphology.
        report.Section("Morphology");
        report.Paragraph("Every object of the U-Net's mask, and of the ground truth for comparison, is skeletonised and classed by PhySeg's rules: a round, " +
            "convex, unbranched object of at most 1 µm is a vesicle, small if the radius of its fitted circle is at most 150 nm, else large; other objects are " +
            "mitochondria: a dot if its area is at most 120 pixels and its skeleton unbranched, a rod if larger and unbranched, a network if branched or looped. " +
            "Objects that touch or overlap in the image merge into one.");
        report.Table(MorphologyTable(result.UNetAnalysis, result.TruthAnalysis));
        var named = new List<NamedAnalysis> { new(result.UNetAnalysis, "unet", "U-Net"), new(result.TruthAnalysis, "truth", "ground truth") };
        report.Figures([
            new HtmlFigure(Html.Svg(AnalysisPlots.ClassFrequencies(named)), "Objects per class in the U-Net's mask and in the ground truth."),
            new HtmlFigure(pictures.Classes, "The U-Net's objects coloured by class (legend below)."),
        ], wide: true);
        report.Legend(AnalysisPlots.ClassOrder.Select((c, i) => (ClassWord(c), AnalysisPlots.ClassPalette[i])));
        // Violins coloured by source as the bars are (U-Net blue, truth orange); the groups come source by source.
        int classes = AnalysisPlots.ClassesPresent(named).Length;
        var violinColours = Enumerable.Repeat(Analysis.Plots.Palette.Blue, classes).Concat(Enumerable.Repeat(Analysis.Plots.Palette.Orange, classes)).ToArray();
        report.Figure(new HtmlFigure(Html.Svg(AnalysisPlots.AreaViolins(named, new Analysis.Plots.ViolinOptions { Width = 980, Height = 440, Colors = violinColours })),
            "Object areas per class, in the U-Net's mask and in the ground truth (violins: density; bar: quartiles; dot: median; n: objects)."));

        // How it was made.
        report.Section("How this was made");
        report.Table(Parameters(result, preset));
        report.Section("Time per stage", 3);
        report.Table(Timings(result));
        report.Section("The same steps as separate commands", 3);
        report.Paragraph("The demo runs these steps in one process; with the separate commands they read as follows (the cell image has no command of its own: " +
            "it is the preset's scene generator with the object counts above).", "note");
        report.Preformatted(EquivalentCommands(result, preset));
        report.Section("Files", 3);
        report.List([
            Files("data/", "the simulated training set (images, masks, instances, classes, meta, manifest.csv)"),
            Files("model/", "the trained U-Net (config.json, model.safetensors), train-log.csv, train-curves.svg"),
            Files("cell.tif, truth.tif, truth-classes.tif", "the cell image (uint16), its physics ground truth (0/1) and classes (1 mitochondrion, 2 vesicle)"),
            Files("masks/", "each method's mask (0/1 TIFF) and the U-Net's probabilities (unet.prob.tif)"),
            Files("metrics.csv, timings.csv", "the scores above and the time per stage"),
            Files("analysis/", "objects.csv, branches.csv, summary.csv, labels/, plots/"),
            Files("demo.json", "settings and results of this run"),
        ]);
        return report;
    }

    private static string Kebab(string name) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(name);

    private static HtmlFragment Files(string names, string what) => Html.Concat([Html.Element("code", names), Html.Text(": " + what)]);

    private static string ClassWord(string name) => name switch
    {
        "small" => "small vesicle",
        "large" => "large vesicle",
        _ => name + " (mitochondrion)",
    };

    private static HtmlTable MorphologyTable(ImageAnalysis unet, ImageAnalysis truth)
    {
        var rows = new List<IReadOnlyList<HtmlCell>>();
        string MeanArea(ImageAnalysis a, string c)
        {
            var areas = a.Objects.Where(x => x.ClassName == c).Select(x => x.PropsUm.AreaUm2).ToArray();
            return areas.Length == 0 ? "–" : F(areas.Average(), "0.000");
        }
        foreach (string c in AnalysisPlots.ClassOrder)
            rows.Add([ClassWord(c), unet.Objects.Count(x => x.ClassName == c).ToString(CultureInfo.InvariantCulture), truth.Objects.Count(x => x.ClassName == c).ToString(CultureInfo.InvariantCulture),
                MeanArea(unet, c), MeanArea(truth, c)]);
        rows.Add([new HtmlCell("all objects", true), new HtmlCell(unet.Objects.Count.ToString(CultureInfo.InvariantCulture), true), new HtmlCell(truth.Objects.Count.ToString(CultureInfo.InvariantCulture), true), "", ""]);
        return new HtmlTable
        {
            Columns = ["Class", "U-Net objects", "Truth objects", "U-Net mean area (µm²)", "Truth mean area (µm²)"],
            Rows = rows,
            NumericColumns = new HashSet<int> { 1, 2, 3, 4 },
            Caption = "Objects per class and their mean area.",
        };
    }

    private static HtmlTable Parameters(DemoResult result, Preset preset)
    {
        var o = result.Options;
        var cell = result.Cell;
        var t = result.Training.Config.Training;
        var a = result.Training.Config.Architecture;
        var optics = preset.Microscope.Optics;
        var rows = new List<IReadOnlyList<HtmlCell>>
        {
            new HtmlCell[] { "seed", o.Seed.ToString(CultureInfo.InvariantCulture) },
            new HtmlCell[] { "budget", $"{F(o.Minutes, "0.##")} min; used {DemoPipeline.Clock(result.Seconds)}" },
            new HtmlCell[] { "preset", $"{preset.Name}: {preset.Description}" },
            new HtmlCell[] { "microscope", $"{preset.Microscope.Name}, {Kebab(optics.Model.ToString())} PSF, NA {F(optics.NumericalAperture, "0.##")}, emission {F(optics.EmissionWavelengthNm, "0")} nm, {F(preset.Microscope.PixelSizeNm, "0.#")} nm pixels" },
            new HtmlCell[] { "labelling", $"{Kebab(preset.Labelling.Mode.ToString())} labelling, {F(preset.Labelling.SurfaceDensityPerUm2, "0")} fluorophores per µm²; blinking {F(preset.Photokinetics.MeanOnTimeMs, "0")} ms on, {F(preset.Photokinetics.MeanOffTimeMs, "0")} ms off, {F(preset.Photokinetics.ExposureMs, "0")} ms exposure" },
            new HtmlCell[] { "camera", $"background {preset.Camera.BackgroundPhotons.Min:0}–{preset.Camera.BackgroundPhotons.Max:0} photons, signal-to-background {preset.Camera.SignalToBackground.Min:0.#}–{preset.Camera.SignalToBackground.Max:0.#}, read noise {F(preset.Camera.ReadNoiseElectrons, "0.0#")} e⁻" },
            new HtmlCell[] { "cell", $"{cell.Width} × {cell.Height} px, {cell.Mitochondria} mitochondria, {cell.Vesicles} vesicles ({F(o.CellDensity, "0.##")} × the preset's density), {cell.Emitters:N0} fluorophores" },
            new HtmlCell[] { "training set", $"{result.TrainingImages} images of {o.TileSize} × {o.TileSize} px, 80% training, 20% validation, physics ground truth" },
            new HtmlCell[] { "network", $"{a.Name}: {a.BaseChannels} channels doubling per level, depth {a.Depth}, {a.InChannels} input channel" },
            new HtmlCell[] { "training", $"Adam, learning rate {F(t?.LearningRate ?? 0, "0.####")} (halved after 2 epochs without a better validation mIoU), batch {o.BatchSize}, loss Dice + focal, " +
                $"augmentations {string.Join(", ", t?.Augmentations ?? [])}; at most {o.Epochs} epochs, early stopping after 8 epochs without improvement" },
            new HtmlCell[] { "inference", "tiles of 256 px with 32 px overlap, blended with a raised-cosine window; threshold 0.5" },
        };
        rows.AddRange(result.Methods.Where(m => m.Name != "unet").Select(m => (IReadOnlyList<HtmlCell>)[m.Label, m.Description]));
        rows.Add(["analytics", "8-connected objects; class rule of PhySeg (dot ≤ 120 px, vesicle radius ≤ 150 nm is small); vesicle or mitochondrion decided per object by shape"]);
        rows.Add(["software", $"SimSeg {ModelBundle.SimSegVersion}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription} ({RuntimeInformation.ProcessArchitecture})"]);
        rows.Add(["machine", $"{Environment.ProcessorCount} logical cores, {o.Threads} thread(s) used"]);
        rows.Add(["date", t?.Date ?? ""]);
        return new HtmlTable { Columns = ["Parameter", "Value"], Rows = rows };
    }

    private static HtmlTable Timings(DemoResult result)
    {
        var rows = result.Timings.Select(t => (IReadOnlyList<HtmlCell>)[DemoPipeline.StageName(t.Stage), F(t.Seconds, "0.0"), t.Detail]).ToList();
        rows.Add([new HtmlCell("total", true), new HtmlCell(F(result.Seconds, "0.0"), true), $"budget {F(result.Options.Minutes * 60, "0")} s"]);
        return new HtmlTable { Columns = ["Stage", "Seconds", "What"], Rows = rows, NumericColumns = new HashSet<int> { 1 } };
    }

    private static string CommandLine(DemoResult result) => result.Options.CommandLine ??
        string.Create(CultureInfo.InvariantCulture, $"simseg demo --out {result.Options.OutputDirectory} --minutes {result.Options.Minutes} --seed {result.Options.Seed} --size {result.Options.CellSize} --threads {result.Options.Threads}");

    private static string EquivalentCommands(DemoResult result, Preset preset)
    {
        var o = result.Options;
        var a = result.Training.Config.Architecture;
        var c = CultureInfo.InvariantCulture;
        string dir = o.OutputDirectory;
        double trainMinutes = result.Timings.Where(t => t.Stage == DemoStage.Train).Sum(t => t.Seconds) / 60;
        return string.Join("\n",
            string.Create(c, $"simseg simulate --preset {preset.Name} --count {result.TrainingImages} --tile {o.TileSize} --split 0.8,0.2,0 --seed {o.Seed} --compression deflate --out {Path.Combine(dir, "data")}"),
            string.Create(c, $"simseg train --data {Path.Combine(dir, "data")} --out {Path.Combine(dir, "model")} --arch {a.Name} --channels {a.BaseChannels} --depth {a.Depth} --batch {o.BatchSize} --seed {o.Seed} --epochs {o.Epochs} --val-images {o.ValidationImages} --test-images 0 --max-minutes {trainMinutes:0.#}"),
            $"simseg segment {Path.Combine(dir, "cell.tif")} --model {Path.Combine(dir, "model")} --tile 256 --overlap 32 --out unet",
            $"simseg segment {Path.Combine(dir, "cell.tif")} --method otsu --sigma 1 --out otsu",
            $"simseg segment {Path.Combine(dir, "cell.tif")} --method adaptive --block-size 51 --offset 0 --out adaptive",
            $"simseg segment {Path.Combine(dir, "cell.tif")} --method mitometer --out mitometer",
            $"simseg analyze unet/cell.tif --kind auto --out {Path.Combine(dir, "analysis")}");
    }
}
