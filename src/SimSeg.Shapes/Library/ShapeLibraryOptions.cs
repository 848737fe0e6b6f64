using SimSeg.Shapes.Classification;
using SimSeg.Shapes.Instances;

namespace SimSeg.Shapes.Library;

/// <summary>Settings of <see cref="ShapeLibraryBuilder"/> (defaults from 3DMSL, Punnakkal et al.).</summary>
public sealed record ShapeLibraryOptions
{
    /// <summary>How objects are cut out of the label volume.</summary>
    public ExtractionOptions Extraction { get; init; } = new();

    /// <summary>Gaussian pre-smoothing of the voxel mask before marching cubes, in voxels.</summary>
    public double MeshPresmoothSigmaVoxels { get; init; } = 1.0;

    /// <summary>Taubin smoothing iterations applied to each mesh (0 = none).</summary>
    public int SmoothingIterations { get; init; } = 10;

    /// <summary>Surface points per point cloud (3DMSL: 300).</summary>
    public int PointCloudCount { get; init; } = 300;

    /// <summary>Standard deviation of the Gaussian noise added to point-cloud points, unit-cube units (3DMSL: 0.05).</summary>
    public double PointCloudNoise { get; init; } = 0.05;

    /// <summary>Occupancy query points per shape (3DMSL: 10,000; Occupancy Networks use 100,000 for evaluation).</summary>
    public int OccupancyCount { get; init; } = 10_000;

    /// <summary>Padding of the occupancy box around the unit cube (Occupancy Networks: 0.1).</summary>
    public double OccupancyPadding { get; init; } = 0.1;

    /// <summary>Skip objects that touch the border of the volume (they are cut and their shape is not whole).</summary>
    public bool SkipBorderObjects { get; init; } = true;

    /// <summary>Thresholds of the skeleton-based shape classes.</summary>
    public ShapeClassThresholds Classes { get; init; } = new();

    /// <summary>Seed of the point-cloud and occupancy sampling (instance i uses stream (Seed, i)).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Worker threads (the output does not depend on it).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Core.Guard.NonNegative(MeshPresmoothSigmaVoxels, nameof(MeshPresmoothSigmaVoxels));
        if (SmoothingIterations < 0) throw new ArgumentOutOfRangeException(nameof(SmoothingIterations), SmoothingIterations, $"{nameof(SmoothingIterations)} must be >= 0, got {SmoothingIterations}.");
        Core.Guard.Positive(PointCloudCount, nameof(PointCloudCount));
        Core.Guard.NonNegative(PointCloudNoise, nameof(PointCloudNoise));
        Core.Guard.Positive(OccupancyCount, nameof(OccupancyCount));
        Core.Guard.NonNegative(OccupancyPadding, nameof(OccupancyPadding));
        Core.Guard.Positive(Threads, "threads");
    }
}
