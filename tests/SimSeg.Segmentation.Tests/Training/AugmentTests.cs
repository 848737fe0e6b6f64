using SimSeg.Core.Randomness;
using SimSeg.Segmentation.Training;

namespace SimSeg.Segmentation.Tests.Training;

public class AugmentTests
{
    private static float[] Random(int n, int seed)
    {
        var rng = new Rng((ulong)seed);
        return Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble()).ToArray();
    }

    private static SegmentationSample Sample(int size, int channels = 1, int seed = 1)
    {
        var image = Random(channels * size * size, seed);
        var rng = new Rng((ulong)seed + 100);
        var mask = Enumerable.Range(0, size * size).Select(_ => rng.NextDouble() < 0.3 ? (byte)1 : (byte)0).ToArray();
        return new SegmentationSample("s", image, mask, channels, size, size);
    }

    [Fact]
    public void FlipHorizontal_Twice_IsIdentity()
    {
        var plane = Random(7 * 5, 1);
        var copy = (float[])plane.Clone();
        Augment.FlipHorizontal<float>(plane, 7, 5);
        Assert.NotEqual(copy, plane);
        Assert.Equal(copy[6], plane[0]);
        Augment.FlipHorizontal<float>(plane, 7, 5);
        Assert.Equal(copy, plane);
    }

    [Fact]
    public void FlipVertical_Twice_IsIdentity()
    {
        var plane = Random(7 * 5, 2);
        var copy = (float[])plane.Clone();
        Augment.FlipVertical<float>(plane, 7, 5);
        Assert.Equal(copy[4 * 7], plane[0]);
        Augment.FlipVertical<float>(plane, 7, 5);
        Assert.Equal(copy, plane);
    }

    [Fact]
    public void Rotate90_FourTimes_IsIdentity()
    {
        int w = 6, h = 4;
        var plane = Random(w * h, 3);
        var a = new float[w * h];
        var b = new float[w * h];
        Augment.Rotate90<float>(plane, w, h, a);      // h wide, w high
        Assert.Equal(plane[w - 1], a[0]);             // numpy rot90: the top-right corner comes to the top left
        Augment.Rotate90<float>(a, h, w, b);
        Augment.Rotate90<float>(b, w, h, a);
        Augment.Rotate90<float>(a, h, w, b);
        Assert.Equal(plane, b);
    }

    [Fact]
    public void Rotate_ZeroAndFullTurn_ReproduceTheImage()
    {
        var plane = Random(9 * 9, 4);
        var result = new float[81];
        Augment.Rotate(plane, 9, 9, 0, result);
        Assert.Equal(plane, result);
        Augment.Rotate(plane, 9, 9, 2 * Math.PI, result);
        for (int i = 0; i < 81; i++) Assert.Equal(plane[i], result[i], 1e-5);
    }

    [Fact]
    public void Rotate_QuarterTurn_EqualsRotate90()
    {
        var plane = Random(8 * 8, 5);
        var exact = new float[64];
        var rotated = new float[64];
        Augment.Rotate90<float>(plane, 8, 8, exact);
        Augment.Rotate(plane, 8, 8, Math.PI / 2, rotated);
        for (int i = 0; i < 64; i++) Assert.Equal(exact[i], rotated[i], 1e-5);
    }

    [Fact]
    public void Rotate_NearestMask_StaysBinary()
    {
        var rng = new Rng(6);
        var mask = Enumerable.Range(0, 32 * 32).Select(_ => rng.NextDouble() < 0.4 ? 1f : 0f).ToArray();
        var result = new float[mask.Length];
        Augment.Rotate(mask, 32, 32, 0.7, result, nearest: true);
        Assert.All(result, v => Assert.True(v is 0f or 1f));
    }

    [Fact]
    public void Reflect_OutsideIndices_MirrorWithoutRepeatingTheEdge()
    {
        Assert.Equal(new[] { 2, 1, 0, 1, 2, 3, 2, 1 }, Enumerable.Range(-2, 8).Select(i => Augment.Reflect(i, 4)).ToArray());
        Assert.Equal(0, Augment.Reflect(5, 1));
    }

    [Fact]
    public void Apply_SameSeed_SameBytes()
    {
        var sample = Sample(24, channels: 2);
        var augmenter = new Augmenter(new AugmentationOptions { RotationProbability = 1, NoiseProbability = 1, BlurProbability = 1, IntensityProbability = 1 }, 16);
        var (a, ma) = (new float[2 * 256], new float[256]);
        var (b, mb) = (new float[2 * 256], new float[256]);
        augmenter.Apply(sample, new Rng(42), a, ma);
        augmenter.Apply(sample, new Rng(42), b, mb);
        Assert.Equal(a, b);
        Assert.Equal(ma, mb);
        augmenter.Apply(sample, new Rng(43), b, mb);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Apply_Everything_MaskStaysBinaryAndImageFinite()
    {
        var sample = Sample(32);
        var augmenter = new Augmenter(new AugmentationOptions { RotationProbability = 1, NoiseProbability = 1, BlurProbability = 1, IntensityProbability = 1 }, 32);
        var image = new float[1024];
        var mask = new float[1024];
        for (int seed = 0; seed < 20; seed++)
        {
            augmenter.Apply(sample, new Rng((ulong)seed), image, mask);
            Assert.All(mask, v => Assert.True(v is 0f or 1f));
            Assert.All(image, v => Assert.True(float.IsFinite(v)));
        }
    }

    [Fact]
    public void Apply_None_IsACropOfTheSample()
    {
        var sample = Sample(20);
        var augmenter = new Augmenter(AugmentationOptions.None, 12);
        var image = new float[144];
        var mask = new float[144];
        augmenter.Apply(sample, new Rng(9), image, mask);
        // Find the crop offset from the first pixel, then check the whole crop and its mask.
        bool found = false;
        for (int y0 = 0; y0 <= 8 && !found; y0++)
            for (int x0 = 0; x0 <= 8 && !found; x0++)
            {
                if (Enumerable.Range(0, 144).All(i => image[i] == sample.Image[(y0 + i / 12) * 20 + x0 + i % 12]))
                {
                    found = true;
                    Assert.All(Enumerable.Range(0, 144), i => Assert.Equal(sample.Mask[(y0 + i / 12) * 20 + x0 + i % 12], mask[i]));
                }
            }
        Assert.True(found);
    }

    [Fact]
    public void Apply_QuarterTurnsOnly_GiveExactRotationsWithTheirMasks()
    {
        var sample = Sample(16);
        var augmenter = new Augmenter(AugmentationOptions.None with { Rotations90 = true }, 16);
        var rotations = new List<float[]> { sample.Image };
        var maskRotations = new List<float[]> { sample.Mask.Select(v => (float)v).ToArray() };
        for (int k = 1; k < 4; k++)
        {
            var next = new float[256];
            var nextMask = new float[256];
            Augment.Rotate90<float>(rotations[^1], 16, 16, next);
            Augment.Rotate90<float>(maskRotations[^1], 16, 16, nextMask);
            rotations.Add(next);
            maskRotations.Add(nextMask);
        }
        var seen = new HashSet<int>();
        var image = new float[256];
        var mask = new float[256];
        for (int seed = 0; seed < 24; seed++)
        {
            augmenter.Apply(sample, new Rng((ulong)seed), image, mask);
            int k = rotations.FindIndex(r => r.SequenceEqual(image));
            Assert.True(k >= 0, $"seed {seed}: not an exact quarter-turn rotation");
            Assert.Equal(maskRotations[k], mask);
            seen.Add(k);
        }
        Assert.Equal(4, seen.Count);
    }

    [Fact]
    public void Only_UnknownName_Throws()
    {
        var options = new AugmentationOptions().Only(["flip", "noise"]);
        Assert.Equal(["flip", "noise"], options.EnabledNames());
        Assert.Throws<ArgumentException>(() => new AugmentationOptions().Only(["mirror"]));
    }
}
