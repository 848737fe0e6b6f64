using System.Numerics;
using SimSeg.Core;
using SimSeg.Core.Imaging;

namespace SimSeg.Segmentation.Baselines;

/// <summary>Settings of <see cref="VesselnessSegmenter"/>. Scales in pixels.</summary>
public sealed record VesselnessOptions
{
    /// <summary>Gaussian scales σ of the Hessian, pixels (a bright bar of width w responds most at σ = w/2, so 1–3 px suits tubes 2–6 px wide).</summary>
    public IReadOnlyList<double> Sigmas { get; init; } = [1, 1.5, 2, 2.5, 3];

    /// <summary>Frangi's β: how strongly blobs (eigenvalue ratio near 1) are suppressed.</summary>
    public double Beta { get; init; } = 0.5;

    /// <summary>Frangi's c, the structureness scale; null for half the largest Hessian norm of the plane at the first
    /// scale, reused for all scales (scikit-image's <c>frangi</c> default).</summary>
    public double? C { get; init; }

    /// <summary>Threshold on the vesselness (in [0, 1]); null for Otsu's threshold of the plane's vesselness.</summary>
    public double? Threshold { get; init; }

    /// <summary>Defaults: σ 1–3 px in steps of 0.5, β 0.5, c from the image, Otsu threshold.</summary>
    public static VesselnessOptions Default { get; } = new();

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (Sigmas is null || Sigmas.Count == 0 || Sigmas.Any(s => !(s > 0) || double.IsInfinity(s)))
            throw new ArgumentOutOfRangeException(nameof(Sigmas), $"{nameof(Sigmas)} must list at least one scale, each a finite number > 0 pixels, got [{(Sigmas is null ? "" : string.Join(", ", Sigmas))}].");
        Guard.Positive(Beta, nameof(Beta));
        if (C is { } c) Guard.Positive(c, nameof(C));
        if (Threshold is { } t) Guard.InRange(t, 0, 1, nameof(Threshold));
    }
}

/// <summary>
/// Multiscale Hessian tubularity (Frangi, Niessen, Vincken and Viergever, MICCAI 1998), the ridge filter behind
/// MitoGraph-style segmentation, for bright tubes on a dark background in 2D. At each scale σ the Hessian is taken
/// with Gaussian-derivative kernels and scale-normalised by σ² (so responses of different scales compare); with
/// eigenvalues |λ1| ≤ |λ2|, the vesselness is 0 where λ2 &gt; 0 (dark ridges) and otherwise
/// exp(−R_B² / 2β²)·(1 − exp(−S² / 2c²)), with R_B = λ1/λ2 (≈ 0 along a line, ≈ 1 on a blob) and
/// S = √(λ1² + λ2²); the response is the maximum over scales. The mask is the vesselness above a threshold
/// (Otsu's by default). A constant plane has zero Hessian and gives an empty mask. Planes are processed one by one.
/// </summary>
public static class VesselnessSegmenter
{
    /// <summary>A 0/1 mask with the image's size and calibration, one plane per input plane.</summary>
    /// <param name="image">The image (any pixel type).</param>
    /// <param name="options">Scales, β, c and threshold (<see cref="VesselnessOptions.Default"/> when null).</param>
    public static Image<byte> Segment<T>(Image<T> image, VesselnessOptions? options = null) where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(image);
        options ??= VesselnessOptions.Default;
        options.Validate();
        int w = image.Width, h = image.Height, n = w * h;
        var mask = new Image<byte>(w, h, image.Depth, image.Calibration);
        var plane = new float[n];
        var response = new float[n];
        for (int z = 0; z < image.Depth; z++)
        {
            Planes.ToFloat(image, z, plane);
            Vesselness(plane, w, h, options, response);
            double threshold = options.Threshold ?? Core.Imaging.Threshold.Otsu(response);
            Planes.Above(response, threshold, mask.Plane(z));
        }
        return mask;
    }

    /// <summary>The vesselness of one plane (values in [0, 1]), the maximum over <see cref="VesselnessOptions.Sigmas"/>.</summary>
    /// <param name="plane">The plane, row-major.</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="options">Scales, β and c.</param>
    /// <param name="destination">The response; may not alias <paramref name="plane"/>.</param>
    public static void Vesselness(ReadOnlySpan<float> plane, int width, int height, VesselnessOptions options, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int n = width * height;
        if (plane.Length != n || destination.Length != n)
            throw new ArgumentException($"plane and destination must hold width*height = {n} values, got {plane.Length} and {destination.Length}.");
        destination.Clear();
        var lambda1 = new float[n];
        var lambda2 = new float[n];
        double? c = options.C;
        double twoBetaSquared = 2 * options.Beta * options.Beta;
        foreach (double sigma in options.Sigmas)
        {
            double largestNorm = Eigenvalues(plane, width, height, sigma, lambda1, lambda2);
            if (c is null)
                c = largestNorm > 0 ? 0.5 * largestNorm : 1; // s = 0 everywhere: c does not matter
            double twoCSquared = 2 * c.Value * c.Value;
            for (int i = 0; i < n; i++)
            {
                double l1 = lambda1[i], l2 = lambda2[i];
                if (l2 >= 0) continue; // not a bright ridge (or flat)
                double rb = l1 / l2, s2 = l1 * l1 + l2 * l2;
                float v = (float)(Math.Exp(-rb * rb / twoBetaSquared) * (1 - Math.Exp(-s2 / twoCSquared)));
                if (v > destination[i]) destination[i] = v;
            }
        }
    }

    /// <summary>
    /// The eigenvalues of the σ²-normalised Hessian at scale σ, ordered by magnitude (|λ1| ≤ |λ2|); returns the
    /// largest Frobenius norm √(λ1² + λ2²) over the plane.
    /// </summary>
    internal static double Eigenvalues(ReadOnlySpan<float> plane, int width, int height, double sigma, Span<float> lambda1, Span<float> lambda2)
    {
        int n = width * height;
        float[] g0 = SeparableFilter.GaussianKernel(sigma, 0), g1 = SeparableFilter.GaussianKernel(sigma, 1), g2 = SeparableFilter.GaussianKernel(sigma, 2);
        var hxx = new float[n];
        var hxy = new float[n];
        var hyy = new float[n];
        SeparableFilter.Apply(plane, width, height, g2, g0, hxx);
        SeparableFilter.Apply(plane, width, height, g1, g1, hxy);
        SeparableFilter.Apply(plane, width, height, g0, g2, hyy);
        double scale = sigma * sigma, largest = 0;
        for (int i = 0; i < n; i++)
        {
            double a = scale * hxx[i], b = scale * hxy[i], d = scale * hyy[i];
            double mean = 0.5 * (a + d), root = Math.Sqrt(0.25 * (a - d) * (a - d) + b * b);
            double p = mean + root, q = mean - root;
            if (Math.Abs(p) > Math.Abs(q)) (p, q) = (q, p);
            lambda1[i] = (float)p;
            lambda2[i] = (float)q;
            largest = Math.Max(largest, Math.Sqrt(p * p + q * q));
        }
        return largest;
    }
}
