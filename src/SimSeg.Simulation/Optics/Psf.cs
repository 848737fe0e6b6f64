using SimSeg.Core;
using SimSeg.Core.Imaging;

namespace SimSeg.Simulation.Optics;

/// <summary>
/// Entry points of the optics stage: build a PSF from <see cref="OpticsOptions"/>, render it as a z-stack, and
/// measure it (encircled energy, FWHM). The models live in their own classes: <see cref="GibsonLanniPsf"/>,
/// <see cref="BornWolfPsf"/>, <see cref="GaussianPsf"/>, <see cref="ConfocalPsf"/>, and the fast tabulated
/// form <see cref="RadialPsfTable"/>.
/// </summary>
public static class Psf
{
    /// <summary>The PSF selected by <see cref="OpticsOptions.Model"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static IPointSpreadFunction Create(OpticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Validate().Model switch
        {
            PsfModel.GibsonLanni => GibsonLanni(options),
            PsfModel.BornWolf => BornWolf(options),
            PsfModel.Gaussian => Gaussian(options),
            PsfModel.Confocal => Confocal(options),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Model, $"Unknown {nameof(PsfModel)} {options.Model}."),
        };
    }

    /// <summary>Scalar Gibson–Lanni PSF at the emission wavelength (PhySeg's model).</summary>
    public static GibsonLanniPsf GibsonLanni(OpticsOptions options) => new(options);

    /// <summary>Born–Wolf PSF at the emission wavelength with NA and immersion index n_i from <paramref name="options"/>.</summary>
    public static BornWolfPsf BornWolf(OpticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new BornWolfPsf(options.EmissionWavelengthNm, options.NumericalAperture, options.ImmersionIndex);
    }

    /// <summary>Gaussian approximation with the widefield widths of Zhang et al. (2007).</summary>
    public static GaussianPsf Gaussian(OpticsOptions options) => GaussianPsf.FromOptics(options);

    /// <summary>Confocal PSF (squared or with a pinhole, see <see cref="OpticsOptions.ConfocalDetection"/>).</summary>
    public static ConfocalPsf Confocal(OpticsOptions options) => new(options);

    /// <summary>
    /// Renders <paramref name="psf"/> as a stack of <paramref name="zCount"/> planes of
    /// <paramref name="size"/>×<paramref name="size"/> pixels: the emitter sits at the centre of pixel
    /// (size/2, size/2), plane k is at defocus zStart + k·zStep, and each pixel holds the PSF integrated over its
    /// area (Gauss–Legendre, <paramref name="quadraturePoints"/>² nodes), i.e. the fraction of one emitter's photons
    /// landing in it. The PSF is first tabulated on the planes with r step λ/(80·NA) (5 nm for foreign PSFs).
    /// The calibration is set to the pixel size and z step.
    /// </summary>
    /// <exception cref="ArgumentException">An argument is out of range.</exception>
    public static Image<float> RenderStack(IPointSpreadFunction psf, int size, double pixelSizeNm, double zStartNm, double zStepNm, int zCount, int quadraturePoints = 4)
    {
        ArgumentNullException.ThrowIfNull(psf);
        Guard.Positive(size);
        Guard.Positive(pixelSizeNm);
        Guard.Finite(zStartNm);
        Guard.Positive(zCount);
        Guard.InRange(quadraturePoints, 1, 16);
        if (zCount > 1) Guard.Positive(zStepNm); else Guard.Finite(zStepNm);

        double centre = (size / 2 + 0.5) * pixelSizeNm;
        double maxRadius = Math.Sqrt(2) * (size / 2 + 1) * pixelSizeNm;
        double radialStep = psf is IRadialProfileSource source ? source.ResolutionNm / 80 : 5;
        double zEnd = zStartNm + (zCount - 1) * zStepNm;
        var table = new RadialPsfTable(psf, maxRadius, zStartNm, zEnd, radialStep, zCount > 1 ? zStepNm : 1);
        (double[] nodes, double[] weights) = PixelQuadrature(quadraturePoints, pixelSizeNm);

        var image = new Image<float>(size, size, zCount, Calibration.Square(pixelSizeNm, zCount > 1 ? zStepNm : 0));
        for (int k = 0; k < zCount; k++)
        {
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    double sum = 0;
                    for (int b = 0; b < nodes.Length; b++)
                    {
                        double dy = y * pixelSizeNm + nodes[b] - centre;
                        for (int a = 0; a < nodes.Length; a++)
                        {
                            double dx = x * pixelSizeNm + nodes[a] - centre;
                            sum += weights[a] * weights[b] * table.EvaluatePlane(k, Math.Sqrt(dx * dx + dy * dy));
                        }
                    }
                    image[x, y, k] = (float)sum;
                }
            }
        }
        return image;
    }

    /// <summary>
    /// Fraction of the in-plane energy within <paramref name="radiusNm"/> of the axis at defocus
    /// <paramref name="zNm"/>: ∫₀^R 2πr PSF(r, z) dr, by composite 8-point Gauss–Legendre on panels of at most
    /// λ/(20·NA) (10 nm for foreign PSFs).
    /// </summary>
    public static double EncircledEnergy(IPointSpreadFunction psf, double radiusNm, double zNm = 0)
    {
        ArgumentNullException.ThrowIfNull(psf);
        Guard.Positive(radiusNm);
        Guard.Finite(zNm);
        var source = psf as IRadialProfileSource;
        double panelWidth = source is null ? 10 : source.ResolutionNm / 20;
        int panels = (int)Math.Ceiling(radiusNm / panelWidth);
        (double[] nodes, double[] weights) = GaussLegendre.Rule(8);
        double half = 0.5 * radiusNm / panels;
        var r = new double[panels * nodes.Length];
        for (int p = 0; p < panels; p++)
            for (int q = 0; q < nodes.Length; q++)
                r[p * nodes.Length + q] = (2 * p + 1 + nodes[q]) * half;
        var values = new double[r.Length];
        if (source is not null) source.EvaluateProfiles(r, [zNm], values);
        else for (int i = 0; i < r.Length; i++) values[i] = psf.Evaluate(r[i], zNm);
        double sum = 0;
        for (int i = 0; i < r.Length; i++) sum += weights[i % nodes.Length] * 2 * Math.PI * r[i] * values[i];
        return sum * half;
    }

    /// <summary>
    /// Lateral full width at half maximum at defocus <paramref name="zNm"/>, nm: twice the first radius at which the
    /// PSF falls to half its on-axis value (bisection to 0.01 nm). Meaningful where the maximum is on axis.
    /// </summary>
    /// <exception cref="InvalidOperationException">The PSF does not fall to half within 20 µm.</exception>
    public static double LateralFwhm(IPointSpreadFunction psf, double zNm = 0)
    {
        ArgumentNullException.ThrowIfNull(psf);
        Guard.Finite(zNm);
        double half = 0.5 * psf.Evaluate(0, zNm);
        double step = psf is IRadialProfileSource source ? source.ResolutionNm / 100 : 2;
        double lo = 0;
        for (double r = step; r < 20000; r += step)
        {
            if (psf.Evaluate(r, zNm) <= half)
            {
                double hi = r;
                while (hi - lo > 0.01)
                {
                    double mid = 0.5 * (lo + hi);
                    if (psf.Evaluate(mid, zNm) > half) lo = mid; else hi = mid;
                }
                return lo + hi;
            }
            lo = r;
        }
        throw new InvalidOperationException($"The PSF does not fall to half its on-axis value within 20 µm at z = {zNm} nm.");
    }

    /// <summary>Gauss–Legendre nodes on [0, pixel] and weights summing to pixel (per axis).</summary>
    internal static (double[] Nodes, double[] Weights) PixelQuadrature(int points, double pixelSizeNm)
    {
        (double[] nodes, double[] weights) = GaussLegendre.Rule(points);
        var n = new double[points];
        var w = new double[points];
        for (int i = 0; i < points; i++)
        {
            n[i] = 0.5 * (nodes[i] + 1) * pixelSizeNm;
            w[i] = 0.5 * weights[i] * pixelSizeNm;
        }
        return (n, w);
    }
}
