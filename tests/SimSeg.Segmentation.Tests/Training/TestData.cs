using SimSeg.Core.Imaging;
using SimSeg.Core.IO;
using SimSeg.Neural.Checkpoints;
using SimSeg.Simulation.Dataset;
using SimSeg.Simulation.Presets;

namespace SimSeg.Segmentation.Tests.Training;

/// <summary>Small simulated epi1-mito datasets, written once per test run into a temporary folder.</summary>
internal static class TestData
{
    /// <summary>The tensors of a safetensors file by name.</summary>
    public static IReadOnlyDictionary<string, float[]> Tensors(string path) =>
        SafeTensors.Read(path).ToDictionary(kv => kv.Key, kv => kv.Value.Data);

    /// <summary>Asserts two safetensors files hold the same names and bit-identical values.</summary>
    public static void AssertSameTensors(string expected, string actual)
    {
        var a = Tensors(expected);
        var b = Tensors(actual);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, values) in a) Assert.True(values.AsSpan().SequenceEqual(b[name]), $"{name} differs between {expected} and {actual}");
    }

    private static readonly string Root = Path.Combine(Path.GetTempPath(), "simseg-seg-tests-" + Guid.NewGuid().ToString("N"));
    private static readonly Lazy<string> TinyData = new(() => Simulate("tiny", count: 40, tile: 32, seed: 11));
    private static readonly Lazy<string> SmallData = new(() => Simulate("small", count: 200, tile: 64, seed: 5));
    private static readonly Lazy<string> TinyMixedData = new(() => Simulate("tiny-mixed", count: 40, tile: 32, seed: 11, preset: "epi1-mixed"));
    private static readonly Lazy<string> SmallMixedData = new(() => Simulate("small-mixed", count: 200, tile: 64, seed: 5, preset: "epi1-mixed"));

    static TestData() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        try { Directory.Delete(Root, true); } catch (IOException) { }
    };

    /// <summary>40 samples of 32² (24 train, 8 val, 8 test): for tests of the mechanics.</summary>
    public static string Tiny => TinyData.Value;

    /// <summary>200 samples of 64² (120 train, 40 val, 40 test): for the learning test.</summary>
    public static string Small => SmallData.Value;

    /// <summary>40 epi1-mixed samples of 32² (mitochondria and vesicles, with class maps): for tests of the K-class mechanics.</summary>
    public static string TinyMixed => TinyMixedData.Value;

    /// <summary>200 epi1-mixed samples of 64² (120 train, 40 val, 40 test): for the K-class learning test.</summary>
    public static string SmallMixed => SmallMixedData.Value;

    /// <summary>A fresh empty folder under the run's temporary root.</summary>
    public static string NewFolder(string name)
    {
        string path = Path.Combine(Root, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string Simulate(string name, int count, int tile, ulong seed, string preset = "epi1-mito")
    {
        string dir = Path.Combine(Root, name);
        DatasetWriter.Write(PresetCatalog.Load(preset), new DatasetOptions { OutputDirectory = dir, Count = count, TileSize = tile, Seed = seed });
        return dir;
    }

    /// <summary>
    /// A hand-made dataset folder: float32 images (value per pixel from <paramref name="pixel"/>) and masks of a centred
    /// square; with <paramref name="classes"/>, class maps too (classes/, listed in the manifest) from
    /// <see cref="HandmadeClass"/>: the left half of the square a mitochondrion (1), the right half a vesicle (2).
    /// </summary>
    public static string Handmade(string name, int count, int size, Func<int, int, int, float> pixel, string[]? splits = null, int pages = 1, bool classes = false)
    {
        string dir = NewFolder(name);
        foreach (string f in classes ? new[] { "images", "masks", "classes" } : ["images", "masks"]) Directory.CreateDirectory(Path.Combine(dir, f));
        var lines = new List<string> { ManifestRow.Header };
        for (int i = 0; i < count; i++)
        {
            string id = DatasetWriter.SampleId(i);
            var image = new Image<float>(size, size, pages, Calibration.Square(50));
            var mask = new Image<byte>(size, size, 1, Calibration.Square(50));
            for (int z = 0; z < pages; z++)
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                        image[x, y, z] = pixel(i, x, y);
            for (int y = size / 4; y < 3 * size / 4; y++)
                for (int x = size / 4; x < 3 * size / 4; x++)
                    mask[x, y] = 1;
            TiffWriter.Write(Path.Combine(dir, "images", id + ".tif"), image);
            TiffWriter.Write(Path.Combine(dir, "masks", id + ".tif"), mask);
            if (classes)
            {
                var map = new Image<byte>(size, size, 1, Calibration.Square(50));
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                        map[x, y] = HandmadeClass(size, x, y);
                TiffWriter.Write(Path.Combine(dir, "classes", id + ".tif"), map);
            }
            string split = splits?[i % splits.Length] ?? (i % 4 == 3 ? "val" : "train");
            lines.Add(new ManifestRow
            {
                Id = id, Index = i, Split = split, Image = $"images/{id}.tif", Mask = $"masks/{id}.tif", Instances = "", Classes = classes ? $"classes/{id}.tif" : "", Meta = "",
                SampleSeed = 0, Preset = "handmade", Width = size, Height = size, Mitochondria = 0, Vesicles = 0, Emitters = 0, ForegroundFraction = 0.25,
            }.ToCsv());
        }
        File.WriteAllText(Path.Combine(dir, "manifest.csv"), string.Join("\n", lines) + "\n");
        return dir;
    }

    /// <summary>The class of pixel (x, y) in a hand-made class map: 0 outside the centred square, 1 in its left half, 2 in its right half.</summary>
    public static byte HandmadeClass(int size, int x, int y)
    {
        bool inside = x >= size / 4 && x < 3 * size / 4 && y >= size / 4 && y < 3 * size / 4;
        return !inside ? (byte)0 : x < size / 2 ? (byte)1 : (byte)2;
    }

    /// <summary>A bright square on a dim noisy background, matching the masks of <see cref="Handmade"/>.</summary>
    public static Func<int, int, int, float> Squares(int size) => (i, x, y) =>
    {
        bool inside = x >= size / 4 && x < 3 * size / 4 && y >= size / 4 && y < 3 * size / 4;
        uint h = (uint)(i * 7919 + x * 104729 + y * 1299709);
        h ^= h >> 13;
        h *= 0x5bd1e995;
        h ^= h >> 15;
        return (inside ? 300f : 100f) + (h % 1000) / 20f;
    };
}
