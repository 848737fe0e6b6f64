using SimSeg.Simulation.Optics;

namespace SimSeg.Simulation.Tests.Optics;

public class EmitterRendererTests
{
    private static readonly OpticsOptions Optics = new();

    private static (float[] X, float[] Y, float[] Z, float[] Photons) RandomEmitters(int count, double extentNm, double zMin, double zMax, int seed)
    {
        var random = new Random(seed);
        var x = new float[count];
        var y = new float[count];
        var z = new float[count];
        var photons = new float[count];
        for (int i = 0; i < count; i++)
        {
            x[i] = (float)(random.NextDouble() * extentNm * 1.2 - 0.1 * extentNm); // some outside the image
            y[i] = (float)(random.NextDouble() * extentNm * 1.2 - 0.1 * extentNm);
            z[i] = (float)(zMin + random.NextDouble() * (zMax - zMin));
            photons[i] = (float)(50 + 100 * random.NextDouble());
        }
        return (x, y, z, photons);
    }

    // Nearest sub-pixel phase moves an emitter by up to pixel/(2·Oversampling) per axis: at 42 nm pixels,
    // λ 600 nm and NA 1.4 the worst pixel error of an isolated in-focus emitter is about 1.1 % of its peak with
    // 16 phases and 2.7 % with the default 8 (measured over several seeds), hence the two tolerances.
    [Fact]
    public void Render_RandomEmitters_MatchesRenderDirect()
    {
        var psf = Psf.BornWolf(Optics);
        var options = new RenderOptions { PixelSizeNm = 42, KernelRadiusNm = 800, QuadraturePoints = 3 };
        const int size = 48;
        var (x, y, z, photons) = RandomEmitters(24, size * 42, -1200, 1800, 20230828);
        var direct = new float[size * size];
        new EmitterRenderer(psf, options).RenderDirect(x, y, z, photons, 300, direct, size, size);
        double max = direct.Max(), sumDirect = direct.Sum(v => (double)v);

        foreach ((int oversampling, double tolerance) in new[] { (16, 0.02), (8, 0.03) })
        {
            var fast = new float[size * size];
            new EmitterRenderer(psf, options with { Oversampling = oversampling }).Render(x, y, z, photons, 300, fast, size, size);
            double worst = 0;
            for (int i = 0; i < fast.Length; i++) worst = Math.Max(worst, Math.Abs(fast[i] - direct[i]));
            Assert.True(worst < tolerance * max, $"oversampling {oversampling}: max |fast − direct| = {worst / max:P2} of the brightest pixel");
            Assert.InRange(fast.Sum(v => (double)v) / sumDirect, 0.99, 1.01);
        }
    }

    [Fact]
    public void Render_InFocusEmitterInLargeImage_ConservesEncircledPhotons()
    {
        var psf = Psf.GibsonLanni(Optics);
        var renderer = new EmitterRenderer(psf, new RenderOptions { PixelSizeNm = 42, KernelRadiusNm = 1000 });
        const int size = 128;
        var image = new float[size * size];
        renderer.Render([2701.3f], [2688.9f], [500f], [1000f], 500, image, size, size);
        double sum = image.Sum(v => (double)v);
        double expected = 1000 * Psf.EncircledEnergy(psf, 1000);
        Assert.InRange(sum / expected, 0.99, 1.01);
    }

    [Fact]
    public void Render_SameInput_IsBitIdentical()
    {
        var options = new RenderOptions { KernelRadiusNm = 600 };
        var (x, y, z, photons) = RandomEmitters(300, 64 * 42, -500, 1500, 7);
        var first = new float[64 * 64];
        var second = new float[64 * 64];
        new EmitterRenderer(Psf.Gaussian(Optics), options).Render(x, y, z, photons, 400, first, 64, 64);
        var renderer = new EmitterRenderer(Psf.Gaussian(Optics), options);
        renderer.Render(x, y, z, photons, 400, second, 64, 64);
        Assert.Equal(first, second);
        Array.Clear(second);
        renderer.Render(x, y, z, photons, 400, second, 64, 64);
        Assert.Equal(first, second);
    }

    // An emitter exactly at a sub-pixel phase centre and on a bank plane has no phase or defocus interpolation
    // error: what is left is the radial table of the PSF (measured: ≤ 0.12 % of the peak, sums within 0.11 %,
    // the same as with the former float bank) and the 16-bit storage of the kernels (≤ 7.6e-6 of the kernel
    // peak), so fast and direct must agree far more tightly than in the random test above.
    [Fact]
    public void Render_EmitterOnPhaseCentreAndPlane_MatchesRenderDirectTightly()
    {
        var psf = Psf.BornWolf(Optics);
        var options = new RenderOptions { PixelSizeNm = 42, KernelRadiusNm = 800, QuadraturePoints = 3, ZRangeMinNm = -1000, ZRangeMaxNm = 1000, KernelZStepNm = 25 };
        var renderer = new EmitterRenderer(psf, options);
        const int size = 48;
        foreach ((int phaseX, int phaseY, float defocus) in new[] { (0, 0, 0f), (3, 6, 250f), (7, 2, -475f) })
        {
            float x = (float)((20 + (phaseX + 0.5) / 8) * 42), y = (float)((25 + (phaseY + 0.5) / 8) * 42);
            var fast = new float[size * size];
            var direct = new float[size * size];
            renderer.Render([x], [y], [defocus], [1000f], 0, fast, size, size);
            renderer.RenderDirect([x], [y], [defocus], [1000f], 0, direct, size, size);
            double max = direct.Max(), worst = 0;
            for (int i = 0; i < fast.Length; i++) worst = Math.Max(worst, Math.Abs(fast[i] - direct[i]));
            Assert.True(worst < 3e-3 * max, $"phase ({phaseX}, {phaseY}), defocus {defocus}: max |fast − direct| = {worst / max:P4} of the peak");
            double ratio = fast.Sum(v => (double)v) / direct.Sum(v => (double)v);
            Assert.InRange(ratio, 0.998, 1.002);
        }
    }

    [Fact]
    public void Render_SharedRendererOnManyThreads_IsBitIdenticalToOneThread()
    {
        var options = new RenderOptions { KernelRadiusNm = 600 };
        var (x, y, z, photons) = RandomEmitters(400, 64 * 42, -500, 1500, 11);
        var expected = new float[64 * 64];
        new EmitterRenderer(Psf.Gaussian(Optics), options).Render(x, y, z, photons, 400, expected, 64, 64);
        var shared = new EmitterRenderer(Psf.Gaussian(Optics), options); // planes built concurrently, on demand
        var results = new float[8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var image = new float[64 * 64];
            for (int repeat = 0; repeat < 3; repeat++)
            {
                Array.Clear(image);
                shared.Render(x, y, z, photons, 400, image, 64, 64);
            }
            results[i] = image;
        });
        Assert.All(results, image => Assert.Equal(expected, image));
    }

    [Fact]
    public void Render_PermutedEmitters_SameImageUpToRounding()
    {
        var options = new RenderOptions { KernelRadiusNm = 600 };
        var renderer = new EmitterRenderer(Psf.Gaussian(Optics), options);
        var (x, y, z, photons) = RandomEmitters(300, 64 * 42, -500, 1500, 5);
        var permutation = Enumerable.Range(0, x.Length).Reverse().ToArray();
        var first = new float[64 * 64];
        var second = new float[64 * 64];
        renderer.Render(x, y, z, photons, 400, first, 64, 64);
        renderer.Render(permutation.Select(i => x[i]).ToArray(), permutation.Select(i => y[i]).ToArray(),
            permutation.Select(i => z[i]).ToArray(), permutation.Select(i => photons[i]).ToArray(), 400, second, 64, 64);
        double max = first.Max();
        for (int i = 0; i < first.Length; i++) Assert.True(Math.Abs(first[i] - second[i]) <= 1e-5 * max, $"pixel {i}: {first[i]} vs {second[i]}");
    }

    [Fact]
    public void Render_AddsToDestination()
    {
        var renderer = new EmitterRenderer(Psf.Gaussian(Optics), new RenderOptions { KernelRadiusNm = 600 });
        var once = new float[32 * 32];
        renderer.Render([700f], [650f], [100f], [500f], 0, once, 32, 32);
        var twice = (float[])once.Clone();
        renderer.Render([700f], [650f], [100f], [500f], 0, twice, 32, 32);
        for (int i = 0; i < once.Length; i++) Assert.Equal(2 * once[i], twice[i], 1e-6f * once.Max());
    }

    [Fact]
    public void Render_EmitterJustOutsideImage_AddsItsTailInside()
    {
        var renderer = new EmitterRenderer(Psf.Gaussian(Optics), new RenderOptions { KernelRadiusNm = 600 });
        var image = new float[32 * 32];
        renderer.Render([-60f], [16 * 42f], [0f], [1000f], 0, image, 32, 32);
        Assert.True(image[16 * 32] > 1, $"edge pixel {image[16 * 32]}");
        Assert.Equal(0, image[16 * 32 + 31]);
    }

    [Fact]
    public void Render_DefocusBeyondRange_IsClampedToTheLastPlane()
    {
        var renderer = new EmitterRenderer(Psf.Gaussian(Optics), new RenderOptions { KernelRadiusNm = 600, ZRangeMinNm = -1000, ZRangeMaxNm = 1000 });
        var atEdge = new float[32 * 32];
        var beyond = new float[32 * 32];
        renderer.Render([700f], [700f], [1000f], [100f], 0, atEdge, 32, 32);
        renderer.Render([700f], [700f], [5000f], [100f], 0, beyond, 32, 32);
        Assert.Equal(atEdge, beyond);
    }

    [Fact]
    public void Render_ZeroOrNegativePhotons_AddsNothingAndBuildsNoPlane()
    {
        var renderer = new EmitterRenderer(Psf.Gaussian(Optics), new RenderOptions { KernelRadiusNm = 600 });
        var image = new float[16 * 16];
        renderer.Render([100f, 200f], [100f, 200f], [0f, 0f], [0f, -5f], 0, image, 16, 16);
        Assert.All(image, v => Assert.Equal(0, v));
        Assert.Equal(0, renderer.BuiltPlaneCount);
    }

    [Fact]
    public void Render_MismatchedSpanLengths_ThrowsNamingTheSpan()
    {
        var renderer = new EmitterRenderer(Psf.Gaussian(Optics), new RenderOptions { KernelRadiusNm = 600 });
        var image = new float[16 * 16];
        var ex = Assert.Throws<ArgumentException>(() => renderer.Render([1f, 2f], [1f], [1f, 2f], [1f, 2f], 0, image, 16, 16));
        Assert.Equal("yNm", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => renderer.Render([1f], [1f], [1f], [1f], 0, image, 16, 15));
        Assert.Equal("destination", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => renderer.Render([float.NaN], [1f], [1f], [1f], 0, image, 16, 16));
        Assert.Equal("xNm", ex.ParamName);
    }

    [Fact]
    public void RenderOptions_ZeroPixelSize_ThrowsNamingPixelSize()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new EmitterRenderer(Psf.Gaussian(Optics), new RenderOptions { PixelSizeNm = 0 }));
        Assert.Equal(nameof(RenderOptions.PixelSizeNm), ex.ParamName);
        Assert.Contains("0", ex.Message);
    }

    [Fact]
    public void OpticsOptions_NumericalApertureAboveImmersionIndex_ThrowsNamingIt()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => Psf.GibsonLanni(Optics with { NumericalAperture = 1.52 }));
        Assert.Equal(nameof(OpticsOptions.NumericalAperture), ex.ParamName);
        Assert.Contains("1.52", ex.Message);
        ex = Assert.ThrowsAny<ArgumentException>(() => new OpticsOptions { CoverslipIndexDesign = 1.3 }.Validate());
        Assert.Equal(nameof(OpticsOptions.NumericalAperture), ex.ParamName);
    }

    [Fact]
    public void OpticsOptions_NegativeWavelength_ThrowsNamingIt()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => Psf.Create(Optics with { EmissionWavelengthNm = -600 }));
        Assert.Equal(nameof(OpticsOptions.EmissionWavelengthNm), ex.ParamName);
        ex = Assert.ThrowsAny<ArgumentException>(() => (Optics with { SampleIndex = 0.9 }).Validate());
        Assert.Equal(nameof(OpticsOptions.SampleIndex), ex.ParamName);
        ex = Assert.ThrowsAny<ArgumentException>(() => (Optics with { CoverslipThicknessUm = -1 }).Validate());
        Assert.Equal(nameof(OpticsOptions.CoverslipThicknessUm), ex.ParamName);
    }

    [Fact]
    public void BornWolf_NumericalApertureAboveIndex_ThrowsNamingIt()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new BornWolfPsf(600, 1.6, 1.515));
        Assert.Equal("numericalAperture", ex.ParamName);
    }
}
