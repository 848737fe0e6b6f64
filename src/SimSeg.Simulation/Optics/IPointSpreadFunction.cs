namespace SimSeg.Simulation.Optics;

/// <summary>
/// A radially symmetric 3D point spread function: the intensity recorded at lateral distance r (nm) from an
/// emitter that sits z nm from the focal plane (z = emitter depth − focal depth; positive z is deeper into
/// the sample). Normalised so that the in-focus plane integrates to one: ∫∫ PSF(r, 0) dA = 1 with dA in nm²,
/// so multiplying by a photon count gives photons per nm².
/// </summary>
public interface IPointSpreadFunction
{
    /// <summary>Intensity per nm² at lateral distance <paramref name="rNm"/> and defocus <paramref name="zNm"/>.</summary>
    double Evaluate(double rNm, double zNm);
}
