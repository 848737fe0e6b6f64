using System.CommandLine;
using System.Globalization;
using SimSeg.Segmentation.Demo;
using SimSeg.Segmentation.Training;

namespace SimSeg.Cli.Commands;

/// <summary><c>simseg demo</c>: simulate, train, segment, score, analyse and report, from nothing, within a time budget.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out", "-o") { Description = "Folder for the results (created; a previous demo's results there are replaced).", DefaultValueFactory = _ => "simseg-demo" };
        var minutes = new Option<double>("--minutes") { Description = "Time budget of the whole run, minutes; training gets what the other stages leave.", DefaultValueFactory = _ => 10 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the training set, the cell image and the training.", DefaultValueFactory = _ => 1UL };
        var size = new Option<int>("--size") { Description = "Side of the simulated cell image, pixels (64-8192).", DefaultValueFactory = _ => 1024 };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("demo",
            "The whole pipeline from nothing, in about --minutes: simulate a training set of mitochondria and vesicles\n" +
            "(preset epi1-mixed), train a small U-Net on it, simulate a large cell image with its physics ground truth,\n" +
            "segment it with the U-Net and the Otsu, adaptive and Mitometer baselines, score them (mIoU, F1, precision,\n" +
            "recall, object F1), classify the U-Net's objects (dot, rod, network; small and large vesicles) and write\n" +
            "report.html: one self-contained page with the images, scores, training curves, plots and how it was made.\n\n" +
            "Examples:\n" +
            "  simseg demo\n" +
            "  simseg demo --out demo2 --minutes 4 --seed 7\n" +
            "  simseg demo --size 2048 --minutes 20 --threads 8")
        {
            output, minutes, seed, size, threads,
        };
        command.SetAction((parse, token) => Task.FromResult(CommandRunner.Run(ct =>
        {
            double m = parse.GetValue(minutes);
            if (!(m > 0) || !double.IsFinite(m)) throw new CliArgumentException($"--minutes must be a number of minutes > 0, got {m.ToString(CultureInfo.InvariantCulture)}.");
            int side = parse.GetValue(size);
            if (side is < 64 or > 8192) throw new CliArgumentException($"--size must be 64-8192 pixels, got {side}.");
            var options = new DemoOptions
            {
                OutputDirectory = parse.GetValue(output)!,
                Minutes = m,
                Seed = parse.GetValue(seed),
                CellSize = side,
                Threads = CliParse.Positive(parse.GetValue(threads), "--threads"),
                CommandLine = "simseg " + string.Join(' ', parse.Tokens.Select(t => Quote(t.Value))),
            };
            options.Validate();
            DemoPipeline.CheckOutput(options.OutputDirectory);
            CommandRunner.Note($"demo: budget {DemoPipeline.Clock(m * 60)}, results in {options.OutputDirectory}");
            DemoResult result;
            try
            {
                result = DemoPipeline.Run(options, p => CommandRunner.Note($"[{p.Step} {DemoPipeline.StageName(p.Stage)} {Elapsed(p.Elapsed)}] {p.Message}"), ct);
            }
            catch (TrainingDivergedException ex)
            {
                CommandRunner.Error(ex.Message);
                return ExitCodes.TrainingDiverged;
            }
            Summarize(result);
            return ExitCodes.Success;
        }, token)));
        return command;
    }

    private static string Elapsed(TimeSpan t) => $"{(int)t.TotalMinutes}:{t.Seconds:00}";

    private static string Quote(string token) => token.Length > 0 && token.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? token : "'" + token.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static void Summarize(DemoResult result)
    {
        var unet = result.UNet;
        var best = result.BestBaseline;
        Console.WriteLine($"Demo finished in {DemoPipeline.Clock(result.Seconds)} (budget {DemoPipeline.Clock(result.Options.Minutes * 60)}).");
        Console.WriteLine($"  {"method",-20} {"mIoU",6} {"F1",6} {"obj F1",6}");
        foreach (var m in result.Methods)
            Console.WriteLine($"  {m.Label,-20} {m.Score.MeanIoU,6:0.000} {m.Score.Dice,6:0.000} {m.Score.ObjectF1,6:0.000}");
        Console.WriteLine($"  U-Net mIoU {unet.Score.MeanIoU:0.000} vs best baseline ({best.Label}) {best.Score.MeanIoU:0.000}");
        Console.WriteLine($"  report: {result.ReportPath}");
        if (result.OverBudget) CommandRunner.Note($"the run took {DemoPipeline.Clock(result.Seconds)}, over its budget of {DemoPipeline.Clock(result.Options.Minutes * 60)} (a busy machine?).");
    }
}
