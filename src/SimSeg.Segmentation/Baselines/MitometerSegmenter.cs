using System.Numerics;
using SimSeg.Core;
using SimSeg.Core.Imaging;

namespace SimSeg.Segmentation.Baselines;

/// <summary>
/// Settings of <see cref="MitometerSegmenter"/>. The background is estimated with disc median filters of whole
/// radii in <see cref="RadiusRangeNm"/> (Mitometer's 0.3–1 µm), converted to pixels with the image's pixel size
/// (or <see cref="FallbackPixelSizeNm"/> when the image has none), unless <see cref="RadiiPixels"/> names them.
/// </summary>
public sealed record MitometerOptions
{
    /// <summary>Disc radii of the background median filters, nm: whole pixel radii from round(min / pixel) to
    /// round(max / pixel), at least 2 pixels (thinned to <see cref="MaxRadii"/>).</summary>
    public Interval RadiusRangeNm { get; init; } = new(300, 1000);

    /// <summary>Pixel size assumed when the image carries none, nm (100 nm: 3–10 pixel radii).</summary>
    public double FallbackPixelSizeNm { get; init; } = 100;

    /// <summary>
    /// At most this many radii are derived from <see cref="RadiusRangeNm"/>, spread evenly over it (both ends kept).
    /// Mitometer filters at every whole radius; the minimum over nested discs hardly changes between neighbouring
    /// radii (on simulated epi1 and conf1 fields 4, 8 or all radii give the same mIoU to 0.001) while each radius
    /// costs a full median filter, so 8 by default. 0 keeps every whole radius.
    /// </summary>
    public int MaxRadii { get; init; } = 8;

    /// <summary>Explicit radii in pixels (each ≥ 1), overriding <see cref="RadiusRangeNm"/>; null to derive them.</summary>
    public IReadOnlyList<int>? RadiiPixels { get; init; }

    /// <summary>Gaussian smoothing of the background-free image before Otsu, pixels (0 = none).</summary>
    public double SmoothingSigma { get; init; } = 1;

    /// <summary>Quantisation levels of the median filters (256: Mitometer works on 8-bit images).</summary>
    public int Levels { get; init; } = 256;

    /// <summary>Defaults: radii 0.3–1 µm (at most 8), 100 nm pixels when unknown, smoothing σ 1, 256 levels.</summary>
    public static MitometerOptions Default { get; } = new();

    /// <summary>The median radii in pixels for an image of the given calibration.</summary>
    public int[] RadiiFor(Calibration calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        Validate();
        if (RadiiPixels is not null) return [.. RadiiPixels];
        double pixel = calibration.IsKnown ? 0.5 * (calibration.PixelWidthNm + calibration.PixelHeightNm) : FallbackPixelSizeNm;
        int min = Math.Max(2, (int)Math.Round(RadiusRangeNm.Min / pixel));
        int max = Math.Max(min, (int)Math.Round(RadiusRangeNm.Max / pixel));
        int count = max - min + 1;
        if (MaxRadii == 0 || count <= MaxRadii) return [.. Enumerable.Range(min, count)];
        if (MaxRadii == 1) return [min];
        return [.. Enumerable.Range(0, MaxRadii).Select(k => min + (int)Math.Round(k * (max - min) / (MaxRadii - 1.0))).Distinct()];
    }

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        Guard.OrderedRange(RadiusRangeNm.Min, RadiusRangeNm.Max, nameof(RadiusRangeNm));
        Guard.Positive(RadiusRangeNm.Min, nameof(RadiusRangeNm));
        Guard.Positive(FallbackPixelSizeNm, nameof(FallbackPixelSizeNm));
        if (RadiiPixels is { } radii && (radii.Count == 0 || radii.Any(r => r < 1)))
            throw new ArgumentOutOfRangeException(nameof(RadiiPixels), $"{nameof(RadiiPixels)} must list at least one radius, each >= 1 pixel, got [{string.Join(", ", radii)}].");
        if (MaxRadii < 0) throw new ArgumentOutOfRangeException(nameof(MaxRadii), MaxRadii, $"{nameof(MaxRadii)} must be >= 0 (0 = every whole radius), got {MaxRadii}.");
        Guard.NonNegative(SmoothingSigma, nameof(SmoothingSigma));
        if (Levels is < 2 or > 65536) throw new ArgumentOutOfRangeException(nameof(Levels), Levels, $"{nameof(Levels)} must be between 2 and 65536, got {Levels}.");
    }
}

/// <summary>
/// Mitometer's segmentation (Lefebvre et al., Nat. Methods 18, 1091, 2021): diffuse background is the
/// pixel-wise minimum of disc median filters of several radii around the size of a mitochondrion (0.3–1 µm), capped
/// at the image itself; subtracting it leaves objects on a flat zero background. The result is smoothed with a
/// Gaussian and thresholded. Mitometer chooses its threshold and σ (0.33–0.5 px) by minimising how much the object
/// count and median object area vary over the first frames of a movie; here every page is segmented on its own, so
/// the threshold is Otsu's on each background-free, smoothed plane and σ is an option (default 1, as the Otsu
/// baseline). Median filters work on values quantised to <see cref="MitometerOptions.Levels"/> levels spanning the
/// plane's range (Mitometer converts to 8 bits), so the background is exact to half a level. A constant plane
/// has zero residual and gives an empty mask.
/// </summary>
public static class MitometerSegmenter
{
    /// <summary>A 0/1 mask with the image's size and calibration, one plane per input plane.</summary>
    /// <param name="image">The image (any pixel type, finite values).</param>
    /// <param name="options">Radii, smoothing and quantisation (<see cref="MitometerOptions.Default"/> when null).</param>
    public static Image<byte> Segment<T>(Image<T> image, MitometerOptions? options = null) where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(image);
        options ??= MitometerOptions.Default;
        int[] radii = options.RadiiFor(image.Calibration);
        int w = image.Width, h = image.Height, n = w * h;
        var mask = new Image<byte>(w, h, image.Depth, image.Calibration);
        var plane = new float[n];
        var residual = new float[n];
        var smooth = new float[n];
        for (int z = 0; z < image.Depth; z++)
        {
            Planes.ToFloat(image, z, plane);
            RemoveBackground(plane, w, h, radii, options.Levels, residual);
            GaussianBlur.Apply(residual, w, h, options.SmoothingSigma, smooth);
            Planes.Above(smooth, Threshold.Otsu(smooth), mask.Plane(z));
        }
        return mask;
    }

    /// <summary>
    /// The image minus its diffuse background: destination = plane − min(plane, min over radii of the disc median),
    /// so it is ≥ 0 everywhere. Medians are taken on <paramref name="levels"/> quantisation levels of the plane.
    /// </summary>
    /// <param name="plane">The plane, row-major, finite values.</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="radiiPixels">Disc radii of the median filters, pixels (each ≥ 1).</param>
    /// <param name="levels">Quantisation levels, 2 to 65536.</param>
    /// <param name="destination">The residual; may not alias <paramref name="plane"/>.</param>
    public static void RemoveBackground(ReadOnlySpan<float> plane, int width, int height, IReadOnlyList<int> radiiPixels, int levels, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(radiiPixels);
        if (radiiPixels.Count == 0 || radiiPixels.Any(r => r < 1))
            throw new ArgumentOutOfRangeException(nameof(radiiPixels), $"radiiPixels must list at least one radius, each >= 1 pixel, got [{string.Join(", ", radiiPixels)}].");
        if (plane.Length != width * height || destination.Length != width * height)
            throw new ArgumentException($"plane and destination must hold width*height = {width * height} values, got {plane.Length} and {destination.Length}.");
        int n = width * height;
        var quantised = new ushort[n];
        var (min, step) = MedianFilter.Quantize(plane, levels, quantised);
        var median = new ushort[n];
        var lowest = new ushort[n];
        lowest.AsSpan().Fill(ushort.MaxValue);
        foreach (int radius in radiiPixels)
        {
            MedianFilter.Disc(quantised, width, height, radius, levels, median);
            for (int i = 0; i < n; i++) lowest[i] = Math.Min(lowest[i], median[i]);
        }
        for (int i = 0; i < n; i++)
        {
            float background = (float)(min + lowest[i] * step);
            destination[i] = plane[i] - Math.Min(plane[i], background);
        }
    }
}
