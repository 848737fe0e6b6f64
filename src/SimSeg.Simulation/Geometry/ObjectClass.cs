namespace SimSeg.Simulation.Geometry;

/// <summary>The structure an object is; the numeric value is its label in class images.</summary>
public enum ObjectClass
{
    /// <summary>Background (class images only).</summary>
    Background = 0,

    /// <summary>A mitochondrion (tube, branched network, curled tube or mesh).</summary>
    Mitochondrion = 1,

    /// <summary>A vesicle (sphere).</summary>
    Vesicle = 2,
}
