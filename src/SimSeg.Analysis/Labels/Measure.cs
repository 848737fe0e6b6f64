using SimSeg.Core.Imaging;

namespace SimSeg.Analysis.Labels;

/// <summary>
/// Connected-component labelling and per-object measurements of 2D images, after scikit-image's
/// <c>skimage.measure.label</c> and <c>regionprops</c>.
/// </summary>
public static partial class Measure
{
    /// <summary>
    /// Labels the connected components of a binary mask: 0 stays background, objects are numbered 1..Count in
    /// raster order of their first pixel (row by row, x fastest), as <c>skimage.measure.label</c> does.
    /// </summary>
    /// <remarks>Two-pass labelling with a union–find forest of provisional labels (Rosenfeld &amp; Pfaltz 1966, with path halving).</remarks>
    /// <param name="mask">One plane; every pixel 0 or 1, or 0 or 255.</param>
    /// <param name="connectivity">Which neighbours join pixels into one object.</param>
    /// <returns>The label image (same size and calibration) and the number of objects.</returns>
    /// <exception cref="ArgumentException">The mask has several planes or is not binary.</exception>
    public static (Image<int> Labels, int Count) Label(Image<byte> mask, Connectivity2D connectivity = Connectivity2D.Eight)
    {
        BinaryMask.Require(mask, nameof(mask));
        RequireConnectivity(connectivity);
        int w = mask.Width, h = mask.Height;
        var src = mask.Data;
        var labels = new Image<int>(w, h, 1, mask.Calibration);
        var dst = labels.Data;
        var parent = new List<int> { 0 };
        bool eight = connectivity == Connectivity2D.Eight;

        for (int y = 0; y < h; y++)
        {
            int row = y * w, up = row - w;
            for (int x = 0; x < w; x++)
            {
                if (src[row + x] == 0) continue;
                int label = 0;
                if (x > 0 && dst[row + x - 1] != 0) label = dst[row + x - 1];
                if (y > 0)
                {
                    label = Join(parent, label, dst[up + x]);
                    if (eight)
                    {
                        if (x > 0) label = Join(parent, label, dst[up + x - 1]);
                        if (x < w - 1) label = Join(parent, label, dst[up + x + 1]);
                    }
                }
                if (label == 0)
                {
                    label = parent.Count;
                    parent.Add(label);
                }
                dst[row + x] = label;
            }
        }
        return (labels, Resolve(dst, parent));
    }

    /// <summary>
    /// Renumbers an existing label image to 1..Count in raster order of each label's first pixel (0 stays
    /// background). Pixels that share a label keep sharing one, whether or not they touch.
    /// </summary>
    /// <param name="labels">One plane of labels ≥ 0.</param>
    /// <returns>A new label image and the number of distinct nonzero labels.</returns>
    /// <exception cref="ArgumentException">Several planes, or a negative label.</exception>
    public static (Image<int> Labels, int Count) Relabel(Image<int> labels)
    {
        BinaryMask.RequireLabels(labels, nameof(labels));
        var map = new Dictionary<int, int>();
        var result = new Image<int>(labels.Width, labels.Height, 1, labels.Calibration);
        var src = labels.Data;
        var dst = result.Data;
        int last = 0, lastNew = 0;
        for (int i = 0; i < src.Length; i++)
        {
            int v = src[i];
            if (v == 0) continue;
            if (v != last)
            {
                if (!map.TryGetValue(v, out lastNew))
                {
                    lastNew = map.Count + 1;
                    map.Add(v, lastNew);
                }
                last = v;
            }
            dst[i] = lastNew;
        }
        return (result, map.Count);
    }

    /// <summary>
    /// Reference twin of <see cref="Label"/>: breadth-first flood fill from each unlabelled foreground pixel in
    /// raster order. Slow, obviously correct; tests hold the two equal.
    /// </summary>
    internal static (Image<int> Labels, int Count) LabelByFloodFill(Image<byte> mask, Connectivity2D connectivity)
    {
        int w = mask.Width, h = mask.Height;
        var labels = new Image<int>(w, h, 1, mask.Calibration);
        int count = 0;
        var queue = new Queue<(int X, int Y)>();
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                if (mask[x, y] == 0 || labels[x, y] != 0) continue;
                count++;
                labels[x, y] = count;
                queue.Enqueue((x, y));
                while (queue.Count > 0)
                {
                    var (px, py) = queue.Dequeue();
                    for (int dy = -1; dy <= 1; dy++)
                        for (int dx = -1; dx <= 1; dx++)
                        {
                            if ((dx == 0 && dy == 0) || (connectivity == Connectivity2D.Four && dx != 0 && dy != 0)) continue;
                            int qx = px + dx, qy = py + dy;
                            if (qx < 0 || qy < 0 || qx >= w || qy >= h || mask[qx, qy] == 0 || labels[qx, qy] != 0) continue;
                            labels[qx, qy] = count;
                            queue.Enqueue((qx, qy));
                        }
                }
            }
        return (labels, count);
    }

    /// <summary>Merges the trees of provisional labels <paramref name="a"/> and <paramref name="b"/> (0 = none); returns one of them.</summary>
    private static int Join(List<int> parent, int a, int b)
    {
        if (b == 0) return a;
        if (a == 0) return b;
        int ra = Find(parent, a), rb = Find(parent, b);
        if (ra != rb)
        {
            if (ra < rb) parent[rb] = ra;
            else parent[ra] = rb;
        }
        return a;
    }

    private static int Find(List<int> parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /// <summary>Second pass: replaces provisional labels by final ones numbered in raster order of first pixel.</summary>
    private static int Resolve(int[] labels, List<int> parent)
    {
        var final = new int[parent.Count];
        int count = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            int p = labels[i];
            if (p == 0) continue;
            int root = Find(parent, p);
            if (final[root] == 0) final[root] = ++count;
            labels[i] = final[root];
        }
        return count;
    }

    private static void RequireConnectivity(Connectivity2D connectivity)
    {
        if (connectivity is not (Connectivity2D.Four or Connectivity2D.Eight))
            throw new ArgumentOutOfRangeException(nameof(connectivity), connectivity, $"connectivity must be Four or Eight, got {(int)connectivity}.");
    }
}
