using SimSeg.Core.Geometry;
using SimSeg.Core.Imaging;
using SimSeg.Shapes.Meshing;
using Xunit.Abstractions;

namespace SimSeg.Shapes.Tests.Meshing;

public class MeshSmoothingTests(ITestOutputHelper output)
{
    private const double Radius = 24;
    private static readonly Lazy<Image<byte>> s_mask = new(() => TestVolumes.SphereMask(64, Radius, 31.5, 31.5, 31.5));

    // Without the Gaussian presmoothing the surface keeps the voxel staircase: the case smoothing is for.
    private static readonly Lazy<TriangleMesh> s_voxelSphere = new(() =>
        MarchingCubes.FromMask(s_mask.Value, new Calibration(1, 1, 1), presmoothSigmaVoxels: 0));

    private static (double Area, double Volume) Errors(TriangleMesh mesh) =>
        (mesh.SurfaceArea / (4 * Math.PI * Radius * Radius) - 1, mesh.Volume / (4.0 / 3 * Math.PI * Radius * Radius * Radius) - 1);

    [Fact]
    public void FromMaskThenTaubin_SphereMask_AreaAndVolumeWithinTwoPercent()
    {
        TriangleMesh raw = MarchingCubes.FromMask(s_mask.Value, new Calibration(1, 1, 1));
        TriangleMesh smooth = MeshSmoothing.Taubin(raw);
        var (rawArea, rawVolume) = Errors(raw);
        var (area, volume) = Errors(smooth);
        output.WriteLine($"64³ mask, r = 24, σ = 1: FromMask area {rawArea:P2}, volume {rawVolume:P2}; + Taubin(10) area {area:P2}, volume {volume:P2}");
        Assert.True(smooth.IsClosedManifold());
        Assert.InRange(area, -0.02, 0.02);
        Assert.InRange(volume, -0.02, 0.02);
    }

    [Fact]
    public void Taubin_VoxelisedSphere_ReducesAreaErrorAndKeepsVolume()
    {
        TriangleMesh raw = s_voxelSphere.Value;
        TriangleMesh smooth = MeshSmoothing.Taubin(raw);
        var (rawArea, rawVolume) = Errors(raw);
        var (area, volume) = Errors(smooth);
        output.WriteLine($"64³ mask, r = 24, σ = 0: FromMask area {rawArea:P2}, volume {rawVolume:P2}; + Taubin(10) area {area:P2}, volume {volume:P2}");
        Assert.True(smooth.IsClosedManifold());
        Assert.True(Math.Abs(area) < 0.5 * Math.Abs(rawArea)); // staircase area 27 % too large, 8 % after smoothing
        Assert.InRange(volume, -0.02, 0.02);
    }

    [Fact]
    public void Gaussian_VoxelisedSphere_ReducesAreaErrorAndKeepsTopology()
    {
        TriangleMesh raw = s_voxelSphere.Value;
        TriangleMesh smooth = MeshSmoothing.Gaussian(raw, iterations: 5, lambda: 0.3);
        var (rawArea, _) = Errors(raw);
        var (area, volume) = Errors(smooth);
        output.WriteLine($"σ = 0 mesh + Gaussian(5, 0.3): area {area:P2}, volume {volume:P2}");
        Assert.True(smooth.IsClosedManifold());
        Assert.True(Math.Abs(area) <= Math.Abs(rawArea));
        Assert.InRange(volume, -0.05, 0.05);
        Assert.Equal(raw.Triangles.ToArray(), smooth.Triangles.ToArray());
    }

    [Fact]
    public void Laplacian_ShrinksMoreThanTaubin()
    {
        TriangleMesh raw = s_voxelSphere.Value;
        double laplacian = MeshSmoothing.Laplacian(raw, 20, 0.5).Volume;
        double taubin = MeshSmoothing.Taubin(raw, 20).Volume;
        Assert.True(laplacian < taubin);
        Assert.True(laplacian < raw.Volume);
    }

    [Fact]
    public void Taubin_ZeroIterations_ReturnsSameMesh()
    {
        TriangleMesh raw = s_voxelSphere.Value;
        Assert.Same(raw, MeshSmoothing.Taubin(raw, 0));
    }

    [Fact]
    public void Taubin_BadParameters_Throw()
    {
        TriangleMesh raw = s_voxelSphere.Value;
        Assert.Throws<ArgumentOutOfRangeException>(() => MeshSmoothing.Taubin(raw, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeshSmoothing.Taubin(raw, 1, lambda: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeshSmoothing.Taubin(raw, 1, lambda: 0.5, mu: -0.4));
    }

    [Fact]
    public void EulerCharacteristic_Tetrahedron_IsTwo()
    {
        Vec3[] v = [new(0, 0, 0), new(1, 0, 0), new(0, 1, 0), new(0, 0, 1)];
        int[] t = [0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3];
        var mesh = new TriangleMesh(v, t);
        Assert.True(mesh.IsClosedManifold());
        Assert.Equal(2, MeshTopology.EulerCharacteristic(mesh));
    }
}
