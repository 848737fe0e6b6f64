namespace SimSeg.Analysis.Morphology;

/// <summary>
/// Which 8-neighbourhoods make a foreground pixel deletable in each of the two sub-iterations of the
/// Zhang–Suen thinning as scikit-image implements it (<c>skimage.morphology.skeletonize</c>, 2D, method
/// "zhang"): T. Y. Zhang &amp; C. Y. Suen, "A fast parallel algorithm for thinning digital patterns",
/// Commun. ACM 27(3), 1984.
/// </summary>
/// <remarks>
/// <para>
/// A neighbourhood is coded as 1·NW + 2·N + 4·NE + 8·E + 16·SE + 32·S + 64·SW + 128·W (1 = foreground), with
/// north = the row above. The two code lists below are the entries of scikit-image's published 256-entry
/// lookup table (BSD-3-Clause) that are deletable in the first (values 1 and 3) and second (values 2 and 3)
/// sub-iteration, kept as data so that skeletons here are pixel-for-pixel the same as scikit-image's.
/// </para>
/// <para>
/// The table is not the textbook Zhang–Suen test (2 ≤ B ≤ 6, A = 1, P2·P4·P6 = P4·P6·P8 = 0, …): every deletable
/// code does have 2–6 foreground neighbours forming one 8-connected group (so deletion keeps the object
/// 8-connected), but it also deletes the inner corner of 4-connected staircases (giving 8-thin lines) and never
/// deletes a pixel with three 4-neighbours unless the two diagonals beside them are set. No rule that we know of
/// reproduces it exactly, hence the lists.
/// </para>
/// </remarks>
internal static class ZhangSuenTable
{
    private static readonly int[] FirstCodes =
    [
        3, 6, 7, 10, 11, 12, 14, 15, 28, 30, 31, 40, 60, 112, 120, 124, 130, 131, 134, 135, 143, 159, 160, 161,
        193, 194, 195, 198, 199, 207, 225, 227, 231, 240, 241, 243,
    ];

    private static readonly int[] SecondCodes =
    [
        7, 10, 15, 24, 26, 28, 30, 31, 40, 56, 60, 62, 63, 96, 104, 108, 112, 120, 124, 126, 130, 135, 160, 176,
        192, 193, 195, 199, 224, 225, 240, 241, 248, 249, 252,
    ];

    /// <summary>For each code, bit 0 = deletable in the first sub-iteration, bit 1 = in the second.</summary>
    public static readonly byte[] Deletable = Build();

    private static byte[] Build()
    {
        var table = new byte[256];
        foreach (int c in FirstCodes) table[c] |= 1;
        foreach (int c in SecondCodes) table[c] |= 2;
        return table;
    }
}
