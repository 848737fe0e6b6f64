using SimSeg.Core.Randomness;

namespace SimSeg.Simulation.TimeLapse;

/// <summary>Where an object is and how it drifts: centre (nm), in-plane orientation (rad) and directed velocity (nm/frame).</summary>
/// <param name="XNm">Centre x, nm (along image columns from the field's left edge).</param>
/// <param name="YNm">Centre y, nm (along image rows from the field's top edge).</param>
/// <param name="OrientationRad">In-plane rotation of the object's body frame, rad.</param>
/// <param name="VelocityXNm">Directed velocity x, nm per frame (0 for purely diffusing objects).</param>
/// <param name="VelocityYNm">Directed velocity y, nm per frame.</param>
public readonly record struct ObjectPose(double XNm, double YNm, double OrientationRad, double VelocityXNm, double VelocityYNm);

/// <summary>
/// Rigid motion of movie objects, one frame at a time: Brownian translation (per-axis step N(0, 2·D), so the
/// mean squared 2D displacement after t frames is 4·D·t), plus a constant directed velocity for directed
/// objects, plus rotational diffusion (orientation step N(0, 2·D_r)). Centres are reflected at the field
/// shrunk by the border margin; a reflection also flips the velocity component across that border, so a
/// directed object bounces off the edge. Every step draws exactly three Gaussians, so random streams stay
/// aligned whatever the options.
/// </summary>
public static class MotionModel
{
    /// <summary>
    /// A new pose at (<paramref name="xNm"/>, <paramref name="yNm"/>) with <paramref name="orientationRad"/>; with
    /// probability <see cref="MovieOptions.FractionDirected"/> it gets a velocity of uniform direction and a speed
    /// drawn from <see cref="MovieOptions.DriftSpeedNmPerFrame"/>. Always draws three uniforms.
    /// </summary>
    public static ObjectPose Start(double xNm, double yNm, double orientationRad, MovieOptions options, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        bool directed = rng.NextDouble() < options.FractionDirected;
        double speed = options.DriftSpeedNmPerFrame.Min + options.DriftSpeedNmPerFrame.Width * rng.NextDouble();
        (double sin, double cos) = Math.SinCos(2 * Math.PI * rng.NextDouble());
        return directed ? new ObjectPose(xNm, yNm, orientationRad, speed * cos, speed * sin) : new ObjectPose(xNm, yNm, orientationRad, 0, 0);
    }

    /// <summary>
    /// The pose one frame later in a field of <paramref name="fieldWidthNm"/> × <paramref name="fieldHeightNm"/>
    /// (centres reflected into [margin, size − margin], margin = min(<see cref="MovieOptions.BorderMarginNm"/>,
    /// 0.45 × size)).
    /// </summary>
    public static ObjectPose Step(ObjectPose pose, MovieOptions options, double fieldWidthNm, double fieldHeightNm, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        double sigma = Math.Sqrt(2 * options.DiffusionCoefficientNm2PerFrame);
        double sigmaRotation = Math.Sqrt(2 * options.RotationDiffusionRad2PerFrame);
        double x = pose.XNm + pose.VelocityXNm + sigma * rng.NextGaussian();
        double y = pose.YNm + pose.VelocityYNm + sigma * rng.NextGaussian();
        double theta = pose.OrientationRad + sigmaRotation * rng.NextGaussian();
        double vx = pose.VelocityXNm, vy = pose.VelocityYNm;
        (x, vx) = Reflect(x, vx, fieldWidthNm, options.BorderMarginNm);
        (y, vy) = Reflect(y, vy, fieldHeightNm, options.BorderMarginNm);
        return new ObjectPose(x, y, theta, vx, vy);
    }

    /// <summary>Folds <paramref name="value"/> into [margin, size − margin] by mirror reflection; flips the velocity on an odd number of reflections.</summary>
    internal static (double Value, double Velocity) Reflect(double value, double velocity, double size, double margin)
    {
        double lo = Math.Min(margin, 0.45 * size), hi = size - lo, span = hi - lo;
        if (value >= lo && value <= hi) return (value, velocity);
        // Unfold onto a period of 2·span: the first half maps straight, the second half mirrored.
        double t = (value - lo) % (2 * span);
        if (t < 0) t += 2 * span;
        bool mirrored = t > span;
        double folded = lo + (mirrored ? 2 * span - t : t);
        // A value below lo or above hi crossed one border (an odd number of times for a single reflection).
        int crossings = (int)Math.Floor((value - lo) / span);
        return (folded, (crossings & 1) != 0 ? -velocity : velocity);
    }
}
