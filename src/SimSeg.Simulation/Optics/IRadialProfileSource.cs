namespace SimSeg.Simulation.Optics;

/// <summary>A PSF that can evaluate whole radial profiles faster than point by point.</summary>
internal interface IRadialProfileSource
{
    /// <summary>λ/NA in nm: the natural length scale for choosing sampling steps.</summary>
    double ResolutionNm { get; }

    /// <summary>PSF on the grid r × z, written to <paramref name="destination"/>[iz·r.Length + ir].</summary>
    void EvaluateProfiles(ReadOnlySpan<double> rNm, ReadOnlySpan<double> zNm, Span<double> destination);
}
