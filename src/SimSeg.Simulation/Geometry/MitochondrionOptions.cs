using SimSeg.Core;

namespace SimSeg.Simulation.Geometry;

/// <summary>
/// How tubular mitochondria are drawn, after the public simulator code of PhySeg (Sekh et al., "Physics-based
/// machine learning for subcellular segmentation in living cells", Nat. Mach. Intell. 2021): a centreline
/// interpolating 3–4 random control points within ±<see cref="ControlPointExtentNm"/> of the object centre,
/// truncated at <see cref="MaxArcLengthNm"/>, z a linear ramp along it between two values drawn from
/// <see cref="ZRangeNm"/>, and a tube diameter drawn per object from <see cref="DiameterRangeNm"/>.
/// All lengths in nm.
/// </summary>
public sealed record MitochondrionOptions
{
    /// <summary>The epifluorescence diameter bands of PhySeg (nm): 200–300, 300–400, 400–500, 500–600.</summary>
    public static IReadOnlyList<Interval> EpiDiameterBandsNm { get; } =
        [new(200, 300), new(300, 400), new(400, 500), new(500, 600)];

    /// <summary>Fewest control points of a centreline (default 3).</summary>
    public int ControlPointCountMin { get; init; } = 3;

    /// <summary>Most control points of a centreline (default 4).</summary>
    public int ControlPointCountMax { get; init; } = 4;

    /// <summary>Control points are uniform in the square ±extent around the object centre (default 2000 nm).</summary>
    public double ControlPointExtentNm { get; init; } = 2000;

    /// <summary>Longest centreline (3D arc length); longer ones are truncated there (default 5000 nm).</summary>
    public double MaxArcLengthNm { get; init; } = 5000;

    /// <summary>Tube diameter range, one uniform draw per object (default 300–500 nm).</summary>
    public Interval DiameterRangeNm { get; init; } = new(300, 500);

    /// <summary>
    /// Axial band: the centreline's z runs linearly along its length between two uniform draws from it
    /// (default 100–600 nm; PhySeg also uses 600–800 and 800–1200).
    /// </summary>
    public Interval ZRangeNm { get; init; } = new(100, 600);

    /// <summary>Probability that a mitochondrion gets one or two side branches (Y-junctions) (default 0).</summary>
    public double BranchProbability { get; init; }

    /// <summary>
    /// Probability that a mitochondrion is curled: its control points lie on a circular arc of
    /// <see cref="CurlSweepDegrees"/> with radius from <see cref="CurlRadiusRangeNm"/> (default 0).
    /// </summary>
    public double CurlProbability { get; init; }

    /// <summary>Radius of the arc of a curled mitochondrion (default 300–800 nm).</summary>
    public Interval CurlRadiusRangeNm { get; init; } = new(300, 800);

    /// <summary>Angle swept by a curled centreline (default 270°).</summary>
    public double CurlSweepDegrees { get; init; } = 270;

    /// <summary>Spacing of the polyline that discretises the spline centreline (default 50 nm; sagitta ≈ 1 nm at 300 nm curvature radius).</summary>
    public double CenterlineStepNm { get; init; } = 50;

    /// <summary>The epifluorescence preset with diameter band <paramref name="band"/> (0..3: 200–300 … 500–600 nm).</summary>
    public static MitochondrionOptions Epi(int band)
    {
        if ((uint)band >= (uint)EpiDiameterBandsNm.Count)
            throw new ArgumentOutOfRangeException(nameof(band), band, $"band must be in [0, {EpiDiameterBandsNm.Count - 1}], got {band}.");
        return new MitochondrionOptions { DiameterRangeNm = EpiDiameterBandsNm[band] };
    }

    /// <summary>The Airyscan preset of PhySeg: diameters 20–300 nm.</summary>
    public static MitochondrionOptions Airyscan => new() { DiameterRangeNm = new(20, 300) };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid property, its value and the accepted range.</summary>
    public void Validate()
    {
        const string p = nameof(MitochondrionOptions) + ".";
        if (ControlPointCountMin < 2)
            throw new ArgumentException($"{p}{nameof(ControlPointCountMin)} must be >= 2, got {ControlPointCountMin}.", nameof(ControlPointCountMin));
        if (ControlPointCountMax < ControlPointCountMin || ControlPointCountMax > 64)
            throw new ArgumentException(
                $"{p}{nameof(ControlPointCountMax)} must be in [{nameof(ControlPointCountMin)} = {ControlPointCountMin}, 64], got {ControlPointCountMax}.",
                nameof(ControlPointCountMax));
        RequirePositive(ControlPointExtentNm, p + nameof(ControlPointExtentNm));
        RequirePositive(MaxArcLengthNm, p + nameof(MaxArcLengthNm));
        RequirePositive(CenterlineStepNm, p + nameof(CenterlineStepNm));
        DiameterRangeNm.Validate(p + nameof(DiameterRangeNm), double.Epsilon);
        ZRangeNm.Validate(p + nameof(ZRangeNm));
        RequireProbability(BranchProbability, p + nameof(BranchProbability));
        RequireProbability(CurlProbability, p + nameof(CurlProbability));
        CurlRadiusRangeNm.Validate(p + nameof(CurlRadiusRangeNm), double.Epsilon);
        if (!(CurlSweepDegrees > 0 && CurlSweepDegrees <= 350))
            throw new ArgumentException($"{p}{nameof(CurlSweepDegrees)} must be in (0, 350], got {CurlSweepDegrees}.", nameof(CurlSweepDegrees));
    }

    internal static void RequirePositive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentException($"{name} must be a finite number > 0, got {value}.", name);
    }

    internal static void RequireProbability(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
            throw new ArgumentException($"{name} must be a probability in [0, 1], got {value}.", name);
    }
}
