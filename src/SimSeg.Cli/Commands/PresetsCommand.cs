using System.CommandLine;
using SimSeg.Simulation.Presets;

namespace SimSeg.Cli.Commands;

/// <summary><c>simseg presets</c>: lists the shipped presets or prints one as JSON.</summary>
internal static class PresetsCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("NAME") { Description = "Print this preset's JSON (redirect it to a file to make your own).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("presets",
            "List the shipped presets, or print one as JSON to start a custom preset from.\n\n" +
            "Examples:\n  simseg presets\n  simseg presets conf1-mito > my-confocal.json   (edit, then: simseg simulate --preset my-confocal.json ...)")
        { name };
        command.SetAction((parse, token) => Task.FromResult(CommandRunner.Run(_ =>
        {
            string? n = parse.GetValue(name);
            if (n is not null)
            {
                Console.WriteLine(PresetCatalog.ToJson(PresetCatalog.Load(n)));
                return ExitCodes.Success;
            }
            foreach (string preset in PresetCatalog.Names)
            {
                var p = PresetCatalog.Load(preset);
                Console.WriteLine($"{preset,-16} {p.Description}");
            }
            return ExitCodes.Success;
        }, token)));
        return command;
    }
}
