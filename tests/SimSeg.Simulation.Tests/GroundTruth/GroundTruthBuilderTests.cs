using SimSeg.Simulation.Geometry;
using SimSeg.Simulation.GroundTruth;
using SimSeg.Simulation.Labelling;

namespace SimSeg.Simulation.Tests.GroundTruth;

public class GroundTruthBuilderTests
{
    private static readonly ObjectClass[] TwoObjects = [ObjectClass.Background, ObjectClass.Mitochondrion, ObjectClass.Vesicle];

    [Fact]
    public void Physics_EmittersMaxPooledByPixel()
    {
        var e = new EmitterSet();
        e.Add(5, 5, 300, 1);      // pixel (0,0) with 10 nm pixels
        e.Add(15, 5, -200, 1);    // pixel (1,0): z does not matter
        e.Add(39.9, 29.9, 0, 2);  // pixel (3,2)
        e.Add(-1, 5, 0, 2);       // outside
        e.Add(5, 45, 0, 2);       // outside (row 4 of 4)
        var gt = GroundTruthBuilder.Physics(e, TwoObjects, 4, 4, 10);
        Assert.Equal(new byte[] { 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0 }, gt.Mask.Data);
        Assert.Equal(1, gt.Instances[0, 0]);
        Assert.Equal(2, gt.Instances[3, 2]);
        Assert.Equal((byte)ObjectClass.Vesicle, gt.Classes[3, 2]);
        Assert.Equal((byte)ObjectClass.Mitochondrion, gt.Classes[1, 0]);
    }

    [Fact]
    public void Physics_SharedPixel_TakesTheObjectWithMostEmitters()
    {
        var e = new EmitterSet();
        e.Add(1, 1, 0, 1);
        e.Add(2, 2, 0, 2);
        e.Add(3, 3, 0, 2);
        var gt = GroundTruthBuilder.Physics(e, TwoObjects, 2, 2, 10);
        Assert.Equal(2, gt.Instances[0, 0]);
    }

    [Fact]
    public void Physics_MinEmittersPerPixel_DropsSparsePixels()
    {
        var e = new EmitterSet();
        e.Add(1, 1, 0, 1);
        e.Add(11, 1, 0, 1);
        e.Add(12, 2, 0, 1);
        var gt = GroundTruthBuilder.Physics(e, TwoObjects, 2, 1, 10, minEmittersPerPixel: 2);
        Assert.Equal(new byte[] { 0, 1 }, gt.Mask.Data);
    }

    [Fact]
    public void Physics_UnknownObjectId_Throws()
    {
        var e = new EmitterSet();
        e.Add(1, 1, 0, 5);
        Assert.ThrowsAny<ArgumentException>(() => GroundTruthBuilder.Physics(e, TwoObjects, 2, 2, 10));
    }

    [Fact]
    public void FromSignal_Otsu_ThresholdsAndKeepsPhysicsIds()
    {
        var e = new EmitterSet();
        e.Add(15, 15, 0, 1);
        var physics = GroundTruthBuilder.Physics(e, TwoObjects, 4, 4, 10);
        var signal = new float[16];
        signal[1 * 4 + 1] = 10; signal[1 * 4 + 2] = 9; signal[2 * 4 + 1] = 8;
        var gt = GroundTruthBuilder.FromSignal(GroundTruthMethod.Otsu, signal, physics, 1, 1);
        Assert.Equal(3, gt.Mask.Data.Sum(b => b));
        Assert.Equal(1, gt.Instances[2, 1]);
        Assert.Equal(0, gt.Instances[3, 3]);
    }

    [Fact]
    public void FromSignal_NoiseLevel_KeepsPixelsAboveSigma()
    {
        var physics = GroundTruthBuilder.Physics(new EmitterSet(), TwoObjects, 3, 1, 10);
        var gt = GroundTruthBuilder.FromSignal(GroundTruthMethod.NoiseLevel, new float[] { 1, 5, 10 }, physics, 4, 0);
        Assert.Equal(new byte[] { 0, 1, 1 }, gt.Mask.Data);
    }

    [Fact]
    public void FromSignal_OtsuEroded_IsInsideOtsu()
    {
        const int w = 20;
        var signal = new float[w * w];
        for (int y = 4; y < 16; y++) for (int x = 4; x < 16; x++) signal[y * w + x] = 100;
        var physics = GroundTruthBuilder.Physics(new EmitterSet(), TwoObjects, w, w, 10);
        var otsu = GroundTruthBuilder.FromSignal(GroundTruthMethod.Otsu, signal, physics, 1, 2);
        var eroded = GroundTruthBuilder.FromSignal(GroundTruthMethod.OtsuEroded, signal, physics, 1, 2);
        Assert.Equal(144, otsu.Mask.Data.Sum(b => b));
        Assert.Equal(64, eroded.Mask.Data.Sum(b => b));
        for (int i = 0; i < signal.Length; i++) Assert.True(eroded.Mask.Data[i] <= otsu.Mask.Data[i]);
    }
}
