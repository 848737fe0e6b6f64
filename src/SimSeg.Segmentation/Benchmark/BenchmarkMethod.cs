using SimSeg.Core.Imaging;
using SimSeg.Segmentation.Baselines;
using SimSeg.Segmentation.Inference;
using SimSeg.Segmentation.Models;

namespace SimSeg.Segmentation.Benchmark;

/// <summary>
/// A row of the benchmark: a name and how it segments a test image of a given test set. Baselines segment the
/// focal plane (<see cref="BenchmarkImage.FocalPlane"/>); a trained model takes the image with all its planes as its
/// input channels. Both return one 0/1 plane of the image's size.
/// </summary>
public sealed class BenchmarkMethod
{
    private readonly Func<BenchmarkImage, int, Image<byte>> _segment;

    private BenchmarkMethod(string name, bool concurrent, int models, string description, Func<BenchmarkImage, int, Image<byte>> segment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Concurrent = concurrent;
        ModelCount = models;
        Description = description;
        _segment = segment;
    }

    /// <summary>The row name in the tables.</summary>
    public string Name { get; }

    /// <summary>True when several images may be segmented at once (baselines keep no state; a network reuses its buffers and runs one image at a time, parallel inside).</summary>
    public bool Concurrent { get; }

    /// <summary>Trained models behind the method: 0 for a baseline, 1 for one model for every test set, else one per test set.</summary>
    public int ModelCount { get; }

    /// <summary>One line for the report's notes, e.g. the model folder or the settings that differ from the defaults.</summary>
    public string Description { get; }

    /// <summary>A baseline of <see cref="BaselineMethods"/> with <paramref name="settings"/> (defaults when null).</summary>
    /// <param name="name">A <see cref="BaselineMethods.Names"/> entry.</param>
    /// <param name="settings">The settings of the baselines.</param>
    /// <param name="description">The note for the report; null for the method's name.</param>
    /// <exception cref="ArgumentException">The name is not a baseline or a setting is out of range.</exception>
    public static BenchmarkMethod Baseline(string name, BaselineSettings? settings = null, string? description = null)
    {
        var segment = BaselineMethods.Create(name, settings);
        return new BenchmarkMethod(name, true, 0, description ?? name, (image, _) => segment(image.FocalPlane, image.Truth));
    }

    /// <summary>
    /// A trained network: <paramref name="models"/> holds one model used on every test set, or one model per test set
    /// (in test-set order). Each image is normalised as in training and predicted through <see cref="ModelSegmenter"/>
    /// with the model's threshold.
    /// </summary>
    /// <param name="name">The row name, e.g. "unet".</param>
    /// <param name="models">At least one model.</param>
    /// <param name="tiling">Tiling of large images (null: defaults; an image that fits one tile is predicted exactly).</param>
    /// <param name="description">The note for the report; null for the model folders.</param>
    public static BenchmarkMethod Model(string name, IReadOnlyList<ModelBundle> models, TilingOptions? tiling = null, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0 || models.Any(m => m is null)) throw new ArgumentException("a model method needs at least one model and no null ones.", nameof(models));
        var bundles = models.ToArray();
        tiling?.Validate();
        return new BenchmarkMethod(name, false, bundles.Length, description ?? $"{name}: {string.Join(", ", bundles.Select(b => b.Directory))}", (image, testSet) =>
        {
            var bundle = bundles.Length == 1 ? bundles[0] : bundles[testSet];
            if (image.Image.Depth != bundle.Model.InChannels)
                throw new InvalidDataException($"test image {image.Id} has {image.Image.Depth} plane(s), but the model in {bundle.Directory} takes {bundle.Model.InChannels} input channel(s).");
            return ModelSegmenter.Segment(bundle, image.Image, tiling).Mask;
        });
    }

    /// <summary>The 0/1 mask of <paramref name="image"/>, one plane of its size.</summary>
    /// <param name="image">A test image.</param>
    /// <param name="testSet">The index of its test set (picks the model of a method with one model per test set).</param>
    public Image<byte> Segment(BenchmarkImage image, int testSet)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (ModelCount > 1) ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(testSet, ModelCount);
        var mask = _segment(image, testSet);
        if (mask.Width != image.Truth.Width || mask.Height != image.Truth.Height || mask.Depth != 1)
            throw new InvalidOperationException($"{Name} returned a {mask.Width}x{mask.Height}x{mask.Depth} mask for a {image.Truth.Width}x{image.Truth.Height} image.");
        return mask;
    }
}
