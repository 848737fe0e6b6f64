namespace SimSeg.Simulation.Optics;

/// <summary>
/// Settings of <see cref="EmitterRenderer"/>. Lengths in nm; defocus = emitter z − focal plane z.
/// </summary>
public sealed record RenderOptions
{
    /// <summary>Pixel size in the sample, nm (PhySeg's code renders at 42 nm). Presets take it from the microscope, so it is not part of preset files.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double PixelSizeNm { get; init; } = 42;

    /// <summary>
    /// Radius beyond which an emitter's PSF is truncated (set to zero), nm. Kernels span (2·⌈R/pixel⌉ + 1)² pixels,
    /// of which only the disc of radius R (plus one pixel) is stored and added, and a bank plane holds
    /// Oversampling·⌈Oversampling/2⌉ of them, so memory and render time grow as R².
    /// The default 1000 nm is about 4.5 in-focus FWHMs at λ 600 nm, NA 1.4 and keeps about 96 % of an in-focus
    /// emitter's photons (1 − 2/(π·k·NA·R) for the Airy tail); at 42 nm pixels a kernel adds 2,200 pixels
    /// (275 vectors of 8), a plane of 16-bit kernels is about 140 KB, and the bank of a 1.2 µm depth band
    /// (~50 planes) is about 7 MB. 1500 nm keeps about 97 % but costs ~2.3× the memory and render time.
    /// </summary>
    public double KernelRadiusNm { get; init; } = 1000;

    /// <summary>
    /// Sub-pixel phases per pixel and axis; an emitter uses the kernel of the nearest phase, so its position is
    /// quantised by up to pixel/(2·Oversampling) per axis (2.6 nm at 42 nm pixels with the default 8).
    /// </summary>
    public int Oversampling { get; init; } = 8;

    /// <summary>Largest spacing of the kernel planes in defocus, nm; emitters interpolate linearly between planes.</summary>
    public double KernelZStepNm { get; init; } = 25;

    /// <summary>Smallest defocus covered, nm. Emitters below it are rendered at this defocus (clamped).</summary>
    public double ZRangeMinNm { get; init; } = -2000;

    /// <summary>Largest defocus covered, nm. Emitters above it are rendered at this defocus (clamped).</summary>
    public double ZRangeMaxNm { get; init; } = 2000;

    /// <summary>Gauss–Legendre points per pixel side used to integrate the PSF over a pixel.</summary>
    public int QuadraturePoints { get; init; } = 4;

    /// <summary>Checks every field; throws <see cref="ArgumentOutOfRangeException"/> naming the property.</summary>
    public RenderOptions Validate()
    {
        Positive(PixelSizeNm, nameof(PixelSizeNm));
        Positive(KernelRadiusNm, nameof(KernelRadiusNm));
        if (KernelRadiusNm / PixelSizeNm > 512)
            throw new ArgumentOutOfRangeException(nameof(KernelRadiusNm), KernelRadiusNm, $"{nameof(KernelRadiusNm)} must be at most 512 pixels ({512 * PixelSizeNm} nm), got {KernelRadiusNm}.");
        if (Oversampling is < 1 or > 64)
            throw new ArgumentOutOfRangeException(nameof(Oversampling), Oversampling, $"{nameof(Oversampling)} must be between 1 and 64, got {Oversampling}.");
        Positive(KernelZStepNm, nameof(KernelZStepNm));
        if (!double.IsFinite(ZRangeMinNm) || !double.IsFinite(ZRangeMaxNm) || ZRangeMinNm > ZRangeMaxNm)
            throw new ArgumentOutOfRangeException(nameof(ZRangeMinNm), $"[{nameof(ZRangeMinNm)}, {nameof(ZRangeMaxNm)}] must be a finite range with min <= max, got [{ZRangeMinNm}, {ZRangeMaxNm}].");
        if (QuadraturePoints is < 1 or > 16)
            throw new ArgumentOutOfRangeException(nameof(QuadraturePoints), QuadraturePoints, $"{nameof(QuadraturePoints)} must be between 1 and 16, got {QuadraturePoints}.");
        return this;
    }

    private static void Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0, got {value}.");
    }
}
