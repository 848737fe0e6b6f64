using SimSeg.Analysis.Labels;
using SimSeg.Shapes.Skeletons;

namespace SimSeg.Analysis.Classification;

/// <summary>One analysed object: region measurements, skeleton graph figures and class.</summary>
/// <param name="Label">Label in the analysed label image.</param>
/// <param name="Kind">Mitochondrion or vesicle.</param>
/// <param name="Props">Region measurements in pixels.</param>
/// <param name="PropsUm">The same in µm / µm².</param>
/// <param name="SkeletonPixels">Pixels of the object's skeleton.</param>
/// <param name="SkeletonLengthUm">Total branch length of the skeleton graph, µm (8-neighbour steps: 1 or √2 pixels).</param>
/// <param name="BranchCount">Branches of the skeleton graph, cycles included.</param>
/// <param name="EndpointCount">Endpoints (degree 1).</param>
/// <param name="JunctionCount">Junctions (degree ≥ 3, adjacent junction pixels merged).</param>
/// <param name="LoopCount">Independent loops of the skeleton.</param>
/// <param name="MaxDegree">Largest node degree (branches meeting at an endpoint or junction); 0 when the skeleton has no node of degree ≥ 1.</param>
/// <param name="MitoClass">Class when <paramref name="Kind"/> is a mitochondrion.</param>
/// <param name="VesicleClass">Class when <paramref name="Kind"/> is a vesicle.</param>
/// <param name="FittedRadiusNm">Radius of the fitted circle, nm, for vesicles (see <see cref="ObjectAnalyzer"/>).</param>
public sealed record ObjectRow(
    int Label,
    ObjectKind Kind,
    RegionProps Props,
    RegionPropsUm PropsUm,
    int SkeletonPixels,
    double SkeletonLengthUm,
    int BranchCount,
    int EndpointCount,
    int JunctionCount,
    int LoopCount,
    int MaxDegree,
    MitoClass? MitoClass,
    VesicleClass? VesicleClass,
    double? FittedRadiusNm)
{
    /// <summary>The class as a lower-case word: dot, rod, network, small or large.</summary>
    public string ClassName => MitoClass is { } m ? AnalysisNames.Of(m) : AnalysisNames.Of(VesicleClass!.Value);
}

/// <summary>One branch of an object's skeleton graph.</summary>
/// <param name="Label">The object's label.</param>
/// <param name="BranchId">0-based branch index within the object.</param>
/// <param name="Type">The kinds of node it joins, or a cycle.</param>
/// <param name="LengthPx">Length along the pixel path, pixels (1 per edge step, √2 per diagonal step).</param>
/// <param name="LengthUm">The same in µm.</param>
public sealed record BranchRow(int Label, int BranchId, BranchType Type, double LengthPx, double LengthUm);

/// <summary>One summary statistic of an image, in tidy form.</summary>
/// <param name="Quantity">What is summarised: <c>area_um2</c>, <c>skeleton_length_um</c> (per object class) or <c>branch_length_um</c> (per branch type).</param>
/// <param name="Group">An object class (<c>all</c>, dot, rod, network, small, large) or a branch type.</param>
/// <param name="Count">Objects or branches in the group.</param>
/// <param name="Mean">Mean; NaN when <paramref name="Count"/> is 0.</param>
/// <param name="Std">Sample standard deviation (n − 1); NaN when <paramref name="Count"/> &lt; 2.</param>
public sealed record SummaryRow(string Quantity, string Group, int Count, double Mean, double Std);

/// <summary>The result of <see cref="ObjectAnalyzer.Analyze(Core.Imaging.Image{int}, AnalyzeOptions, Core.Imaging.Image{float}?)"/>: per-object, per-branch and per-image tables.</summary>
/// <param name="PixelSizeNm">The pixel size used, nm.</param>
/// <param name="Objects">One row per object, in label order.</param>
/// <param name="Branches">One row per skeleton branch, by object then branch id.</param>
/// <param name="Summary">Counts, means and standard deviations per class and branch type.</param>
public sealed record ImageAnalysis(double PixelSizeNm, IReadOnlyList<ObjectRow> Objects, IReadOnlyList<BranchRow> Branches, IReadOnlyList<SummaryRow> Summary)
{
    /// <summary>Mitochondria of class <paramref name="mitoClass"/>.</summary>
    public int CountOf(MitoClass mitoClass) => Objects.Count(o => o.MitoClass == mitoClass);

    /// <summary>Vesicles of class <paramref name="vesicleClass"/>.</summary>
    public int CountOf(VesicleClass vesicleClass) => Objects.Count(o => o.VesicleClass == vesicleClass);
}

/// <summary>The lower-case names of classes and branch types used in tables.</summary>
public static class AnalysisNames
{
    /// <summary>dot, rod or network.</summary>
    public static string Of(MitoClass value) => value switch
    {
        MitoClass.Dot => "dot",
        MitoClass.Rod => "rod",
        _ => "network",
    };

    /// <summary>small or large.</summary>
    public static string Of(VesicleClass value) => value == VesicleClass.Small ? "small" : "large";

    /// <summary>mitochondrion or vesicle.</summary>
    public static string Of(ObjectKind value) => value == ObjectKind.Vesicle ? "vesicle" : "mitochondrion";

    /// <summary>endpoint_endpoint, endpoint_junction, junction_junction or cycle.</summary>
    public static string Of(BranchType value) => value switch
    {
        BranchType.EndpointEndpoint => "endpoint_endpoint",
        BranchType.EndpointJunction => "endpoint_junction",
        BranchType.JunctionJunction => "junction_junction",
        _ => "cycle",
    };
}
