using SimSeg.Core.Geometry;
using SimSeg.Core.Randomness;

namespace SimSeg.Simulation.Geometry;

/// <summary>
/// Draws random scenes: tubular (optionally branched or curled) mitochondria, spherical vesicles and placed
/// library meshes, with centres uniform in the field (inside the margin) and random in-plane orientation,
/// after the simulator of PhySeg (Sekh et al., Nat. Mach. Intell. 2021) and the mesh placement of 3DMSL and
/// MiShape. The result depends only on the options and the state of the <see cref="Rng"/>.
/// </summary>
public static class SceneGenerator
{
    /// <summary>
    /// Generates one scene: first the mitochondria, then the vesicles, then the meshes, with ids 1..N in that
    /// order. Throws <see cref="ArgumentException"/> for invalid <paramref name="options"/>.
    /// </summary>
    public static Scene Generate(SceneOptions options, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        options.Validate();
        int mitochondria = options.MitochondriaPerField.Sample(rng);
        int vesicles = options.VesiclesPerField.Sample(rng);
        int meshes = options.MeshesPerField.Sample(rng);
        var objects = new List<SceneObject>(mitochondria + vesicles + meshes);
        for (int i = 0; i < mitochondria; i++) objects.Add(Mitochondrion(objects.Count + 1, options, rng));
        for (int i = 0; i < vesicles; i++) objects.Add(Vesicle(objects.Count + 1, options, rng));
        for (int i = 0; i < meshes; i++) objects.Add(PlacedMesh(objects.Count + 1, options, rng));
        return new Scene(options.FieldWidthNm, options.FieldHeightNm, objects);
    }

    private static (double X, double Y) Centre(SceneOptions o, Rng rng) =>
        (rng.Uniform(o.MarginNm, o.FieldWidthNm - o.MarginNm), rng.Uniform(o.MarginNm, o.FieldHeightNm - o.MarginNm));

    private static SceneObject Mitochondrion(int id, SceneOptions o, Rng rng)
    {
        MitochondrionOptions m = o.Mitochondria;
        (double cx, double cy) = Centre(o, rng);
        double diameter = m.DiameterRangeNm.Sample(rng);
        double radius = 0.5 * diameter;
        double orientation = rng.Uniform(0, 2 * Math.PI);
        (double sin, double cos) = Math.SinCos(orientation);
        bool curled = m.CurlProbability > 0 && rng.NextDouble() < m.CurlProbability;
        bool branched = !curled && m.BranchProbability > 0 && rng.NextDouble() < m.BranchProbability;

        // Control points in the object frame, then rotated in-plane and moved to the centre.
        Vec3[] control;
        double curlRadius = 0;
        if (curled)
        {
            curlRadius = m.CurlRadiusRangeNm.Sample(rng);
            double sweep = m.CurlSweepDegrees * Math.PI / 180;
            control = new Vec3[6];
            for (int k = 0; k < control.Length; k++)
            {
                (double s, double c) = Math.SinCos(sweep * k / (control.Length - 1));
                control[k] = new Vec3(curlRadius * c, curlRadius * s, 0);
            }
        }
        else
        {
            int n = rng.NextInt(m.ControlPointCountMin, m.ControlPointCountMax);
            control = new Vec3[n];
            double e = m.ControlPointExtentNm;
            for (int k = 0; k < n; k++) control[k] = new Vec3(rng.Uniform(-e, e), rng.Uniform(-e, e), 0);
        }
        for (int k = 0; k < control.Length; k++)
        {
            Vec3 q = control[k];
            control[k] = new Vec3(cx + q.X * cos - q.Y * sin, cy + q.X * sin + q.Y * cos, 0);
        }

        double z0 = m.ZRangeNm.Sample(rng), z1 = m.ZRangeNm.Sample(rng);
        Vec3[] main = RampedCenterline(new CenterlineSpline(control), z0, z1, m);
        var lines = new List<Vec3[]> { main };
        int branchCount = branched ? rng.NextInt(1, 2) : 0;
        for (int b = 0; b < branchCount; b++) lines.Add(Branch(main, radius, m, rng));

        double length = 0;
        foreach (Vec3[] line in lines) length += PolylineLength(line);
        var parameters = new Dictionary<string, double>
        {
            ["diameterNm"] = diameter,
            ["radiusNm"] = radius,
            ["lengthNm"] = length,
            ["zStartNm"] = main[0].Z,
            ["zEndNm"] = main[^1].Z,
            ["centerXNm"] = cx,
            ["centerYNm"] = cy,
            ["orientationRad"] = orientation,
            ["controlPointCount"] = control.Length,
            ["branchCount"] = branchCount,
        };
        if (curled) parameters["curlRadiusNm"] = curlRadius;

        IShape shape = branchCount > 0 ? new BranchedTubeShape(lines, radius) : new TubeShape(main, radius);
        string kind = curled ? "curled" : branchCount > 0 ? "branched" : "tube";
        return new SceneObject(id, ObjectClass.Mitochondrion, shape, parameters, kind);
    }

    /// <summary>
    /// Samples the (planar) spline and gives it a z ramp from <paramref name="z0"/> to <paramref name="z1"/>
    /// linear in arc length; the planar length is cut so the 3D length stays within MaxArcLengthNm.
    /// </summary>
    private static Vec3[] RampedCenterline(CenterlineSpline spline, double z0, double z1, MitochondrionOptions m)
    {
        double max = m.MaxArcLengthNm, dz = z1 - z0;
        if (Math.Abs(dz) >= 0.5 * max) z1 = z0 = 0.5 * (z0 + z1); // a ramp this steep cannot fit; keep it flat
        dz = z1 - z0;
        double maxPlanar = Math.Sqrt(max * max - dz * dz);
        Vec3[] pts = spline.Sample(m.CenterlineStepNm, maxPlanar);
        var cumulative = new double[pts.Length];
        for (int i = 1; i < pts.Length; i++) cumulative[i] = cumulative[i - 1] + Vec3.Distance(pts[i - 1], pts[i]);
        double total = cumulative[^1];
        for (int i = 0; i < pts.Length; i++)
            pts[i] = new Vec3(pts[i].X, pts[i].Y, z0 + dz * (total > 0 ? cumulative[i] / total : 0));
        return pts;
    }

    /// <summary>A side branch starting on the main centreline at 20–80% of its length, 30–90° off its tangent.</summary>
    private static Vec3[] Branch(Vec3[] main, double radius, MitochondrionOptions m, Rng rng)
    {
        int j = Math.Clamp((int)Math.Round(rng.Uniform(0.2, 0.8) * (main.Length - 1)), 1, main.Length - 2);
        Vec3 anchor = main[j];
        Vec3 t = main[j + 1] - main[j - 1];
        t = new Vec3(t.X, t.Y, 0).Normalized();
        double angle = rng.Uniform(Math.PI / 6, Math.PI / 2) * (rng.NextDouble() < 0.5 ? -1 : 1);
        (double s, double c) = Math.SinCos(angle);
        var dir = new Vec3(t.X * c - t.Y * s, t.X * s + t.Y * c, 0);
        var perp = new Vec3(-dir.Y, dir.X, 0);
        double length = Math.Max(4 * radius, rng.Uniform(0.3, 0.6) * PolylineLength(main));
        var planarAnchor = new Vec3(anchor.X, anchor.Y, 0);
        Vec3[] control =
        [
            planarAnchor,
            planarAnchor + dir * (0.5 * length) + perp * (rng.Uniform(-0.15, 0.15) * length),
            planarAnchor + dir * length + perp * (rng.Uniform(-0.15, 0.15) * length),
        ];
        return RampedCenterline(new CenterlineSpline(control), anchor.Z, m.ZRangeNm.Sample(rng), m);
    }

    private static SceneObject Vesicle(int id, SceneOptions o, Rng rng)
    {
        (double cx, double cy) = Centre(o, rng);
        double radius = o.Vesicles.RadiusRangeNm.Sample(rng);
        double cz = o.Vesicles.ZRangeNm.Sample(rng);
        var parameters = new Dictionary<string, double>
        {
            ["radiusNm"] = radius,
            ["diameterNm"] = 2 * radius,
            ["centerXNm"] = cx,
            ["centerYNm"] = cy,
            ["centerZNm"] = cz,
        };
        return new SceneObject(id, ObjectClass.Vesicle, new SphereShape(new Vec3(cx, cy, cz), radius), parameters, "sphere");
    }

    private static SceneObject PlacedMesh(int id, SceneOptions o, Rng rng)
    {
        (double cx, double cy) = Centre(o, rng);
        int index = rng.NextInt(o.MeshLibrary.Count);
        TriangleMesh mesh = o.MeshLibrary[index];
        double scale = o.MeshScaleRange.Sample(rng);
        double alpha = rng.Uniform(0, 2 * Math.PI), beta = rng.Uniform(0, 2 * Math.PI), gamma = rng.Uniform(0, 2 * Math.PI);
        double cz = o.MeshZRangeNm.Sample(rng);
        Mat3 rotation = Mat3.Euler(alpha, beta, gamma);
        var centre = new Vec3(cx, cy, cz);
        Vec3 translation = centre - rotation * (mesh.Centroid * scale);
        var parameters = new Dictionary<string, double>
        {
            ["meshIndex"] = index,
            ["scale"] = scale,
            ["eulerAlphaRad"] = alpha,
            ["eulerBetaRad"] = beta,
            ["eulerGammaRad"] = gamma,
            ["centerXNm"] = cx,
            ["centerYNm"] = cy,
            ["centerZNm"] = cz,
        };
        return new SceneObject(id, ObjectClass.Mitochondrion, new MeshShape(mesh, rotation, translation, scale), parameters, "mesh");
    }

    private static double PolylineLength(Vec3[] line)
    {
        double length = 0;
        for (int i = 1; i < line.Length; i++) length += Vec3.Distance(line[i - 1], line[i]);
        return length;
    }
}
