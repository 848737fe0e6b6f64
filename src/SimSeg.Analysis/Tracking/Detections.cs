using SimSeg.Core.Imaging;
using SimSeg.Analysis.Labels;

namespace SimSeg.Analysis.Tracking;

/// <summary>Builds per-frame <see cref="Detection"/> lists from label images or binary masks.</summary>
public static class Detections
{
    /// <summary>The class given to detections when no classifier is supplied.</summary>
    public const string DefaultClass = "object";

    /// <summary>
    /// One detection per label per frame: centroid, area and second-moment axes (scikit-image <c>regionprops</c>
    /// conventions: axis length = 4·sqrt(eigenvalue of the central-moment covariance)).
    /// </summary>
    /// <param name="labelFrames">One single-plane label image per frame (0 = background), all the same size. Empty
    /// frames are allowed.</param>
    /// <param name="classify">Optional class of each detection (e.g. from its area and axes, or from a class image);
    /// <see cref="DefaultClass"/> when null.</param>
    /// <returns>Per frame, the detections in increasing label order.</returns>
    /// <exception cref="ArgumentException">The sequence is empty, a frame is null, has several planes or differs in size.</exception>
    public static IReadOnlyList<IReadOnlyList<Detection>> FromLabels(IReadOnlyList<Image<int>> labelFrames, Func<Detection, string>? classify = null)
    {
        CheckFrames(labelFrames, nameof(labelFrames));
        var result = new IReadOnlyList<Detection>[labelFrames.Count];
        for (int t = 0; t < labelFrames.Count; t++) result[t] = Measure(labelFrames[t].Data, labelFrames[t].Width, t, classify);
        return result;
    }

    /// <summary>Same as <see cref="FromLabels(IReadOnlyList{Image{int}}, Func{Detection, string}?)"/> for a multi-page
    /// label image whose planes are the frames.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="labelStack"/> is null.</exception>
    public static IReadOnlyList<IReadOnlyList<Detection>> FromLabels(Image<int> labelStack, Func<Detection, string>? classify = null)
    {
        ArgumentNullException.ThrowIfNull(labelStack);
        return FromLabels(SplitPlanes(labelStack), classify);
    }

    /// <summary>Labels each binary mask (non-zero = foreground) with 8-connectivity, then measures as
    /// <see cref="FromLabels(IReadOnlyList{Image{int}}, Func{Detection, string}?)"/>.</summary>
    /// <param name="maskFrames">One single-plane mask per frame, all the same size.</param>
    /// <param name="classify">Optional class of each detection.</param>
    /// <returns>The label images made (needed for events and scoring) and the detections.</returns>
    /// <exception cref="ArgumentException">The sequence is empty, a frame is null, has several planes or differs in size.</exception>
    public static (IReadOnlyList<Image<int>> Labels, IReadOnlyList<IReadOnlyList<Detection>> Detections) FromMasks(
        IReadOnlyList<Image<byte>> maskFrames, Func<Detection, string>? classify = null)
    {
        CheckFrames(maskFrames, nameof(maskFrames));
        var labels = new Image<int>[maskFrames.Count];
        for (int t = 0; t < labels.Length; t++) labels[t] = Labels.Measure.Label(maskFrames[t], Connectivity2D.Eight).Labels;
        return (labels, FromLabels(labels, classify));
    }

    /// <summary>
    /// Labels each class of each class map on its own (8-connectivity; 1 mitochondrion, 2 vesicle, as
    /// <c>simulate-movie</c>'s classes.tif or a mitochondria + vesicles model's class map), so that a vesicle touching a
    /// mitochondrion stays a separate object, then measures as <see cref="FromLabels(IReadOnlyList{Image{int}}, Func{Detection, string}?)"/>
    /// with each detection's class from its map ("mitochondrion", "vesicle", "class K" for other values).
    /// </summary>
    /// <param name="classFrames">One single-plane class map per frame (0 = background), all the same size.</param>
    /// <returns>The label images made (labels of class 1 first, then class 2, …) and the detections.</returns>
    /// <exception cref="ArgumentException">The sequence is empty, a frame is null, has several planes or differs in size.</exception>
    public static (IReadOnlyList<Image<int>> Labels, IReadOnlyList<IReadOnlyList<Detection>> Detections) FromClassMaps(IReadOnlyList<Image<byte>> classFrames)
    {
        CheckFrames(classFrames, nameof(classFrames));
        var labels = new Image<int>[classFrames.Count];
        var classOfLabel = new Dictionary<int, string>[classFrames.Count];
        for (int t = 0; t < labels.Length; t++)
        {
            var frame = classFrames[t];
            var result = new Image<int>(frame.Width, frame.Height, 1, frame.Calibration);
            var names = new Dictionary<int, string>();
            var single = new Image<byte>(frame.Width, frame.Height);
            int offset = 0;
            foreach (byte k in frame.Data.Where(v => v != 0).Distinct().Order())
            {
                for (int i = 0; i < single.Data.Length; i++) single.Data[i] = frame.Data[i] == k ? (byte)1 : (byte)0;
                var (classLabels, count) = Labels.Measure.Label(single, Connectivity2D.Eight);
                for (int i = 0; i < classLabels.Data.Length; i++)
                    if (classLabels.Data[i] != 0) result.Data[i] = classLabels.Data[i] + offset;
                string name = ClassName(k);
                for (int l = 1; l <= count; l++) names[offset + l] = name;
                offset += count;
            }
            labels[t] = result;
            classOfLabel[t] = names;
        }
        return (labels, FromLabels(labels, d => classOfLabel[d.Frame][d.Label]));
    }

    /// <summary>
    /// Drops detections smaller than <paramref name="minArea"/> pixels and clears their labels, so a one-pixel fragment
    /// that noise splits off an object neither starts a track nor takes one. Returns new label images (the input is
    /// left as it is) and the kept detections.
    /// </summary>
    /// <exception cref="ArgumentException">The frame counts differ, or <paramref name="minArea"/> is negative.</exception>
    public static (IReadOnlyList<Image<int>> Labels, IReadOnlyList<IReadOnlyList<Detection>> Detections) RemoveSmall(
        IReadOnlyList<Image<int>> labels, IReadOnlyList<IReadOnlyList<Detection>> detections, int minArea)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentOutOfRangeException.ThrowIfNegative(minArea);
        if (labels.Count != detections.Count)
            throw new ArgumentException($"labels has {labels.Count} frames but detections has {detections.Count}.", nameof(detections));
        var keptLabels = new Image<int>[labels.Count];
        var keptDetections = new IReadOnlyList<Detection>[labels.Count];
        for (int t = 0; t < labels.Count; t++)
        {
            var small = detections[t].Where(d => d.Area < minArea).Select(d => d.Label).ToHashSet();
            var copy = new Image<int>(labels[t].Width, labels[t].Height, 1, labels[t].Calibration);
            var source = labels[t].Data;
            for (int i = 0; i < source.Length; i++) copy.Data[i] = small.Contains(source[i]) ? 0 : source[i];
            keptLabels[t] = copy;
            keptDetections[t] = detections[t].Where(d => d.Area >= minArea).ToArray();
        }
        return (keptLabels, keptDetections);
    }

    /// <summary>The name of a class-map value: 1 mitochondrion, 2 vesicle (the simulator's classes), else "class K".</summary>
    public static string ClassName(int value) => value switch
    {
        1 => "mitochondrion",
        2 => "vesicle",
        _ => $"class {value}",
    };

    /// <summary>The planes of a stack as separate single-plane images (copies).</summary>
    public static IReadOnlyList<Image<T>> SplitPlanes<T>(Image<T> stack) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(stack);
        var frames = new Image<T>[stack.Depth];
        for (int z = 0; z < stack.Depth; z++) frames[z] = stack.ClonePlane(z);
        return frames;
    }

    /// <summary>Rejects an empty sequence, null frames, stacks and frames of different sizes.</summary>
    internal static void CheckFrames<T>(IReadOnlyList<Image<T>> frames, string name) where T : unmanaged
    {
        if (frames is null) throw new ArgumentNullException(name);
        if (frames.Count == 0) throw new ArgumentException($"{name} is empty; at least one frame is needed.", name);
        Image<T>? first = frames[0] ?? throw new ArgumentException($"{name}[0] is null.", name);
        for (int t = 0; t < frames.Count; t++)
        {
            Image<T>? f = frames[t] ?? throw new ArgumentException($"{name}[{t}] is null.", name);
            if (f.Depth != 1)
                throw new ArgumentException($"{name}[{t}] has {f.Depth} planes; each frame must be a single plane (split a stack with SplitPlanes).", name);
            if (f.Width != first.Width || f.Height != first.Height)
                throw new ArgumentException($"{name}[{t}] is {f.Width}x{f.Height} but {name}[0] is {first.Width}x{first.Height}; all frames must have the same size.", name);
        }
    }

    private static Detection[] Measure(int[] labels, int width, int frame, Func<Detection, string>? classify)
    {
        // Raw moments per label, accumulated in one pass; labels are usually dense 1..N.
        var index = new Dictionary<int, int>();
        var sums = new List<Moments>();
        int lastLabel = 0, k = -1;
        for (int i = 0; i < labels.Length; i++)
        {
            int l = labels[i];
            if (l == 0) continue;
            if (l != lastLabel && !index.TryGetValue(l, out k))
            {
                k = sums.Count;
                index.Add(l, k);
                sums.Add(new Moments { Label = l });
            }
            lastLabel = l; // k now indexes lastLabel; a run of equal labels skips the lookup
            int x = i % width, y = i / width;
            Moments s = sums[k];
            s.N++;
            s.Sx += x;
            s.Sy += y;
            s.Sxx += (double)x * x;
            s.Syy += (double)y * y;
            s.Sxy += (double)x * y;
            sums[k] = s;
        }
        var result = new Detection[sums.Count];
        for (int r = 0; r < sums.Count; r++)
        {
            Moments s = sums[r];
            double cx = s.Sx / s.N, cy = s.Sy / s.N;
            (double major, double minor) = Axes(s.Sxx / s.N - cx * cx, s.Syy / s.N - cy * cy, s.Sxy / s.N - cx * cy);
            var d = new Detection(frame, s.Label, cx, cy, s.N, DefaultClass, major, minor);
            if (classify is not null) d = d with { Class = classify(d) ?? DefaultClass };
            result[r] = d;
        }
        Array.Sort(result, (p, q) => p.Label.CompareTo(q.Label));
        return result;
    }

    /// <summary>Major and minor axis lengths (4·sqrt of the eigenvalues) of a 2×2 covariance [[a, c], [c, b]].</summary>
    internal static (double Major, double Minor) Axes(double a, double b, double c)
    {
        double mean = (a + b) / 2;
        double root = Math.Sqrt(Math.Max(0, (a - b) * (a - b) / 4 + c * c));
        return (4 * Math.Sqrt(Math.Max(0, mean + root)), 4 * Math.Sqrt(Math.Max(0, mean - root)));
    }

    private struct Moments
    {
        public int Label;
        public int N;
        public double Sx, Sy, Sxx, Syy, Sxy;
    }
}
