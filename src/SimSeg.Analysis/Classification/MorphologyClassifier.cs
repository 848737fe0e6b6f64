using SimSeg.Core;

namespace SimSeg.Analysis.Classification;

/// <summary>The class rules of PhySeg (Sekh et al., Nat. Mach. Intell. 2021, Methods).</summary>
public static class MorphologyClassifier
{
    /// <summary>
    /// Dot if area ≤ threshold and unbranched, rod if area &gt; threshold and unbranched, network otherwise.
    /// "Unbranched" is the paper's max(d) = 1, with d the number of branches at a skeleton node (endpoint or
    /// junction): max degree ≤ 1 (0 for a skeleton that is a single pixel) and no loop. A ring has max degree 0
    /// but a loop, and is a network.
    /// </summary>
    /// <param name="areaPx">Area, pixels.</param>
    /// <param name="areaUm2">Area, µm² (used when <see cref="MitoClassThresholds.DotMaxAreaUm2"/> is set).</param>
    /// <param name="maxDegree">Largest node degree of the object's skeleton graph.</param>
    /// <param name="loops">Independent loops of the skeleton.</param>
    /// <param name="thresholds">Dot/rod threshold.</param>
    public static MitoClass ClassifyMito(int areaPx, double areaUm2, int maxDegree, int loops, MitoClassThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        if (maxDegree > 1 || loops > 0) return MitoClass.Network;
        bool small = thresholds.DotMaxAreaUm2 is double um2 ? areaUm2 <= um2 : areaPx <= thresholds.DotMaxAreaPx;
        return small ? MitoClass.Dot : MitoClass.Rod;
    }

    /// <summary>Small if the fitted radius is ≤ the threshold, else large.</summary>
    public static VesicleClass ClassifyVesicle(double radiusNm, VesicleClassThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        Guard.Finite(radiusNm);
        return radiusNm <= thresholds.SmallMaxRadiusNm ? VesicleClass.Small : VesicleClass.Large;
    }
}
