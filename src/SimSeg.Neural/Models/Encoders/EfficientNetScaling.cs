namespace SimSeg.Neural.Models.Encoders;

/// <summary>One stage of EfficientNet-B0's table (Tan &amp; Le 2019, Table 1): MBConv blocks of one kind.</summary>
/// <param name="Repeats">Number of blocks.</param>
/// <param name="KernelSize">Depthwise kernel size.</param>
/// <param name="Stride">Stride of the first block (the others have stride 1).</param>
/// <param name="ExpandRatio">Expansion ratio of the hidden channels.</param>
/// <param name="InChannels">Input channels of the first block.</param>
/// <param name="OutChannels">Output channels of every block.</param>
public readonly record struct MBConvStage(int Repeats, int KernelSize, int Stride, int ExpandRatio, int InChannels, int OutChannels);

/// <summary>
/// EfficientNet's compound scaling (Tan &amp; Le, ICML 2019) as efficientnet-pytorch computes it: channels scaled by
/// the width coefficient and rounded to a multiple of 8 (never more than 10 % down), block counts scaled by the depth
/// coefficient and rounded up. B0–B3 (width, depth) = (1.0, 1.0), (1.0, 1.1), (1.1, 1.2), (1.2, 1.4); the input
/// resolution coefficient is not used (a U-Net takes any size divisible by 32).
/// </summary>
public static class EfficientNetScaling
{
    /// <summary>The B0 stages: MBConv1 k3 16, MBConv6 k3 24, k5 40, k3 80, k5 112, k5 192, k3 320 after a 32-channel stem.</summary>
    public static IReadOnlyList<MBConvStage> BaseStages { get; } =
    [
        new(1, 3, 1, 1, 32, 16),
        new(2, 3, 2, 6, 16, 24),
        new(2, 5, 2, 6, 24, 40),
        new(3, 3, 2, 6, 40, 80),
        new(3, 5, 1, 6, 80, 112),
        new(4, 5, 2, 6, 112, 192),
        new(1, 3, 1, 6, 192, 320),
    ];

    /// <summary>Stem channels of B0.</summary>
    public const int BaseStemChannels = 32;

    /// <summary>(width, depth) coefficients of B<paramref name="variant"/>, 0 ≤ variant ≤ 3.</summary>
    /// <exception cref="ArgumentOutOfRangeException">variant outside 0..3.</exception>
    public static (double Width, double Depth) Coefficients(int variant) => variant switch
    {
        0 => (1.0, 1.0),
        1 => (1.0, 1.1),
        2 => (1.1, 1.2),
        3 => (1.2, 1.4),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "EfficientNet variants B0 to B3 are supported."),
    };

    /// <summary>
    /// Channels scaled by <paramref name="width"/>: max(8, ⌊c·w + 4⌋ rounded down to a multiple of 8), plus 8 when that
    /// is below 90 % of c·w (efficientnet-pytorch's round_filters with divisor 8).
    /// </summary>
    public static int RoundFilters(int channels, double width)
    {
        const int divisor = 8;
        double scaled = channels * width;
        int rounded = Math.Max(divisor, (int)(scaled + divisor / 2.0) / divisor * divisor);
        if (rounded < 0.9 * scaled) rounded += divisor;
        return rounded;
    }

    /// <summary>Blocks scaled by <paramref name="depth"/>: ⌈r·d⌉ (round_repeats).</summary>
    public static int RoundRepeats(int repeats, double depth) => (int)Math.Ceiling(depth * repeats);

    /// <summary>The stages of B<paramref name="variant"/>, channels and repeats scaled.</summary>
    public static IReadOnlyList<MBConvStage> Stages(int variant)
    {
        var (w, d) = Coefficients(variant);
        return BaseStages.Select(s => s with
        {
            Repeats = RoundRepeats(s.Repeats, d),
            InChannels = RoundFilters(s.InChannels, w),
            OutChannels = RoundFilters(s.OutChannels, w),
        }).ToArray();
    }
}
