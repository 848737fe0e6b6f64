namespace SimSeg.Simulation.Optics;

/// <summary>Summary numbers of a point spread function.</summary>
public static class PsfMeasures
{
    /// <summary>
    /// Full width at half maximum of the in-focus lateral profile PSF(r, 0), nm, found by stepping out from
    /// r = 0 in steps of <paramref name="stepNm"/> and interpolating linearly at the half-maximum crossing.
    /// </summary>
    /// <exception cref="InvalidOperationException">The profile does not fall to half its peak within 100 µm.</exception>
    public static double LateralFwhmNm(IPointSpreadFunction psf, double zNm = 0, double stepNm = 0.5)
    {
        ArgumentNullException.ThrowIfNull(psf);
        Core.Guard.Positive(stepNm);
        double peak = psf.Evaluate(0, zNm), half = peak / 2, previous = peak;
        for (double r = stepNm; r < 100_000; r += stepNm)
        {
            double v = psf.Evaluate(r, zNm);
            if (v <= half)
            {
                double t = (previous - half) / (previous - v);
                return 2 * (r - stepNm + t * stepNm);
            }
            previous = v;
        }
        throw new InvalidOperationException("the PSF profile does not fall to half its peak within 100 µm.");
    }
}
