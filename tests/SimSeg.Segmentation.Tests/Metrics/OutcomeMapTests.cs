using SimSeg.Analysis.Reports;
using SimSeg.Core.Imaging;
using SimSeg.Segmentation.Metrics;

namespace SimSeg.Segmentation.Tests.Metrics;

public class OutcomeMapTests
{
    // Row-major 3x3: truth is the left column and the centre; the prediction the top row and the centre.
    private static readonly byte[] Truth = [1, 0, 0, 1, 1, 0, 1, 0, 0];
    private static readonly byte[] Predicted = [1, 1, 1, 0, 1, 0, 0, 0, 0];

    private const byte TP = (byte)PixelOutcome.TruePositive, FP = (byte)PixelOutcome.FalsePositive, FN = (byte)PixelOutcome.FalseNegative, TN = (byte)PixelOutcome.TrueNegative;

    [Fact]
    public void Of_ThreeByThreeHandCase_OutcomePerPixel()
    {
        byte[] expected =
        [
            TP, FP, FP,
            FN, TP, TN,
            FN, TN, TN,
        ];
        Assert.Equal(expected, OutcomeMap.Of(Predicted, Truth));
        Assert.Equal(expected, OutcomeMap.Of(new Image<byte>(3, 3, 1, Predicted), new Image<byte>(3, 3, 1, Truth)));
    }

    [Fact]
    public void Palette_ThreeByThreeHandCase_OkabeItoColourPerOutcome()
    {
        // Painted solid over black, as the benchmark gallery shows a mask: true negatives stay black.
        byte[] blue = [0, 114, 178], orange = [230, 159, 0], purple = [204, 121, 167], black = [0, 0, 0];
        byte[][] expected =
        [
            blue, orange, orange,
            purple, blue, black,
            purple, black, black,
        ];
        var rgb = ReportImages.Paint(new byte[9], OutcomeMap.Of(Predicted, Truth), OutcomeMap.Palette, alpha: 1);
        Assert.Equal(expected.SelectMany(c => c).ToArray(), rgb);
    }

    [Fact]
    public void Of_NonZeroIsForeground()
    {
        Assert.Equal([TP], OutcomeMap.Of([255], [7]));
    }

    [Fact]
    public void Of_SizesDisagree_Throws()
    {
        Assert.Throws<ArgumentException>(() => OutcomeMap.Of([1, 0], [1]));
        Assert.Throws<ArgumentException>(() => OutcomeMap.Of(new Image<byte>(2, 1), new Image<byte>(1, 2)));
    }

    [Fact]
    public void Legend_LabelAndColourPerOutcome()
    {
        Assert.Equal(OutcomeMap.Labels, OutcomeMap.Legend.Select(e => e.Label));
        Assert.Equal(OutcomeMap.Palette, OutcomeMap.Legend.Select(e => e.Rgb));
    }
}
