using SimSeg.Core.Geometry;
using SimSeg.Core.IO;
using SimSeg.Shapes.Classification;
using SimSeg.Shapes.Library;
using SimSeg.Shapes.Rendering;
using SimSeg.Simulation.Presets;

namespace SimSeg.Shapes.Tests.Library;

public sealed class ShapeLibraryBuilderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "simseg-lib-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    [Fact]
    public void Build_AnalyticObjects_ClassesFilesAndBorderSkipping()
    {
        var volume = SyntheticVolumes.FiveObjects();
        var summary = ShapeLibraryBuilder.Build(volume, "synthetic", new ShapeLibraryOptions { OccupancyCount = 2000 }, _dir);

        Assert.Equal(5, summary.InstancesFound);
        Assert.Equal(1, summary.BorderSkipped);
        var byLabel = summary.Entries.ToDictionary(e => e.SourceLabel);
        Assert.Equal(ShapeClass.Donut, byLabel[1].Class);
        Assert.Equal(1, byLabel[1].LoopCount);
        Assert.Equal(ShapeClass.Rod, byLabel[2].Class);
        Assert.Equal(ShapeClass.Network, byLabel[3].Class);
        Assert.Equal(ShapeClass.Dot, byLabel[4].Class);
        Assert.DoesNotContain(5, byLabel.Keys);

        // The rod: 2.4 µm of cylinder of radius 120 nm plus caps; skeleton about its length.
        var rod = byLabel[2];
        double expectedVolume = Math.PI * 0.12 * 0.12 * 2.4;
        Assert.InRange(rod.VolumeUm3, expectedVolume * 0.85, expectedVolume * 1.15);
        Assert.InRange(rod.SkeletonLengthUm, 2.0, 2.6);
        Assert.InRange(rod.CentroidNm[0], 125 * 20 - 40, 125 * 20 + 40);

        foreach (var entry in summary.Entries)
        {
            string folder = Path.Combine(_dir, entry.Folder);
            var mesh = MeshIO.Read(Path.Combine(folder, "mesh.off"));
            Assert.True(mesh.IsClosedManifold());
            Assert.True(mesh.Volume > 0);
            var npz = NpzReader.Read(Path.Combine(folder, "occupancies.npz"));
            Assert.Equal(new[] { 2000, 3 }, npz["points"].Shape);
            Assert.Equal(new[] { 2000 }, npz["occupancies"].Shape);
            Assert.True(File.Exists(Path.Combine(folder, "pointcloud.ply")));
            Assert.True(File.Exists(Path.Combine(folder, "meta.json")));
        }

        // library.csv round-trips.
        var read = ShapeLibraryBuilder.Read(_dir);
        Assert.Equal(summary.Entries.Select(e => e.ToCsv()), read.Select(e => e.ToCsv()));
    }

    [Fact]
    public void Build_SameSeedDifferentThreads_IdenticalFiles()
    {
        var volume = SyntheticVolumes.FiveObjects();
        string a = Path.Combine(_dir, "a"), b = Path.Combine(_dir, "b");
        ShapeLibraryBuilder.Build(volume, "synthetic", new ShapeLibraryOptions { OccupancyCount = 500, Threads = 1 }, a);
        ShapeLibraryBuilder.Build(volume, "synthetic", new ShapeLibraryOptions { OccupancyCount = 500, Threads = 2 }, b);
        foreach (string file in Directory.GetFiles(a, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(a, file);
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, relative))), $"{relative} differs between 1 and 2 threads");
        }
    }

    [Fact]
    public void Render_SixViewsZStack_WritesImagesMasksAndOccupancy()
    {
        ShapeLibraryBuilder.Build(SyntheticVolumes.FiveObjects(), "synthetic", new ShapeLibraryOptions { OccupancyCount = 200 }, _dir);
        var preset = PresetCatalog.Load("conf1-mito");
        preset = preset with { Microscope = preset.Microscope with { ZSlices = 3, ZStepNm = 250 } };
        string output = Path.Combine(_dir, "render");
        var summary = ShapeRenderJob.Run(_dir, preset, new ShapeRenderOptions { Size = 64 }, output);
        Assert.Equal(4 * 6, summary.Views);
        var lines = File.ReadAllLines(summary.ManifestPath);
        Assert.Equal(1 + 24, lines.Length);
        string first = lines[1].Split(',')[3];
        var image = TiffReader.Read(Path.Combine(output, first));
        Assert.Equal(3, image.PageCount);
        Assert.Equal(PixelType.UInt16, image.PixelType);
        var occupancy = TiffReader.Read(Path.Combine(output, lines[1].Split(',')[5])).ToImage<byte>();
        Assert.Equal(3, occupancy.Depth);
        Assert.Contains(occupancy.Plane(1).ToArray(), v => v == 1); // the centroid sits on the middle slice
        var mask = TiffReader.Read(Path.Combine(output, lines[1].Split(',')[4])).ToImage<byte>();
        // The projected emitters cover at least the in-focus cross-section.
        for (int i = 0; i < mask.Data.Length; i++)
            if (occupancy.Plane(1)[i] == 1) Assert.Equal(1, mask.Data[i] | NeighbourMask(mask, i));
    }

    [Fact]
    public void Views_StandardSix_AreRotationsWithTheirNames()
    {
        Assert.Equal(new[] { "identity", "x180", "y180", "x90", "y90", "z90" }, ShapeViews.Standard.Select(v => v.Name));
        foreach (var (_, r) in ShapeViews.Standard)
        {
            var p = r * new Vec3(1, 2, 3);
            Assert.Equal(Math.Sqrt(14), p.Length, 9);
        }
        var rng = new SimSeg.Core.Randomness.Rng(4);
        var q = ShapeViews.RandomRotation(rng);
        var product = q * q.Transpose();
        Assert.Equal(1, product.M00, 9);
        Assert.Equal(0, product.M01, 9);
    }

    [Fact]
    public void Read_NotALibrary_ThrowsFileNotFoundNamingLibraryCsv()
    {
        Directory.CreateDirectory(_dir);
        var ex = Assert.Throws<FileNotFoundException>(() => ShapeLibraryBuilder.Read(_dir));
        Assert.Contains("library.csv", ex.Message);
    }

    // The physics mask may miss an interior pixel where no emitter landed; accept a marked 4-neighbour.
    private static byte NeighbourMask(SimSeg.Core.Imaging.Image<byte> mask, int i)
    {
        int w = mask.Width, x = i % w, y = i / w;
        byte any = 0;
        if (x > 0) any |= mask.Data[i - 1];
        if (x < w - 1) any |= mask.Data[i + 1];
        if (y > 0) any |= mask.Data[i - w];
        if (y < mask.Height - 1) any |= mask.Data[i + w];
        return any;
    }
}
