using SimSeg.Core.Randomness;
using SimSeg.Neural.Layers;

namespace SimSeg.Neural.Models;

/// <summary>
/// Re-initialisations of convolution weights used by the reference implementations (PyTorch's torch.nn.init), applied
/// after construction; biases become zero. Fans of a weight [O, I/groups, k, k]: fan_in = I/groups·k², fan_out = O·k².
/// </summary>
internal static class WeightInit
{
    /// <summary>kaiming_normal_(mode="fan_out", nonlinearity="relu"): N(0, 2/fan_out) (torchvision ResNet and VGG).</summary>
    public static Conv2d KaimingNormalFanOut(Conv2d conv, Rng rng)
    {
        double std = Math.Sqrt(2.0 / (conv.OutChannels * conv.KernelSize * conv.KernelSize));
        Fill(conv, () => rng.NextGaussian(0, std));
        return conv;
    }

    /// <summary>kaiming_uniform_(mode="fan_in", nonlinearity="relu"): U(±√(6/fan_in)) (segmentation_models_pytorch's decoder).</summary>
    public static Conv2d KaimingUniformFanIn(Conv2d conv, Rng rng)
    {
        double bound = Math.Sqrt(6.0 / FanIn(conv));
        Fill(conv, () => rng.Uniform(-bound, bound));
        return conv;
    }

    /// <summary>xavier_uniform_: U(±√(6/(fan_in + fan_out))) (segmentation_models_pytorch's head).</summary>
    public static Conv2d XavierUniform(Conv2d conv, Rng rng)
    {
        double bound = Math.Sqrt(6.0 / (FanIn(conv) + conv.OutChannels * conv.KernelSize * conv.KernelSize));
        Fill(conv, () => rng.Uniform(-bound, bound));
        return conv;
    }

    private static int FanIn(Conv2d conv) => conv.InChannels / conv.Groups * conv.KernelSize * conv.KernelSize;

    private static void Fill(Conv2d conv, Func<double> draw)
    {
        float[] w = conv.Weight.Value.Data;
        for (int i = 0; i < w.Length; i++) w[i] = (float)draw();
        if (conv.Bias is not null) Array.Clear(conv.Bias.Value.Data);
    }
}
