using System.CommandLine;
using SimSeg.Simulation.Optics;
using SimSeg.Simulation.Presets;

namespace SimSeg.Cli.Commands;

/// <summary>Flags that override a preset's optics, shared by the psf command.</summary>
internal sealed class OpticsFlags
{
    private readonly Option<string?> _preset = new("--preset", "-p") { Description = "Start from this preset's microscope (name or JSON path); flags below override it." };
    private readonly Option<string?> _model = new("--model", "-m") { Description = "PSF model: gibson-lanni, born-wolf, gaussian or confocal." };
    private readonly Option<double?> _na = new("--na") { Description = "Numerical aperture (must be below the immersion index)." };
    private readonly Option<double?> _wavelength = new("--wavelength") { Description = "Emission wavelength, nm." };
    private readonly Option<double?> _excitation = new("--excitation-wavelength") { Description = "Excitation wavelength, nm (confocal)." };
    private readonly Option<double?> _ni = new("--ni") { Description = "Immersion refractive index (actual)." };
    private readonly Option<double?> _ni0 = new("--ni0") { Description = "Immersion refractive index (design)." };
    private readonly Option<double?> _ng = new("--ng") { Description = "Coverslip refractive index (actual)." };
    private readonly Option<double?> _ng0 = new("--ng0") { Description = "Coverslip refractive index (design)." };
    private readonly Option<double?> _ns = new("--ns") { Description = "Sample refractive index." };
    private readonly Option<double?> _ti0 = new("--ti0") { Description = "Working distance of the immersion layer (design), µm." };
    private readonly Option<double?> _tg = new("--tg") { Description = "Coverslip thickness (actual), µm." };
    private readonly Option<double?> _tg0 = new("--tg0") { Description = "Coverslip thickness (design), µm." };
    private readonly Option<double?> _magnification = new("--magnification") { Description = "Objective magnification." };
    private readonly Option<double?> _depth = new("--particle-depth") { Description = "Depth of the emitter below the coverslip, nm (Gibson-Lanni)." };
    private readonly Option<double?> _pinhole = new("--pinhole") { Description = "Confocal pinhole diameter in Airy units (0 = point pinhole)." };

    /// <summary>Adds the flags to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { _preset, _model, _na, _wavelength, _excitation, _ni, _ni0, _ng, _ng0, _ns, _ti0, _tg, _tg0, _magnification, _depth, _pinhole })
            command.Options.Add(o);
    }

    /// <summary>The preset named by --preset, if any.</summary>
    public Preset? Preset(ParseResult parse)
    {
        string? name = parse.GetValue(_preset);
        return name is null ? null : PresetCatalog.Load(name);
    }

    /// <summary>The optics: the preset's (or the defaults) with every given flag applied, validated.</summary>
    public OpticsOptions Resolve(ParseResult parse, Preset? preset)
    {
        var o = preset?.Microscope.Optics ?? new OpticsOptions();
        string? model = parse.GetValue(_model);
        if (model is not null)
        {
            o = o with
            {
                Model = model.ToLowerInvariant() switch
                {
                    "gibson-lanni" => PsfModel.GibsonLanni,
                    "born-wolf" => PsfModel.BornWolf,
                    "gaussian" => PsfModel.Gaussian,
                    "confocal" => PsfModel.Confocal,
                    _ => throw new CliArgumentException($"--model must be one of gibson-lanni, born-wolf, gaussian, confocal; got '{model}'."),
                },
            };
        }
        if (parse.GetValue(_na) is double na) o = o with { NumericalAperture = na };
        if (parse.GetValue(_wavelength) is double wl) o = o with { EmissionWavelengthNm = wl };
        if (parse.GetValue(_excitation) is double ex) o = o with { ExcitationWavelengthNm = ex };
        if (parse.GetValue(_ni) is double ni) o = o with { ImmersionIndex = ni };
        if (parse.GetValue(_ni0) is double ni0) o = o with { ImmersionIndexDesign = ni0 };
        if (parse.GetValue(_ng) is double ng) o = o with { CoverslipIndex = ng };
        if (parse.GetValue(_ng0) is double ng0) o = o with { CoverslipIndexDesign = ng0 };
        if (parse.GetValue(_ns) is double ns) o = o with { SampleIndex = ns };
        if (parse.GetValue(_ti0) is double ti0) o = o with { WorkingDistanceDesignUm = ti0 };
        if (parse.GetValue(_tg) is double tg) o = o with { CoverslipThicknessUm = tg };
        if (parse.GetValue(_tg0) is double tg0) o = o with { CoverslipThicknessDesignUm = tg0 };
        if (parse.GetValue(_magnification) is double mag) o = o with { Magnification = mag };
        if (parse.GetValue(_depth) is double depth) o = o with { ParticleDepthNm = depth };
        if (parse.GetValue(_pinhole) is double pinhole) o = o with { PinholeAiryUnits = pinhole };
        o.Validate();
        return o;
    }
}
