namespace SimSeg.Analysis.Labels;

/// <summary>Convex hulls of pixel sets, by the monotone chain algorithm (A. M. Andrew, 1979).</summary>
internal static class ConvexHull
{
    /// <summary>
    /// Area in pixels² of the convex hull of the unit squares of the pixels of a 0/1 mask (row-major,
    /// <paramref name="width"/> wide): only the outer corners of each row's first and last pixel can be hull
    /// vertices, so the hull is built from at most four points per row.
    /// </summary>
    public static double AreaOfPixelSquares(byte[] mask, int width, int height)
    {
        var points = new List<(long X, long Y)>(4 * height);
        for (int y = 0; y < height; y++)
        {
            var row = mask.AsSpan(y * width, width);
            int first = row.IndexOfAnyExcept((byte)0);
            if (first < 0) continue;
            int last = row.LastIndexOfAnyExcept((byte)0);
            points.Add((first, y));
            points.Add((first, y + 1));
            points.Add((last + 1, y));
            points.Add((last + 1, y + 1));
        }
        return PolygonArea(Hull(points));
    }

    /// <summary>The convex hull, counter-clockwise in a y-up frame, collinear points dropped.</summary>
    public static List<(long X, long Y)> Hull(List<(long X, long Y)> points)
    {
        points.Sort();
        var hull = new List<(long X, long Y)>(points.Count + 1);
        for (int pass = 0; pass < 2; pass++)
        {
            int floor = hull.Count;
            for (int k = 0; k < points.Count; k++)
            {
                var p = pass == 0 ? points[k] : points[points.Count - 1 - k];
                while (hull.Count >= floor + 2 && Cross(hull[^2], hull[^1], p) <= 0) hull.RemoveAt(hull.Count - 1);
                hull.Add(p);
            }
            hull.RemoveAt(hull.Count - 1);
        }
        return hull;
    }

    private static long Cross((long X, long Y) o, (long X, long Y) a, (long X, long Y) b) =>
        (a.X - o.X) * (b.Y - o.Y) - (a.Y - o.Y) * (b.X - o.X);

    /// <summary>Shoelace area of a simple polygon.</summary>
    private static double PolygonArea(List<(long X, long Y)> polygon)
    {
        long twice = 0;
        for (int i = 0; i < polygon.Count; i++)
        {
            var a = polygon[i];
            var b = polygon[(i + 1) % polygon.Count];
            twice += a.X * b.Y - b.X * a.Y;
        }
        return Math.Abs(twice) / 2.0;
    }
}
