using SimSeg.Analysis.Plots;
using SimSeg.Shapes.Skeletons;

namespace SimSeg.Analysis.Classification;

/// <summary>
/// The standard charts of an analysis (PhySeg Fig. 4): objects per class and condition, object areas per class and
/// condition as violins, and endpoint–junction and junction–junction branch lengths as histograms. Each returns
/// an SVG document; <see cref="WriteAll"/> writes the three files of <c>simseg analyze</c>'s plots folder.
/// </summary>
public static class AnalysisPlots
{
    /// <summary>File name of <see cref="ClassFrequencies"/>.</summary>
    public const string ClassFrequenciesFile = "class_frequencies.svg";

    /// <summary>File name of <see cref="AreaViolins"/>.</summary>
    public const string AreaViolinsFile = "area_violin.svg";

    /// <summary>File name of <see cref="BranchLengths"/>.</summary>
    public const string BranchLengthsFile = "branch_lengths.svg";

    /// <summary>Classes in the order charts and tables list them: dot, rod, network, small, large.</summary>
    public static IReadOnlyList<string> ClassOrder { get; } = ["dot", "rod", "network", "small", "large"];

    /// <summary>The position of <paramref name="className"/> in <see cref="ClassOrder"/>, or −1 for another name.</summary>
    public static int ClassIndex(string className)
    {
        for (int i = 0; i < ClassOrder.Count; i++)
            if (ClassOrder[i] == className) return i;
        return -1;
    }

    /// <summary>
    /// Overlay colours of the classes of <see cref="ClassOrder"/> (Okabe–Ito): dot orange, rod sky blue, network
    /// vermillion, small vesicle bluish green, large vesicle reddish purple; RGB bytes.
    /// </summary>
    public static IReadOnlyList<byte[]> ClassPalette { get; } = [[230, 159, 0], [86, 180, 233], [213, 94, 0], [0, 158, 115], [204, 121, 167]];

    /// <summary>The condition name of an analysis in charts: its condition, or "all" when it has none.</summary>
    public static string ConditionOf(NamedAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return analysis.Condition ?? "all";
    }

    /// <summary>The classes present in <paramref name="analyses"/> in <see cref="ClassOrder"/>; dot, rod, network when there are no objects.</summary>
    public static string[] ClassesPresent(IReadOnlyList<NamedAnalysis> analyses)
    {
        ArgumentNullException.ThrowIfNull(analyses);
        var classes = ClassOrder.Where(c => analyses.Any(a => a.Analysis.Objects.Any(o => o.ClassName == c))).ToArray();
        return classes.Length == 0 ? ["dot", "rod", "network"] : classes;
    }

    /// <summary>Objects per class, one bar per condition in each class.</summary>
    public static string ClassFrequencies(IReadOnlyList<NamedAnalysis> analyses)
    {
        var conditions = Conditions(analyses);
        var classes = ClassesPresent(analyses);
        var series = conditions.Select(c => new BarSeries(c, classes.Select(k =>
            (double)analyses.Where(a => ConditionOf(a) == c).Sum(a => a.Analysis.Objects.Count(o => o.ClassName == k))).ToArray())).ToArray();
        return Plot.Bar(classes, series, "Objects per class", "Objects");
    }

    /// <summary>Object areas (µm²) as violins, one per class (and condition, when there are several).</summary>
    /// <param name="analyses">The analyses, at least one.</param>
    /// <param name="options">Size and appearance (e.g. wider for many groups); null for the defaults.</param>
    public static string AreaViolins(IReadOnlyList<NamedAnalysis> analyses, ViolinOptions? options = null)
    {
        var conditions = Conditions(analyses);
        var classes = ClassesPresent(analyses);
        var groups = new List<NamedValues>();
        foreach (string c in conditions)
            foreach (string k in classes)
                groups.Add(new NamedValues(conditions.Length > 1 ? $"{c}\n{k}" : k,
                    analyses.Where(a => ConditionOf(a) == c).SelectMany(a => a.Analysis.Objects.Where(o => o.ClassName == k).Select(o => o.PropsUm.AreaUm2)).ToArray()));
        return Plot.Violin(groups, "Object area", Plot.AxisLabel("Area", "µm²"), options);
    }

    /// <summary>Histograms of endpoint–junction and junction–junction branch lengths (µm) over every object.</summary>
    public static string BranchLengths(IReadOnlyList<NamedAnalysis> analyses)
    {
        Conditions(analyses);
        var branches = analyses.SelectMany(a => a.Analysis.Branches).ToArray();
        var histogram = new[]
        {
            new NamedValues("endpoint–junction", branches.Where(b => b.Type == BranchType.EndpointJunction).Select(b => b.LengthUm).ToArray()),
            new NamedValues("junction–junction", branches.Where(b => b.Type == BranchType.JunctionJunction).Select(b => b.LengthUm).ToArray()),
        };
        return Plot.Histogram(histogram, "Branch lengths", Plot.AxisLabel("Branch length", "µm"), "Branches");
    }

    /// <summary>Writes the three charts into <paramref name="directory"/> (which must exist), each atomically.</summary>
    public static void WriteAll(string directory, IReadOnlyList<NamedAnalysis> analyses)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Core.IO.AtomicFile.WriteAllText(Path.Combine(directory, ClassFrequenciesFile), ClassFrequencies(analyses));
        Core.IO.AtomicFile.WriteAllText(Path.Combine(directory, AreaViolinsFile), AreaViolins(analyses));
        Core.IO.AtomicFile.WriteAllText(Path.Combine(directory, BranchLengthsFile), BranchLengths(analyses));
    }

    private static string[] Conditions(IReadOnlyList<NamedAnalysis> analyses)
    {
        ArgumentNullException.ThrowIfNull(analyses);
        if (analyses.Count == 0) throw new ArgumentException("analyses must hold at least one analysis.", nameof(analyses));
        if (analyses.Any(a => a?.Analysis is null)) throw new ArgumentException("analyses must not contain null entries.", nameof(analyses));
        return analyses.Select(ConditionOf).Distinct().ToArray();
    }
}
