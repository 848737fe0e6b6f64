using SimSeg.Core.Imaging;
using SimSeg.Core.IO;
using SimSeg.Segmentation.Training;

namespace SimSeg.Segmentation.Benchmark;

/// <summary>One test image as stored: the raw pixels (every plane of a z-stack) and its ground truth.</summary>
/// <param name="Id">Sample id from the manifest.</param>
/// <param name="Image">The image as read, converted to float, with its calibration.</param>
/// <param name="Truth">The ground truth, 0/1, one plane of the image's size.</param>
public sealed record BenchmarkImage(string Id, Image<float> Image, Image<byte> Truth)
{
    /// <summary>The plane the baselines segment and the gallery shows: the middle plane of a z-stack (the focal plane of simulated stacks), the image itself otherwise.</summary>
    public Image<float> FocalPlane => Image.Depth == 1 ? Image : Image.ClonePlane((Image.Depth - 1) / 2);
}

/// <summary>
/// The test split of a dataset written by <c>simseg simulate</c> (manifest.csv with train/val/test splits), loaded
/// raw: the methods under test see the images as stored, and each normalises them as it does on real data.
/// </summary>
public sealed class BenchmarkTestSet
{
    private BenchmarkTestSet(string name, SegmentationDataset dataset, BenchmarkImage[] images)
    {
        Name = name;
        Info = dataset.Info;
        Images = images;
    }

    /// <summary>The column name in the tables.</summary>
    public string Name { get; }

    /// <summary>The dataset's sizes, preset and pixel size.</summary>
    public DatasetInfo Info { get; }

    /// <summary>The first test images in manifest order.</summary>
    public IReadOnlyList<BenchmarkImage> Images { get; }

    /// <summary>
    /// Loads the first <paramref name="maxImages"/> samples of the test split of <paramref name="directory"/> in
    /// manifest order (files read in parallel; the result does not depend on <paramref name="threads"/>).
    /// </summary>
    /// <param name="directory">A dataset folder with manifest.csv.</param>
    /// <param name="name">The column name; null for the folder's name.</param>
    /// <param name="maxImages">Most images to load, ≥ 1.</param>
    /// <param name="threads">Worker threads (0: all cores).</param>
    /// <param name="cancellationToken">Checked between files.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The manifest, an image or a mask is missing.</exception>
    /// <exception cref="InvalidDataException">The manifest is malformed, the dataset has no test split, or a mask does not fit its image.</exception>
    public static BenchmarkTestSet Load(string directory, string? name = null, int maxImages = int.MaxValue, int threads = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxImages, 1);
        var dataset = SegmentationDataset.Open(directory);
        var rows = dataset.RowsOf(DatasetSplit.Test).Take(maxImages).ToArray();
        if (rows.Length == 0)
            throw new InvalidDataException($"{directory} has no test split: its manifest lists {dataset.Info.TrainCount} train, {dataset.Info.ValidationCount} val and 0 test samples (simulate with a --split whose third fraction is > 0).");
        var images = new BenchmarkImage[rows.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount, CancellationToken = cancellationToken };
        try
        {
            Parallel.For(0, rows.Length, parallel, i =>
            {
                var row = rows[i];
                string imagePath = Path.Combine(directory, row.Image), maskPath = Path.Combine(directory, row.Mask);
                if (!File.Exists(imagePath)) throw new FileNotFoundException($"image of sample {row.Id} not found: {imagePath}", imagePath);
                if (!File.Exists(maskPath)) throw new FileNotFoundException($"mask of sample {row.Id} not found: {maskPath}", maskPath);
                var image = TiffReader.Read(imagePath).ToFloat();
                var mask = TiffReader.Read(maskPath).ToFloat();
                if (mask.Width != image.Width || mask.Height != image.Height || mask.Depth != 1)
                    throw new InvalidDataException($"{maskPath}: {mask.Width}x{mask.Height} with {mask.Depth} page(s); expected one {image.Width}x{image.Height} plane like its image.");
                var truth = new Image<byte>(image.Width, image.Height, 1, mask.Calibration);
                for (int p = 0; p < truth.Data.Length; p++) truth.Data[p] = mask.Data[p] != 0 ? (byte)1 : (byte)0;
                images[i] = new BenchmarkImage(row.Id, image, truth);
            });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            // The first bad file with its own exception type, so callers can tell a missing file from a bad one.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
        return new BenchmarkTestSet(name ?? DefaultName(directory), dataset, images);
    }

    /// <summary>The name of a dataset folder (its last path component).</summary>
    public static string DefaultName(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string trimmed = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        string name = Path.GetFileName(trimmed);
        return name.Length > 0 ? name : trimmed;
    }
}
