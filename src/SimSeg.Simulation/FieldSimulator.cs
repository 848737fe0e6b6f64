using SimSeg.Core.Imaging;
using SimSeg.Core.Randomness;
using SimSeg.Simulation.Camera;
using SimSeg.Simulation.Geometry;
using SimSeg.Simulation.GroundTruth;
using SimSeg.Simulation.Labelling;
using SimSeg.Simulation.Optics;
using SimSeg.Simulation.Photokinetics;
using SimSeg.Simulation.Presets;

namespace SimSeg.Simulation;

/// <summary>One simulated field of view: the camera image, its ground truth and what was simulated.</summary>
/// <param name="Image">Camera counts, one plane per z slice.</param>
/// <param name="Truth">Label images; the mask follows the preset's ground-truth method.</param>
/// <param name="Physics">The physics-based ground truth (the same as <paramref name="Truth"/> for the physics method).</param>
/// <param name="Scene">The objects placed in the field.</param>
/// <param name="EmitterCount">Fluorophores labelling the objects.</param>
/// <param name="Levels">Background, SBR and photon scale of the camera.</param>
public sealed record SimulatedField(Image<ushort> Image, GroundTruthImages Truth, GroundTruthImages Physics, Scene Scene, int EmitterCount, CameraLevels Levels);

/// <summary>
/// Runs the simulator's stages for one field: geometry → labelling → photokinetics → optics → camera → ground
/// truth (PhySeg Fig. 1e). Building one is costly (the PSF and its kernel bank); simulating is cheap and
/// thread-safe, so one instance serves every worker. Randomness comes only from the <see cref="Rng"/> passed
/// to <see cref="Simulate(int, int, Rng)"/>, so a field depends on its seed alone.
/// </summary>
public sealed class FieldSimulator
{
    private readonly EmitterRenderer _renderer;
    private readonly Lazy<double> _psfFwhmNm;

    /// <summary>Prepares the optics of <paramref name="preset"/> (validated first).</summary>
    public FieldSimulator(Preset preset)
    {
        ArgumentNullException.ThrowIfNull(preset);
        preset.Validate();
        if (preset.Scene.MeshFiles.Count > 0 && preset.Scene.MeshLibrary.Count == 0)
        {
            var meshes = preset.Scene.MeshFiles.Select(Core.Geometry.MeshIO.Read).ToArray();
            preset = preset with { Scene = preset.Scene with { MeshLibrary = meshes } };
            preset.Scene.Validate();
        }
        Preset = preset;
        Psf = Optics.Psf.Create(preset.Microscope.Optics);
        _psfFwhmNm = new Lazy<double>(() => Optics.Psf.LateralFwhm(Psf));
        _renderer = new EmitterRenderer(Psf, preset.Microscope.Render with { PixelSizeNm = preset.Microscope.PixelSizeNm });
    }

    /// <summary>The preset simulated.</summary>
    public Preset Preset { get; }

    /// <summary>The point spread function of the preset's microscope.</summary>
    public IPointSpreadFunction Psf { get; }

    /// <summary>The renderer (exposed for the render command and benchmarks).</summary>
    public EmitterRenderer Renderer => _renderer;

    /// <summary>Simulates a <paramref name="width"/> × <paramref name="height"/> pixel field.</summary>
    public SimulatedField Simulate(int width, int height, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Core.Guard.Positive(width);
        Core.Guard.Positive(height);
        double pixel = Preset.Microscope.PixelSizeNm;

        // 1. Geometry: independent of the microscope, so the physics ground truth is too.
        var scene = SceneGenerator.Generate(Preset.Scene with { FieldWidthNm = width * pixel, FieldHeightNm = height * pixel }, rng);
        return Simulate(scene, width, height, rng);
    }

    /// <summary>
    /// Simulates a given scene (stages 2–6: labelling, photokinetics, optics, camera, ground truth) in a
    /// <paramref name="width"/> × <paramref name="height"/> pixel field whose top-left corner is the scene origin.
    /// Object ids must run 1..N in the order of <see cref="Scene.Objects"/>.
    /// </summary>
    public SimulatedField Simulate(Scene scene, int width, int height, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(rng);
        Core.Guard.Positive(width);
        Core.Guard.Positive(height);
        var microscope = Preset.Microscope;
        double pixel = microscope.PixelSizeNm;
        for (int i = 0; i < scene.Objects.Count; i++)
            if (scene.Objects[i].Id != i + 1)
                throw new ArgumentException($"scene object {i} has id {scene.Objects[i].Id}; ids must run 1..{scene.Objects.Count} in order.", nameof(scene));

        // 2. Labelling.
        var emitters = new EmitterSet(4096);
        EmitterSampler.Sample(scene, Preset.Labelling, rng, emitters);

        // 6. Physics ground truth (from emitters only).
        var classOfObject = new ObjectClass[scene.Objects.Count + 1];
        foreach (var o in scene.Objects) classOfObject[o.Id] = o.Class;
        var physics = GroundTruthBuilder.Physics(emitters, classOfObject, width, height, pixel, Preset.GroundTruth.MinEmittersPerPixel);

        // 3. Photokinetics: expected photons of each emitter in this exposure.
        var photons = Blinking.SimulateFrame(Preset.Photokinetics, emitters.Count, rng);

        // 4. Optics: sum of photons × pixel-integrated PSF, one plane per focal position.
        int planes = microscope.ZSlices, n = width * height;
        var signal = new float[n * planes];
        for (int z = 0; z < planes; z++)
            _renderer.Render(emitters.X, emitters.Y, emitters.Z, photons, microscope.SliceFocusNm(z), signal.AsSpan(z * n, n), width, height);

        // Alternative ground truths look at the noise-free in-focus plane, before background and noise.
        int focusPlane = (planes - 1) / 2;
        float[]? noiseFree = Preset.GroundTruth.Method == GroundTruthMethod.Physics ? null : signal.AsSpan(focusPlane * n, n).ToArray();

        // 5. Camera: scale to the drawn SBR over the drawn background, then shot noise, read noise, gain, offset.
        var levels = CameraModel.Expose(Preset.Camera, signal, rng);
        var image = new Image<ushort>(width, height, planes, Calibration.Square(pixel, planes > 1 ? microscope.ZStepNm : 0));
        CameraModel.Digitise(Preset.Camera, signal, rng, image.Data);

        var truth = physics;
        if (noiseFree is not null)
        {
            for (int i = 0; i < n; i++) noiseFree[i] *= (float)levels.PhotonScale;
            var camera = Preset.Camera;
            double noiseSigma = Math.Sqrt(levels.BackgroundPhotons * camera.QuantumEfficiency + camera.ReadNoiseElectrons * camera.ReadNoiseElectrons) / camera.QuantumEfficiency;
            double erosionRadius = 0.5 * _psfFwhmNm.Value / pixel;
            truth = GroundTruthBuilder.FromSignal(Preset.GroundTruth.Method, noiseFree, physics, noiseSigma, erosionRadius);
        }
        return new SimulatedField(image, truth, physics, scene, emitters.Count, levels);
    }
}
