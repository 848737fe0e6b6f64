using System.CommandLine;
using SimSeg.Cli.Commands;

namespace SimSeg.Cli;

/// <summary>Entry point of the simseg tool: builds the command tree and runs it.</summary>
public static class Program
{
    /// <summary>Runs simseg with <paramref name="args"/>; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static int Main(string[] args) => BuildRoot().Parse(args).Invoke();

    /// <summary>The root command with every sub-command.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "SimSeg: physics-based simulation of fluorescence microscopy of mitochondria and vesicles, with ground " +
            "truth computed from the emitters (Sekh et al., Nat. Mach. Intell. 2021).\n\n" +
            "Start with:  simseg simulate --preset epi1-mito --count 64 --out demo-data\n" +
            "List presets: simseg presets");
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(MergeManifestCommand.Create());
        root.Subcommands.Add(PsfCommand.Create());
        root.Subcommands.Add(RenderCommand.Create());
        root.Subcommands.Add(PresetsCommand.Create());
        return root;
    }
}
