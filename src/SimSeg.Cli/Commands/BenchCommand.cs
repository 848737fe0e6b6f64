using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using SimSeg.Core.Randomness;
using SimSeg.Neural;
using SimSeg.Neural.Losses;
using SimSeg.Neural.Models;
using SimSeg.Neural.Optimizers;

namespace SimSeg.Cli.Commands;

/// <summary><c>simseg bench unet</c>: times the plain U-Net like the reference PyTorch script, for side-by-side runs.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Speed measurements that compare with reference implementations.");
        command.Subcommands.Add(Unet());
        return command;
    }

    private static Command Unet()
    {
        var channels = new Option<int>("--channels") { Description = "Channels of the first stage, c.", DefaultValueFactory = _ => 16 };
        var depth = new Option<int>("--depth") { Description = "Down-sampling steps.", DefaultValueFactory = _ => 4 };
        var batch = new Option<int>("--batch") { Description = "Training batch size.", DefaultValueFactory = _ => 8 };
        var trainSize = new Option<int>("--train-size") { Description = "Side of the training images, pixels.", DefaultValueFactory = _ => 256 };
        var inferSize = new Option<int>("--infer-size") { Description = "Side of the inference image, pixels.", DefaultValueFactory = _ => 1024 };
        var repeats = new Option<int>("--repeats") { Description = "Timed repeats (the median is reported) after one warm-up.", DefaultValueFactory = _ => 5 };
        var command = new Command("unet",
            "Time a training step (forward, BCE-with-logits, backward, Adam) and an inference of the plain U-Net of\n" +
            "torch_unet_bench.py, with the same layers, and print one JSON line with the same keys (train_step_s,\n" +
            "train_images_per_s, infer_s, params), so both engines can be run side by side.\n\n" +
            "Example:\n  simseg bench unet --channels 16 --depth 4 --batch 8 --train-size 256 --infer-size 1024")
        {
            channels, depth, batch, trainSize, inferSize, repeats,
        };
        command.SetAction((parse, token) => Task.FromResult(CommandRunner.Run(_ =>
        {
            int c = CliParse.Positive(parse.GetValue(channels), "--channels"), d = CliParse.Positive(parse.GetValue(depth), "--depth");
            int b = CliParse.Positive(parse.GetValue(batch), "--batch"), train = CliParse.Positive(parse.GetValue(trainSize), "--train-size");
            int infer = CliParse.Positive(parse.GetValue(inferSize), "--infer-size"), r = CliParse.Positive(parse.GetValue(repeats), "--repeats");
            if (train % (1 << d) != 0 || infer % (1 << d) != 0)
                throw new CliArgumentException($"--train-size and --infer-size must be divisible by 2^depth = {1 << d}, got {train} and {infer}.");
            var rng = new Rng(0);
            var net = new UNet(1, 1, c, d, rng);
            var adam = new Adam(net.Parameters, new AdamOptions(LearningRate: 1e-3));
            var x = new Tensor(b, 1, train, train);
            var y = new Tensor(b, 1, train, train);
            for (int i = 0; i < x.Length; i++) { x.Data[i] = (float)rng.NextGaussian(); y.Data[i] = rng.NextDouble() > 0.8 ? 1 : 0; }
            var gradient = new Tensor(x.Shape);
            double trainStep = Median(r, () =>
            {
                adam.ZeroGrad();
                BceWithLogits.Compute(net.Forward(x, training: true), y, gradient);
                net.Backward(gradient);
                adam.Step();
            });
            var xi = new Tensor(1, 1, infer, infer);
            for (int i = 0; i < xi.Length; i++) xi.Data[i] = (float)rng.NextGaussian();
            double inferTime = Median(r, () => net.Forward(xi, training: false));
            var line = new Dictionary<string, object>
            {
                ["engine"] = $"simseg {typeof(UNet).Assembly.GetName().Version}",
                ["threads"] = Environment.ProcessorCount,
                ["params"] = net.TrainableCount,
                ["train_step_s"] = Math.Round(trainStep, 4),
                ["train_images_per_s"] = Math.Round(b / trainStep, 2),
                ["infer_s"] = Math.Round(inferTime, 4),
                ["infer_size"] = infer,
                ["peak_working_set_mb"] = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
            };
            Console.WriteLine(JsonSerializer.Serialize(line));
            return ExitCodes.Success;
        }, token)));
        return command;
    }

    private static double Median(int repeats, Action action)
    {
        action(); // warm-up: buffers, JIT
        var times = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            times[i] = clock.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return repeats % 2 == 1 ? times[repeats / 2] : 0.5 * (times[repeats / 2 - 1] + times[repeats / 2]);
    }
}
