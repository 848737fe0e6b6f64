using SimSeg.Analysis.Labels;

namespace SimSeg.Analysis.Classification;

/// <summary>Settings of <see cref="ObjectAnalyzer"/>; change with <c>with</c>.</summary>
public sealed record AnalyzeOptions
{
    /// <summary>Whether objects are mitochondria, vesicles, or decided per object.</summary>
    public AnalysisKind Kind { get; init; } = AnalysisKind.Mito;

    /// <summary>Pixel size in nm (square pixels); null takes it from the image's calibration, which must then be known.</summary>
    public double? PixelSizeNm { get; init; }

    /// <summary>Connectivity used to label a binary mask (ignored for a label image).</summary>
    public Connectivity2D Connectivity { get; init; } = Connectivity2D.Eight;

    /// <summary>Dot/rod threshold.</summary>
    public MitoClassThresholds Mito { get; init; } = new();

    /// <summary>Small/large vesicle threshold.</summary>
    public VesicleClassThresholds Vesicle { get; init; } = new();

    /// <summary>The per-object rule of <see cref="AnalysisKind.Auto"/>.</summary>
    public AutoKindRule Auto { get; init; } = new();
}
