using SimSeg.Simulation.Optics;

namespace SimSeg.Simulation.Tests.Optics;

public class PsfModelTests
{
    private static readonly OpticsOptions Defaults = new();

    public static TheoryData<string> Models => new() { "GibsonLanni", "BornWolf", "Gaussian", "ConfocalSquared", "ConfocalPinhole" };

    private static IPointSpreadFunction Model(string name) => name switch
    {
        "GibsonLanni" => Psf.GibsonLanni(Defaults),
        "BornWolf" => Psf.BornWolf(Defaults),
        "Gaussian" => Psf.Gaussian(Defaults),
        "ConfocalSquared" => Psf.Confocal(Defaults),
        "ConfocalPinhole" => Psf.Confocal(Defaults with { ConfocalDetection = ConfocalDetection.Pinhole, PinholeAiryUnits = 1 }),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void EncircledEnergy_InFocusToLargeRadius_IsOne(string name)
    {
        // 20 µm leaves an Airy tail of about 2/(π·k·NA·R) ≈ 0.2 %.
        double energy = Psf.EncircledEnergy(Model(name), 20000);
        Assert.InRange(energy, 0.99, 1.01);
    }

    [Fact]
    public void EncircledEnergy_BornWolfInFocus_MatchesAiryFormula()
    {
        // Airy pattern: E(v) = 1 − J0(v)² − J1(v)², v = k·NA·R (Born & Wolf §8.5).
        var psf = Psf.BornWolf(Defaults);
        foreach (double radius in new[] { 150.0, 300.0, 1000.0 })
        {
            double v = 2 * Math.PI / 600 * 1.4 * radius;
            double expected = 1 - Bessel.J0(v) * Bessel.J0(v) - Bessel.J1(v) * Bessel.J1(v);
            Assert.Equal(expected, Psf.EncircledEnergy(psf, radius), 1e-6);
        }
    }

    [Fact]
    public void Create_EachModel_ReturnsThatModel()
    {
        Assert.IsType<GibsonLanniPsf>(Psf.Create(Defaults));
        Assert.IsType<BornWolfPsf>(Psf.Create(Defaults with { Model = PsfModel.BornWolf }));
        Assert.IsType<GaussianPsf>(Psf.Create(Defaults with { Model = PsfModel.Gaussian }));
        Assert.IsType<ConfocalPsf>(Psf.Create(Defaults with { Model = PsfModel.Confocal }));
    }

    [Fact]
    public void BornWolf_PlusAndMinusDefocus_AreEqual()
    {
        var psf = Psf.BornWolf(Defaults);
        for (double z = 100; z <= 2000; z += 300)
            for (double r = 0; r <= 1200; r += 100)
            {
                double a = psf.Evaluate(r, z), b = psf.Evaluate(r, -z);
                Assert.True(Math.Abs(a - b) <= 1e-12 * psf.Evaluate(0, 0), $"r={r} z={z}: {a} vs {b}");
            }
    }

    [Fact]
    public void LateralFwhm_BornWolfInFocus_IsAiryWidth()
    {
        double fwhm = Psf.LateralFwhm(Psf.BornWolf(Defaults));
        double expected = 0.51 * 600 / 1.4;
        Assert.InRange(fwhm / expected, 0.95, 1.05);
    }

    [Fact]
    public void GibsonLanni_MatchedLayersAndNoDepth_EqualsBornWolf()
    {
        var matched = Defaults with { SampleIndex = 1.515, ParticleDepthNm = 0, CoverslipThicknessUm = 170 };
        var gl = Psf.GibsonLanni(matched);
        var bw = Psf.BornWolf(matched);
        double peak = bw.Evaluate(0, 0), worst = 0;
        for (double z = -3000; z <= 3000; z += 250)
            for (double r = 0; r <= 2000; r += 40)
                worst = Math.Max(worst, Math.Abs(gl.Evaluate(r, z) - bw.Evaluate(r, z)));
        Assert.True(worst / peak < 1e-6, $"max |GL − BW| / peak = {worst / peak}");
    }

    [Fact]
    public void GibsonLanni_MismatchedSampleAtDepth_IsAsymmetricAndItsFocusShifts()
    {
        var psf = Psf.GibsonLanni(Defaults with { SampleIndex = 1.33, ParticleDepthNm = 5000 });
        double bestZ = 0, best = 0, asymmetry = 0;
        for (double z = -3000; z <= 3000; z += 20)
        {
            double onAxis = psf.Evaluate(0, z);
            if (onAxis > best) (best, bestZ) = (onAxis, z);
            asymmetry = Math.Max(asymmetry, Math.Abs(onAxis - psf.Evaluate(0, -z)));
        }
        Assert.True(Math.Abs(bestZ) >= 100, $"best focus at z = {bestZ} nm");
        Assert.True(asymmetry > 0.05 * best, $"largest |PSF(0,z) − PSF(0,−z)| = {asymmetry}, peak {best}");
        Assert.True(best < Psf.BornWolf(Defaults).Evaluate(0, 0), "spherical aberration lowers the peak below the Airy peak");
    }

    [Fact]
    public void GibsonLanni_CoverslipThicknessMismatch_ChangesThePsf()
    {
        var design = Psf.GibsonLanni(Defaults with { CoverslipIndex = 1.52, CoverslipThicknessUm = 170 });
        var thick = Psf.GibsonLanni(Defaults with { CoverslipIndex = 1.52, CoverslipThicknessUm = 190 });
        Assert.NotEqual(design.Evaluate(0, 500), thick.Evaluate(0, 500), 6);
    }

    [Fact]
    public void LateralFwhm_ConfocalSquared_IsWidefieldOverRootTwo()
    {
        double widefield = Psf.LateralFwhm(Psf.GibsonLanni(Defaults));
        double confocal = Psf.LateralFwhm(Psf.Confocal(Defaults));
        Assert.InRange(confocal / widefield, 0.72 * 0.9, 0.72 * 1.1);
    }

    [Fact]
    public void LateralFwhm_ConfocalPinhole_LiesBetweenPointPinholeAndWidefield()
    {
        var options = Defaults with { ConfocalDetection = ConfocalDetection.Pinhole };
        double point = Psf.LateralFwhm(Psf.Confocal(options with { PinholeAiryUnits = 0 }));
        double open = Psf.LateralFwhm(Psf.Confocal(options with { PinholeAiryUnits = 1 }));
        double excitation = Psf.LateralFwhm(Psf.BornWolf(Defaults with { EmissionWavelengthNm = 488 }));
        Assert.True(point < open && open < excitation, $"point {point}, 1 AU {open}, excitation only {excitation}");
    }

    [Fact]
    public void Gaussian_Widths_FollowZhang2007()
    {
        var psf = Psf.Gaussian(Defaults);
        Assert.Equal(0.21 * 600 / 1.4, psf.SigmaLateralNm, 1e-9);
        Assert.Equal(0.66 * 600 * 1.515 / (1.4 * 1.4), psf.SigmaAxialNm, 1e-9);
        Assert.Equal(1 / (2 * Math.PI * psf.SigmaLateralNm * psf.SigmaLateralNm), psf.Evaluate(0, 0), 1e-15);
    }

    [Fact]
    public void RadialPsfTable_GibsonLanni_MatchesDirectEvaluation()
    {
        var psf = Psf.GibsonLanni(Defaults with { ParticleDepthNm = 2000 });
        var table = new RadialPsfTable(psf, 1500, -2000, 2000);
        var random = new Random(20240611);
        double peak = 0, worst = 0;
        for (double z = -2000; z <= 2000; z += 50) peak = Math.Max(peak, psf.Evaluate(0, z));
        for (int i = 0; i < 400; i++)
        {
            double r = random.NextDouble() * 1500, z = random.NextDouble() * 4000 - 2000;
            worst = Math.Max(worst, Math.Abs(table.Evaluate(r, z) - psf.Evaluate(r, z)));
        }
        Assert.True(worst < 0.01 * peak, $"max error {worst / peak:P3} of peak");
        Assert.Equal(0, table.Evaluate(1600, 0));
        Assert.Equal(table.Evaluate(100, 2000), table.Evaluate(100, 2500));
    }

    [Fact]
    public void RenderStack_InFocusPlane_IsCentredCalibratedAndHoldsTheEnergy()
    {
        var psf = Psf.BornWolf(Defaults);
        var stack = Psf.RenderStack(psf, 64, 42, -500, 500, 3);
        Assert.Equal(3, stack.Depth);
        Assert.Equal(42, stack.Calibration.PixelWidthNm);
        Assert.Equal(500, stack.Calibration.PlaneSpacingNm);
        Span<float> plane = stack.Plane(1);
        int argmax = 0;
        for (int i = 0; i < plane.Length; i++) if (plane[i] > plane[argmax]) argmax = i;
        Assert.Equal(32 * 64 + 32, argmax);
        double sum = 0;
        foreach (float v in plane) sum += v;
        double inscribed = Psf.EncircledEnergy(psf, 32 * 42), circumscribed = Psf.EncircledEnergy(psf, Math.Sqrt(2) * 33 * 42);
        Assert.InRange(sum, inscribed * 0.999, circumscribed * 1.001);
        Assert.Equal(stack[32, 32, 0], stack[32, 32, 2], 5); // Born–Wolf is symmetric in z
    }
}
