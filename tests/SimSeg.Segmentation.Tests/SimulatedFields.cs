using SimSeg.Core.Imaging;
using SimSeg.Core.Randomness;
using SimSeg.Segmentation.Metrics;
using SimSeg.Simulation;
using SimSeg.Simulation.Presets;

namespace SimSeg.Segmentation.Tests;

/// <summary>Seeded simulated fields with their physics ground truth, shared by the baseline accuracy tests.</summary>
internal static class SimulatedFields
{
    private static readonly Lazy<SimulatedField[]> Epi1MitoFields = new(() =>
    {
        var simulator = new FieldSimulator(PresetCatalog.Load("epi1-mito"));
        return [.. Enumerable.Range(0, 6).Select(s => simulator.Simulate(128, 128, Rng.ForStream(42, (ulong)s)))];
    });

    /// <summary>Six 128x128 epi1-mito fields (42 nm pixels), seeds (42, 0..5).</summary>
    public static SimulatedField[] Epi1Mito => Epi1MitoFields.Value;

    /// <summary>The mean mIoU of a method over <see cref="Epi1Mito"/> (the method gets the image and the truth).</summary>
    public static double MeanIoU(Func<Image<ushort>, Image<byte>, Image<byte>> method) =>
        Epi1Mito.Average(f => SegmentationScore.Compute(method(f.Image, f.Truth.Mask), f.Truth.Mask).MeanIoU);

    /// <summary>A w x h plane of Gaussian noise (σ <paramref name="noise"/>) around <paramref name="level"/>.</summary>
    public static Image<float> Noise(int w, int h, double level, double noise, int seed)
    {
        var rng = new Random(seed);
        var image = new Image<float>(w, h);
        for (int i = 0; i < image.Data.Length; i++)
            image.Data[i] = (float)(level + noise * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        return image;
    }

    /// <summary>Adds <paramref name="amount"/> inside a disc.</summary>
    public static void AddDisc(Image<float> image, double cx, double cy, double radius, float amount)
    {
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius) image[x, y] += amount;
    }

    /// <summary>The 0/1 mask of a disc.</summary>
    public static Image<byte> Disc(int w, int h, double cx, double cy, double radius)
    {
        var mask = new Image<byte>(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius) mask[x, y] = 1;
        return mask;
    }

    /// <summary>Mirror index (d c b | a b c d | c b a).</summary>
    public static int Reflect(int i, int n)
    {
        if (n == 1) return 0;
        int period = 2 * n - 2;
        i %= period;
        if (i < 0) i += period;
        return i < n ? i : period - i;
    }
}
