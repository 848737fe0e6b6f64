using SimSeg.Core;
using SimSeg.Core.Imaging;
using SimSeg.Shapes.Skeletons;

namespace SimSeg.Shapes.Classification;

/// <summary>The 3DMSL morphology classes of a mitochondrion (Punnakkal et al., "3DMSL: 3D mitochondria shape library").</summary>
public enum ShapeClass
{
    /// <summary>Small and round: skeleton shorter than <see cref="ShapeClassThresholds.DotMaxLengthUm"/>.</summary>
    Dot,

    /// <summary>Unbranched tube of moderate length.</summary>
    Rod,

    /// <summary>Branched: the skeleton has at least one junction.</summary>
    Network,

    /// <summary>Ring-shaped: the skeleton has a loop.</summary>
    Donut,

    /// <summary>Very long and thin: skeleton longer than <see cref="ShapeClassThresholds.NanoTunnelMinLengthUm"/>.</summary>
    NanoTunnel,

    /// <summary>Large: long skeleton and large volume (<see cref="ShapeClassThresholds.MegaMinLengthUm"/>, <see cref="ShapeClassThresholds.MegaMinVolumeUm3"/>).</summary>
    Mega,
}

/// <summary>
/// Thresholds of the 3DMSL shape classes (Punnakkal et al.). Defaults are the paper's: dot below 1 µm of
/// skeleton, nano-tunnel above 30 µm, mega above 10 µm with more than 1 µm³ of volume.
/// </summary>
/// <param name="DotMaxLengthUm">Skeleton length (µm) below which a shape is a dot.</param>
/// <param name="NanoTunnelMinLengthUm">Skeleton length (µm) above which a shape is a nano-tunnel.</param>
/// <param name="MegaMinLengthUm">Skeleton length (µm) above which a shape is mega, if its volume also exceeds <paramref name="MegaMinVolumeUm3"/>.</param>
/// <param name="MegaMinVolumeUm3">Volume (µm³) above which a long shape is mega.</param>
/// <param name="MinTerminalBranchUm">
/// Terminal branches (endpoint to junction) shorter than this are surface bumps, not branches: they are pruned
/// before classification (not part of 3DMSL's rule; skeletons of real EM shapes grow 1–3 voxel spurs at bumps,
/// which would make almost every shape a network). 0 keeps every branch.
/// </param>
public sealed record ShapeClassThresholds(
    double DotMaxLengthUm = 1,
    double NanoTunnelMinLengthUm = 30,
    double MegaMinLengthUm = 10,
    double MegaMinVolumeUm3 = 1,
    double MinTerminalBranchUm = 0.1)
{
    /// <summary>The 3DMSL values.</summary>
    public static ShapeClassThresholds Default { get; } = new();
}

/// <summary>
/// Assigns a 3DMSL shape class from the 3D skeleton of a mitochondrion and its volume.
/// </summary>
/// <remarks>
/// 3DMSL lists its rules without an order; they are applied here first match wins, in this order:
/// <list type="number">
/// <item><see cref="ShapeClass.Donut"/> if the skeleton has a loop (<see cref="SkeletonGraph.LoopCount"/> &gt; 0), whatever its length;</item>
/// <item><see cref="ShapeClass.Dot"/> if the skeleton length is &lt; <see cref="ShapeClassThresholds.DotMaxLengthUm"/>;</item>
/// <item><see cref="ShapeClass.NanoTunnel"/> if the length is &gt; <see cref="ShapeClassThresholds.NanoTunnelMinLengthUm"/>, whatever the volume;</item>
/// <item><see cref="ShapeClass.Mega"/> if the length is &gt; <see cref="ShapeClassThresholds.MegaMinLengthUm"/> and the volume &gt; <see cref="ShapeClassThresholds.MegaMinVolumeUm3"/>;</item>
/// <item><see cref="ShapeClass.Rod"/> if the skeleton has no junction;</item>
/// <item><see cref="ShapeClass.Network"/> otherwise.</item>
/// </list>
/// So the loop test overrides the length classes, the length classes override branching, and a long thin branched
/// shape is a nano-tunnel rather than a network. Lengths, junctions and loops are those of the skeleton after
/// terminal branches shorter than <see cref="ShapeClassThresholds.MinTerminalBranchUm"/> are pruned
/// (<see cref="SkeletonSummary"/>).
/// </remarks>
public static class ShapeClassifier
{
    /// <summary>The class of a shape from its skeleton graph and its volume.</summary>
    /// <param name="graph">Skeleton graph of the shape, lengths in nm.</param>
    /// <param name="volumeUm3">Volume of the shape in µm³.</param>
    /// <param name="thresholds">Class thresholds; <see cref="ShapeClassThresholds.Default"/> for 3DMSL's.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="volumeUm3"/> is negative or not finite.</exception>
    public static ShapeClass Classify(SkeletonGraph graph, double volumeUm3, ShapeClassThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(thresholds);
        Guard.NonNegative(volumeUm3);

        var summary = SkeletonSummary.Of(graph, thresholds.MinTerminalBranchUm * 1000);
        double lengthUm = summary.LengthNm / 1000.0;
        if (summary.Loops > 0) return ShapeClass.Donut;
        if (lengthUm < thresholds.DotMaxLengthUm) return ShapeClass.Dot;
        if (lengthUm > thresholds.NanoTunnelMinLengthUm) return ShapeClass.NanoTunnel;
        if (lengthUm > thresholds.MegaMinLengthUm && volumeUm3 > thresholds.MegaMinVolumeUm3) return ShapeClass.Mega;
        return summary.Junctions == 0 ? ShapeClass.Rod : ShapeClass.Network;
    }

    /// <summary>
    /// The class of a binary mask: skeletonises it (<see cref="Skeletonizer.Skeletonize3D"/>), builds the skeleton
    /// graph and takes the volume as voxel count × voxel volume. The voxel size comes from the mask's calibration.
    /// </summary>
    /// <param name="mask">Binary volume of one shape; nonzero = inside.</param>
    /// <param name="thresholds">Class thresholds; null for <see cref="ShapeClassThresholds.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The mask's calibration lacks a positive x, y or z voxel size.</exception>
    public static ShapeClass Classify(Image<byte> mask, ShapeClassThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var size = mask.Calibration;
        Guard.Positive(size.PixelWidthNm, "mask.Calibration.PixelWidthNm");
        Guard.Positive(size.PixelHeightNm, "mask.Calibration.PixelHeightNm");
        Guard.Positive(size.PlaneSpacingNm, "mask.Calibration.PlaneSpacingNm");

        var graph = SkeletonGraph.Build(Skeletonizer.Skeletonize3D(mask), size);
        long voxels = 0;
        foreach (byte v in mask.Data) if (v != 0) voxels++;
        double volumeUm3 = voxels * (size.PixelWidthNm / 1000.0) * (size.PixelHeightNm / 1000.0) * (size.PlaneSpacingNm / 1000.0);
        return Classify(graph, volumeUm3, thresholds ?? ShapeClassThresholds.Default);
    }
}
