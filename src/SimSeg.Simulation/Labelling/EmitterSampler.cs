using SimSeg.Core.Geometry;
using SimSeg.Core.Randomness;
using SimSeg.Simulation.Geometry;

namespace SimSeg.Simulation.Labelling;

/// <summary>
/// Places fluorophores on the objects of a scene: for each object a Poisson number of emitters with mean
/// density × area (surface mode, area-uniform on the membrane, PhySeg and 3DMSL) or density × volume
/// (volume mode, uniform inside, by rejection from the bounding box), each tagged with the object's id.
/// Tubes (<see cref="TubeShape"/>, <see cref="BranchedTubeShape"/>) are labelled by thinning: a Poisson number
/// of candidates with mean density × candidate area (cylinders, bend lunes and caps), of which those strictly
/// inside the body are dropped; the kept emitters are Poisson with mean density × union area, exactly.
/// </summary>
public static class EmitterSampler
{
    private const double Nm2PerUm2 = 1e6, Nm3PerUm3 = 1e9;

    /// <summary>
    /// Appends the emitters of every object of <paramref name="scene"/> to <paramref name="destination"/>
    /// (which is not cleared), objects in order. Deterministic for a given <paramref name="rng"/> state.
    /// </summary>
    public static void Sample(Scene scene, LabellingOptions options, Rng rng, EmitterSet destination)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(destination);
        options.Validate();
        foreach (SceneObject obj in scene.Objects)
        {
            if (options.Mode == LabellingMode.Surface) SampleSurface(obj.Shape, obj.Id, options.SurfaceDensityPerUm2, rng, destination);
            else SampleVolume(obj.Shape, obj.Id, options.VolumeDensityPerUm3, rng, destination);
        }
    }

    /// <summary>Convenience overload returning a new <see cref="EmitterSet"/>.</summary>
    public static EmitterSet Sample(Scene scene, LabellingOptions options, Rng rng)
    {
        var set = new EmitterSet();
        Sample(scene, options, rng, set);
        return set;
    }

    private static void SampleSurface(IShape shape, int id, double densityPerUm2, Rng rng, EmitterSet destination)
    {
        if (shape is CapsuleShape tube)
        {
            // Thinning: a Poisson number of candidates over the candidate pieces, keeping those on the union's
            // surface, is a Poisson process of the same density on that surface; no area estimate needed.
            CapsuleNetwork body = tube.Body;
            long candidates = rng.NextPoisson(densityPerUm2 * body.CandidateArea / Nm2PerUm2);
            if (candidates > int.MaxValue / 2)
                throw new InvalidOperationException($"Surface labelling of object {id} would need {candidates} candidate emitters; lower the density.");
            body.AppendSurfaceSamples(rng, (int)candidates, id, destination);
            return;
        }
        long n = rng.NextPoisson(densityPerUm2 * shape.SurfaceArea / Nm2PerUm2);
        for (long i = 0; i < n; i++)
        {
            Vec3 p = shape.SampleSurface(rng);
            destination.Add(p.X, p.Y, p.Z, id);
        }
    }

    private static void SampleVolume(IShape shape, int id, double densityPerUm3, Rng rng, EmitterSet destination)
    {
        long n = rng.NextPoisson(densityPerUm3 * shape.Volume / Nm3PerUm3);
        if (n == 0) return;
        Vec3 lo = shape.BoundsMin, size = shape.BoundsMax - shape.BoundsMin;
        long attempts = 0, limit = 1_000_000 + 10_000 * n;
        for (long i = 0; i < n;)
        {
            var p = new Vec3(lo.X + size.X * rng.NextDouble(), lo.Y + size.Y * rng.NextDouble(), lo.Z + size.Z * rng.NextDouble());
            if (shape.Contains(p))
            {
                destination.Add(p.X, p.Y, p.Z, id);
                i++;
            }
            else if (++attempts > limit)
            {
                throw new InvalidOperationException($"Volume labelling of object {id} found no inside points in {limit} tries; its Contains and bounds disagree.");
            }
        }
    }
}
