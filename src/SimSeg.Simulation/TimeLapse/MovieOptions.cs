using SimSeg.Core;
using SimSeg.Simulation.Photokinetics;

namespace SimSeg.Simulation.TimeLapse;

/// <summary>
/// What a simulated time-lapse movie holds and how its objects move, deform, divide and fuse. The microscope,
/// camera, labelling, object shapes and blinking come from the preset; this record adds time. Lengths in nm,
/// times in frames (one frame = the preset's <see cref="PhotokineticsOptions.FrameIntervalMs"/>).
/// </summary>
/// <remarks>
/// <para>
/// Object counts: when <see cref="MitochondriaCount"/> / <see cref="VesicleCount"/> are null, the preset's
/// per-field ranges (meant for a 128 × 128 tile) are scaled by the movie's area in tiles, so a 256 × 256 movie
/// of epi1-mixed holds 4–8 mitochondria and 4–16 vesicles. Fifty objects (for example 20 mitochondria and
/// 30 vesicles) cover about a quarter of a 256 × 256 field at 42 nm pixels (10.8 µm square) with the epi
/// shapes of PhySeg (tubes up to 5 µm long, 200–600 nm wide; vesicles of radius 50–300 nm), so some overlap
/// is expected there; a 512 × 512 field holds them at under 10 % coverage.
/// </para>
/// <para>
/// Motion per frame (see <see cref="MotionModel"/>): Brownian translation with per-axis variance 2·D, so the
/// mean squared 2D displacement after t frames is 4·D·t; a fraction of objects also moves along a fixed
/// direction at a speed drawn from <see cref="DriftSpeedNmPerFrame"/>; the in-plane orientation diffuses with
/// variance 2·D_r per frame. Object centres are reflected at the field shrunk by <see cref="BorderMarginNm"/>
/// (and a directed object's velocity flips), so centres never leave the field; the ends of long mitochondria
/// may poke out of it.
/// </para>
/// <para>
/// Photokinetics: each object's emitters persist between frames and move rigidly with it, so blinking and
/// bleaching are continuous in time (a two-state telegraph process with exponential dwell and bleach times,
/// <see cref="PhotokineticsOptions"/>). An object whose shape changes (curl, elongation, fission, fusion) is
/// relabelled: its emitters are sampled afresh from the new shape and start in the stationary blinking state,
/// unbleached. Deformation is applied to unbranched tubes only; branched tubes, meshes and vesicles move rigidly.
/// </para>
/// </remarks>
public sealed record MovieOptions
{
    /// <summary>Frames of the movie (default 100).</summary>
    public int Frames { get; init; } = 100;

    /// <summary>Field width, pixels (default 256).</summary>
    public int Width { get; init; } = 256;

    /// <summary>Field height, pixels (default 256).</summary>
    public int Height { get; init; } = 256;

    /// <summary>Mitochondria at the start; null = the preset's per-tile range scaled by the field area (default null).</summary>
    public int? MitochondriaCount { get; init; }

    /// <summary>Vesicles at the start; null = the preset's per-tile range scaled by the field area (default null).</summary>
    public int? VesicleCount { get; init; }

    /// <summary>
    /// Translational diffusion coefficient D, nm² per frame (default 100: a per-axis step of 14 nm and a 2D RMS
    /// displacement of 200 nm, about 5 pixels at 42 nm, over 100 frames).
    /// </summary>
    public double DiffusionCoefficientNm2PerFrame { get; init; } = 100;

    /// <summary>Fraction of objects that also move in a straight line (directed, motor-driven transport) (default 0.2).</summary>
    public double FractionDirected { get; init; } = 0.2;

    /// <summary>Speed of a directed object, nm per frame, one uniform draw per object (default 5–20: 0.25–1 µm/s at 20 ms frames).</summary>
    public Interval DriftSpeedNmPerFrame { get; init; } = new(5, 20);

    /// <summary>Rotational diffusion coefficient D_r of the in-plane orientation, rad² per frame (default 1e-4).</summary>
    public double RotationDiffusionRad2PerFrame { get; init; } = 1e-4;

    /// <summary>
    /// Probability per frame that a straight unbranched mitochondrion starts to curl into an arc of the preset's
    /// curl sweep, keeping its length (default 0.002). Tubes too long to curl within the preset's largest curl radius do not curl.
    /// </summary>
    public double CurlProbability { get; init; } = 0.002;

    /// <summary>Probability per frame that an unbranched mitochondrion starts to elongate by <see cref="ElongationFactor"/> (default 0.002).</summary>
    public double ElongateProbability { get; init; } = 0.002;

    /// <summary>Frames over which a curl or elongation runs, its control points moving linearly to the target (default 5).</summary>
    public int MorphologyFrames { get; init; } = 5;

    /// <summary>Length factor of an elongation (default 1.3); an elongation that would exceed twice the preset's longest centreline is skipped.</summary>
    public double ElongationFactor { get; init; } = 1.3;

    /// <summary>
    /// Probability per frame that an unbranched mitochondrion divides (default 0.002). It is cut at 30–70 % of
    /// its length with a gap of one diameter plus two pixels; both pieces must be at least <see cref="MinFragmentLengthNm"/> long.
    /// </summary>
    public double FissionProbability { get; init; } = 0.002;

    /// <summary>Shortest piece a fission may leave, nm (default 600).</summary>
    public double MinFragmentLengthNm { get; init; } = 600;

    /// <summary>
    /// Probability per frame that two unbranched mitochondria whose ends are within <see cref="FusionDistanceNm"/>
    /// of each other fuse end to end (default 0.1). Pieces of one fission do not re-fuse, and a fused tube may be
    /// at most twice the preset's longest centreline.
    /// </summary>
    public double FusionProbability { get; init; } = 0.1;

    /// <summary>Largest gap between the membranes of two tube ends that may fuse, nm (default 150).</summary>
    public double FusionDistanceNm { get; init; } = 150;

    /// <summary>Object centres are reflected at the field shrunk by this margin on every side, nm (default 500).</summary>
    public double BorderMarginNm { get; init; } = 500;

    /// <summary>Blinking, bleaching and timing; null = the preset's (default null).</summary>
    public PhotokineticsOptions? Photokinetics { get; init; }

    /// <summary>Worker threads for rendering (default: all cores); the movie does not depend on it.</summary>
    [System.Text.Json.Serialization.JsonIgnore] // not part of movie.json: the output does not depend on it
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid property, its value and the accepted range.</summary>
    public void Validate()
    {
        const string p = nameof(MovieOptions) + ".";
        AtLeast(Frames, 1, 100_000, nameof(Frames));
        AtLeast(Width, 1, 16_384, nameof(Width));
        AtLeast(Height, 1, 16_384, nameof(Height));
        if (MitochondriaCount is int m) AtLeast(m, 0, 10_000, nameof(MitochondriaCount));
        if (VesicleCount is int v) AtLeast(v, 0, 10_000, nameof(VesicleCount));
        NonNegative(DiffusionCoefficientNm2PerFrame, nameof(DiffusionCoefficientNm2PerFrame), "nm²/frame");
        Probability(FractionDirected, nameof(FractionDirected));
        if (!(DriftSpeedNmPerFrame.Min >= 0 && DriftSpeedNmPerFrame.Max >= DriftSpeedNmPerFrame.Min && double.IsFinite(DriftSpeedNmPerFrame.Max)))
            throw new ArgumentException($"{p}{nameof(DriftSpeedNmPerFrame)} must be a finite range with 0 <= min <= max (nm/frame), got {DriftSpeedNmPerFrame}.", nameof(DriftSpeedNmPerFrame));
        NonNegative(RotationDiffusionRad2PerFrame, nameof(RotationDiffusionRad2PerFrame), "rad²/frame");
        Probability(CurlProbability, nameof(CurlProbability));
        Probability(ElongateProbability, nameof(ElongateProbability));
        AtLeast(MorphologyFrames, 1, 10_000, nameof(MorphologyFrames));
        if (!(ElongationFactor > 1 && ElongationFactor <= 4))
            throw new ArgumentException($"{p}{nameof(ElongationFactor)} must be in (1, 4], got {ElongationFactor}.", nameof(ElongationFactor));
        Probability(FissionProbability, nameof(FissionProbability));
        Positive(MinFragmentLengthNm, nameof(MinFragmentLengthNm));
        Probability(FusionProbability, nameof(FusionProbability));
        NonNegative(FusionDistanceNm, nameof(FusionDistanceNm), "nm");
        NonNegative(BorderMarginNm, nameof(BorderMarginNm), "nm");
        Photokinetics?.Validate();
        AtLeast(Threads, 1, 1024, nameof(Threads));

        static void AtLeast(int value, int min, int max, string name)
        {
            if (value < min || value > max)
                throw new ArgumentException($"{p}{name} must be in [{min}, {max}], got {value}.", name);
        }

        static void NonNegative(double value, string name, string unit)
        {
            if (!(value >= 0) || double.IsInfinity(value))
                throw new ArgumentException($"{p}{name} must be a finite number >= 0 ({unit}), got {value}.", name);
        }

        static void Positive(double value, string name)
        {
            if (!(value > 0) || double.IsInfinity(value))
                throw new ArgumentException($"{p}{name} must be a finite number > 0, got {value}.", name);
        }

        static void Probability(double value, string name)
        {
            if (!(value >= 0 && value <= 1))
                throw new ArgumentException($"{p}{name} must be a probability in [0, 1], got {value}.", name);
        }
    }
}
