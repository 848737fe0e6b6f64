using SimSeg.Segmentation.Metrics;

namespace SimSeg.Segmentation.Benchmark;

/// <summary>One per-image measure the benchmark reports, taken from a <see cref="SegmentationScore"/>.</summary>
/// <param name="Name">Column and row name in the CSV tables (snake case), e.g. "miou".</param>
/// <param name="Label">Name for people, e.g. "mIoU".</param>
/// <param name="Value">The measure of one score.</param>
public sealed record BenchmarkMetric(string Name, string Label, Func<SegmentationScore, double> Value);

/// <summary>The score of one method on one test image.</summary>
/// <param name="Method">Method (row) name.</param>
/// <param name="TestSet">Test set (column) name.</param>
/// <param name="Image">Sample id from the test set's manifest.</param>
/// <param name="Score">The mask scored against the image's ground truth.</param>
public sealed record ImageScore(string Method, string TestSet, string Image, SegmentationScore Score);

/// <summary>One tidy row of table.csv: a metric of a method on a test set over its images.</summary>
/// <param name="Method">Method (row) name.</param>
/// <param name="TestSet">Test set (column) name.</param>
/// <param name="Metric">A <see cref="BenchmarkMetric.Name"/>.</param>
/// <param name="Mean">Mean over the images.</param>
/// <param name="Std">Sample standard deviation over the images (n − 1 in the denominator); NaN when n &lt; 2.</param>
/// <param name="N">Images.</param>
public sealed record SummaryRow(string Method, string TestSet, string Metric, double Mean, double Std, int N);

/// <summary>The measures of the benchmark and their aggregation over images.</summary>
public static class BenchmarkMetrics
{
    /// <summary>"miou": mean of the foreground and background IoU (PhySeg Table 1).</summary>
    public const string MeanIoU = "miou";

    /// <summary>"f1": foreground F1, equal to the foreground Dice (PhySeg Table 1's F1).</summary>
    public const string F1 = "f1";

    /// <summary>
    /// The reported measures in table order: mIoU, foreground IoU, F1 (= Dice), precision, recall, β0 and β1 errors
    /// (differences in object and hole counts) and object F1 (objects matched at IoU ≥ 0.5).
    /// </summary>
    public static IReadOnlyList<BenchmarkMetric> All { get; } =
    [
        new(MeanIoU, "mIoU", s => s.MeanIoU),
        new("iou", "IoU", s => s.IoU),
        new(F1, "F1", s => s.Dice),
        new("precision", "precision", s => s.Precision),
        new("recall", "recall", s => s.Recall),
        new("beta0_error", "β0 error", s => s.BettiZeroError),
        new("beta1_error", "β1 error", s => s.BettiOneError),
        new("object_f1", "object F1", s => s.ObjectF1),
    ];

    /// <summary>
    /// Mean, sample standard deviation (n − 1 in the denominator; NaN for fewer than two values) and count of
    /// <paramref name="values"/>, summed in list order so that the result does not depend on how they were computed.
    /// No values give a NaN mean.
    /// </summary>
    public static (double Mean, double Std, int N) MeanStd(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int n = values.Count;
        if (n == 0) return (double.NaN, double.NaN, 0);
        double sum = 0;
        for (int i = 0; i < n; i++) sum += values[i];
        double mean = sum / n;
        if (n < 2) return (mean, double.NaN, n);
        double squares = 0;
        for (int i = 0; i < n; i++) squares += (values[i] - mean) * (values[i] - mean);
        return (mean, Math.Sqrt(squares / (n - 1)), n);
    }

    /// <summary>
    /// One row per method × test set × metric (in the order of <paramref name="methods"/>, <paramref name="testSets"/>
    /// and <see cref="All"/>), aggregating the image scores of that pair in their list order. A pair with no scores is left out.
    /// </summary>
    public static IReadOnlyList<SummaryRow> Summarize(IReadOnlyList<ImageScore> scores, IReadOnlyList<string> methods, IReadOnlyList<string> testSets)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(testSets);
        var rows = new List<SummaryRow>();
        foreach (string method in methods)
        {
            foreach (string testSet in testSets)
            {
                var pair = scores.Where(s => s.Method == method && s.TestSet == testSet).ToArray();
                if (pair.Length == 0) continue;
                foreach (var metric in All)
                {
                    var (mean, std, n) = MeanStd(pair.Select(s => metric.Value(s.Score)).ToArray());
                    rows.Add(new SummaryRow(method, testSet, metric.Name, mean, std, n));
                }
            }
        }
        return rows;
    }
}
