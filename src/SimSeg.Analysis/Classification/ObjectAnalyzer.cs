using SimSeg.Analysis.Labels;
using SimSeg.Core.Imaging;
using SimSeg.Shapes.Skeletons;

namespace SimSeg.Analysis.Classification;

/// <summary>
/// PhySeg's 2D morphology analytics (Sekh et al., Nat. Mach. Intell. 2021, Methods): each object is measured
/// (<see cref="Measure.RegionProps"/>), skeletonised on its own (<see cref="Morphology.Morphology.Skeletonize"/>),
/// turned into a graph of endpoints, junctions and branches (<see cref="SkeletonGraph"/>, which in one plane is
/// 8-connected), and classed.
/// </summary>
/// <remarks>
/// Mitochondria: <see cref="MorphologyClassifier.ClassifyMito"/>. Vesicles: a Kåsa circle
/// (<see cref="CircleFit.Kasa"/>) is fitted to the centres of the object's boundary pixels (pixels with a
/// 4-neighbour outside the object) and half a pixel is added, since those centres lie half a pixel inside the
/// object's edge; objects too small or thin for a fit (fewer than three boundary pixels, or all on one line) use
/// the equivalent radius √(area/π) instead. The radius is classed by
/// <see cref="MorphologyClassifier.ClassifyVesicle"/>.
/// </remarks>
public static class ObjectAnalyzer
{
    /// <summary>Labels <paramref name="mask"/> with <see cref="AnalyzeOptions.Connectivity"/> and analyses the objects.</summary>
    /// <exception cref="ArgumentException">The mask is not a binary plane, the pixel size is unknown, or the intensity image does not match.</exception>
    public static ImageAnalysis Analyze(Image<byte> mask, AnalyzeOptions options, Image<float>? intensity = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (labels, _) = Measure.Label(mask, options.Connectivity);
        return Analyze(labels, options, intensity);
    }

    /// <summary>Analyses the objects of a label image (labels ≥ 0, 0 = background; one object per label).</summary>
    /// <exception cref="ArgumentException">Several planes, a negative label, an unknown pixel size, or an intensity image that does not match.</exception>
    public static ImageAnalysis Analyze(Image<int> labels, AnalyzeOptions options, Image<float>? intensity = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        double pixelSizeNm = ResolvePixelSize(labels, options);
        var props = Measure.RegionProps(labels, intensity);
        var objects = ObjectPixels.Gather(labels);
        var rows = new ObjectRow[props.Count];
        var branches = new BranchRow[props.Count][];
        Parallel.For(0, props.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            (rows[i], branches[i]) = AnalyzeOne(props[i], objects.Pixels(i), labels.Width, pixelSizeNm, options));
        var branchRows = branches.SelectMany(b => b).ToArray();
        return new ImageAnalysis(pixelSizeNm, rows, branchRows, Summarise(rows, branchRows, options.Kind));
    }

    private static double ResolvePixelSize(Image<int> labels, AnalyzeOptions options)
    {
        if (options.PixelSizeNm is double given)
        {
            Core.Guard.Positive(given, "options.PixelSizeNm");
            return given;
        }
        var c = labels.Calibration;
        if (!c.IsKnown)
            throw new ArgumentException("options.PixelSizeNm is null and the image has no calibration; give the pixel size in nm.", nameof(options));
        if (Math.Abs(c.PixelWidthNm - c.PixelHeightNm) > 1e-6 * c.PixelWidthNm)
            throw new ArgumentException($"pixels must be square, but the calibration is {c.PixelWidthNm} x {c.PixelHeightNm} nm; give options.PixelSizeNm to override.", nameof(options));
        return c.PixelWidthNm;
    }

    private static (ObjectRow Row, BranchRow[] Branches) AnalyzeOne(RegionProps p, ReadOnlySpan<int> pixels, int width, double pixelSizeNm, AnalyzeOptions options)
    {
        var box = p.BoundingBox;
        var crop = ObjectPixels.Crop(pixels, width, box);
        var skeleton = Morphology.Morphology.Thin(crop, box.Width, box.Height);
        int skeletonPixels = 0;
        foreach (byte b in skeleton) skeletonPixels += b;
        var graph = SkeletonGraph.Build(new Image<byte>(box.Width, box.Height, 1, skeleton), Calibration.Square(pixelSizeNm));
        int maxDegree = graph.Nodes.Count == 0 ? 0 : graph.Nodes.Max(n => n.Degree);
        var um = p.InMicrons(pixelSizeNm);

        var kind = options.Kind switch
        {
            AnalysisKind.Vesicle => ObjectKind.Vesicle,
            AnalysisKind.Auto when IsVesicleShaped(p, graph, pixelSizeNm, options.Auto) => ObjectKind.Vesicle,
            _ => ObjectKind.Mitochondrion,
        };
        MitoClass? mito = null;
        VesicleClass? vesicle = null;
        double? radiusNm = null;
        if (kind == ObjectKind.Mitochondrion)
            mito = MorphologyClassifier.ClassifyMito(p.Area, um.AreaUm2, maxDegree, graph.LoopCount, options.Mito);
        else
        {
            radiusNm = FittedRadiusPx(crop, box) * pixelSizeNm;
            vesicle = MorphologyClassifier.ClassifyVesicle(radiusNm.Value, options.Vesicle);
        }

        var branchRows = graph.Branches
            .Select(b => new BranchRow(p.Label, b.Id, b.Type, b.LengthNm / pixelSizeNm, b.LengthNm / 1000))
            .ToArray();
        var row = new ObjectRow(p.Label, kind, p, um, skeletonPixels, graph.TotalLengthNm / 1000, graph.BranchCount,
            graph.EndpointCount, graph.JunctionCount, graph.LoopCount, maxDegree, mito, vesicle, radiusNm);
        return (row, branchRows);
    }

    private static bool IsVesicleShaped(RegionProps p, SkeletonGraph graph, double pixelSizeNm, AutoKindRule rule) =>
        p.Solidity >= rule.MinSolidity && p.Eccentricity <= rule.MaxEccentricity && graph.JunctionCount == 0
        && graph.LoopCount == 0 && p.EquivalentDiameter * pixelSizeNm <= rule.MaxDiameterNm;

    /// <summary>Kåsa radius of the boundary pixel centres + ½ pixel, or the equivalent radius when no fit exists.</summary>
    private static double FittedRadiusPx(byte[] crop, PixelBox box)
    {
        int w = box.Width, h = box.Height, area = 0;
        var boundary = new List<(double X, double Y)>();
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                if (crop[y * w + x] == 0) continue;
                area++;
                bool inside = x > 0 && y > 0 && x < w - 1 && y < h - 1 && crop[y * w + x - 1] != 0 && crop[y * w + x + 1] != 0
                    && crop[(y - 1) * w + x] != 0 && crop[(y + 1) * w + x] != 0;
                if (!inside) boundary.Add((x, y));
            }
        return CircleFit.Kasa(boundary) is { } circle ? circle.Radius + 0.5 : Math.Sqrt(area / Math.PI);
    }

    private static List<SummaryRow> Summarise(ObjectRow[] rows, BranchRow[] branches, AnalysisKind kind)
    {
        var summary = new List<SummaryRow>();
        var groups = new List<string> { "all" };
        if (kind != AnalysisKind.Vesicle) groups.AddRange(Enum.GetValues<MitoClass>().Select(AnalysisNames.Of));
        if (kind != AnalysisKind.Mito) groups.AddRange(Enum.GetValues<VesicleClass>().Select(AnalysisNames.Of));
        foreach (string g in groups)
        {
            var members = rows.Where(r => g == "all" || r.ClassName == g).ToList();
            summary.Add(Stat("area_um2", g, members.Select(r => r.PropsUm.AreaUm2)));
        }
        foreach (string g in groups)
        {
            var members = rows.Where(r => g == "all" || r.ClassName == g).ToList();
            summary.Add(Stat("skeleton_length_um", g, members.Select(r => r.SkeletonLengthUm)));
        }
        foreach (var type in Enum.GetValues<BranchType>())
            summary.Add(Stat("branch_length_um", AnalysisNames.Of(type), branches.Where(b => b.Type == type).Select(b => b.LengthUm)));
        return summary;
    }

    private static SummaryRow Stat(string quantity, string group, IEnumerable<double> values)
    {
        var v = values.ToArray();
        double mean = v.Length == 0 ? double.NaN : v.Average();
        double std = v.Length < 2 ? double.NaN : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        return new SummaryRow(quantity, group, v.Length, mean, std);
    }
}
