using System.CommandLine;
using SimSeg.Cli.Commands;

namespace SimSeg.Cli;

/// <summary>Entry point of the simseg tool: builds the command tree and runs it.</summary>
public static class Program
{
    /// <summary>Runs simseg with <paramref name="args"/>; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static int Main(string[] args)
    {
        var parse = BuildRoot().Parse(args);
        if (parse.Errors.Count == 0) return parse.Invoke();
        // One line per problem and a pointer to the help, instead of the whole help text, with the usage exit code.
        foreach (var error in parse.Errors) CommandRunner.Error(error.Message);
        string command = parse.CommandResult.Command.Name;
        Console.Error.WriteLine(command == "simseg" || parse.CommandResult.Command is RootCommand
            ? "Run 'simseg --help' for the commands."
            : $"Run 'simseg {command} --help' for its options and examples.");
        return ExitCodes.InvalidArguments;
    }

    /// <summary>The root command with every sub-command.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "SimSeg: physics-based simulation of fluorescence microscopy of mitochondria and vesicles, with ground " +
            "truth computed from the emitters (Sekh et al., Nat. Mach. Intell. 2021).\n\n" +
            "Start with:  simseg demo            (simulate, train, segment, score and report in about 10 minutes)\n" +
            "Simulate:    simseg simulate --preset epi1-mito --count 64 --out demo-data\n" +
            "List presets: simseg presets");
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(MergeManifestCommand.Create());
        root.Subcommands.Add(PsfCommand.Create());
        root.Subcommands.Add(RenderCommand.Create());
        root.Subcommands.Add(PresetsCommand.Create());
        root.Subcommands.Add(ShapesCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(SegmentCommand.Create());
        root.Subcommands.Add(SimulateMovieCommand.Create());
        root.Subcommands.Add(AnalyzeCommand.Create());
        root.Subcommands.Add(TrackCommand.Create());
        root.Subcommands.Add(BenchmarkCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }
}
