using System.CommandLine;
using SimSeg.Simulation.Dataset;

namespace SimSeg.Cli.Commands;

/// <summary><c>simseg merge-manifest</c>: joins the manifests of a sharded simulation.</summary>
internal static class MergeManifestCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("DIR") { Description = "Dataset folder holding manifest.shard-I-of-N.csv files." };
        var command = new Command("merge-manifest",
            "Join the shard manifests written by `simseg simulate --shard I/N` into manifest.csv.\n\n" +
            "Example (after a Slurm array of 8 tasks):\n  simseg merge-manifest big-dataset")
        { directory };
        command.SetAction((parse, token) => Task.FromResult(CommandRunner.Run(_ =>
        {
            var (path, rows) = DatasetWriter.MergeManifests(parse.GetValue(directory)!);
            Console.WriteLine($"Wrote {path} ({rows} samples).");
            return ExitCodes.Success;
        }, token)));
        return command;
    }
}
