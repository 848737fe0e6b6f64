namespace SimSeg.Simulation.Labelling;

/// <summary>Where fluorophores sit on an object.</summary>
public enum LabellingMode
{
    /// <summary>On the surface (outer-membrane labelling, as in PhySeg and 3DMSL).</summary>
    Surface = 0,

    /// <summary>Uniformly in the volume (matrix or lumen labelling).</summary>
    Volume = 1,
}

/// <summary>
/// Fluorophore labelling density. Emitters are placed area-uniformly on the membrane at
/// <see cref="SurfaceDensityPerUm2"/>: the public PhySeg code (Sekh et al., Nat. Mach. Intell. 2021) uses about
/// 2000 molecules/µm² followed by blinking that leaves ~16% bright per frame; 3DMSL (Punnakkal et al.) states
/// 30 molecules/µm². The number of emitters per object is Poisson with mean density × area (or volume).
/// </summary>
public sealed record LabellingOptions
{
    /// <summary>Surface or volume labelling (default surface).</summary>
    public LabellingMode Mode { get; init; } = LabellingMode.Surface;

    /// <summary>Emitters per µm² of surface in <see cref="LabellingMode.Surface"/> mode (default 2000, PhySeg public code).</summary>
    public double SurfaceDensityPerUm2 { get; init; } = 2000;

    /// <summary>
    /// Emitters per µm³ in <see cref="LabellingMode.Volume"/> mode (default 20000: about as many emitters per µm
    /// of a 400 nm tube as the surface default; not from the papers).
    /// </summary>
    public double VolumeDensityPerUm3 { get; init; } = 20000;

    /// <summary>PhySeg public-code preset: 2000 molecules/µm² on the surface.</summary>
    public static LabellingOptions PhySeg => new();

    /// <summary>3DMSL preset: 30 molecules/µm² on the surface.</summary>
    public static LabellingOptions ThreeDMsl => new() { SurfaceDensityPerUm2 = 30 };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid property, its value and the accepted range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Mode))
            throw new ArgumentException($"{nameof(LabellingOptions)}.{nameof(Mode)} must be Surface or Volume, got {Mode}.", nameof(Mode));
        if (!(SurfaceDensityPerUm2 > 0) || double.IsInfinity(SurfaceDensityPerUm2))
            throw new ArgumentException(
                $"{nameof(LabellingOptions)}.{nameof(SurfaceDensityPerUm2)} must be a finite number > 0 (molecules/µm²), got {SurfaceDensityPerUm2}.",
                nameof(SurfaceDensityPerUm2));
        if (!(VolumeDensityPerUm3 > 0) || double.IsInfinity(VolumeDensityPerUm3))
            throw new ArgumentException(
                $"{nameof(LabellingOptions)}.{nameof(VolumeDensityPerUm3)} must be a finite number > 0 (molecules/µm³), got {VolumeDensityPerUm3}.",
                nameof(VolumeDensityPerUm3));
    }
}
