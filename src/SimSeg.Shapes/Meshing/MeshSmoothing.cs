using SimSeg.Core;
using SimSeg.Core.Geometry;

namespace SimSeg.Shapes.Meshing;

/// <summary>How the umbrella operator weighs the neighbours of a vertex.</summary>
public enum UmbrellaWeights
{
    /// <summary>Every neighbour counts the same (Taubin 1995's uniform umbrella): also evens out triangle sizes.</summary>
    Uniform,

    /// <summary>
    /// Neighbour j of vertex i weighs exp(−|vⱼ − vᵢ|² / (2σᵢ²)) with σᵢ the mean edge length of i's one-ring
    /// (a Gaussian kernel, as in Taubin 1995's scale-dependent weights): long edges pull less, so the surface
    /// moves less where triangles are stretched.
    /// </summary>
    Gaussian,
}

/// <summary>
/// Smoothing of triangle meshes by the umbrella (discrete Laplacian) operator L(vᵢ) = Σⱼ wᵢⱼ (vⱼ − vᵢ) / Σⱼ wᵢⱼ
/// over the one-ring of vᵢ. Vertices move, triangles and their order stay, so a closed manifold stays one.
/// Updates are simultaneous (Jacobi), so the result does not depend on vertex order.
/// </summary>
public static class MeshSmoothing
{
    /// <summary>
    /// Laplacian smoothing: <paramref name="iterations"/> steps of vᵢ ← vᵢ + λ L(vᵢ). Shrinks the surface with
    /// every step (a sphere loses volume); prefer <see cref="Taubin"/> to keep the size.
    /// </summary>
    /// <param name="mesh">Any mesh.</param>
    /// <param name="iterations">Steps, ≥ 0.</param>
    /// <param name="lambda">Step size in (0, 1].</param>
    /// <param name="weights">Neighbour weights.</param>
    public static TriangleMesh Laplacian(TriangleMesh mesh, int iterations = 10, double lambda = 0.5, UmbrellaWeights weights = UmbrellaWeights.Uniform)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        CheckIterations(iterations);
        CheckLambda(lambda);
        return Run(mesh, iterations, [lambda], weights);
    }

    /// <summary>
    /// Gaussian smoothing: <see cref="Laplacian"/> with <see cref="UmbrellaWeights.Gaussian"/> weights.
    /// </summary>
    public static TriangleMesh Gaussian(TriangleMesh mesh, int iterations = 10, double lambda = 0.5) =>
        Laplacian(mesh, iterations, lambda, UmbrellaWeights.Gaussian);

    /// <summary>
    /// Taubin's λ|μ smoothing (Taubin, "A signal processing approach to fair surface design", SIGGRAPH 1995): each
    /// iteration is a shrinking step vᵢ ← vᵢ + λ L(vᵢ) followed by an inflating step vᵢ ← vᵢ + μ L(vᵢ) with
    /// μ &lt; −λ &lt; 0, a low-pass filter that removes voxel staircases with little shrinkage. The defaults give a
    /// pass-band frequency k_PB = 1/λ + 1/μ ≈ 0.11.
    /// </summary>
    /// <param name="mesh">Any mesh.</param>
    /// <param name="iterations">λ|μ pairs, ≥ 0.</param>
    /// <param name="lambda">Shrinking step in (0, 1].</param>
    /// <param name="mu">Inflating step, &lt; −λ and ≥ −1.</param>
    /// <param name="weights">Neighbour weights.</param>
    public static TriangleMesh Taubin(TriangleMesh mesh, int iterations = 10, double lambda = 0.5, double mu = -0.53, UmbrellaWeights weights = UmbrellaWeights.Uniform)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        CheckIterations(iterations);
        CheckLambda(lambda);
        if (!(mu < -lambda && mu >= -1))
            throw new ArgumentOutOfRangeException(nameof(mu), mu, $"mu must satisfy -1 <= mu < -lambda = {-lambda}, got {mu}.");
        return Run(mesh, iterations, [lambda, mu], weights);
    }

    private static void CheckIterations(int iterations)
    {
        if (iterations < 0) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, $"iterations must be >= 0, got {iterations}.");
    }

    private static void CheckLambda(double lambda)
    {
        if (!(lambda > 0 && lambda <= 1)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, $"lambda must be in (0, 1], got {lambda}.");
    }

    private static TriangleMesh Run(TriangleMesh mesh, int iterations, double[] steps, UmbrellaWeights weights)
    {
        if (iterations == 0) return mesh;
        var (offsets, neighbours) = MeshTopology.VertexNeighbours(mesh);
        int n = mesh.VertexCount;
        var current = mesh.Vertices.ToArray();
        var next = new Vec3[n];
        for (int it = 0; it < iterations; it++)
        {
            foreach (double step in steps)
            {
                for (int i = 0; i < n; i++)
                    next[i] = current[i] + step * Umbrella(current, i, neighbours.AsSpan(offsets[i], offsets[i + 1] - offsets[i]), weights);
                (current, next) = (next, current);
            }
        }
        return new TriangleMesh(current, mesh.Triangles);
    }

    /// <summary>L(vᵢ) = Σⱼ wᵢⱼ (vⱼ − vᵢ) / Σⱼ wᵢⱼ; zero for an isolated vertex.</summary>
    private static Vec3 Umbrella(Vec3[] v, int i, ReadOnlySpan<int> ring, UmbrellaWeights weights)
    {
        if (ring.IsEmpty) return Vec3.Zero;
        Vec3 p = v[i];
        if (weights == UmbrellaWeights.Uniform)
        {
            Vec3 sum = Vec3.Zero;
            foreach (int j in ring) sum += v[j];
            return sum / ring.Length - p;
        }

        double meanLength = 0;
        foreach (int j in ring) meanLength += (v[j] - p).Length;
        meanLength /= ring.Length;
        if (!(meanLength > 0)) return Vec3.Zero;
        double inverseTwoSigmaSquared = 1 / (2 * meanLength * meanLength);
        Vec3 weighted = Vec3.Zero;
        double total = 0;
        foreach (int j in ring)
        {
            Vec3 d = v[j] - p;
            double w = Math.Exp(-d.LengthSquared * inverseTwoSigmaSquared);
            weighted += w * d;
            total += w;
        }
        return weighted / total;
    }
}
