using SimSeg.Neural;
using SimSeg.Neural.Layers;
using SimSeg.Neural.Models;
using SimSeg.Segmentation.Training;

namespace SimSeg.Segmentation.Inference;

/// <summary>How overlapping tile predictions are blended into one map.</summary>
public enum BlendWindow
{
    /// <summary>Weights rise from near 0 to 1 across the overlap with a raised-cosine ramp (the default: no seams).</summary>
    Cosine,

    /// <summary>Weights rise linearly across the overlap.</summary>
    Linear,

    /// <summary>Equal weights: plain averaging where tiles overlap (seams can show).</summary>
    Flat,
}

/// <summary>Settings of tiled inference.</summary>
public sealed record TilingOptions
{
    /// <summary>Tile side, pixels (default 256); rounded up to the model's size multiple, and shrunk to the image when it is smaller.</summary>
    public int TileSize { get; init; } = 256;

    /// <summary>Overlap of neighbouring tiles, pixels (default 32; below the tile size).</summary>
    public int Overlap { get; init; } = 32;

    /// <summary>Tiles per forward pass (default 4): bounds memory whatever the image size.</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>The blend window across overlaps.</summary>
    public BlendWindow Window { get; init; } = BlendWindow.Cosine;

    /// <summary>
    /// Test-time augmentation: every tile is also predicted mirrored and rotated, and the probabilities, mapped back,
    /// are averaged: the 8 symmetries of the square (flips, 90° rotations, transposes) for square tiles, the 4 flips
    /// otherwise. Costs that many forward passes; smooths the boundaries the network is unsure of (cellpose's
    /// <c>augment</c> does the same with flips).
    /// </summary>
    public bool TestTimeAugmentation { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (TileSize is < 8 or > 8192) throw new ArgumentException($"--tile must be 8-8192 pixels, got {TileSize}.", nameof(TileSize));
        if (Overlap < 0 || Overlap >= TileSize) throw new ArgumentException($"--overlap must be >= 0 and below the tile size {TileSize}, got {Overlap}.", nameof(Overlap));
        if (BatchSize is < 1 or > 256) throw new ArgumentException($"tile batch size must be 1-256, got {BatchSize}.", nameof(BatchSize));
    }
}

/// <summary>
/// Runs a segmentation model over an image of any size through overlapping tiles: each tile is cut with reflected
/// borders where it passes the image edge (so any size works, including sides that are not multiples of the model's
/// <see cref="ISegmentationModel.SizeMultiple"/>), a batch of tiles goes through the network in evaluation mode, and
/// the probabilities are blended with a window that ramps across the overlaps, normalised by the summed weights: the
/// sigmoid of the single logit of a binary model, or the softmax over the K logits of a K-class model (blended per
/// class, so each pixel's K probabilities still sum to 1). Memory is bounded by <see cref="TilingOptions.BatchSize"/>
/// tiles plus the image. Not thread-safe: the model's buffers are reused between calls.
/// </summary>
public sealed class TiledPredictor
{
    private readonly ISegmentationModel _model;
    private Tensor? _batch;
    private Tensor? _transformed;
    private Tensor? _probabilities;
    private float[] _averaged = [];
    private float[] _accumulator = [];
    private float[] _weights = [];
    private float[] _scratch = [];

    /// <summary>A predictor for <paramref name="model"/>: one logit channel (binary, sigmoid) or K ≥ 2 (classes, softmax).</summary>
    public TiledPredictor(ISegmentationModel model, TilingOptions? options = null, NormalizationOptions? normalization = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.OutChannels is < 1 or > 255) throw new ArgumentException($"tiled inference needs 1 (sigmoid) to 255 (softmax) output channels, this model has {model.OutChannels}.", nameof(model));
        Options = options ?? new TilingOptions();
        Options.Validate();
        Normalization = normalization ?? new NormalizationOptions();
        Normalization.Validate();
        _model = model;
    }

    /// <summary>Tile size, overlap, batch and window.</summary>
    public TilingOptions Options { get; }

    /// <summary>The per-image normalisation applied by <see cref="Predict"/>.</summary>
    public NormalizationOptions Normalization { get; }

    /// <summary>Probability planes per prediction: 1 for a binary model (the foreground), K for a K-class model (one per class).</summary>
    public int OutputPlanes => _model.OutChannels;

    /// <summary>
    /// Probabilities for one raw image of the model's input channels (channel-major planes), each plane normalised by
    /// its own percentiles first: <see cref="OutputPlanes"/> planes of <paramref name="height"/> × <paramref name="width"/>
    /// (row-major), the foreground probability of a binary model or, class-major, the probability of each of the K
    /// classes of a K-class model.
    /// </summary>
    /// <exception cref="ArgumentException">The image does not hold InChannels planes of width × height.</exception>
    public float[] Predict(ReadOnlySpan<float> image, int width, int height, CancellationToken cancellationToken = default)
    {
        int plane = CheckImage(image.Length, width, height);
        var normalized = new float[image.Length];
        if (_scratch.Length < plane) _scratch = new float[plane];
        for (int c = 0; c < _model.InChannels; c++)
            ImageNormalizer.Normalize(image.Slice(c * plane, plane), normalized.AsSpan(c * plane, plane), Normalization, _scratch);
        return PredictNormalized(normalized, width, height, cancellationToken);
    }

    /// <summary>As <see cref="Predict"/> for an image that is already normalised.</summary>
    public float[] PredictNormalized(ReadOnlySpan<float> image, int width, int height, CancellationToken cancellationToken = default)
    {
        int plane = CheckImage(image.Length, width, height);
        int multiple = _model.SizeMultiple;
        int tileW = Math.Min(RoundUp(Options.TileSize, multiple), RoundUp(width, multiple));
        int tileH = Math.Min(RoundUp(Options.TileSize, multiple), RoundUp(height, multiple));
        int overlap = Math.Min(Options.Overlap, Math.Min(tileW, tileH) - 1);
        var xs = Origins(width, tileW, overlap);
        var ys = Origins(height, tileH, overlap);
        // Along an axis with a single tile nothing overlaps: a flat window keeps the probabilities exact (no w·p/w rounding).
        var windowX = Window(tileW, xs.Length > 1 ? overlap : 0, Options.Window);
        var windowY = Window(tileH, ys.Length > 1 ? overlap : 0, Options.Window);

        int planes = _model.OutChannels;
        if (_accumulator.Length < planes * plane) _accumulator = new float[planes * plane];
        if (_weights.Length < plane) _weights = new float[plane];
        var accumulator = _accumulator.AsSpan(0, planes * plane);
        var weights = _weights.AsSpan(0, plane);
        accumulator.Clear();
        weights.Clear();

        var tiles = ys.SelectMany(y => xs.Select(x => (X: x, Y: y))).ToArray();
        int channels = _model.InChannels, tilePlane = tileW * tileH;
        for (int start = 0; start < tiles.Length; start += Options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(Options.BatchSize, tiles.Length - start);
            var batch = Batch(count, channels, tileH, tileW);
            for (int b = 0; b < count; b++)
            {
                var (x0, y0) = tiles[start + b];
                for (int c = 0; c < channels; c++)
                    Cut(image.Slice(c * plane, plane), width, height, x0, y0, tileW, tileH, batch.Data.AsSpan((b * channels + c) * tilePlane, tilePlane));
            }
            var probabilities = Options.TestTimeAugmentation
                ? AveragedOverSymmetries(batch)
                : Probabilities(_model.Forward(batch, training: false));
            for (int b = 0; b < count; b++)
            {
                var (x0, y0) = tiles[start + b];
                for (int ty = 0; ty < tileH; ty++)
                {
                    int y = y0 + ty;
                    if (y < 0 || y >= height) continue;
                    for (int tx = 0; tx < tileW; tx++)
                    {
                        int x = x0 + tx;
                        if (x < 0 || x >= width) continue;
                        float w = windowX[tx] * windowY[ty];
                        for (int c = 0; c < planes; c++)
                            accumulator[c * plane + y * width + x] += w * probabilities[(b * planes + c) * tilePlane + ty * tileW + tx];
                        weights[y * width + x] += w;
                    }
                }
            }
        }
        var result = new float[planes * plane];
        for (int c = 0; c < planes; c++)
            for (int i = 0; i < plane; i++) result[c * plane + i] = accumulator[c * plane + i] / weights[i];
        return result;
    }

    /// <summary>
    /// The probabilities of <paramref name="batch"/> averaged over the symmetries of its tiles (8 for square tiles, the 4
    /// flips otherwise): each transformed batch goes through the network and its probabilities are mapped back.
    /// </summary>
    private float[] AveragedOverSymmetries(Tensor batch)
    {
        int w = batch.W, h = batch.H, plane = w * h, symmetries = w == h ? 8 : 4;
        var transformed = _transformed is { } t && t.SameShape(batch) ? t : _transformed = batch.ZerosLike();
        int planes = batch.N * _model.OutChannels;
        if (_averaged.Length != planes * plane) _averaged = new float[planes * plane];
        Array.Clear(_averaged);
        for (int s = 0; s < symmetries; s++)
        {
            // transformed[map(x, y)] = batch[x, y] for every plane of every tile
            for (int p = 0; p < batch.N * batch.C; p++)
            {
                var src = batch.Data.AsSpan(p * plane, plane);
                var dst = transformed.Data.AsSpan(p * plane, plane);
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++) dst[Symmetry(s, x, y, w, h)] = src[y * w + x];
            }
            var probabilities = Probabilities(_model.Forward(transformed, training: false));
            // Back to the tile's own frame: the pixel (x, y) was predicted at map(x, y).
            for (int p = 0; p < planes; p++)
            {
                var src = probabilities.AsSpan(p * plane, plane);
                var dst = _averaged.AsSpan(p * plane, plane);
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++) dst[y * w + x] += src[Symmetry(s, x, y, w, h)];
            }
        }
        float scale = 1f / symmetries;
        for (int i = 0; i < _averaged.Length; i++) _averaged[i] *= scale;
        return _averaged;
    }

    /// <summary>
    /// Index of pixel (x, y) of a w × h plane under symmetry <paramref name="s"/>: 0 identity, 1 mirror in x, 2 mirror in
    /// y, 3 rotation by 180°, and for square planes 4 transpose, 5 and 6 the two 90° rotations, 7 the anti-transpose.
    /// </summary>
    internal static int Symmetry(int s, int x, int y, int w, int h)
    {
        int mx = w - 1 - x, my = h - 1 - y;
        return s switch
        {
            0 => y * w + x,
            1 => y * w + mx,
            2 => my * w + x,
            3 => my * w + mx,
            4 => x * w + y,
            5 => x * w + my,
            6 => mx * w + y,
            _ => mx * w + my,
        };
    }

    /// <summary>The sigmoid of a single-logit batch, or the softmax over the channels of a K-logit one, in a reused buffer.</summary>
    private float[] Probabilities(Tensor logits)
    {
        if (_probabilities is null || !_probabilities.SameShape(logits)) _probabilities = logits.ZerosLike();
        if (logits.C > 1)
        {
            Softmax.Forward(logits, _probabilities);
            return _probabilities.Data;
        }
        var z = logits.Data;
        var p = _probabilities.Data;
        for (int i = 0; i < z.Length; i++) p[i] = Sigmoid(z[i]);
        return p;
    }

    private int CheckImage(int length, int width, int height)
    {
        Core.Guard.Positive(width);
        Core.Guard.Positive(height);
        int plane = width * height;
        if (length != _model.InChannels * plane)
            throw new ArgumentException($"the model expects {_model.InChannels} channel(s) of {width}x{height} ({_model.InChannels * plane} values), got {length} values.", "image");
        return plane;
    }

    private Tensor Batch(int count, int channels, int height, int width)
    {
        if (_batch is null || _batch.N != count || _batch.C != channels || _batch.H != height || _batch.W != width)
            _batch = new Tensor(count, channels, height, width);
        return _batch;
    }

    /// <summary>
    /// Tile origins along one axis: a single tile centred on the image when it fits (its margins reflected), else
    /// tiles every tile − overlap pixels with the last one flush with the far edge.
    /// </summary>
    internal static int[] Origins(int size, int tile, int overlap)
    {
        if (size <= tile) return [-((tile - size) / 2)];
        int stride = tile - overlap;
        var origins = new List<int>();
        for (int o = 0; ; o += stride)
        {
            if (o + tile >= size)
            {
                origins.Add(size - tile);
                break;
            }
            origins.Add(o);
        }
        return [.. origins];
    }

    /// <summary>
    /// Per-pixel weights along one tile side: 1 in the middle, ramping over the first and last <paramref name="overlap"/>
    /// pixels from near 0 (never 0, so a pixel covered once keeps its value after normalisation).
    /// </summary>
    internal static float[] Window(int tile, int overlap, BlendWindow kind)
    {
        var w = new float[tile];
        for (int i = 0; i < tile; i++)
        {
            if (kind == BlendWindow.Flat || overlap == 0)
            {
                w[i] = 1;
                continue;
            }
            double r = Math.Min(1, Math.Min(i + 0.5, tile - i - 0.5) / overlap);
            w[i] = (float)(kind == BlendWindow.Linear ? r : 0.5 - 0.5 * Math.Cos(Math.PI * r));
        }
        return w;
    }

    /// <summary>Copies the tile at (x0, y0) out of a plane, reflecting coordinates that fall outside it.</summary>
    private static void Cut(ReadOnlySpan<float> plane, int width, int height, int x0, int y0, int tileW, int tileH, Span<float> destination)
    {
        for (int ty = 0; ty < tileH; ty++)
        {
            int y = Augment.Reflect(y0 + ty, height);
            var row = plane.Slice(y * width, width);
            var target = destination.Slice(ty * tileW, tileW);
            if (x0 >= 0 && x0 + tileW <= width)
            {
                row.Slice(x0, tileW).CopyTo(target);
                continue;
            }
            for (int tx = 0; tx < tileW; tx++) target[tx] = row[Augment.Reflect(x0 + tx, width)];
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static float Sigmoid(float x) => x >= 0 ? 1 / (1 + MathF.Exp(-x)) : MathF.Exp(x) / (1 + MathF.Exp(x));
}
