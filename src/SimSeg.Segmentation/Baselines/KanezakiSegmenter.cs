using System.Numerics;
using SimSeg.Core.Imaging;
using SimSeg.Core.Randomness;
using SimSeg.Neural;
using SimSeg.Neural.Layers;
using SimSeg.Neural.Optimizers;

namespace SimSeg.Segmentation.Baselines;

/// <summary>Settings of <see cref="KanezakiSegmenter"/>; the defaults are those of the paper's public code.</summary>
public sealed record KanezakiOptions
{
    /// <summary>Feature channels of every convolution (the paper's q = 100).</summary>
    public int Channels { get; init; } = 100;

    /// <summary>3×3 convolution–ReLU–batch-norm layers before the 1×1 classifier (nConv, 2).</summary>
    public int ConvLayers { get; init; } = 2;

    /// <summary>Most training iterations per plane (maxIter, 1000).</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>Training stops once the argmax labels use this many clusters or fewer (minLabels, 3).</summary>
    public int MinLabels { get; init; } = 3;

    /// <summary>SGD learning rate (0.1).</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>SGD momentum (0.9).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Seed of the weight initialisation; plane z uses the stream (seed, z).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Defaults: 100 channels, 2 conv layers, 1000 iterations, 3 labels, SGD 0.1 with momentum 0.9, seed 1.</summary>
    public static KanezakiOptions Default { get; } = new();

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        Core.Guard.Positive(Channels, nameof(Channels));
        if (Channels < 2) throw new ArgumentOutOfRangeException(nameof(Channels), Channels, $"{nameof(Channels)} must be >= 2, got {Channels}.");
        Core.Guard.Positive(ConvLayers, nameof(ConvLayers));
        if (MaxIterations < 0) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, $"{nameof(MaxIterations)} must be >= 0, got {MaxIterations}.");
        Core.Guard.Positive(MinLabels, nameof(MinLabels));
        Core.Guard.Positive(LearningRate, nameof(LearningRate));
        Core.Guard.InRange(Momentum, 0, 1, nameof(Momentum));
    }
}

/// <summary>
/// Unsupervised segmentation by backpropagation (A. Kanezaki, ICASSP 2018), the "Backpropagation" row of PhySeg's
/// Table 1, on the SimSeg engine. A small network (ConvLayers × [3×3 conv → ReLU → batch norm], then a 1×1 conv →
/// batch norm, <see cref="KanezakiOptions.Channels"/> channels) maps the plane, scaled to [0, 1] by its min and max,
/// to per-pixel scores; the argmax of the scores is taken as pseudo-labels and the network is trained with SGD on the
/// softmax cross-entropy against them, so pixels with similar features fall into ever fewer clusters. Training stops
/// after <see cref="KanezakiOptions.MaxIterations"/> steps or once at most <see cref="KanezakiOptions.MinLabels"/>
/// clusters remain; the labels of a final forward pass are the clustering. The paper's SLIC superpixel refinement of
/// the pseudo-labels is not applied. The clusters become a binary mask by brightness: a cluster is foreground when
/// its mean intensity is above Otsu's threshold of the image in which every pixel holds its cluster's mean
/// (Otsu over the cluster means, weighted by cluster size). A constant plane is one cluster without training and
/// gives an empty mask.
/// Planes are segmented one by one; the result is deterministic for a seed.
/// </summary>
public static class KanezakiSegmenter
{
    /// <summary>A 0/1 mask with the image's size and calibration, one plane per input plane.</summary>
    /// <param name="image">The image (any pixel type, finite values).</param>
    /// <param name="options">Network, training and seed (<see cref="KanezakiOptions.Default"/> when null).</param>
    public static Image<byte> Segment<T>(Image<T> image, KanezakiOptions? options = null) where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(image);
        options ??= KanezakiOptions.Default;
        options.Validate();
        int w = image.Width, h = image.Height;
        var mask = new Image<byte>(w, h, image.Depth, image.Calibration);
        var plane = new float[w * h];
        for (int z = 0; z < image.Depth; z++)
        {
            Planes.ToFloat(image, z, plane);
            var (labels, _) = Cluster(plane, w, h, options, Rng.ForStream(options.Seed, (ulong)z));
            BrightClusters(plane, labels, mask.Plane(z));
        }
        return mask;
    }

    /// <summary>
    /// The unsupervised clustering of one plane: a label in [0, Channels) per pixel (labels need not be contiguous)
    /// and the number of training iterations run (0 for a constant plane, labelled 0 throughout).
    /// </summary>
    /// <param name="plane">The plane, row-major, finite values.</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="options">Network and training settings.</param>
    /// <param name="rng">Draws the initial weights.</param>
    public static (int[] Labels, int Iterations) Cluster(ReadOnlySpan<float> plane, int width, int height, KanezakiOptions options, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        options.Validate();
        Core.Guard.Positive(width);
        Core.Guard.Positive(height);
        int n = width * height;
        if (plane.Length != n) throw new ArgumentException($"plane must hold width*height = {n} values, got {plane.Length}.", nameof(plane));
        var input = new Tensor(1, 1, height, width);
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in plane)
        {
            if (!float.IsFinite(v)) throw new ArgumentException($"plane must hold finite values, got {v}.", nameof(plane));
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        var labels = new int[n];
        // A constant plane is one cluster; training on it would only amplify rounding through the batch norms.
        if (max == min) return (labels, 0);
        float scale = 1 / (max - min);
        for (int i = 0; i < n; i++) input.Data[i] = (plane[i] - min) * scale;

        var layers = Network(options, rng);
        var optimizer = new Sgd([.. layers.SelectMany(l => l.Parameters)], new SgdOptions(options.LearningRate, options.Momentum));
        int iterations = 0;
        while (iterations < options.MaxIterations)
        {
            optimizer.ZeroGrad();
            var scores = Forward(layers, input);
            var gradient = scores.ZerosLike();
            ArgmaxCrossEntropy(scores, labels, gradient);
            for (int l = layers.Length - 1; l >= 0; l--) gradient = layers[l].Backward(gradient);
            optimizer.Step();
            iterations++;
            if (CountLabels(labels, options.Channels) <= options.MinLabels) break;
        }
        Argmax(Forward(layers, input), labels);
        return (labels, iterations);
    }

    /// <summary>
    /// Writes 1 for the pixels of clusters whose mean intensity is above Otsu's threshold of the cluster-mean image
    /// (each pixel replaced by its cluster's mean), else 0. One cluster (or clusters of equal means) gives an empty mask.
    /// </summary>
    public static void BrightClusters(ReadOnlySpan<float> plane, ReadOnlySpan<int> labels, Span<byte> mask)
    {
        if (labels.Length != plane.Length || mask.Length != plane.Length)
            throw new ArgumentException($"plane, labels and mask must have one length, got {plane.Length}, {labels.Length} and {mask.Length}.");
        if (plane.Length == 0) return;
        int count = 0;
        foreach (int label in labels)
        {
            if (label < 0) throw new ArgumentException($"labels must be >= 0, got {label}.", nameof(labels));
            count = Math.Max(count, label + 1);
        }
        var sum = new double[count];
        var size = new long[count];
        for (int i = 0; i < plane.Length; i++)
        {
            sum[labels[i]] += plane[i];
            size[labels[i]]++;
        }
        var means = new float[plane.Length];
        for (int i = 0; i < plane.Length; i++) means[i] = (float)(sum[labels[i]] / size[labels[i]]);
        Planes.Above(means, Threshold.Otsu(means), mask);
    }

    // Kanezaki's network: ConvLayers × (3×3 conv → ReLU → BN), then 1×1 conv → BN; convolutions with bias, as PyTorch's default.
    private static ILayer[] Network(KanezakiOptions options, Rng rng)
    {
        var layers = new List<ILayer>();
        for (int i = 0; i < options.ConvLayers; i++)
        {
            layers.Add(new Conv2d(i == 0 ? 1 : options.Channels, options.Channels, 3, rng, padding: 1));
            layers.Add(new ReLU());
            layers.Add(new BatchNorm2d(options.Channels));
        }
        layers.Add(new Conv2d(options.Channels, options.Channels, 1, rng));
        layers.Add(new BatchNorm2d(options.Channels));
        return [.. layers];
    }

    // Training-mode forward (batch statistics), as the paper's code runs throughout.
    private static Tensor Forward(ILayer[] layers, Tensor input)
    {
        var x = input;
        foreach (var layer in layers) x = layer.Forward(x, training: true);
        return x;
    }

    /// <summary>
    /// The argmax labels of [1, C, H, W] scores and the mean softmax cross-entropy against them; overwrites
    /// <paramref name="gradient"/> with d loss / d scores = (softmax − one-hot(argmax)) / (H·W). A small private loss:
    /// the targets are the scores' own argmax, so the log-sum-exp's maximum is the target's score.
    /// </summary>
    internal static double ArgmaxCrossEntropy(Tensor scores, int[] labels, Tensor gradient)
    {
        int channels = scores.C, n = scores.H * scores.W;
        float[] z = scores.Data, g = gradient.Data;
        var best = new float[n];
        Argmax(scores, labels, best);
        var total = new double[n];
        for (int c = 0; c < channels; c++)
            for (int p = 0; p < n; p++)
            {
                double e = Math.Exp(z[c * n + p] - best[p]);
                g[c * n + p] = (float)e;
                total[p] += e;
            }
        double loss = 0, inverse = 1.0 / n;
        for (int p = 0; p < n; p++) loss += Math.Log(total[p]);
        for (int c = 0; c < channels; c++)
            for (int p = 0; p < n; p++)
                g[c * n + p] = (float)((g[c * n + p] / total[p] - (labels[p] == c ? 1 : 0)) * inverse);
        return loss * inverse;
    }

    // Per-pixel argmax over channels (first maximum on ties), and optionally the maximum.
    private static void Argmax(Tensor scores, int[] labels, float[]? best = null)
    {
        int channels = scores.C, n = scores.H * scores.W;
        float[] z = scores.Data;
        best ??= new float[n];
        Array.Copy(z, best, n);
        Array.Clear(labels);
        for (int c = 1; c < channels; c++)
            for (int p = 0; p < n; p++)
                if (z[c * n + p] > best[p])
                {
                    best[p] = z[c * n + p];
                    labels[p] = c;
                }
    }

    private static int CountLabels(int[] labels, int channels)
    {
        var seen = new bool[channels];
        int count = 0;
        foreach (int label in labels)
            if (!seen[label])
            {
                seen[label] = true;
                count++;
            }
        return count;
    }
}
