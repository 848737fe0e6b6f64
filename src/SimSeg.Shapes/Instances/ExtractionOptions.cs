namespace SimSeg.Shapes.Instances;

/// <summary>What the values of a label volume mean.</summary>
public enum InputKind
{
    /// <summary>Each non-zero label value is its own object (an instance segmentation).</summary>
    Instances,

    /// <summary>All non-zero voxels are one foreground (a semantic mask) to be split into objects.</summary>
    Binary,
}

/// <summary>
/// Settings of <see cref="InstanceExtractor"/>; defaults follow 3DMSL (Punnakkal et al.): erosion by a ball of 3.5
/// voxels, 26-connected components, dilation back inside the object.
/// </summary>
public sealed record ExtractionOptions
{
    /// <summary>The 3DMSL defaults.</summary>
    public static ExtractionOptions Default { get; } = new();

    /// <summary>How to read the label values.</summary>
    public InputKind InputKind { get; init; } = InputKind.Instances;

    /// <summary>Radius in voxels (after resampling) of the ball used to erode away thin bridges, ≥ 0.</summary>
    public double ErosionRadiusVoxels { get; init; } = Morphology3D.DefaultRadiusVoxels;

    /// <summary>Which neighbours touch, for connected components and for the dilation back.</summary>
    public Connectivity Connectivity { get; init; } = Connectivity.TwentySix;

    /// <summary>
    /// Dust threshold in voxels, ≥ 0: eroded components smaller than this do not become instances, and connected pieces
    /// of an object smaller than this are dropped.
    /// </summary>
    public int MinVoxels { get; init; } = 100;

    /// <summary>Isotropic voxel size in nm to resample to (nearest neighbour) before extraction; 0 keeps the input grid (3DMSL uses 24).</summary>
    public double ResampleToNm { get; init; }

    /// <summary>Empty voxels kept around each instance's mask on every side, ≥ 0 (meshing needs ≥ 1 for closed surfaces).</summary>
    public int CropMarginVoxels { get; init; } = 2;

    /// <summary>Whether to split objects at thin bridges by erosion; false keeps each connected piece whole.</summary>
    public bool SplitByErosion { get; init; } = true;
}
