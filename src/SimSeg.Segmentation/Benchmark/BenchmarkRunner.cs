using System.Diagnostics;
using SimSeg.Core.IO;
using SimSeg.Segmentation.Metrics;
using SimSeg.Segmentation.Training;

namespace SimSeg.Segmentation.Benchmark;

/// <summary>Settings of <see cref="BenchmarkRunner.Run"/>.</summary>
public sealed record BenchmarkOptions
{
    /// <summary>Test images per test set kept for the gallery (the first ones; default 4, 0 for none).</summary>
    public int GalleryImages { get; init; } = 4;

    /// <summary>Worker threads (default: all cores); the scores do not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (GalleryImages < 0) throw new ArgumentException($"--gallery must be >= 0 images, got {GalleryImages}.", nameof(GalleryImages));
        if (Threads < 1) throw new ArgumentException($"--threads must be >= 1, got {Threads}.", nameof(Threads));
    }
}

/// <summary>A progress report: <paramref name="Done"/> of <paramref name="Total"/> images of a test set segmented by a method.</summary>
/// <param name="Method">The method running.</param>
/// <param name="TestSet">Its test set.</param>
/// <param name="Done">Images finished.</param>
/// <param name="Total">Images in the test set.</param>
/// <param name="Elapsed">Time spent on this method and test set so far.</param>
public sealed record BenchmarkProgress(string Method, string TestSet, int Done, int Total, TimeSpan Elapsed);

/// <summary>A column of the benchmark.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Images">Test images scored.</param>
/// <param name="Preset">The dataset's preset, when its manifest names one.</param>
/// <param name="PixelSizeNm">Pixel size of its images (0 when unknown).</param>
public sealed record BenchmarkColumn(string Name, int Images, string? Preset, double PixelSizeNm);

/// <summary>Wall-clock time of one method on one test set (not part of the scores: it depends on the machine and the threads).</summary>
/// <param name="Method">Method name.</param>
/// <param name="TestSet">Test set name.</param>
/// <param name="Seconds">Seconds for all its images.</param>
/// <param name="Images">Images segmented.</param>
public sealed record MethodTiming(string Method, string TestSet, double Seconds, int Images);

/// <summary>One gallery row: a test image, its truth and every method's mask.</summary>
/// <param name="TestSet">Test set name.</param>
/// <param name="Image">Sample id.</param>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
/// <param name="Input">The focal plane auto-contrasted to 8-bit grey (0.5–99.5 percentiles), row-major.</param>
/// <param name="Truth">The ground truth, 0/1, row-major.</param>
/// <param name="Masks">Each method's mask, 0/1, in the order of <see cref="BenchmarkResult.Methods"/>.</param>
public sealed record GalleryRow(string TestSet, string Image, int Width, int Height, byte[] Input, byte[] Truth, IReadOnlyList<byte[]> Masks);

/// <summary>Everything a benchmark run measured.</summary>
/// <param name="Methods">Row names in order.</param>
/// <param name="TestSets">Columns in order.</param>
/// <param name="Images">Per-image scores, by test set, then method, then image (manifest order).</param>
/// <param name="Summary">Mean ± std per method × test set × metric (<see cref="BenchmarkMetrics.Summarize"/>).</param>
/// <param name="Gallery">The first images of each test set with every method's mask.</param>
/// <param name="Timings">Time per method and test set.</param>
public sealed record BenchmarkResult(IReadOnlyList<string> Methods, IReadOnlyList<BenchmarkColumn> TestSets, IReadOnlyList<ImageScore> Images,
    IReadOnlyList<SummaryRow> Summary, IReadOnlyList<GalleryRow> Gallery, IReadOnlyList<MethodTiming> Timings)
{
    /// <summary>The summary row of a method, test set and metric, or null.</summary>
    public SummaryRow? Find(string method, string testSet, string metric) =>
        Summary.FirstOrDefault(r => r.Method == method && r.TestSet == testSet && r.Metric == metric);
}

/// <summary>
/// Runs methods over the test splits of simulated datasets and scores each mask against its ground truth with
/// <see cref="SegmentationScore"/> (the benchmark of PhySeg's Table 1: rows methods, columns test sets). Baselines
/// run on several images at once, networks one image at a time with their layers parallel inside; every score lands
/// in its image's slot and is aggregated in manifest order, so the results do not depend on the thread count.
/// </summary>
public static class BenchmarkRunner
{
    /// <summary>Segments and scores every image of every test set with every method.</summary>
    /// <param name="testSets">Columns, loaded with <see cref="BenchmarkTestSet.Load"/>; names must differ.</param>
    /// <param name="methods">Rows; names must differ. A method with several models needs one per test set.</param>
    /// <param name="options">Gallery size and threads (defaults when null).</param>
    /// <param name="progress">Called after every image (serialised, from worker threads).</param>
    /// <param name="cancellationToken">Checked between images.</param>
    /// <exception cref="ArgumentException">No test sets or methods, repeated names, or a method's model count fits neither one nor the test sets.</exception>
    public static BenchmarkResult Run(IReadOnlyList<BenchmarkTestSet> testSets, IReadOnlyList<BenchmarkMethod> methods, BenchmarkOptions? options = null,
        Action<BenchmarkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(testSets);
        ArgumentNullException.ThrowIfNull(methods);
        var o = options ?? new BenchmarkOptions();
        o.Validate();
        if (testSets.Count == 0) throw new ArgumentException("the benchmark needs at least one test set.", nameof(testSets));
        if (methods.Count == 0) throw new ArgumentException("the benchmark needs at least one method.", nameof(methods));
        Unique(testSets.Select(t => t.Name), "test set", nameof(testSets));
        Unique(methods.Select(m => m.Name), "method", nameof(methods));
        foreach (var method in methods)
            if (method.ModelCount > 1 && method.ModelCount != testSets.Count)
                throw new ArgumentException($"{method.Name} has {method.ModelCount} models for {testSets.Count} test sets; give one model for all test sets or one per test set.", nameof(methods));
        return ThreadLimit.Run(o.Threads, () => Execute(testSets, methods, o, progress, cancellationToken));
    }

    private static BenchmarkResult Execute(IReadOnlyList<BenchmarkTestSet> testSets, IReadOnlyList<BenchmarkMethod> methods, BenchmarkOptions options,
        Action<BenchmarkProgress>? progress, CancellationToken cancellationToken)
    {
        var scores = new List<ImageScore>();
        var gallery = new List<GalleryRow>();
        var timings = new List<MethodTiming>();
        var gate = new object();
        for (int t = 0; t < testSets.Count; t++)
        {
            var set = testSets[t];
            int count = set.Images.Count, shown = Math.Min(options.GalleryImages, count);
            var masks = new byte[methods.Count][][];
            for (int m = 0; m < methods.Count; m++)
            {
                var method = methods[m];
                var results = new SegmentationScore[count];
                var kept = masks[m] = new byte[shown][];
                var clock = Stopwatch.StartNew();
                int done = 0;
                progress?.Invoke(new BenchmarkProgress(method.Name, set.Name, 0, count, TimeSpan.Zero));
                void One(int i)
                {
                    var image = set.Images[i];
                    var mask = method.Segment(image, t);
                    results[i] = SegmentationScore.Compute(mask, image.Truth);
                    if (i < shown) kept[i] = mask.Data;
                    lock (gate) progress?.Invoke(new BenchmarkProgress(method.Name, set.Name, ++done, count, clock.Elapsed));
                }
                if (method.Concurrent && options.Threads > 1)
                {
                    var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellationToken };
                    try
                    {
                        Parallel.For(0, count, parallel, One);
                    }
                    catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
                    }
                }
                else
                {
                    for (int i = 0; i < count; i++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        One(i);
                    }
                }
                timings.Add(new MethodTiming(method.Name, set.Name, clock.Elapsed.TotalSeconds, count));
                for (int i = 0; i < count; i++) scores.Add(new ImageScore(method.Name, set.Name, set.Images[i].Id, results[i]));
            }
            for (int i = 0; i < shown; i++)
            {
                var image = set.Images[i];
                var plane = image.FocalPlane;
                gallery.Add(new GalleryRow(set.Name, image.Id, plane.Width, plane.Height, Preview.AutoContrast(plane), image.Truth.Data,
                    masks.Select(m => m[i]).ToArray()));
            }
        }
        var methodNames = methods.Select(m => m.Name).ToArray();
        var columns = testSets.Select(s => new BenchmarkColumn(s.Name, s.Images.Count, s.Info.Preset, s.Info.PixelSizeNm)).ToArray();
        return new BenchmarkResult(methodNames, columns, scores, BenchmarkMetrics.Summarize(scores, methodNames, columns.Select(c => c.Name).ToArray()), gallery, timings);
    }

    private static void Unique(IEnumerable<string> names, string what, string parameter)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in names)
            if (!seen.Add(name)) throw new ArgumentException($"the {what} name '{name}' appears twice; names must differ.", parameter);
    }
}
