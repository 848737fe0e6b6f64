using System.CommandLine;
using System.Globalization;
using SimSeg.Core.Imaging;
using SimSeg.Core.IO;
using SimSeg.Core.Randomness;
using SimSeg.Simulation.Camera;
using SimSeg.Simulation.Optics;
using SimSeg.Simulation.Presets;

namespace SimSeg.Cli.Commands;

/// <summary><c>simseg render</c>: renders emitters given in a CSV file through a preset's microscope.</summary>
internal static class RenderCommand
{
    public static Command Create()
    {
        var emitters = new Option<string>("--emitters", "-e") { Description = "CSV with a header and columns x_nm, y_nm, z_nm, brightness (photons; other columns are ignored).", Required = true };
        var preset = new Option<string>("--preset", "-p") { Description = "Preset (name or JSON path) giving the microscope and camera.", DefaultValueFactory = _ => "epi1-mito" };
        var output = new Option<string>("--out", "-o") { Description = "Output TIFF: float32 photons without --noise, uint16 counts with it.", Required = true };
        var width = new Option<int>("--width") { Description = "Image width, pixels.", DefaultValueFactory = _ => 128 };
        var height = new Option<int>("--height") { Description = "Image height, pixels.", DefaultValueFactory = _ => 128 };
        var noise = new Option<bool>("--noise") { Description = "Pass the image through the preset's camera (background, shot noise, read noise, gain, offset), keeping brightness as photons." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the camera noise.", DefaultValueFactory = _ => 1UL };
        var command = new Command("render",
            "Render given emitters: image = sum of brightness x PSF at each emitter's 3D position relative to the focal\n" +
            "plane, integrated over each pixel. Positions are in nm from the top-left corner of the image; z is the\n" +
            "depth (the preset's focal plane and z-stack settings apply).\n\n" +
            "Example:\n  simseg render --emitters beads.csv --preset conf1-mito --width 256 --height 256 --out beads.tif --noise")
        {
            emitters, preset, output, width, height, noise, seed,
        };
        command.SetAction((parse, token) => Task.FromResult(CommandRunner.Run(_ =>
        {
            var p = PresetCatalog.Load(parse.GetValue(preset)!);
            int w = CliParse.Positive(parse.GetValue(width), "--width"), h = CliParse.Positive(parse.GetValue(height), "--height");
            string csv = parse.GetValue(emitters)!;
            var (x, y, z, b) = ReadEmitters(csv);
            var microscope = p.Microscope;
            var renderer = new EmitterRenderer(Psf.Create(microscope.Optics), microscope.Render with { PixelSizeNm = microscope.PixelSizeNm });
            int planes = microscope.ZSlices, n = w * h;
            var photons = new Image<float>(w, h, planes, Calibration.Square(microscope.PixelSizeNm, planes > 1 ? microscope.ZStepNm : 0));
            for (int s = 0; s < planes; s++)
                renderer.Render(x, y, z, b, microscope.SliceFocusNm(s), photons.Plane(s), w, h);
            string path = parse.GetValue(output)!;
            if (parse.GetValue(noise))
            {
                var rng = new Rng(parse.GetValue(seed));
                var camera = p.Camera with { Scaling = PhotonScaling.Absolute };
                var levels = CameraModel.Expose(camera, photons.Data, rng);
                var counts = new Image<ushort>(w, h, planes, photons.Calibration);
                CameraModel.Digitise(camera, photons.Data, rng, counts.Data);
                TiffWriter.Write(path, counts);
                Console.WriteLine($"Wrote {path}: {x.Length} emitters, {w}x{h}x{planes}, uint16 counts (background {levels.BackgroundPhotons:0.0} photons/pixel).");
            }
            else
            {
                TiffWriter.Write(path, photons);
                Console.WriteLine($"Wrote {path}: {x.Length} emitters, {w}x{h}x{planes}, float32 photons per pixel, total {photons.Data.Sum():0.0}.");
            }
            return ExitCodes.Success;
        }, token)));
        return command;
    }

    /// <summary>Reads an emitter CSV; errors name the file, the line and the column.</summary>
    internal static (float[] X, float[] Y, float[] Z, float[] Brightness) ReadEmitters(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"emitter file not found: {path}", path);
        using var reader = new StreamReader(path);
        string? header = reader.ReadLine();
        if (header is null) throw new InvalidDataException($"{path}: empty file; expected a header line with x_nm,y_nm,z_nm,brightness.");
        string[] names = header.Split(',').Select(s => s.Trim().Trim('"').ToLowerInvariant()).ToArray();
        int Column(string name)
        {
            int i = Array.IndexOf(names, name);
            return i >= 0 ? i : throw new InvalidDataException($"{path}: the header has no column '{name}'; required columns: x_nm, y_nm, z_nm, brightness (found: {header}).");
        }
        int cx = Column("x_nm"), cy = Column("y_nm"), cz = Column("z_nm"), cb = Column("brightness");
        var x = new List<float>(); var y = new List<float>(); var z = new List<float>(); var b = new List<float>();
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            string[] f = line.Split(',');
            float Value(int column, string name)
            {
                if (column >= f.Length) throw new InvalidDataException($"{path}, line {lineNumber}: missing value for {name}.");
                if (!float.TryParse(f[column].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
                    throw new InvalidDataException($"{path}, line {lineNumber}: {name} must be a finite number, got '{f[column].Trim()}'.");
                return v;
            }
            x.Add(Value(cx, "x_nm")); y.Add(Value(cy, "y_nm")); z.Add(Value(cz, "z_nm"));
            float brightness = Value(cb, "brightness");
            if (brightness < 0) throw new InvalidDataException($"{path}, line {lineNumber}: brightness must be >= 0, got {brightness}.");
            b.Add(brightness);
        }
        if (x.Count == 0) throw new InvalidDataException($"{path}: no emitters after the header.");
        return (x.ToArray(), y.ToArray(), z.ToArray(), b.ToArray());
    }
}
