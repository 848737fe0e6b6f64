using System.CommandLine;
using SimSeg.Core.IO;
using SimSeg.Simulation.Optics;

namespace SimSeg.Cli.Commands;

/// <summary><c>simseg psf</c>: writes a 3D point spread function as a float32 TIFF stack.</summary>
internal static class PsfCommand
{
    public static Command Create()
    {
        var flags = new OpticsFlags();
        var size = new Option<int>("--size") { Description = "Lateral size in pixels (the PSF is centred on pixel size/2).", DefaultValueFactory = _ => 128 };
        var pixel = new Option<double?>("--pixel-size") { Description = "Pixel size in the sample plane, nm (default: the preset's, else 42)." };
        var zStart = new Option<double>("--z-start") { Description = "Defocus of the first slice, nm (negative: emitter above the focal plane).", DefaultValueFactory = _ => 0 };
        var zStep = new Option<double>("--z-step") { Description = "Defocus step between slices, nm.", DefaultValueFactory = _ => 100 };
        var zCount = new Option<int>("--z-count") { Description = "Number of slices.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out", "-o") { Description = "Output TIFF (float32, one page per slice, pixel size in the metadata).", Required = true };
        var command = new Command("psf",
            "Write a 3D point spread function: each pixel is the PSF integrated over the pixel area, so a slice sums\n" +
            "to the fraction of the emitter's light that falls inside the image (1 in focus for a large image).\n\n" +
            "Examples:\n" +
            "  simseg psf --model gibson-lanni --na 1.4 --wavelength 600 --size 128 --pixel-size 42 --z-start -1000 --z-step 100 --z-count 21 --out psf.tif\n" +
            "  simseg psf --preset conf1-mito --model confocal --pinhole 1 --out conf1-psf.tif");
        flags.AddTo(command);
        command.Options.Add(size);
        command.Options.Add(pixel);
        command.Options.Add(zStart);
        command.Options.Add(zStep);
        command.Options.Add(zCount);
        command.Options.Add(output);
        command.SetAction((parse, token) => Task.FromResult(CommandRunner.Run(_ =>
        {
            var preset = flags.Preset(parse);
            var optics = flags.Resolve(parse, preset);
            int n = CliParse.Positive(parse.GetValue(size), "--size");
            double p = CliParse.Positive(parse.GetValue(pixel) ?? preset?.Microscope.PixelSizeNm ?? 42, "--pixel-size");
            int k = CliParse.Positive(parse.GetValue(zCount), "--z-count");
            double step = parse.GetValue(zStep);
            if (k > 1) CliParse.Positive(step, "--z-step");
            var psf = Psf.Create(optics);
            var stack = Psf.RenderStack(psf, n, p, parse.GetValue(zStart), k > 1 ? step : 1, k);
            string path = parse.GetValue(output)!;
            TiffWriter.Write(path, stack);
            Console.WriteLine($"Wrote {path}: {optics.Model} PSF, {n}x{n} pixels of {p} nm, {k} slice(s) from {parse.GetValue(zStart)} nm in steps of {step} nm.");
            return ExitCodes.Success;
        }, token)));
        return command;
    }
}
