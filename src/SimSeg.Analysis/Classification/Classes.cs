namespace SimSeg.Analysis.Classification;

/// <summary>Morphology class of a mitochondrion (PhySeg, Sekh et al. 2021, Methods).</summary>
public enum MitoClass
{
    /// <summary>Small and unbranched: area ≤ the dot threshold, no junction, no loop.</summary>
    Dot,

    /// <summary>Larger and unbranched: area above the dot threshold, no junction, no loop.</summary>
    Rod,

    /// <summary>Branched (a node of degree ≥ 3) or looped.</summary>
    Network,
}

/// <summary>Size class of a vesicle (PhySeg: small if the fitted circle's radius is ≤ 150 nm).</summary>
public enum VesicleClass
{
    /// <summary>Fitted radius ≤ the threshold.</summary>
    Small,

    /// <summary>Fitted radius above the threshold.</summary>
    Large,
}

/// <summary>What an object is taken to be.</summary>
public enum ObjectKind
{
    /// <summary>A mitochondrion, classed as <see cref="MitoClass"/>.</summary>
    Mitochondrion,

    /// <summary>A vesicle, classed as <see cref="VesicleClass"/>.</summary>
    Vesicle,
}

/// <summary>How <see cref="ObjectAnalyzer"/> decides each object's <see cref="ObjectKind"/>.</summary>
public enum AnalysisKind
{
    /// <summary>Every object is a mitochondrion (the image is a mitochondria channel).</summary>
    Mito,

    /// <summary>Every object is a vesicle (the image is a vesicle channel).</summary>
    Vesicle,

    /// <summary>Per object, by the shape rule of <see cref="AutoKindRule"/>.</summary>
    Auto,
}

/// <summary>
/// Dot/rod threshold. PhySeg uses 120 px on its images; <see cref="DotMaxAreaUm2"/>, when set, replaces the
/// pixel threshold so that classes do not depend on the pixel size.
/// </summary>
public sealed record MitoClassThresholds
{
    /// <summary>Largest dot area, pixels.</summary>
    public int DotMaxAreaPx { get; init; } = 120;

    /// <summary>Largest dot area in µm², used instead of <see cref="DotMaxAreaPx"/> when not null.</summary>
    public double? DotMaxAreaUm2 { get; init; }
}

/// <summary>Small/large vesicle threshold on the fitted radius.</summary>
public sealed record VesicleClassThresholds
{
    /// <summary>Largest radius of a small vesicle, nm (PhySeg: 150).</summary>
    public double SmallMaxRadiusNm { get; init; } = 150;
}

/// <summary>
/// The shape rule of <see cref="AnalysisKind.Auto"/>: an object is a vesicle when it is convex, round, unbranched
/// and small — solidity ≥ <see cref="MinSolidity"/>, eccentricity ≤ <see cref="MaxEccentricity"/>, no junction and
/// no loop in its skeleton, equivalent diameter ≤ <see cref="MaxDiameterNm"/> — and a mitochondrion otherwise.
/// A heuristic for single-channel images: a small round mitochondrion (a dot) passes it too, so when vesicles
/// and mitochondria come from separate channels or classes, analyse each with an explicit kind.
/// </summary>
public sealed record AutoKindRule
{
    /// <summary>
    /// Smallest solidity of a vesicle. Solidity here is against the hull of the pixel squares, which is low for
    /// small digital discs (radius 3 px: 0.78, 5 px: 0.85, 10 px: 0.92), hence the lenient default.
    /// </summary>
    public double MinSolidity { get; init; } = 0.75;

    /// <summary>Largest eccentricity of a vesicle.</summary>
    public double MaxEccentricity { get; init; } = 0.6;

    /// <summary>Largest equivalent diameter of a vesicle, nm.</summary>
    public double MaxDiameterNm { get; init; } = 1000;
}
