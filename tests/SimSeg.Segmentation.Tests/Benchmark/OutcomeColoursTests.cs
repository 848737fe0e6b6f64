using SimSeg.Segmentation.Benchmark;

namespace SimSeg.Segmentation.Tests.Benchmark;

public class OutcomeColoursTests
{
    [Fact]
    public void Paint_ThreeByThreeHandCase_ColourPerOutcome()
    {
        // Row-major 3x3: truth is the left column and the centre; the prediction the top row and the centre.
        byte[] truth = [1, 0, 0, 1, 1, 0, 1, 0, 0];
        byte[] predicted = [1, 1, 1, 0, 1, 0, 0, 0, 0];
        byte[] white = [255, 255, 255], magenta = [255, 0, 255], green = [0, 200, 0], black = [0, 0, 0];
        byte[][] expected =
        [
            white, magenta, magenta,
            green, white, black,
            green, black, black,
        ];
        var rgb = OutcomeColours.Paint(predicted, truth);
        Assert.Equal(expected.SelectMany(c => c).ToArray(), rgb);
    }

    [Fact]
    public void Paint_NonZeroIsForeground()
    {
        Assert.Equal(OutcomeColours.TruePositive.ToArray(), OutcomeColours.Paint([255], [7]));
    }

    [Fact]
    public void Paint_LengthsDisagree_Throws()
    {
        Assert.Throws<ArgumentException>(() => OutcomeColours.Paint([1, 0], [1]));
        Assert.Throws<ArgumentException>(() => OutcomeColours.Paint([1], [1], new byte[2]));
    }
}
