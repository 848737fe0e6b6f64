using SimSeg.Core.Randomness;
using SimSeg.Neural.Models;

namespace SimSeg.Segmentation.Models;

/// <summary>
/// The shape of a segmentation network, as stored in config.json: the architecture name and its hyper-parameters.
/// Architectures read the fields they need (the plain U-Net: all of them; encoder U-Nets take their depth and
/// widths from the encoder and may ignore some).
/// </summary>
public sealed record ModelArchitecture
{
    /// <summary>Architecture name, one of <see cref="ModelFactory.Names"/> (default "unet").</summary>
    public string Name { get; init; } = "unet";

    /// <summary>Input channels: planes per image (1 for single images; z slices for stacks).</summary>
    public int InChannels { get; init; } = 1;

    /// <summary>Logit channels: 1 for a binary model (a sigmoid foreground probability), K for a K-class model (softmax over K classes).</summary>
    public int OutChannels { get; init; } = 1;

    /// <summary>Channels of the first stage (default 16; the plain U-Net doubles them at every down-sampling).</summary>
    public int BaseChannels { get; init; } = 16;

    /// <summary>Down-sampling steps (default 4; input sides must be multiples of 2^depth).</summary>
    public int Depth { get; init; } = 4;
}

/// <summary>
/// Builds the networks <c>train</c> and <c>segment</c> know from a <see cref="ModelArchitecture"/>. Each architecture
/// is one entry of a small table (name, what it is, the name prefix of its encoder parameters, a constructor), so
/// adding one (e.g. an encoder U-Net) is one line here.
/// </summary>
public static class ModelFactory
{
    private sealed record Entry(string Name, string Description, string EncoderPrefix, Func<ModelArchitecture, Rng, ISegmentationModel> Create);

    private static readonly Entry[] Entries =
    [
        new("unet", "plain U-Net (Ronneberger et al. 2015): --channels c doubling per stage, --depth down-samplings", "enc.",
            (a, rng) => new UNet(a.InChannels, a.OutChannels, a.BaseChannels, a.Depth, rng)),
        .. EncoderUNet.Architectures.Select(name => new Entry(name,
            $"U-Net on a {name["unet-".Length..]} encoder (segmentation_models_pytorch layout, 5 down-samplings); decoder widths 16c, 8c, 4c, 2c, c with --channels c (16 = smp's 256…16)",
            EncoderUNet.EncoderPrefix,
            (a, rng) => EncoderUNet.Create(name, a.InChannels, a.OutChannels, rng, DecoderChannels(a.BaseChannels)))),
    ];

    private static int[] DecoderChannels(int c) => [16 * c, 8 * c, 4 * c, 2 * c, c];

    /// <summary>The architecture names, in the order listed in help texts.</summary>
    public static IReadOnlyList<string> Names { get; } = Entries.Select(e => e.Name).ToArray();

    /// <summary>One line per architecture: "name: description".</summary>
    public static string Describe() => string.Join("\n", Entries.Select(e => $"{e.Name}: {e.Description}"));

    /// <summary>A network of <paramref name="architecture"/> with initial weights drawn from <paramref name="rng"/>.</summary>
    /// <exception cref="ArgumentException">The name is unknown or a hyper-parameter is out of range; the message lists what is accepted.</exception>
    public static ISegmentationModel Create(ModelArchitecture architecture, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Validate(architecture);
        return Find(architecture.Name).Create(architecture, rng);
    }

    /// <summary>
    /// The name prefix of the encoder's parameters ("enc." for the plain U-Net), which <c>--freeze-encoder</c> keeps
    /// fixed when fine-tuning (PhySeg's transfer learning).
    /// </summary>
    public static string EncoderPrefix(string name) => Find(name).EncoderPrefix;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first unknown name or out-of-range hyper-parameter.</summary>
    public static void Validate(ModelArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        Find(architecture.Name);
        if (architecture.InChannels is < 1 or > 64) throw new ArgumentException($"input channels must be 1-64, got {architecture.InChannels}.", nameof(architecture));
        if (architecture.OutChannels is < 1 or > 255) throw new ArgumentException($"output channels must be 1 (binary, sigmoid) or 2-255 (classes, softmax), got {architecture.OutChannels}.", nameof(architecture));
        if (architecture.BaseChannels is < 1 or > 256) throw new ArgumentException($"--channels must be 1-256, got {architecture.BaseChannels}.", nameof(architecture));
        if (architecture.Depth is < 1 or > 8) throw new ArgumentException($"--depth must be 1-8, got {architecture.Depth}.", nameof(architecture));
    }

    private static Entry Find(string? name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"--arch must be one of {string.Join(", ", Names)}; got '{name}'.", nameof(name));
}
