using SimSeg.Core.Randomness;
using SimSeg.Segmentation.Baselines;
using SimSeg.Segmentation.Benchmark;
using SimSeg.Segmentation.Metrics;
using SimSeg.Segmentation.Models;
using SimSeg.Segmentation.Tests.Training;

namespace SimSeg.Segmentation.Tests.Benchmark;

public class BenchmarkRunnerTests
{
    private static ModelBundle RandomModel() =>
        new("in-memory", new ModelConfig { Architecture = new ModelArchitecture { BaseChannels = 4, Depth = 2 } },
            ModelFactory.Create(new ModelArchitecture { BaseChannels = 4, Depth = 2 }, new Rng(5)));

    [Fact]
    public void Load_TinyDataset_FirstTestImagesRaw()
    {
        var set = BenchmarkTestSet.Load(TestData.Tiny, maxImages: 5);
        Assert.Equal("tiny", set.Name);
        Assert.Equal(5, set.Images.Count);
        Assert.Equal(8, set.Info.TestCount);
        var first = set.Images[0];
        Assert.Equal("sample-000032", first.Id); // 40 samples: 24 train, 8 val, then test
        Assert.Equal((32, 32, 1), (first.Image.Width, first.Image.Height, first.Image.Depth));
        Assert.True(first.Image.Data.Max() > 1, "raw uint16 counts, not normalised");
        Assert.All(first.Truth.Data, v => Assert.True(v <= 1));
    }

    [Fact]
    public void Load_NoTestSplit_InvalidData()
    {
        string dir = TestData.Handmade("no-test", 8, 16, TestData.Squares(16));
        var ex = Assert.Throws<InvalidDataException>(() => BenchmarkTestSet.Load(dir));
        Assert.Contains("no test split", ex.Message);
    }

    [Fact]
    public void Run_BaselinesAndModel_ScoresDoNotDependOnThreads()
    {
        var set = BenchmarkTestSet.Load(TestData.Tiny);
        BenchmarkMethod[] methods =
        [
            BenchmarkMethod.Baseline(BaselineMethods.Otsu),
            BenchmarkMethod.Baseline(BaselineMethods.OracleThreshold),
            BenchmarkMethod.Model("unet", [RandomModel()]),
        ];
        var progress = new List<BenchmarkProgress>();
        var one = BenchmarkRunner.Run([set], methods, new BenchmarkOptions { Threads = 1, GalleryImages = 3 }, progress.Add);
        var two = BenchmarkRunner.Run([set], methods, new BenchmarkOptions { Threads = 2, GalleryImages = 3 });
        Assert.Equal(BenchmarkReport.PerImageCsv(one), BenchmarkReport.PerImageCsv(two));
        Assert.Equal(BenchmarkReport.TableCsv(one), BenchmarkReport.TableCsv(two));

        Assert.Equal(3 * 8, one.Images.Count);
        Assert.Equal(3 * BenchmarkMetrics.All.Count, one.Summary.Count);
        Assert.All(one.Summary.Where(r => r.Metric is "miou" or "f1" or "iou"), r => Assert.InRange(r.Mean, 0, 1));
        Assert.All(one.Summary, r => Assert.Equal(8, r.N));
        // The oracle bounds Otsu image by image (same smoothing, best global threshold).
        foreach (string id in set.Images.Select(i => i.Id))
            Assert.True(one.Images.Single(s => s.Method == "oracle-threshold" && s.Image == id).Score.MeanIoU >= one.Images.Single(s => s.Method == "otsu" && s.Image == id).Score.MeanIoU - 1e-12);
        // Scores are SegmentationScore of the method's own mask.
        var image = set.Images[2];
        Assert.Equal(SegmentationScore.Compute(OtsuSegmenter.Segment(image.Image, 1.0), image.Truth), one.Images.Single(s => s.Method == "otsu" && s.Image == image.Id).Score);

        Assert.Equal(3, one.Gallery.Count);
        Assert.All(one.Gallery, g => Assert.Equal(3, g.Masks.Count));
        Assert.Equal(set.Images[0].Truth.Data, one.Gallery[0].Truth);
        Assert.Equal(3, one.Timings.Count);
        Assert.Equal(3 * (8 + 1), progress.Count); // a start report and one per image, per method
        Assert.Equal((8, 8), (progress[^1].Done, progress[^1].Total));
    }

    [Fact]
    public void Run_ModelCountFitsNeitherOneNorTestSets_Throws()
    {
        var set = BenchmarkTestSet.Load(TestData.Tiny, maxImages: 1);
        var method = BenchmarkMethod.Model("unet", [RandomModel(), RandomModel()]);
        var ex = Assert.Throws<ArgumentException>(() => BenchmarkRunner.Run([set], [method]));
        Assert.Contains("2 models for 1 test sets", ex.Message);
    }

    [Fact]
    public void Run_RepeatedNames_Throws()
    {
        var set = BenchmarkTestSet.Load(TestData.Tiny, maxImages: 1);
        Assert.Throws<ArgumentException>(() => BenchmarkRunner.Run([set], [BenchmarkMethod.Baseline("otsu"), BenchmarkMethod.Baseline("otsu")]));
        Assert.Throws<ArgumentException>(() => BenchmarkRunner.Run([set, set], [BenchmarkMethod.Baseline("otsu")]));
    }
}
