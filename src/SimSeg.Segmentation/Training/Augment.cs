namespace SimSeg.Segmentation.Training;

/// <summary>
/// Geometric verbs on row-major planes (<c>width</c> × <c>height</c>), the building blocks of <see cref="Augmenter"/>.
/// Sources and destinations must not overlap unless a method says so.
/// </summary>
public static class Augment
{
    /// <summary>Mirrors each row in place (x → width − 1 − x).</summary>
    public static void FlipHorizontal<T>(Span<T> plane, int width, int height)
    {
        Check(plane.Length, width, height, nameof(plane));
        for (int y = 0; y < height; y++) plane.Slice(y * width, width).Reverse();
    }

    /// <summary>Mirrors the rows in place (y → height − 1 − y).</summary>
    public static void FlipVertical<T>(Span<T> plane, int width, int height)
    {
        Check(plane.Length, width, height, nameof(plane));
        for (int y = 0, z = height - 1; y < z; y++, z--)
        {
            var a = plane.Slice(y * width, width);
            var b = plane.Slice(z * width, width);
            for (int x = 0; x < width; x++) (a[x], b[x]) = (b[x], a[x]);
        }
    }

    /// <summary>
    /// Rotates by 90° counter-clockwise as displayed (numpy's <c>rot90</c> with k = 1): the result is
    /// <paramref name="height"/> wide and <paramref name="width"/> high, with destination[y', x'] = source[x', width − 1 − y'].
    /// </summary>
    public static void Rotate90<T>(ReadOnlySpan<T> source, int width, int height, Span<T> destination)
    {
        Check(source.Length, width, height, nameof(source));
        Check(destination.Length, height, width, nameof(destination));
        int outWidth = height;
        for (int yo = 0; yo < width; yo++)
            for (int xo = 0; xo < outWidth; xo++)
                destination[yo * outWidth + xo] = source[xo * width + (width - 1 - yo)];
    }

    /// <summary>
    /// Rotates by <paramref name="radians"/> counter-clockwise about the plane centre into a plane of the same size:
    /// bilinear interpolation, or nearest neighbour when <paramref name="nearest"/> (for masks, which then keep their
    /// values); samples outside the plane are reflected back in (d c b | a b c d | c b a).
    /// </summary>
    public static void Rotate(ReadOnlySpan<float> source, int width, int height, double radians, Span<float> destination, bool nearest = false)
    {
        Check(source.Length, width, height, nameof(source));
        Check(destination.Length, width, height, nameof(destination));
        var map = AffineMap.Rotation(radians, width, height, 0, 0);
        if (nearest) Warp.Nearest(source, width, height, map, destination, width, height);
        else Warp.Bilinear(source, width, height, map, destination, width, height);
    }

    /// <summary>Reflects an index into [0, n) without repeating the edge sample (period 2n − 2), as scikit-image's mode "reflect".</summary>
    public static int Reflect(int i, int n)
    {
        if (n == 1) return 0;
        if ((uint)i < (uint)n) return i;
        int period = 2 * n - 2;
        i %= period;
        if (i < 0) i += period;
        return i < n ? i : period - i;
    }

    private static void Check(int length, int width, int height, string name)
    {
        Core.Guard.Positive(width);
        Core.Guard.Positive(height);
        if (length != width * height) throw new ArgumentException($"{name} has {length} values; a {width}x{height} plane needs {width * height}.", name);
    }
}

/// <summary>
/// Maps destination pixel (u, v) to source coordinates: x = M00·du + M01·dv + Cx, y = M10·du + M11·dv + Cy, where
/// (du, dv) is (u, v) relative to the destination centre.
/// </summary>
internal readonly record struct AffineMap(double M00, double M01, double M10, double M11, double Cx, double Cy, double CenterU, double CenterV)
{
    /// <summary>
    /// A destination of <paramref name="outWidth"/> × <paramref name="outHeight"/> showing the source region whose top-left
    /// corner is (<paramref name="x0"/>, <paramref name="y0"/>), rotated by <paramref name="radians"/> counter-clockwise
    /// about the region's centre.
    /// </summary>
    public static AffineMap Rotation(double radians, int outWidth, int outHeight, int x0, int y0)
    {
        double c = Math.Cos(radians), s = Math.Sin(radians);
        // Output (du, dv) shows the source at (c·du − s·dv, s·du + c·dv): with y pointing down, the picture turns
        // counter-clockwise on screen (θ = 90°: the top-right corner comes to the top left, as numpy's rot90).
        return new AffineMap(c, -s, s, c, x0 + (outWidth - 1) / 2.0, y0 + (outHeight - 1) / 2.0, (outWidth - 1) / 2.0, (outHeight - 1) / 2.0);
    }

    /// <summary>This map applied after the exact destination change <c>(du, dv) → (a·du + b·dv, c·du + d·dv)</c>.</summary>
    public AffineMap ThenDestination(int a, int b, int c, int d) =>
        this with { M00 = M00 * a + M01 * c, M01 = M00 * b + M01 * d, M10 = M10 * a + M11 * c, M11 = M10 * b + M11 * d };

}

/// <summary>Resampling of planes through an <see cref="AffineMap"/> with reflected borders.</summary>
internal static class Warp
{
    public static void Bilinear(ReadOnlySpan<float> source, int width, int height, AffineMap map, Span<float> destination, int outWidth, int outHeight)
    {
        for (int v = 0; v < outHeight; v++)
        {
            double dv = v - map.CenterV;
            for (int u = 0; u < outWidth; u++)
            {
                double du = u - map.CenterU;
                double x = map.M00 * du + map.M01 * dv + map.Cx, y = map.M10 * du + map.M11 * dv + map.Cy;
                double fx = Math.Floor(x), fy = Math.Floor(y);
                int x0 = (int)fx, y0 = (int)fy;
                float ax = (float)(x - fx), ay = (float)(y - fy);
                int xa = Augment.Reflect(x0, width), xb = Augment.Reflect(x0 + 1, width);
                int ya = Augment.Reflect(y0, height) * width, yb = Augment.Reflect(y0 + 1, height) * width;
                float top = ax == 0 ? source[ya + xa] : source[ya + xa] + ax * (source[ya + xb] - source[ya + xa]);
                float bottom = ax == 0 ? source[yb + xa] : source[yb + xa] + ax * (source[yb + xb] - source[yb + xa]);
                destination[v * outWidth + u] = ay == 0 ? top : top + ay * (bottom - top);
            }
        }
    }

    public static void Nearest(ReadOnlySpan<float> source, int width, int height, AffineMap map, Span<float> destination, int outWidth, int outHeight)
    {
        for (int v = 0; v < outHeight; v++)
            for (int u = 0; u < outWidth; u++)
                destination[v * outWidth + u] = source[NearestIndex(map, u, v, width, height)];
    }

    /// <summary>Nearest-neighbour resampling of a 0/1 byte mask into floats.</summary>
    public static void Nearest(ReadOnlySpan<byte> source, int width, int height, AffineMap map, Span<float> destination, int outWidth, int outHeight)
    {
        for (int v = 0; v < outHeight; v++)
            for (int u = 0; u < outWidth; u++)
                destination[v * outWidth + u] = source[NearestIndex(map, u, v, width, height)];
    }

    private static int NearestIndex(AffineMap map, int u, int v, int width, int height)
    {
        double du = u - map.CenterU, dv = v - map.CenterV;
        int x = (int)Math.Floor(map.M00 * du + map.M01 * dv + map.Cx + 0.5);
        int y = (int)Math.Floor(map.M10 * du + map.M11 * dv + map.Cy + 0.5);
        return Augment.Reflect(y, height) * width + Augment.Reflect(x, width);
    }
}
