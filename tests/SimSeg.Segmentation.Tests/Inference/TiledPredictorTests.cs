using SimSeg.Core.Imaging;
using SimSeg.Core.Randomness;
using SimSeg.Neural;
using SimSeg.Neural.Models;
using SimSeg.Segmentation.Inference;
using SimSeg.Segmentation.Models;
using SimSeg.Segmentation.Training;

namespace SimSeg.Segmentation.Tests.Inference;

public class TiledPredictorTests
{
    /// <summary>A per-pixel model, logit = 4·(x − 0.5), with a size multiple: tiling must not change its output anywhere.</summary>
    private sealed class PointwiseModel(int sizeMultiple) : ISegmentationModel
    {
        private Tensor? _output;

        public int InChannels => 1;
        public int OutChannels => 1;
        public int SizeMultiple => sizeMultiple;
        public int Calls { get; private set; }

        public Tensor Forward(Tensor input, bool training)
        {
            Assert.Equal(0, input.H % SizeMultiple);
            Assert.Equal(0, input.W % SizeMultiple);
            Calls++;
            _output = new Tensor(input.Shape);
            for (int i = 0; i < input.Length; i++) _output.Data[i] = 4 * (input.Data[i] - 0.5f);
            return _output;
        }

        public Tensor Backward(Tensor logitsGradient) => throw new NotSupportedException();

        public IReadOnlyList<(string Name, Parameter Parameter)> NamedParameters() => [];
    }

    private static float[] Smooth(int width, int height, int seed)
    {
        var rng = new Rng((ulong)seed);
        double a = rng.Uniform(0.05, 0.2), b = rng.Uniform(0.05, 0.2);
        return Enumerable.Range(0, width * height).Select(i => (float)(0.5 + 0.4 * Math.Sin(a * (i % width)) * Math.Cos(b * (i / width)) + 0.02 * rng.NextGaussian())).ToArray();
    }

    private static float Sigmoid(float x) => 1 / (1 + MathF.Exp(-x));

    [Theory]
    [InlineData(100, 70, 32, 8, BlendWindow.Cosine)]
    [InlineData(257, 129, 64, 16, BlendWindow.Linear)]
    [InlineData(13, 9, 32, 4, BlendWindow.Cosine)]
    [InlineData(300, 40, 48, 0, BlendWindow.Flat)]
    public void PredictNormalized_PointwiseModel_EqualsTheWholeImageEverywhere(int width, int height, int tile, int overlap, BlendWindow window)
    {
        // Any size (not multiples of the size multiple, smaller than a tile), any window: blending identical values gives them back.
        var image = Smooth(width, height, width);
        var model = new PointwiseModel(8);
        var predictor = new TiledPredictor(model, new TilingOptions { TileSize = tile, Overlap = overlap, BatchSize = 3, Window = window });
        var p = predictor.PredictNormalized(image, width, height);
        Assert.Equal(width * height, p.Length);
        for (int i = 0; i < p.Length; i++) Assert.Equal(Sigmoid(4 * (image[i] - 0.5f)), p[i], 1e-6);
    }

    [Fact]
    public void Predict_ImageInOneTile_EqualsADirectForward()
    {
        var net = ModelFactory.Create(new ModelArchitecture { BaseChannels = 4, Depth = 2 }, new Rng(21));
        int size = 48;
        var raw = Smooth(size, size, 5).Select(v => 1000 * v + 100).ToArray();
        var predictor = new TiledPredictor(net, new TilingOptions { TileSize = 64, Overlap = 16 });
        var tiled = predictor.Predict(raw, size, size);

        var normalized = new float[raw.Length];
        ImageNormalizer.Normalize(raw, normalized, new NormalizationOptions());
        var direct = net.Forward(new Tensor(normalized, 1, 1, size, size), training: false);
        for (int i = 0; i < tiled.Length; i++) Assert.Equal(Sigmoid(direct.Data[i]), tiled[i], 1e-5);
    }

    [Theory]
    [InlineData(100, 70, 32, 8)]
    [InlineData(40, 24, 48, 0)] // one non-square tile: the 4 flips
    public void TestTimeAugmentation_PointwiseModel_ChangesNothing(int width, int height, int tile, int overlap)
    {
        // A per-pixel model commutes with every symmetry: averaging over them gives its plain output back.
        var image = Smooth(width, height, 3);
        var model = new PointwiseModel(8);
        var p = new TiledPredictor(model, new TilingOptions { TileSize = tile, Overlap = overlap, TestTimeAugmentation = true }).PredictNormalized(image, width, height);
        for (int i = 0; i < p.Length; i++) Assert.Equal(Sigmoid(4 * (image[i] - 0.5f)), p[i], 1e-6);
    }

    [Fact]
    public void TestTimeAugmentation_UNetInOneTile_EqualsTheAverageOverTheEightSymmetriesDoneByHand()
    {
        var net = ModelFactory.Create(new ModelArchitecture { BaseChannels = 4, Depth = 2 }, new Rng(25));
        int n = 32;
        var image = Smooth(n, n, 9);
        var tta = new TiledPredictor(net, new TilingOptions { TileSize = n, Overlap = 0, TestTimeAugmentation = true }).PredictNormalized(image, n, n);
        // Naive twin: rotate and mirror the whole image with explicit coordinates, predict, undo, average.
        Func<int, int, (int X, int Y)>[] maps =
        [
            (x, y) => (x, y), (x, y) => (n - 1 - x, y), (x, y) => (x, n - 1 - y), (x, y) => (n - 1 - x, n - 1 - y),
            (x, y) => (y, x), (x, y) => (n - 1 - y, x), (x, y) => (y, n - 1 - x), (x, y) => (n - 1 - y, n - 1 - x),
        ];
        var expected = new double[n * n];
        foreach (var map in maps)
        {
            var moved = new float[n * n];
            for (int y = 0; y < n; y++)
                for (int x = 0; x < n; x++) { var (u, v) = map(x, y); moved[v * n + u] = image[y * n + x]; }
            var logits = net.Forward(new Tensor(moved, 1, 1, n, n), training: false).Data;
            for (int y = 0; y < n; y++)
                for (int x = 0; x < n; x++) { var (u, v) = map(x, y); expected[y * n + x] += Sigmoid(logits[v * n + u]) / 8.0; }
        }
        for (int i = 0; i < tta.Length; i++) Assert.Equal(expected[i], tta[i], 1e-5);
        // The symmetries really differ for this network, so the average is not its plain output.
        var plain = new TiledPredictor(net, new TilingOptions { TileSize = n, Overlap = 0 }).PredictNormalized(image, n, n);
        Assert.True(plain.Zip(tta).Max(pair => Math.Abs(pair.First - pair.Second)) > 1e-4);
    }

    [Fact]
    public void PredictNormalized_UNetWithOverlap_EqualsWholeImageAwayFromTileEdges()
    {
        // Depth 1 with 3x3 convolutions: every output sees at most ~10 pixels around it, so where each tile covering a pixel
        // has it at least 12 pixels inside (or its edge is the image's own edge), tiles and the whole image agree.
        var net = ModelFactory.Create(new ModelArchitecture { BaseChannels = 4, Depth = 1 }, new Rng(22));
        int width = 96, height = 40, tile = 48, reach = 12;
        var image = Smooth(width, height, 6);
        var whole = net.Forward(new Tensor((float[])image.Clone(), 1, 1, height, width), training: false).Data.Select(Sigmoid).ToArray();
        var tiled = new TiledPredictor(net, new TilingOptions { TileSize = tile, Overlap = 16 }).PredictNormalized(image, width, height);
        var origins = TiledPredictor.Origins(width, tile, 16);
        Assert.Equal(new[] { 0, 32, 48 }, origins);
        int compared = 0, blended = 0;
        for (int x = 0; x < width; x++)
        {
            var covering = origins.Where(o => x >= o && x < o + tile).ToArray();
            bool inside = covering.All(o => (o == 0 || x - o >= reach) && (o + tile == width || o + tile - 1 - x >= reach));
            if (!inside) continue;
            if (covering.Length > 1) blended++;
            for (int y = 0; y < height; y++)
            {
                Assert.True(Math.Abs(whole[y * width + x] - tiled[y * width + x]) <= 1e-4, $"({x}, {y}): whole {whole[y * width + x]}, tiled {tiled[y * width + x]}");
                compared++;
            }
        }
        Assert.True(compared >= 40 * 50 && blended >= 8, $"{compared} pixels compared, {blended} blended columns");
    }

    [Fact]
    public void PredictNormalized_CosineBlend_HasNoSeamsOnASmoothImage()
    {
        var net = ModelFactory.Create(new ModelArchitecture { BaseChannels = 4, Depth = 2 }, new Rng(23));
        int width = 160, height = 32;
        var image = Enumerable.Range(0, width * height).Select(i => 0.3f + 0.002f * (i % width)).ToArray();
        static double MaxStep(float[] p, int width, int height)
        {
            double max = 0;
            for (int y = 0; y < height; y++)
                for (int x = 16; x < width - 17; x++) max = Math.Max(max, Math.Abs(p[y * width + x + 1] - p[y * width + x]));
            return max;
        }
        var whole = net.Forward(new Tensor((float[])image.Clone(), 1, 1, height, width), training: false).Data.Select(Sigmoid).ToArray();
        var cosine = new TiledPredictor(net, new TilingOptions { TileSize = 64, Overlap = 32 }).PredictNormalized(image, width, height);
        var flat = new TiledPredictor(net, new TilingOptions { TileSize = 64, Overlap = 32, Window = BlendWindow.Flat }).PredictNormalized(image, width, height);
        double reference = MaxStep(whole, width, height);
        Assert.True(MaxStep(cosine, width, height) <= 2 * reference + 1e-3, $"cosine {MaxStep(cosine, width, height)}, whole image {reference}");
        Assert.True(MaxStep(cosine, width, height) < MaxStep(flat, width, height), $"cosine {MaxStep(cosine, width, height)}, flat {MaxStep(flat, width, height)}");
    }

    [Fact]
    public void PredictNormalized_ManyTiles_RunsInBoundedBatches()
    {
        var model = new PointwiseModel(4);
        var predictor = new TiledPredictor(model, new TilingOptions { TileSize = 16, Overlap = 4, BatchSize = 5 });
        predictor.PredictNormalized(new float[100 * 100], 100, 100);
        // 8 x 8 = 64 tiles in batches of at most 5.
        Assert.Equal(13, model.Calls);
    }

    [Fact]
    public void Origins_CoverTheAxisWithTheRequestedOverlap()
    {
        Assert.Equal(new[] { 0, 224, 448, 544 }, TiledPredictor.Origins(800, 256, 32));
        Assert.Equal(new[] { -3 }, TiledPredictor.Origins(10, 16, 4));
        Assert.Equal(new[] { 0 }, TiledPredictor.Origins(256, 256, 32));
        var w = TiledPredictor.Window(64, 16, BlendWindow.Cosine);
        Assert.All(w, v => Assert.True(v > 0 && v <= 1));
        Assert.Equal(1f, w[32]);
        Assert.True(w[0] < 0.01f);
    }

    [Fact]
    public void Segment_Stack_SegmentsEveryPageWithTheCalibration()
    {
        var model = new PointwiseModel(8);
        var config = new ModelConfig { Architecture = new ModelArchitecture { BaseChannels = 2, Depth = 1 } };
        var bundle = BundleOf(model, config);
        var image = new Image<float>(30, 20, 3, Calibration.Square(42, 200));
        var rng = new Rng(4);
        for (int i = 0; i < image.Data.Length; i++) image.Data[i] = (float)rng.NextDouble();
        var result = ModelSegmenter.Segment(bundle, image, new TilingOptions { TileSize = 16, Overlap = 4 });
        Assert.Equal(3, result.Probabilities.Depth);
        Assert.Equal(42, result.Mask.Calibration.PixelWidthNm);
        for (int i = 0; i < result.Mask.Data.Length; i++) Assert.Equal(result.Probabilities.Data[i] > 0.5f ? 1 : 0, result.Mask.Data[i]);
    }

    /// <summary>A per-pixel K-class model: logit c = −20·(x − c/(K − 1))², so the most probable class is the one whose centre is nearest the pixel value.</summary>
    private sealed class PointwiseClassModel(int classes, int sizeMultiple) : ISegmentationModel
    {
        public int InChannels => 1;
        public int OutChannels => classes;
        public int SizeMultiple => sizeMultiple;

        public float Logit(int c, float x) => -20 * (x - c / (float)(classes - 1)) * (x - c / (float)(classes - 1));

        public Tensor Forward(Tensor input, bool training)
        {
            int plane = input.H * input.W;
            var output = new Tensor(input.N, classes, input.H, input.W);
            for (int n = 0; n < input.N; n++)
                for (int c = 0; c < classes; c++)
                    for (int i = 0; i < plane; i++) output.Data[(n * classes + c) * plane + i] = Logit(c, input.Data[n * plane + i]);
            return output;
        }

        public Tensor Backward(Tensor logitsGradient) => throw new NotSupportedException();

        public IReadOnlyList<(string Name, Parameter Parameter)> NamedParameters() => [];
    }

    [Theory]
    [InlineData(100, 70, 32, 8)]
    [InlineData(13, 9, 32, 4)]
    public void PredictNormalized_KClasses_BlendsSoftmaxProbabilitiesThatSumToOne(int width, int height, int tile, int overlap)
    {
        var image = Smooth(width, height, width + 1);
        var model = new PointwiseClassModel(3, 8);
        var predictor = new TiledPredictor(model, new TilingOptions { TileSize = tile, Overlap = overlap, BatchSize = 2 });
        Assert.Equal(3, predictor.OutputPlanes);
        var p = predictor.PredictNormalized(image, width, height);
        int plane = width * height;
        Assert.Equal(3 * plane, p.Length);
        for (int i = 0; i < plane; i++)
        {
            var z = Enumerable.Range(0, 3).Select(c => (double)model.Logit(c, image[i])).ToArray();
            double sum = z.Sum(Math.Exp);
            for (int c = 0; c < 3; c++) Assert.Equal(Math.Exp(z[c]) / sum, p[c * plane + i], 1e-5);
            Assert.Equal(1.0, p[i] + p[plane + i] + p[2 * plane + i], 1e-5);
        }
    }

    [Fact]
    public void Predict_KClassUNetInOneTile_EqualsADirectSoftmax()
    {
        var net = ModelFactory.Create(new ModelArchitecture { BaseChannels = 4, Depth = 2, OutChannels = 3 }, new Rng(24));
        int size = 40;
        var raw = Smooth(size, size, 7).Select(v => 1000 * v + 100).ToArray();
        var tiled = new TiledPredictor(net, new TilingOptions { TileSize = 64, Overlap = 16 }).Predict(raw, size, size);
        var normalized = new float[raw.Length];
        ImageNormalizer.Normalize(raw, normalized, new NormalizationOptions());
        var direct = SimSeg.Neural.Layers.Softmax.Forward(net.Forward(new Tensor(normalized, 1, 1, size, size), training: false));
        Assert.Equal(direct.Length, tiled.Length);
        for (int i = 0; i < tiled.Length; i++) Assert.Equal(direct.Data[i], tiled[i], 1e-5);
    }

    /// <summary>A per-pixel 3-class model (background, mitochondrion, vesicle) and its config.</summary>
    private static (ModelBundle Bundle, ModelConfig Config) ThreeClassBundle()
    {
        var config = new ModelConfig
        {
            Architecture = new ModelArchitecture { BaseChannels = 2, Depth = 1, OutChannels = 3 },
            Classes = ["background", "mitochondrion", "vesicle"],
        };
        return (BundleOf(new PointwiseClassModel(3, 8), config), config);
    }

    [Fact]
    public void Segment_KClassModel_WritesClassMapsAndKProbabilityPagesPerFrame()
    {
        var (bundle, config) = ThreeClassBundle();
        var image = new Image<float>(30, 20, 2, Calibration.Square(42, 200));
        var rng = new Rng(5);
        for (int i = 0; i < image.Data.Length; i++) image.Data[i] = (float)rng.NextDouble();
        var result = ModelSegmenter.Segment(bundle, image, new TilingOptions { TileSize = 16, Overlap = 4 });
        Assert.True(result.IsClassMap);
        Assert.Equal(config.Classes, result.Classes);
        Assert.Equal(6, result.Probabilities.Depth); // frame-major: page f·3 + k
        Assert.Equal(2, result.Mask.Depth);
        Assert.Equal(42, result.Mask.Calibration.PixelWidthNm);
        int plane = 600;
        var seen = new HashSet<byte>();
        for (int f = 0; f < 2; f++)
            for (int i = 0; i < plane; i++)
            {
                var p = Enumerable.Range(0, 3).Select(k => result.Probabilities.Data[(f * 3 + k) * plane + i]).ToArray();
                Assert.Equal(1.0, p.Sum(), 5);
                byte expected = (byte)Array.IndexOf(p, p.Max());
                Assert.Equal(expected, result.Mask.Data[f * plane + i]);
                seen.Add(expected);
            }
        Assert.Equal(3, seen.Count); // every class occurs, so the map is not trivially constant

        // With a foreground threshold: background unless 1 − p₀ exceeds it, then the likelier foreground class.
        var thresholded = ModelSegmenter.Segment(bundle, image, new TilingOptions { TileSize = 16, Overlap = 4 }, threshold: 0.3);
        int changed = 0;
        for (int f = 0; f < 2; f++)
            for (int i = 0; i < plane; i++)
            {
                var p = Enumerable.Range(0, 3).Select(k => result.Probabilities.Data[(f * 3 + k) * plane + i]).ToArray();
                byte expected = 1 - p[0] > 0.3f ? (p[1] >= p[2] ? (byte)1 : (byte)2) : (byte)0;
                Assert.Equal(expected, thresholded.Mask.Data[f * plane + i]);
                if (expected != result.Mask.Data[f * plane + i]) changed++;
            }
        Assert.True(changed > 0, "the threshold changed no pixel");
        var ex = Assert.Throws<ArgumentException>(() => ModelSegmenter.Segment(bundle, image, threshold: 1.0));
        Assert.Equal("threshold", ex.ParamName);
    }

    [Fact]
    public void Segment_TemporalWindow_DecidesOnTheMeanOfNeighbouringFrames()
    {
        var (bundle, _) = ThreeClassBundle();
        const int frames = 5, plane = 24 * 16;
        var image = new Image<float>(24, 16, frames, Calibration.Square(42, 0));
        var rng = new Rng(6);
        for (int i = 0; i < image.Data.Length; i++) image.Data[i] = (float)rng.NextDouble();
        var tiling = new TilingOptions { TileSize = 16, Overlap = 4 };
        var single = ModelSegmenter.Segment(bundle, image, tiling);
        foreach (double? threshold in new double?[] { null, 0.4 })
        {
            var windowed = ModelSegmenter.Segment(bundle, image, tiling, threshold, temporalWindow: 3);
            Assert.Equal(single.Probabilities.Data, windowed.Probabilities.Data); // the per-frame probabilities are kept
            Assert.Equal(windowed.Mask.Data, ModelSegmenter.Remask(single, threshold, 3).Data);
            for (int f = 0; f < frames; f++)
            {
                int first = Math.Max(0, f - 1), last = Math.Min(frames - 1, f + 1);
                for (int i = 0; i < plane; i++)
                {
                    var mean = new float[3];
                    for (int g = first; g <= last; g++)
                        for (int k = 0; k < 3; k++) mean[k] += single.Probabilities.Data[(g * 3 + k) * plane + i];
                    for (int k = 0; k < 3; k++) mean[k] /= last - first + 1;
                    byte expected = threshold is null
                        ? (byte)Array.IndexOf(mean, mean.Max())
                        : 1 - mean[0] > threshold ? (mean[1] >= mean[2] ? (byte)1 : (byte)2) : (byte)0;
                    Assert.Equal(expected, windowed.Mask.Data[f * plane + i]);
                }
            }
        }
        Assert.NotEqual(single.Mask.Data, ModelSegmenter.Segment(bundle, image, tiling, temporalWindow: 3).Mask.Data);
        foreach (int bad in new[] { 0, 2, -1 })
            Assert.Equal("temporalWindow", Assert.Throws<ArgumentException>(() => ModelSegmenter.Segment(bundle, image, tiling, temporalWindow: bad)).ParamName);
    }

    [Fact]
    public void Argmax_TiesGoToTheLowerClassAndNaNNeverWins()
    {
        var map = new byte[3];
        ClassMap.Argmax([1f, 0f, float.NaN, 1f, 2f, 0f, 0f, 2f, 5f], 3, map);
        Assert.Equal(new byte[] { 0, 1, 2 }, map);
        Assert.Throws<ArgumentException>(() => ClassMap.Argmax(new float[8], 3, map));
    }

    private static ModelBundle BundleOf(ISegmentationModel model, ModelConfig config) => new("memory", config, model);
}
