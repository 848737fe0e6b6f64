using SimSeg.Core;
using SimSeg.Simulation.Camera;
using SimSeg.Simulation.Geometry;
using SimSeg.Simulation.GroundTruth;
using SimSeg.Simulation.Labelling;
using SimSeg.Simulation.Optics;
using SimSeg.Simulation.Photokinetics;

namespace SimSeg.Simulation.Presets;

/// <summary>
/// Everything that defines one simulated imaging experiment: microscope and camera, the structures in the
/// field, how they are labelled and how the fluorophores blink. Stored as an editable JSON file (see the
/// presets folder); <see cref="PresetCatalog"/> loads them by name or path.
/// </summary>
public sealed record Preset
{
    /// <summary>Short name, e.g. "epi1-mito".</summary>
    public string Name { get; init; } = "custom";

    /// <summary>One line saying what the preset simulates and where its numbers come from.</summary>
    public string Description { get; init; } = "";

    /// <summary>Microscope: optics, sampling and focus.</summary>
    public MicroscopeSettings Microscope { get; init; } = new();

    /// <summary>Objects placed in each field.</summary>
    public SceneOptions Scene { get; init; } = new();

    /// <summary>Fluorophore labelling.</summary>
    public LabellingOptions Labelling { get; init; } = new();

    /// <summary>Blinking, bleaching and exposure.</summary>
    public PhotokineticsOptions Photokinetics { get; init; } = new();

    /// <summary>Camera and noise.</summary>
    public CameraOptions Camera { get; init; } = new();

    /// <summary>Which ground truth the dataset's mask holds.</summary>
    public GroundTruthSettings GroundTruth { get; init; } = new();

    /// <summary>Validates every part; throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        Microscope.Validate();
        Scene.Validate();
        Labelling.Validate();
        Photokinetics.Validate();
        Camera.Validate();
        GroundTruth.Validate();
    }
}

/// <summary>The microscope's optics and sampling.</summary>
public sealed record MicroscopeSettings
{
    /// <summary>Microscope name as in the papers (Epi1, Epi2, Airy1, Conf1, Conf2).</summary>
    public string Name { get; init; } = "Epi1";

    /// <summary>Camera pixel size in the sample plane, nm.</summary>
    public double PixelSizeNm { get; init; } = 42;

    /// <summary>Depth of the focal plane, nm (emitter z is measured on the same axis).</summary>
    public double FocalPlaneZNm { get; init; }

    /// <summary>Slices of a z-stack (1 = a single focal-plane image). Slices are centred on the focal plane.</summary>
    public int ZSlices { get; init; } = 1;

    /// <summary>Distance between z-stack slices, nm.</summary>
    public double ZStepNm { get; init; } = 250;

    /// <summary>The PSF model and its parameters.</summary>
    public OpticsOptions Optics { get; init; } = new();

    /// <summary>Rendering accuracy settings (the pixel size is taken from <see cref="PixelSizeNm"/>).</summary>
    public RenderOptions Render { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Guard.Positive(PixelSizeNm, nameof(PixelSizeNm));
        Guard.Finite(FocalPlaneZNm, nameof(FocalPlaneZNm));
        Guard.Positive(ZSlices, nameof(ZSlices));
        Guard.Positive(ZStepNm, nameof(ZStepNm));
        Optics.Validate();
        Render.Validate();
    }

    /// <summary>Focal-plane depth of slice <paramref name="slice"/> of the z-stack, nm.</summary>
    public double SliceFocusNm(int slice) => FocalPlaneZNm + (slice - (ZSlices - 1) / 2.0) * ZStepNm;
}

/// <summary>Ground-truth choice for dataset masks.</summary>
public sealed record GroundTruthSettings
{
    /// <summary>Which technique fills the mask (instances and classes always come from the physics ground truth).</summary>
    public GroundTruthMethod Method { get; init; } = GroundTruthMethod.Physics;

    /// <summary>Emitters that must project into a pixel to make it foreground (physics ground truth).</summary>
    public int MinEmittersPerPixel { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Method)) throw new ArgumentOutOfRangeException(nameof(Method), Method, $"{nameof(Method)} must be one of {string.Join(", ", Enum.GetNames<GroundTruthMethod>())}.");
        Guard.Positive(MinEmittersPerPixel, nameof(MinEmittersPerPixel));
    }
}
