using SimSeg.Core.Randomness;
using SimSeg.Neural.Losses;
using SimSeg.Neural.Models;
using SimSeg.Neural.Optimizers;

namespace SimSeg.Neural.Tests;

public class UNetTests
{
    [Fact]
    public void Constructor_ReferenceConfiguration_HasThePyTorchParameterCount()
    {
        // torch_unet_bench.py: "With c=16: 1,942,289 parameters" (depth 4, one input channel, one logit).
        var net = new UNet(1, 1, 16, 4, new Rng(1));
        Assert.Equal(1_942_289, net.TrainableCount);
        var names = net.NamedParameters().Select(p => p.Name).ToArray();
        Assert.Contains("enc.0.0.weight", names);
        Assert.Contains("enc.4.4.running_var", names);
        Assert.Contains("up.3.bias", names);
        Assert.Contains("dec.0.3.weight", names);
        Assert.Contains("head.weight", names);
        Assert.Equal(names.Length, names.Distinct().Count());
    }

    [Fact]
    public void ConvBlock_Eval_EqualsTheUnfusedLayerChain()
    {
        // The block fuses batch norm and ReLU and runs them in place in evaluation; the result must be that of
        // nn.Sequential(Conv2d, BatchNorm2d, ReLU, Conv2d, BatchNorm2d, ReLU) with the same weights.
        var block = new ConvBlock(3, 4, new Rng(8));
        var named = block.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        var random = new Random(9);
        foreach (var (name, p) in named)
            if (name.Contains("running") || name.EndsWith(".bias") || name.StartsWith("1.weight") || name.StartsWith("4.weight"))
                for (int i = 0; i < p.Value.Length; i++) p.Value.Data[i] = name.Contains("var") ? 0.5f + (float)random.NextDouble() : (float)random.NextDouble() - 0.3f;
        var conv1 = new Layers.Conv2d(3, 4, 3, new Rng(1), padding: 1, bias: false);
        var conv2 = new Layers.Conv2d(4, 4, 3, new Rng(1), padding: 1, bias: false);
        var bn1 = new Layers.BatchNorm2d(4);
        var bn2 = new Layers.BatchNorm2d(4);
        foreach (var (prefix, layer) in new (string, ILayer)[] { ("0.", conv1), ("1.", bn1), ("3.", conv2), ("4.", bn2) })
            foreach (var p in layer.Parameters) named[prefix + p.Name].Value.Data.CopyTo(p.Value.Data, 0);
        var x = GradientCheck.Random(random, 2, 3, 9, 7);
        var relu = new Layers.ReLU();
        float[] expected = relu.Forward(bn2.Forward(conv2.Forward(relu.Forward(bn1.Forward(conv1.Forward(x, false), false), false).Clone(), false), false), false).Data;
        float[] actual = block.Forward(x, training: false).Data;
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 5);
    }

    [Fact]
    public void Backward_TinyNetwork_MatchesFiniteDifferences()
    {
        var rng = new Rng(5);
        var net = new UNet(1, 1, 2, 2, new Rng(6));
        var x = new Tensor(2, 1, 8, 8);
        var t = new Tensor(2, 1, 8, 8);
        for (int i = 0; i < x.Length; i++) { x.Data[i] = (float)rng.NextGaussian(); t.Data[i] = rng.NextDouble() < 0.3 ? 1 : 0; }

        double Loss() => BceWithLogits.Compute(net.Forward(x, training: true), t);
        var grad = new Tensor(2, 1, 8, 8);
        BceWithLogits.Compute(net.Forward(x, training: true), t, grad);
        var inputGradient = net.Backward(grad).Clone();

        // A small step: with larger ones the difference quotient straddles ReLU kinks (measured: 1e-3 agrees to ~1e-6).
        const float eps = 1e-3f;
        foreach (int i in new[] { 0, 17, 63, 64, 100 })
        {
            float keep = x.Data[i];
            x.Data[i] = keep + eps; double plus = Loss();
            x.Data[i] = keep - eps; double minus = Loss();
            x.Data[i] = keep;
            double numeric = (plus - minus) / (2 * eps);
            Assert.True(Math.Abs(numeric - inputGradient.Data[i]) <= 2e-2 * Math.Abs(numeric) + 2e-4, $"input {i}: numeric {numeric}, analytic {inputGradient.Data[i]}");
        }
        foreach (var (name, p) in net.NamedParameters().Where(p => p.Parameter.Trainable && (p.Name.EndsWith("0.weight", StringComparison.Ordinal) || p.Name.StartsWith("up.", StringComparison.Ordinal) || p.Name.StartsWith("head.", StringComparison.Ordinal))))
        {
            int i = p.Value.Length / 2;
            float keep = p.Value.Data[i];
            p.Value.Data[i] = keep + eps; double plus = Loss();
            p.Value.Data[i] = keep - eps; double minus = Loss();
            p.Value.Data[i] = keep;
            double numeric = (plus - minus) / (2 * eps);
            Assert.True(Math.Abs(numeric - p.Gradient.Data[i]) <= 2e-2 * Math.Abs(numeric) + 2e-4, $"{name}[{i}]: numeric {numeric}, analytic {p.Gradient.Data[i]}");
        }
    }

    [Fact]
    public void Pool_StaleBuffersAndShapeChanges_LeaveResultsBitIdentical()
    {
        // Pooled tensors come back with the previous tenant's values, and a change of shape or mode trims the pool:
        // a training step must give the same logits, input gradient and parameter gradients whatever ran before.
        var rng = new Rng(11);
        var x = GradientCheck.Random(new Random(1), 2, 1, 16, 16);
        var t = new Tensor(2, 1, 16, 16);
        for (int i = 0; i < t.Length; i++) t.Data[i] = rng.NextDouble() < 0.3 ? 1 : 0;
        (float[] Logits, float[] InputGradient, float[][] Gradients) Step(UNet net)
        {
            foreach (var p in net.Parameters) Array.Clear(p.Gradient.Data);
            var logits = net.Forward(x, training: true).Data.ToArray();
            var g = new Tensor(2, 1, 16, 16);
            BceWithLogits.Compute(net.Forward(x, training: true), t, g);
            var dx = net.Backward(g).Data.ToArray();
            return (logits, dx, net.Parameters.Select(p => p.Gradient.Data.ToArray()).ToArray());
        }
        var fresh = Step(new UNet(1, 1, 4, 2, new Rng(3)));
        var busy = new UNet(1, 1, 4, 2, new Rng(3));
        busy.Forward(GradientCheck.Random(new Random(2), 1, 1, 32, 24), training: false);
        Step(busy);
        busy.Forward(GradientCheck.Random(new Random(3), 3, 1, 8, 8), training: false);
        // The running statistics moved with the extra training passes; they do not enter a training step.
        var again = Step(busy);
        Assert.Equal(fresh.Logits, again.Logits);
        Assert.Equal(fresh.InputGradient, again.InputGradient);
        for (int i = 0; i < fresh.Gradients.Length; i++)
            if (busy.Parameters[i].Trainable) Assert.Equal(fresh.Gradients[i], again.Gradients[i]);
    }

    [Fact]
    public void Pool_Evaluation_HoldsFourFullResolutionMapsAtItsPeak()
    {
        // In evaluation every map goes back as soon as its last reader is done: the peak is at the last decoder
        // stage (skip + upsampled + their concatenation, then the two convolution outputs over the concatenation).
        var net = new UNet(1, 1, 4, 3, new Rng(3));
        net.Forward(GradientCheck.Random(new Random(2), 2, 1, 32, 32), training: false);
        long s = 2 * 4 * 32 * 32;
        Assert.Equal(4 * s, net.Pool.PeakRentedFloats);
        Assert.Equal(2 * 32 * 32, net.Pool.RentedFloats); // only the logits stay with the caller
    }

    [Fact]
    public void Pool_Training_PeaksAtTheActivationsPlusFourGradientMaps()
    {
        // Training keeps per stage the convolution and batch-norm outputs (4 maps), per encoder stage the pooled map
        // (1/4) and per decoder stage the concatenation (2); the backward pass adds at most 4 full-resolution
        // gradient maps at its start and gives everything back as it goes.
        var net = new UNet(1, 1, 4, 2, new Rng(3));
        var x = GradientCheck.Random(new Random(2), 2, 1, 32, 32);
        var logits = net.Forward(x, training: true);
        var g = new Tensor(logits.Shape);
        g.Data.AsSpan().Fill(1e-3f);
        net.Backward(g);
        long s0 = 2 * 4 * 32 * 32, s1 = s0 / 2, s2 = s0 / 4, logitFloats = 2 * 32 * 32;
        long upperLevel(long size) => 4 * size + size / 4 + 2 * size + 4 * size; // encoder stage, pooled map, concatenation, decoder stage
        long activations = upperLevel(s0) + upperLevel(s1) + 4 * s2 + logitFloats;
        Assert.Equal(activations + 4 * s0, net.Pool.PeakRentedFloats);
        // What is left rented: the logits, the pooled maps and the input gradient, until the next Forward.
        Assert.Equal(logitFloats + (s0 + s1) / 4 + x.Length, net.Pool.RentedFloats);
    }

    [Fact]
    public void Training_BrightBlobsInNoise_LearnsTheMask()
    {
        // A real training run at toy scale: Adam on BCE + Dice must segment blobs it has never seen.
        var rng = new Rng(8);
        var net = new UNet(1, 1, 4, 2, new Rng(9));
        var adam = new Adam(net.Parameters, new AdamOptions(LearningRate: 1e-2));
        var (x, t) = Blobs(8, 32, rng);
        var gradient = new Tensor(x.Shape);
        var diceGradient = new Tensor(x.Shape);
        double first = 0, last = 0;
        for (int step = 0; step < 60; step++)
        {
            var logits = net.Forward(x, training: true);
            double loss = BceWithLogits.Compute(logits, t, gradient) + DiceLoss.Compute(logits, t, diceGradient);
            for (int i = 0; i < gradient.Length; i++) gradient.Data[i] += diceGradient.Data[i];
            adam.ZeroGrad();
            net.Backward(gradient);
            adam.Step();
            if (step == 0) first = loss;
            last = loss;
        }
        Assert.True(last < 0.5 * first, $"loss went from {first} to {last}");

        var (testX, testT) = Blobs(4, 32, new Rng(10));
        var prediction = net.Forward(testX, training: false);
        long intersection = 0, union = 0;
        for (int i = 0; i < prediction.Length; i++)
        {
            bool p = prediction.Data[i] > 0, g = testT.Data[i] > 0.5f;
            if (p && g) intersection++;
            if (p || g) union++;
        }
        Assert.True(intersection > 0.7 * union, $"IoU on unseen blobs {intersection / (double)union:0.00}");
    }

    private static (Tensor Images, Tensor Masks) Blobs(int count, int size, Rng rng)
    {
        var x = new Tensor(count, 1, size, size);
        var t = new Tensor(count, 1, size, size);
        for (int n = 0; n < count; n++)
        {
            int blobs = rng.NextInt(1, 3);
            var centres = Enumerable.Range(0, blobs).Select(_ => (X: rng.Uniform(6, size - 6), Y: rng.Uniform(6, size - 6), R: rng.Uniform(3, 6))).ToArray();
            for (int y = 0; y < size; y++)
                for (int xx = 0; xx < size; xx++)
                {
                    bool inside = centres.Any(c => (xx - c.X) * (xx - c.X) + (y - c.Y) * (y - c.Y) <= c.R * c.R);
                    t.At(n, 0, y, xx) = inside ? 1 : 0;
                    x.At(n, 0, y, xx) = (float)((inside ? 1.0 : 0.0) + 0.35 * rng.NextGaussian());
                }
        }
        return (x, t);
    }
}
