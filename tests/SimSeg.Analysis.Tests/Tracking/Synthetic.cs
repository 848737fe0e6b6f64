using SimSeg.Core.Imaging;

namespace SimSeg.Analysis.Tests.Tracking;

/// <summary>Tiny hand-made label sequences.</summary>
internal static class Synthetic
{
    public static Image<int> Frame(int width, int height, params (int Label, int X0, int Y0, int X1, int Y1)[] boxes)
    {
        var image = new Image<int>(width, height);
        foreach (var (label, x0, y0, x1, y1) in boxes)
            for (int y = y0; y <= y1; y++)
                for (int x = x0; x <= x1; x++) image[x, y] = label;
        return image;
    }

    /// <summary>A square of side 3 centred at (cx, cy).</summary>
    public static (int, int, int, int, int) Square(int label, int cx, int cy) => (label, cx - 1, cy - 1, cx + 1, cy + 1);
}
