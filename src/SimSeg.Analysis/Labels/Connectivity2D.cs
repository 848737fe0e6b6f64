namespace SimSeg.Analysis.Labels;

/// <summary>Pixel connectivity of 2D objects.</summary>
public enum Connectivity2D
{
    /// <summary>Edge neighbours only (up, down, left, right).</summary>
    Four = 4,

    /// <summary>Edge and corner neighbours (scikit-image's default for <c>label</c> with connectivity 2).</summary>
    Eight = 8,
}
