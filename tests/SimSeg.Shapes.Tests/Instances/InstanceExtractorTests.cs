using System.Diagnostics;
using SimSeg.Core.Imaging;
using SimSeg.Shapes.Instances;
using Xunit.Abstractions;

namespace SimSeg.Shapes.Tests.Instances;

public sealed class InstanceExtractorTests(ITestOutputHelper output)
{
    private static readonly Calibration Em = new(16, 16, 15);

    private static long Count(Image<int> volume, int value) => volume.Data.LongCount(v => v == value);

    /// <summary>Voxels of label <paramref name="value"/> kept by an opening (erode then dilate) with the 3.5-voxel ball.</summary>
    private static long OpenedCount(Image<int> volume, int value) => OpenedCount(volume, v => v == value);

    private static long OpenedCount(Image<int> volume, Func<int, bool> inside)
    {
        var mask = new Image<byte>(volume.Width, volume.Height, volume.Depth);
        for (int i = 0; i < mask.Data.Length; i++) mask.Data[i] = inside(volume.Data[i]) ? (byte)1 : (byte)0;
        Image<byte> opened = Morphology3D.DilateBall(Morphology3D.ErodeBall(mask, 3.5), 3.5);
        return mask.Data.Zip(opened.Data).LongCount(p => p.First != 0 && p.Second != 0);
    }

    /// <summary>The source-volume coordinates of the voxels of an instance.</summary>
    private static List<(int X, int Y, int Z)> SourceVoxels(VoxelInstance instance)
    {
        var voxels = new List<(int, int, int)>();
        Image<byte> m = instance.Mask;
        for (int z = 0; z < m.Depth; z++)
            for (int y = 0; y < m.Height; y++)
                for (int x = 0; x < m.Width; x++)
                    if (m[x, y, z] != 0) voxels.Add((x + instance.OriginX, y + instance.OriginY, z + instance.OriginZ));
        return voxels;
    }

    [Fact]
    public void Extract_TwoBallsJoinedByThinBridge_SplitAndDilatedBack()
    {
        var volume = new Image<int>(60, 32, 32);
        Volumes.Ball(volume, 15, 15, 15, 8, 1);
        Volumes.Ball(volume, 43, 15, 15, 8, 1);
        long ball = Count(volume, 1) / 2;
        Volumes.Box(volume, 23, 35, 15, 15, 15, 15, 1); // one voxel thin
        IReadOnlyList<VoxelInstance> instances = InstanceExtractor.Extract(volume, Em);

        Assert.Equal(2, instances.Count);
        Assert.Equal([1, 2], instances.Select(i => i.Id));
        Assert.All(instances, i => Assert.Equal(1, i.SourceLabel));
        Assert.All(instances, i => Assert.False(i.TouchesBorder));
        // Seeds farther apart than twice the radius: together they hold exactly the opening of the mask (erosion then
        // dilation, inside the mask): the bridge and the lattice corners of the ball surface are dropped.
        Assert.Equal(OpenedCount(volume, 1), instances.Sum(i => i.VoxelCount));
        foreach (VoxelInstance instance in instances)
        {
            Assert.InRange(instance.VoxelCount, (long)(0.95 * ball), ball + 3);
            List<(int X, int Y, int Z)> voxels = SourceVoxels(instance);
            Assert.Equal(instance.VoxelCount, voxels.Count);
            Assert.All(voxels, v => Assert.Equal(1, volume[v.X, v.Y, v.Z]));
            Assert.Equal(new Calibration(16, 16, 15), instance.Mask.Calibration);
        }
        Assert.True(SourceVoxels(instances[0]).All(v => v.X < 29), "instance 1 is the left ball (raster order)");
        // The crop margin: 2 empty voxels around the object on every side.
        List<(int X, int Y, int Z)> left = SourceVoxels(instances[0]);
        Assert.Equal(left.Min(v => v.Y) - 2, instances[0].OriginY);
        Assert.Equal(left.Max(v => v.Y) - left.Min(v => v.Y) + 1 + 4, instances[0].Mask.Height);
    }

    [Fact]
    public void Extract_DumbbellWithThickNeck_NotSplit()
    {
        var volume = new Image<int>(60, 32, 32);
        Volumes.Ball(volume, 15, 15, 15, 8, 4);
        Volumes.Ball(volume, 43, 15, 15, 8, 4);
        for (int x = 20; x <= 38; x++)
            for (int z = 0; z < 32; z++)
                for (int y = 0; y < 32; y++)
                    if ((y - 15) * (y - 15) + (z - 15) * (z - 15) <= 25) volume[x, y, z] = 4;
        long total = Count(volume, 4);
        VoxelInstance instance = Assert.Single(InstanceExtractor.Extract(volume, Em));
        Assert.Equal(4, instance.SourceLabel);
        // Erosion leaves one seed, so there is nothing to split and the object is kept whole (no trimming).
        Assert.Equal(total, instance.VoxelCount);
    }

    [Theory]
    [InlineData(Connectivity.Six, 2)]
    [InlineData(Connectivity.Eighteen, 2)]
    [InlineData(Connectivity.TwentySix, 1)]
    public void Extract_CubesTouchingAtACorner_ConnectivityDecides(Connectivity connectivity, int expected)
    {
        var volume = new Image<int>(24, 24, 24);
        Volumes.Box(volume, 2, 9, 2, 9, 2, 9, 1);
        Volumes.Box(volume, 10, 17, 10, 17, 10, 17, 1);
        var options = new ExtractionOptions { Connectivity = connectivity, SplitByErosion = false, InputKind = InputKind.Binary };
        IReadOnlyList<VoxelInstance> instances = InstanceExtractor.Extract(volume, Em, options);
        Assert.Equal(expected, instances.Count);
        Assert.Equal(1024, instances.Sum(i => i.VoxelCount));
    }

    [Fact]
    public void Extract_Dust_DroppedBelowMinVoxelsAndKeptWholeAbove()
    {
        var volume = new Image<int>(40, 30, 30);
        Volumes.Ball(volume, 15, 15, 15, 8, 1);
        Volumes.Box(volume, 30, 32, 5, 7, 5, 7, 2); // 27 voxels: erosion removes it entirely
        VoxelInstance big = Assert.Single(InstanceExtractor.Extract(volume, Em));
        Assert.Equal(1, big.SourceLabel);

        IReadOnlyList<VoxelInstance> all = InstanceExtractor.Extract(volume, Em, new ExtractionOptions { MinVoxels = 20 });
        Assert.Equal(2, all.Count);
        Assert.Equal(2, all[1].SourceLabel);
        Assert.Equal(27, all[1].VoxelCount); // kept un-split rather than lost
    }

    [Fact]
    public void Extract_ObjectCutByTheVolumeFace_TouchesBorder()
    {
        var volume = new Image<int>(40, 30, 30);
        Volumes.Ball(volume, 2, 15, 15, 8, 1);
        Volumes.Ball(volume, 25, 15, 15, 7, 2);
        IReadOnlyList<VoxelInstance> instances = InstanceExtractor.Extract(volume, Em);
        Assert.Equal(2, instances.Count);
        Assert.True(instances[0].TouchesBorder);
        Assert.Equal(-2, instances[0].OriginX); // margin reaches outside the volume
        Assert.False(instances[1].TouchesBorder);
    }

    [Fact]
    public void Extract_TouchingLabels_InstancesKeepThemApartBinaryMerges()
    {
        var volume = new Image<int>(44, 32, 32);
        Volumes.Ball(volume, 15, 15, 15, 8, 1);
        Volumes.Ball(volume, 27, 15, 15, 8, 2);
        IReadOnlyList<VoxelInstance> instances = InstanceExtractor.Extract(volume, Em);
        Assert.Equal([1, 2], instances.Select(i => i.SourceLabel));
        // Each label erodes to a single seed, so each is kept whole, rim included.
        Assert.Equal(Count(volume, 1), instances[0].VoxelCount);
        Assert.Equal(Count(volume, 2), instances[1].VoxelCount);

        IReadOnlyList<VoxelInstance> binary = InstanceExtractor.Extract(volume, Em, new ExtractionOptions { InputKind = InputKind.Binary });
        VoxelInstance merged = Assert.Single(binary);
        Assert.Equal(1, merged.SourceLabel);
        Assert.Equal(volume.Data.LongCount(v => v != 0), merged.VoxelCount);
    }

    [Fact]
    public void Extract_ResampleTo24Nm_HalvesAnEightNmGrid()
    {
        var volume = new Image<int>(48, 48, 48);
        Volumes.Ball(volume, 24, 24, 24, 15, 1);
        VoxelInstance instance = Assert.Single(InstanceExtractor.Extract(volume, new Calibration(8, 8, 8), new ExtractionOptions { ResampleToNm = 24 }));
        Assert.Equal(new Calibration(24, 24, 24), instance.Mask.Calibration);
        Assert.InRange(instance.VoxelCount, 4 * Math.PI / 3 * 125 * 0.8, 4 * Math.PI / 3 * 125 * 1.2);
    }

    [Theory]
    [InlineData(0, 16, 15)]
    [InlineData(16, 16, 0)]
    [InlineData(1e6, 1e6, 1e6)] // 1 mm: a NIfTI placeholder
    [InlineData(16, double.NaN, 15)]
    public void Extract_ImplausibleVoxelSize_ThrowsAskingForVoxelSize(double x, double y, double z)
    {
        var volume = new Image<int>(8, 8, 8);
        volume[3, 3, 3] = 1;
        var e = Assert.Throws<ArgumentException>(() => InstanceExtractor.Extract(volume, new Calibration(x, y, z)));
        Assert.Contains("--voxel-size Z,Y,X_NM", e.Message);
        Assert.Equal("voxelSize", e.ParamName);
    }

    [Fact]
    public void Extract_EmptyVolume_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => InstanceExtractor.Extract(new Image<int>(8, 8, 8), Em));
        Assert.Contains("no non-zero voxel", e.Message);
    }

    [Fact]
    public void Extract_BadOption_Throws()
    {
        var volume = new Image<int>(8, 8, 8);
        volume[3, 3, 3] = 1;
        Assert.Throws<ArgumentOutOfRangeException>(() => InstanceExtractor.Extract(volume, Em, new ExtractionOptions { MinVoxels = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => InstanceExtractor.Extract(volume, Em, new ExtractionOptions { ErosionRadiusVoxels = -1 }));
    }

    [Theory]
    [InlineData("mito-instance-fib1-0-0-0.nii.gz")]
    [InlineData("mito-instance-fib1-1-0-3.nii.gz")]
    [InlineData("mito-instance-fib1-3-2-1.nii.gz")]
    public void Extract_UroCellVolume_EveryInnerObjectYieldsAnInstance(string file)
    {
        string? path = SharedData.Find(Path.Combine("urocell", file));
        if (path is null)
        {
            output.WriteLine($"SKIPPED: shared/data/urocell/{file} is not on this machine.");
            return;
        }
        var (labels, header) = LabelVolumes.Load(path);
        Assert.Equal(1e6, header.PixelWidthNm); // 1 mm placeholder in the header: the extractor must be told the EM size
        Assert.Throws<ArgumentException>(() => InstanceExtractor.Extract(labels, header));

        var clock = Stopwatch.StartNew();
        IReadOnlyList<VoxelInstance> instances = InstanceExtractor.Extract(labels, Em);
        clock.Stop();

        // Per label: voxel count and whether it touches a face of the volume.
        var sizes = new Dictionary<int, long>();
        var border = new HashSet<int>();
        for (int z = 0; z < labels.Depth; z++)
            for (int y = 0; y < labels.Height; y++)
                for (int x = 0; x < labels.Width; x++)
                {
                    int v = labels[x, y, z];
                    if (v == 0) continue;
                    sizes[v] = sizes.GetValueOrDefault(v) + 1;
                    if (x == 0 || y == 0 || z == 0 || x == labels.Width - 1 || y == labels.Height - 1 || z == labels.Depth - 1) border.Add(v);
                }
        var withInstance = instances.Select(i => i.SourceLabel).ToHashSet();
        foreach (var (label, size) in sizes)
            if (!border.Contains(label) && size >= ExtractionOptions.Default.MinVoxels)
                Assert.True(withInstance.Contains(label), $"inner label {label} ({size} voxels) yielded no instance");
        Assert.Equal(Enumerable.Range(1, instances.Count), instances.Select(i => i.Id));

        output.WriteLine($"{file}: {sizes.Count} labelled objects ({border.Count} touching the border), " +
            $"{instances.Count} instances ({instances.Count(i => i.TouchesBorder)} touching the border), " +
            $"{instances.GroupBy(i => i.SourceLabel).Count(g => g.Count() > 1)} labels split, extraction {clock.ElapsedMilliseconds} ms.");
        output.WriteLine("Data: UroCell, Žerovnik Mekuč et al., Computers in Biology and Medicine 119 (2020) 103693, CC-BY-NC-SA 4.0.");
    }
}
