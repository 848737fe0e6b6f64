using SimSeg.Segmentation.Inference;

namespace SimSeg.Segmentation.Metrics;

/// <summary>
/// Pixel counts of K-class predictions against class-map truths, pooled over any number of images: for each class k,
/// the pixels of class k in both (intersection), in the prediction and in the truth. The scores are the usual ones of
/// multi-class semantic segmentation (e.g. PASCAL VOC, Cityscapes): IoUₖ = intersection / union over the pooled
/// pixels, mIoU their mean over the K classes, background included. A class absent from every truth and every
/// prediction scores 1 (0 over 0), as <see cref="PixelCounts"/> does.
/// </summary>
public sealed class ClassPixelCounts
{
    private readonly long[] _intersection, _predicted, _truth;

    /// <summary>Empty counts for <paramref name="classes"/> classes (2–255).</summary>
    public ClassPixelCounts(int classes)
    {
        if (classes is < 2 or > 255) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be 2-255.");
        Classes = classes;
        _intersection = new long[classes];
        _predicted = new long[classes];
        _truth = new long[classes];
    }

    /// <summary>K.</summary>
    public int Classes { get; }

    /// <summary>Adds one image: predicted and true class per pixel (same length).</summary>
    /// <exception cref="ArgumentException">The lengths differ, or a value is K or more.</exception>
    public void Add(ReadOnlySpan<byte> predicted, ReadOnlySpan<byte> truth)
    {
        if (predicted.Length != truth.Length) throw new ArgumentException($"predicted has {predicted.Length} values; truth has {truth.Length}.", nameof(truth));
        for (int i = 0; i < truth.Length; i++)
        {
            int p = predicted[i], t = truth[i];
            if (p >= Classes || t >= Classes)
                throw new ArgumentException($"pixel {i} has predicted class {p} and true class {t}; classes are 0-{Classes - 1}.", p >= Classes ? nameof(predicted) : nameof(truth));
            _predicted[p]++;
            _truth[t]++;
            if (p == t) _intersection[p]++;
        }
    }

    /// <summary>Adds one image given as K planes of scores (logits or probabilities; the argmax is the prediction) and a truth of class indices stored as floats.</summary>
    /// <exception cref="ArgumentException">The sizes do not fit, or a truth value is not a class index.</exception>
    public void AddScores(ReadOnlySpan<float> scores, ReadOnlySpan<float> truth)
    {
        var predicted = new byte[truth.Length];
        ClassMap.Argmax(scores, Classes, predicted);
        var classes = new byte[truth.Length];
        for (int i = 0; i < truth.Length; i++)
        {
            float v = truth[i];
            if (!(v >= 0 && v < Classes && v == MathF.Floor(v))) throw new ArgumentException($"truth[{i}] is {v}; class indices are 0-{Classes - 1}.", nameof(truth));
            classes[i] = (byte)v;
        }
        Add(predicted, classes);
    }

    /// <summary>Pixels of class <paramref name="k"/> in both prediction and truth.</summary>
    public long Intersection(int k) => _intersection[k];

    /// <summary>Pixels predicted as class <paramref name="k"/>.</summary>
    public long Predicted(int k) => _predicted[k];

    /// <summary>Pixels of class <paramref name="k"/> in the truth.</summary>
    public long Truth(int k) => _truth[k];

    /// <summary>IoU of class <paramref name="k"/>: intersection / (predicted + true − intersection).</summary>
    public double IoU(int k) => Ratio(_intersection[k], _predicted[k] + _truth[k] - _intersection[k]);

    /// <summary>The IoU of every class, in class order.</summary>
    public double[] IoU() => Enumerable.Range(0, Classes).Select(IoU).ToArray();

    /// <summary>Mean IoU over the K classes, background included.</summary>
    public double MeanIoU => IoU().Average();

    /// <summary>Dice (F1) of class <paramref name="k"/>: 2·intersection / (predicted + true).</summary>
    public double Dice(int k) => Ratio(2 * _intersection[k], _predicted[k] + _truth[k]);

    /// <summary>Mean Dice of the foreground classes 1…K−1.</summary>
    public double ForegroundDice() => Enumerable.Range(1, Classes - 1).Average(Dice);

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 1 : (double)numerator / denominator;
}
