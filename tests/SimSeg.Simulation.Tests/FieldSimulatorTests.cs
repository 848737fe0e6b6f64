using SimSeg.Core;
using SimSeg.Core.Geometry;
using SimSeg.Core.Randomness;
using SimSeg.Simulation.Camera;
using SimSeg.Simulation.GroundTruth;
using SimSeg.Simulation.Optics;
using SimSeg.Simulation.Presets;

namespace SimSeg.Simulation.Tests;

public class FieldSimulatorTests
{
    private static Preset Epi1Mixed => PresetCatalog.Load("epi1-mixed");

    [Fact]
    public void Simulate_OnlyMicroscopeOrNoiseChanges_PhysicsGroundTruthIdentical()
    {
        var baseline = Epi1Mixed;
        var variants = new[]
        {
            baseline,
            baseline with { Microscope = baseline.Microscope with { Optics = baseline.Microscope.Optics with { Model = PsfModel.Gaussian } } },
            baseline with { Microscope = baseline.Microscope with { Optics = baseline.Microscope.Optics with { Model = PsfModel.Confocal, NumericalAperture = 1.2 }, FocalPlaneZNm = 400 } },
            baseline with { Camera = baseline.Camera with { ReadNoiseElectrons = 20, BackgroundPhotons = new Interval(200, 300), SignalToBackground = new Interval(0.5, 1) } },
            baseline with { Microscope = baseline.Microscope with { Render = baseline.Microscope.Render with { KernelRadiusNm = 500 } } },
        };
        for (int seed = 0; seed < 3; seed++)
        {
            var fields = variants.Select(p => new FieldSimulator(p).Simulate(64, 64, Rng.ForStream(77, (ulong)seed))).ToArray();
            Assert.Contains(fields[0].Physics.Mask.Data, v => v == 1);
            for (int v = 1; v < fields.Length; v++)
            {
                Assert.Equal(fields[0].Physics.Mask.Data, fields[v].Physics.Mask.Data);
                Assert.Equal(fields[0].Physics.Instances.Data, fields[v].Physics.Instances.Data);
                Assert.Equal(fields[0].Physics.Classes.Data, fields[v].Physics.Classes.Data);
            }
            // ...while the images do differ.
            Assert.NotEqual(fields[0].Image.Data, fields[1].Image.Data);
            Assert.NotEqual(fields[0].Image.Data, fields[3].Image.Data);
        }
    }

    [Fact]
    public void Simulate_SameSeed_BitIdentical()
    {
        var simulator = new FieldSimulator(Epi1Mixed);
        var a = simulator.Simulate(96, 80, Rng.ForStream(5, 1));
        var b = simulator.Simulate(96, 80, Rng.ForStream(5, 1));
        Assert.Equal(a.Image.Data, b.Image.Data);
        Assert.Equal(a.Truth.Instances.Data, b.Truth.Instances.Data);
        Assert.NotEqual(a.Image.Data, simulator.Simulate(96, 80, Rng.ForStream(5, 2)).Image.Data);
    }

    [Fact]
    public void Simulate_LabelImagesAreConsistent()
    {
        var simulator = new FieldSimulator(Epi1Mixed);
        for (int s = 0; s < 5; s++)
        {
            var field = simulator.Simulate(128, 128, Rng.ForStream(9, (ulong)s));
            var classOf = field.Scene.Objects.ToDictionary(o => o.Id, o => (byte)o.Class);
            for (int p = 0; p < field.Truth.Mask.Data.Length; p++)
            {
                ushort id = field.Truth.Instances.Data[p];
                Assert.Equal(id != 0, field.Truth.Mask.Data[p] == 1);
                Assert.Equal(id == 0 ? (byte)0 : classOf[id], field.Truth.Classes.Data[p]);
            }
        }
    }

    [Fact]
    public void Simulate_BrightestPixelSitsOnTheGroundTruth()
    {
        // The noise-free maximum of a field with in-focus structures is inside (or right next to) a labelled object.
        var preset = Epi1Mixed with { Camera = Epi1Mixed.Camera with { ReadNoiseElectrons = 0, BackgroundPhotons = new Interval(1e-6, 1e-6), SignalToBackground = new Interval(1e8, 1e8) } };
        var field = new FieldSimulator(preset).Simulate(128, 128, Rng.ForStream(3, 3));
        var data = field.Image.Data;
        int argmax = Array.IndexOf(data, data.Max());
        int x = argmax % 128, y = argmax / 128;
        bool near = false;
        for (int dy = -2; dy <= 2; dy++)
            for (int dx = -2; dx <= 2; dx++)
            {
                int xx = x + dx, yy = y + dy;
                if (xx >= 0 && yy >= 0 && xx < 128 && yy < 128 && field.Physics.Mask[xx, yy] == 1) near = true;
            }
        Assert.True(near);
    }

    [Theory]
    [InlineData(GroundTruthMethod.Otsu)]
    [InlineData(GroundTruthMethod.OtsuEroded)]
    [InlineData(GroundTruthMethod.NoiseLevel)]
    public void Simulate_AlternativeGroundTruth_DiffersFromPhysicsButKeepsIds(GroundTruthMethod method)
    {
        var preset = Epi1Mixed with { GroundTruth = new GroundTruthSettings { Method = method } };
        var field = new FieldSimulator(preset).Simulate(128, 128, Rng.ForStream(11, 0));
        Assert.Equal(field.Physics.Mask.Data.Length, field.Truth.Mask.Data.Length);
        Assert.Contains(field.Truth.Mask.Data, v => v == 1);
        Assert.NotEqual(field.Physics.Mask.Data, field.Truth.Mask.Data);
        var ids = field.Scene.Objects.Select(o => (ushort)o.Id).Append((ushort)0).ToHashSet();
        Assert.All(field.Truth.Instances.Data, id => Assert.Contains(id, ids));
    }

    [Fact]
    public void Simulate_ZStack_HasOnePlanePerSliceAndTheStepInTheCalibration()
    {
        var preset = Epi1Mixed with { Microscope = Epi1Mixed.Microscope with { ZSlices = 3, ZStepNm = 300 } };
        var field = new FieldSimulator(preset).Simulate(64, 64, Rng.ForStream(1, 1));
        Assert.Equal(3, field.Image.Depth);
        Assert.Equal(300, field.Image.Calibration.PlaneSpacingNm);
        Assert.Equal(-300, preset.Microscope.SliceFocusNm(0));
        Assert.Equal(300, preset.Microscope.SliceFocusNm(2));
        Assert.Equal(1, field.Truth.Mask.Depth);
    }

    [Fact]
    public void Simulate_MeshFilesInPreset_PlacesMeshObjects()
    {
        string dir = Path.Combine(Path.GetTempPath(), "simseg-mesh-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            // An 800 nm cube as a closed, outward-oriented mesh.
            var v = new Vec3[8];
            for (int i = 0; i < 8; i++) v[i] = new Vec3((i & 1) * 800, ((i >> 1) & 1) * 800, ((i >> 2) & 1) * 800);
            int[] t = [0, 2, 1, 1, 2, 3, 4, 5, 6, 5, 7, 6, 0, 1, 4, 1, 5, 4, 2, 6, 3, 3, 6, 7, 0, 4, 2, 2, 4, 6, 1, 3, 5, 3, 7, 5];
            string path = Path.Combine(dir, "cube.off");
            MeshIO.Write(path, new TriangleMesh(v, t));
            var preset = Epi1Mixed with
            {
                Scene = Epi1Mixed.Scene with { MeshFiles = [path], MeshesPerField = new IntInterval(2, 2), MitochondriaPerField = new IntInterval(0, 0), VesiclesPerField = new IntInterval(0, 0) },
            };
            var field = new FieldSimulator(preset).Simulate(128, 128, Rng.ForStream(2, 2));
            Assert.Equal(2, field.Scene.Objects.Count);
            Assert.All(field.Scene.Objects, o => Assert.Equal("mesh", o.Kind));
            Assert.Contains(field.Physics.Mask.Data, m => m == 1);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
