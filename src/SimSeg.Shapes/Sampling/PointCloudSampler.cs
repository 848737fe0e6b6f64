using SimSeg.Core;
using System.Buffers.Binary;
using System.Text;
using SimSeg.Core.Geometry;
using SimSeg.Core.IO;
using SimSeg.Core.Randomness;

namespace SimSeg.Shapes.Sampling;

/// <summary>
/// Surface point clouds of meshes, the encoder input of Occupancy Networks / 3DMSL (300 points per shape with
/// N(0, 0.05) noise in unit-cube units).
/// </summary>
public static class PointCloudSampler
{
    /// <summary>
    /// Draws <paramref name="count"/> points uniformly by area over the surface: a triangle with probability
    /// proportional to its area, then a uniform point in it (u = √r₁: (1 − u)·a + u(1 − r₂)·b + u·r₂·c, Turk 1990).
    /// Each point carries the unit normal of its triangle (outward for a mesh counter-clockwise seen from outside).
    /// When <paramref name="noiseSigma"/> &gt; 0, independent N(0, σ²) noise in mesh units is added to every
    /// coordinate of the points (not the normals); for a normalised mesh σ = 0.05 is 3DMSL's setting.
    /// The same <paramref name="rng"/> state gives the same points.
    /// </summary>
    /// <param name="mesh">Mesh with positive surface area.</param>
    /// <param name="count">Number of points, ≥ 0.</param>
    /// <param name="rng">Random source, advanced by the call.</param>
    /// <param name="noiseSigma">Standard deviation of the positional noise in mesh units, ≥ 0.</param>
    public static (Vec3[] Points, Vec3[] Normals) Sample(TriangleMesh mesh, int count, Rng rng, double noiseSigma = 0)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        ArgumentNullException.ThrowIfNull(rng);
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be >= 0, got {count}.");
        Guard.NonNegative(noiseSigma);
        if (!(mesh.SurfaceArea > 0)) throw new ArgumentException("mesh has zero surface area; there is nothing to sample.", nameof(mesh));

        int triangles = mesh.TriangleCount;
        var cumulative = new double[triangles];
        double total = 0;
        for (int t = 0; t < triangles; t++)
        {
            var (a, b, c) = mesh.GetTriangle(t);
            total += 0.5 * Vec3.Cross(b - a, c - a).Length;
            cumulative[t] = total;
        }

        var points = new Vec3[count];
        var normals = new Vec3[count];
        for (int i = 0; i < count; i++)
        {
            int t = PickTriangle(cumulative, rng.NextDouble() * total);
            var (a, b, c) = mesh.GetTriangle(t);
            double u = Math.Sqrt(rng.NextDouble()), r2 = rng.NextDouble();
            Vec3 p = (1 - u) * a + (u * (1 - r2)) * b + (u * r2) * c;
            if (noiseSigma > 0) p += new Vec3(rng.NextGaussian(), rng.NextGaussian(), rng.NextGaussian()) * noiseSigma;
            points[i] = p;
            normals[i] = Vec3.Cross(b - a, c - a).Normalized();
        }
        return (points, normals);
    }

    /// <summary>The first triangle whose cumulative area exceeds <paramref name="target"/>, skipping zero-area ones.</summary>
    private static int PickTriangle(double[] cumulative, double target)
    {
        int lo = 0, hi = cumulative.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > target) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /// <summary>
    /// Writes points with normals as a binary little-endian PLY point cloud (vertex element with float x, y, z,
    /// nx, ny, nz; no faces), atomically (temporary file renamed when complete).
    /// </summary>
    /// <param name="path">Destination, conventionally ending in ".ply"; its folder must exist.</param>
    /// <param name="points">Positions.</param>
    /// <param name="normals">One normal per point.</param>
    public static void WritePly(string path, ReadOnlySpan<Vec3> points, ReadOnlySpan<Vec3> normals)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (normals.Length != points.Length)
            throw new ArgumentException($"normals must have one entry per point ({points.Length}), got {normals.Length}.", nameof(normals));
        string header = "ply\nformat binary_little_endian 1.0\ncomment SimSeg point cloud\n" +
                        $"element vertex {points.Length}\n" +
                        "property float x\nproperty float y\nproperty float z\n" +
                        "property float nx\nproperty float ny\nproperty float nz\nend_header\n";
        var body = new byte[points.Length * 24];
        for (int i = 0; i < points.Length; i++)
        {
            Span<byte> record = body.AsSpan(24 * i, 24);
            WriteVec(record, points[i]);
            WriteVec(record[12..], normals[i]);
        }
        using var file = new AtomicFile(path);
        file.Stream.Write(Encoding.ASCII.GetBytes(header));
        file.Stream.Write(body);
        file.Commit();

        static void WriteVec(Span<byte> destination, Vec3 v)
        {
            BinaryPrimitives.WriteSingleLittleEndian(destination, (float)v.X);
            BinaryPrimitives.WriteSingleLittleEndian(destination[4..], (float)v.Y);
            BinaryPrimitives.WriteSingleLittleEndian(destination[8..], (float)v.Z);
        }
    }
}
