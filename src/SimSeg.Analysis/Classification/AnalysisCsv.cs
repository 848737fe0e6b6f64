using System.Globalization;
using System.Text;
using SimSeg.Core.IO;

namespace SimSeg.Analysis.Classification;

/// <summary>One analysed image with the names it is filed under in tidy tables.</summary>
/// <param name="Analysis">The analysis.</param>
/// <param name="Image">Image name (file name or id); null leaves the column empty.</param>
/// <param name="Condition">Experimental condition; null leaves the column empty.</param>
public sealed record NamedAnalysis(ImageAnalysis Analysis, string? Image = null, string? Condition = null);

/// <summary>
/// Tidy CSV tables of <see cref="ImageAnalysis"/> results — one row per object, branch or statistic, the first
/// columns <c>condition,image</c> — written with invariant culture (dot decimals, round-trip doubles, NaN as an
/// empty field) and atomically (<see cref="AtomicFile"/>): a reader sees the old file or the whole new one.
/// </summary>
public static class AnalysisCsv
{
    /// <summary>Column names of <see cref="WriteObjects(string, IEnumerable{NamedAnalysis})"/>.</summary>
    public static readonly IReadOnlyList<string> ObjectColumns =
    [
        "condition", "image", "label", "kind", "class", "area_px", "area_um2", "perimeter_px", "perimeter_um",
        "centroid_x_px", "centroid_y_px", "bbox_x", "bbox_y", "bbox_width", "bbox_height",
        "major_axis_px", "minor_axis_px", "major_axis_um", "minor_axis_um", "orientation_rad", "eccentricity",
        "convex_area_px", "solidity", "equivalent_diameter_px", "equivalent_diameter_um",
        "mean_intensity", "integrated_intensity", "skeleton_pixels", "skeleton_length_um", "branches", "endpoints",
        "junctions", "loops", "max_degree", "fitted_radius_nm",
    ];

    /// <summary>Column names of <see cref="WriteBranches(string, IEnumerable{NamedAnalysis})"/>.</summary>
    public static readonly IReadOnlyList<string> BranchColumns = ["condition", "image", "label", "branch", "type", "length_px", "length_um"];

    /// <summary>Column names of <see cref="WriteSummary(string, IEnumerable{NamedAnalysis})"/>.</summary>
    public static readonly IReadOnlyList<string> SummaryColumns = ["condition", "image", "quantity", "group", "n", "mean", "std"];

    /// <summary>Writes the object table of one image.</summary>
    public static void WriteObjects(string path, ImageAnalysis analysis, string? condition = null, string? image = null) =>
        WriteObjects(path, [new NamedAnalysis(analysis, image, condition)]);

    /// <summary>Writes the object tables of several images into one file.</summary>
    public static void WriteObjects(string path, IEnumerable<NamedAnalysis> analyses) =>
        Write(path, ObjectColumns, analyses, (a, add) =>
        {
            foreach (var o in a.Analysis.Objects)
            {
                var p = o.Props;
                var u = o.PropsUm;
                add([
                    I(o.Label), AnalysisNames.Of(o.Kind), o.ClassName, I(p.Area), D(u.AreaUm2), D(p.Perimeter), D(u.PerimeterUm),
                    D(p.CentroidX), D(p.CentroidY), I(p.BoundingBox.X), I(p.BoundingBox.Y), I(p.BoundingBox.Width), I(p.BoundingBox.Height),
                    D(p.MajorAxisLength), D(p.MinorAxisLength), D(u.MajorAxisUm), D(u.MinorAxisUm), D(p.Orientation), D(p.Eccentricity),
                    D(p.ConvexArea), D(p.Solidity), D(p.EquivalentDiameter), D(u.EquivalentDiameterUm),
                    D(p.MeanIntensity), D(p.IntegratedIntensity), I(o.SkeletonPixels), D(o.SkeletonLengthUm), I(o.BranchCount),
                    I(o.EndpointCount), I(o.JunctionCount), I(o.LoopCount), I(o.MaxDegree), D(o.FittedRadiusNm),
                ]);
            }
        });

    /// <summary>Writes the branch table of one image.</summary>
    public static void WriteBranches(string path, ImageAnalysis analysis, string? condition = null, string? image = null) =>
        WriteBranches(path, [new NamedAnalysis(analysis, image, condition)]);

    /// <summary>Writes the branch tables of several images into one file.</summary>
    public static void WriteBranches(string path, IEnumerable<NamedAnalysis> analyses) =>
        Write(path, BranchColumns, analyses, (a, add) =>
        {
            foreach (var b in a.Analysis.Branches)
                add([I(b.Label), I(b.BranchId), AnalysisNames.Of(b.Type), D(b.LengthPx), D(b.LengthUm)]);
        });

    /// <summary>Writes the summary table of one image.</summary>
    public static void WriteSummary(string path, ImageAnalysis analysis, string? condition = null, string? image = null) =>
        WriteSummary(path, [new NamedAnalysis(analysis, image, condition)]);

    /// <summary>Writes the summary tables of several images into one file.</summary>
    public static void WriteSummary(string path, IEnumerable<NamedAnalysis> analyses) =>
        Write(path, SummaryColumns, analyses, (a, add) =>
        {
            foreach (var s in a.Analysis.Summary)
                add([s.Quantity, s.Group, I(s.Count), D(s.Mean), D(s.Std)]);
        });

    private static void Write(string path, IReadOnlyList<string> columns, IEnumerable<NamedAnalysis> analyses, Action<NamedAnalysis, Action<string[]>> rows)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(analyses);
        var list = analyses.ToList();
        if (list.Any(a => a is null || a.Analysis is null))
            throw new ArgumentException("analyses must not contain null entries.", nameof(analyses));
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            writer.WriteLine(string.Join(',', columns));
            foreach (var a in list)
            {
                string prefix = CsvLine.Quote(a.Condition ?? "") + "," + CsvLine.Quote(a.Image ?? "") + ",";
                rows(a, fields => writer.WriteLine(prefix + string.Join(',', fields.Select(CsvLine.Quote))));
            }
        });
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string D(double? value) =>
        value is double v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";
}
