namespace SimSeg.Analysis.Tracking;

/// <summary>
/// One segmented object in one frame. <see cref="Frame"/> and <see cref="Label"/> refer back to the label image of
/// that frame, which holds the object's pixels (needed for overlap events and scoring).
/// </summary>
/// <param name="Frame">Frame index (0-based).</param>
/// <param name="Label">Label value of the object in that frame's label image (&gt; 0).</param>
/// <param name="X">Centroid column (px, pixel centres at integer coordinates).</param>
/// <param name="Y">Centroid row (px).</param>
/// <param name="Area">Pixel count.</param>
/// <param name="Class">Morphology or object class, e.g. "dot", "rod", "network", "vesicle"; free text.</param>
/// <param name="MajorAxis">Major-axis length (px) of the ellipse with the same second moments: 4·sqrt(λ₁).</param>
/// <param name="MinorAxis">Minor-axis length (px), 4·sqrt(λ₂).</param>
public sealed record Detection(int Frame, int Label, double X, double Y, int Area, string Class, double MajorAxis = 0, double MinorAxis = 0);
