namespace SimSeg.Simulation.GroundTruth;

/// <summary>The ground-truth techniques compared in PhySeg (Supp. Table 6).</summary>
public enum GroundTruthMethod
{
    /// <summary>
    /// Physics-based (PhySeg Fig. 1f): emitter positions projected on the lateral plane, max-pooled by the
    /// pixel size and binarised. Depends on neither the microscope nor the noise.
    /// </summary>
    Physics,

    /// <summary>Otsu's threshold on the noise-free image.</summary>
    Otsu,

    /// <summary>Otsu's threshold on the noise-free image, then erosion by a disc of half the PSF's FWHM.</summary>
    OtsuEroded,

    /// <summary>Noise-free signal above the noise level (the standard deviation of the background noise).</summary>
    NoiseLevel,
}
