using SimSeg.Core.IO;

namespace SimSeg.Core.Tests.IO;

public class DigitFontTests
{
    [Fact]
    public void Draw_One_LightsTheGlyphPixels()
    {
        const int w = 8, h = 8;
        var rgb = new byte[w * h * 3];
        DigitFont.Draw(rgb, w, h, 2, 1, 1, 1, 255, 255, 255);
        bool Lit(int x, int y) => rgb[(y * w + x) * 3] == 255;
        // Glyph "1": rows 010, 110, 010, 010, 111 at (2, 1).
        Assert.True(Lit(3, 1));
        Assert.False(Lit(2, 1));
        Assert.True(Lit(2, 2));
        Assert.True(Lit(2, 5) && Lit(3, 5) && Lit(4, 5));
        Assert.Equal(3, DigitFont.Width(7, 1));
        Assert.Equal(14, DigitFont.Width(42, 2));
    }

    [Fact]
    public void Draw_PastTheEdge_IsClipped()
    {
        var rgb = new byte[4 * 4 * 3];
        DigitFont.Draw(rgb, 4, 4, 2, 2, 88, 2, 255, 0, 0);
        Assert.Contains(rgb, v => v == 255);
    }
}
