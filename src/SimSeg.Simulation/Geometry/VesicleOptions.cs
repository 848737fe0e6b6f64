using SimSeg.Core;

namespace SimSeg.Simulation.Geometry;

/// <summary>
/// How vesicles are drawn: spheres with radius and centre depth drawn uniformly per object (PhySeg, Sekh et
/// al. 2021: radius 50–300 nm for epifluorescence, up to 600 nm for Airyscan; z in 0–1300 nm). Lengths in nm.
/// </summary>
public sealed record VesicleOptions
{
    /// <summary>Radius range (default 50–300 nm).</summary>
    public Interval RadiusRangeNm { get; init; } = new(50, 300);

    /// <summary>Range of the centre's z (default 0–1300 nm).</summary>
    public Interval ZRangeNm { get; init; } = new(0, 1300);

    /// <summary>The Airyscan preset: radius 50–600 nm.</summary>
    public static VesicleOptions Airyscan => new() { RadiusRangeNm = new(50, 600) };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid property, its value and the accepted range.</summary>
    public void Validate()
    {
        RadiusRangeNm.Validate(nameof(VesicleOptions) + "." + nameof(RadiusRangeNm), double.Epsilon);
        ZRangeNm.Validate(nameof(VesicleOptions) + "." + nameof(ZRangeNm));
    }
}
