using SimSeg.Core.IO;
using SimSeg.Simulation.Dataset;

namespace SimSeg.Segmentation.Training;

/// <summary>The parts of a dataset, as in the <c>split</c> column of manifest.csv.</summary>
public enum DatasetSplit
{
    /// <summary>"train": the samples the weights are fitted to.</summary>
    Train,

    /// <summary>"val": the samples that choose the best epoch and drive the schedules.</summary>
    Validation,

    /// <summary>"test": held out until the end.</summary>
    Test,
}

/// <summary>
/// One image/ground-truth pair in memory: the image normalised (see <see cref="ImageNormalizer"/>), channel-major
/// (<see cref="Channels"/> planes of <see cref="Height"/> × <see cref="Width"/>), and the ground truth as bytes: the
/// 0/1 mask for <see cref="ClassScheme.Binary"/>, the class index 0…K−1 for a K-class <see cref="ClassScheme"/>.
/// </summary>
/// <param name="Id">Sample id from the manifest.</param>
/// <param name="Image">Normalised pixels, channel-major then row-major.</param>
/// <param name="Mask">Ground truth, row-major: 0/1, or the class index (0 background) for K classes.</param>
/// <param name="Channels">Image planes (z slices of a stack; 1 for a single plane).</param>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
public sealed record SegmentationSample(string Id, float[] Image, byte[] Mask, int Channels, int Width, int Height);

/// <summary>What a dataset holds, read from its manifest and first image.</summary>
/// <param name="Directory">The dataset folder.</param>
/// <param name="Preset">Preset name(s) of the samples ("a+b" when several), or null when the manifest has none.</param>
/// <param name="PixelSizeNm">Pixel size from the first image's TIFF metadata (0 when unknown).</param>
/// <param name="Channels">Planes per image.</param>
/// <param name="Width">Image width, pixels.</param>
/// <param name="Height">Image height, pixels.</param>
/// <param name="TrainCount">Samples in the train split.</param>
/// <param name="ValidationCount">Samples in the val split.</param>
/// <param name="TestCount">Samples in the test split.</param>
public sealed record DatasetInfo(string Directory, string? Preset, double PixelSizeNm, int Channels, int Width, int Height,
    int TrainCount, int ValidationCount, int TestCount);

/// <summary>
/// A dataset written by <c>simseg simulate</c> (manifest.csv with a split column, images/ uint16 TIFFs, masks/ 0/1
/// TIFFs, classes/ uint8 class maps), opened from its manifest and loaded split by split into memory as normalised
/// float arrays. The ground truth is masks/ for <see cref="ClassScheme.Binary"/> and classes/ (0 background,
/// 1 mitochondrion, 2 vesicle) for <see cref="ClassScheme.MitoVesicle"/>. Every sample must have the size and number
/// of planes of the first.
/// </summary>
public sealed class SegmentationDataset
{
    private readonly ManifestRow[] _rows;

    private SegmentationDataset(string directory, ManifestRow[] rows, DatasetInfo info, ClassScheme classes)
    {
        Directory = directory;
        _rows = rows;
        Info = info;
        Classes = classes;
    }

    /// <summary>Which ground truth <see cref="Load"/> reads: masks/ (binary) or the class maps of classes/.</summary>
    public ClassScheme Classes { get; }

    /// <summary>The dataset folder.</summary>
    public string Directory { get; }

    /// <summary>Sizes, counts, preset and pixel size.</summary>
    public DatasetInfo Info { get; }

    /// <summary>The manifest rows, in file order.</summary>
    public IReadOnlyList<ManifestRow> Rows => _rows;

    /// <summary>The manifest name of a split ("train", "val", "test").</summary>
    public static string SplitName(DatasetSplit split) => split switch
    {
        DatasetSplit.Train => "train",
        DatasetSplit.Validation => "val",
        _ => "test",
    };

    /// <summary>
    /// Reads manifest.csv of <paramref name="directory"/> and the header of its first image; for a K-class
    /// <paramref name="classes"/>, checks that the manifest lists class maps and that the first one exists.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">It has no manifest.csv, the first image is missing, or (K classes) the first class map is.</exception>
    /// <exception cref="InvalidDataException">The manifest is malformed or empty, or (K classes) it lists no class maps.</exception>
    public static SegmentationDataset Open(string directory, ClassScheme classes = ClassScheme.Binary)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!System.IO.Directory.Exists(directory)) throw new DirectoryNotFoundException($"dataset folder not found: {directory}");
        string manifest = Path.Combine(directory, "manifest.csv");
        if (!File.Exists(manifest))
            throw new FileNotFoundException($"{directory} has no manifest.csv (is it a folder written by `simseg simulate`? run `simseg merge-manifest` after sharded runs)", manifest);
        var lines = File.ReadAllLines(manifest);
        if (lines.Length == 0 || lines[0].Trim() != ManifestRow.Header)
            throw new InvalidDataException($"{manifest}: the first line is not the manifest header '{ManifestRow.Header}'.");
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => ManifestRow.Parse(l, manifest)).ToArray();
        if (rows.Length == 0) throw new InvalidDataException($"{manifest}: the manifest lists no samples.");
        var unknown = rows.FirstOrDefault(r => r.Split is not ("train" or "val" or "test"));
        if (unknown is not null) throw new InvalidDataException($"{manifest}: sample {unknown.Id} has split '{unknown.Split}'; expected train, val or test.");

        string first = Path.Combine(directory, rows[0].Image);
        if (!File.Exists(first)) throw new FileNotFoundException($"image of sample {rows[0].Id} not found: {first}", first);
        if (classes != ClassScheme.Binary)
        {
            var unlisted = rows.FirstOrDefault(r => string.IsNullOrEmpty(r.Classes));
            if (unlisted is not null)
                throw new InvalidDataException($"{manifest}: sample {unlisted.Id} lists no class map (column 'classes'); --classes {classes.CliName()} needs the classes/ folder that `simseg simulate` writes.");
            string firstClasses = Path.Combine(directory, rows[0].Classes);
            if (!File.Exists(firstClasses))
                throw new FileNotFoundException($"class map of sample {rows[0].Id} not found: {firstClasses} (--classes {classes.CliName()} needs the classes/ folder that `simseg simulate` writes)", firstClasses);
        }
        var header = TiffReader.Read(first);
        var presets = rows.Select(r => r.Preset).Where(p => !string.IsNullOrEmpty(p)).Distinct(StringComparer.Ordinal).ToArray();
        var info = new DatasetInfo(directory, presets.Length == 0 ? null : string.Join('+', presets), header.Calibration.PixelWidthNm,
            header.PageCount, header.Width, header.Height,
            rows.Count(r => r.Split == "train"), rows.Count(r => r.Split == "val"), rows.Count(r => r.Split == "test"));
        return new SegmentationDataset(directory, rows, info, classes);
    }

    /// <summary>The rows of one split, in manifest order.</summary>
    public IReadOnlyList<ManifestRow> RowsOf(DatasetSplit split)
    {
        string name = SplitName(split);
        return _rows.Where(r => r.Split == name).ToArray();
    }

    /// <summary>
    /// Loads the first <paramref name="maxSamples"/> samples of <paramref name="split"/> (manifest order), normalising
    /// each image plane by its own percentiles, with the ground truth of <see cref="Classes"/>. Files are read in
    /// parallel; the result does not depend on <paramref name="threads"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">An image, mask or class map is missing.</exception>
    /// <exception cref="InvalidDataException">A sample has another size or plane count than the first, a mask or class map is not a single plane, a class map holds a value outside 0…K−1, or an image holds NaN or infinite pixels.</exception>
    public SegmentationSample[] Load(DatasetSplit split, NormalizationOptions normalization, int maxSamples = int.MaxValue, int threads = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(normalization);
        normalization.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(maxSamples);
        var rows = RowsOf(split).Take(maxSamples).ToArray();
        var samples = new SegmentationSample[rows.Length];
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        try
        {
            Parallel.For(0, rows.Length, parallel, () => new float[Info.Width * Info.Height], (i, _, scratch) =>
            {
                samples[i] = LoadSample(rows[i], normalization, scratch);
                return scratch;
            }, _ => { });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            // The first bad file, with its own exception type, so callers can tell a missing file from a bad one.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
        return samples;
    }

    private SegmentationSample LoadSample(ManifestRow row, NormalizationOptions normalization, float[] scratch)
    {
        bool binary = Classes == ClassScheme.Binary;
        string imagePath = Path.Combine(Directory, row.Image), maskPath = Path.Combine(Directory, binary ? row.Mask : row.Classes);
        if (!File.Exists(imagePath)) throw new FileNotFoundException($"image of sample {row.Id} not found: {imagePath}", imagePath);
        if (!File.Exists(maskPath)) throw new FileNotFoundException($"{(binary ? "mask" : "class map")} of sample {row.Id} not found: {maskPath}", maskPath);
        var image = TiffReader.Read(imagePath).ToFloat();
        if (image.Width != Info.Width || image.Height != Info.Height || image.Depth != Info.Channels)
            throw new InvalidDataException($"{imagePath}: {image.Width}x{image.Height} with {image.Depth} plane(s), but the dataset's first image is {Info.Width}x{Info.Height} with {Info.Channels}; all samples must match.");
        int plane = image.PlaneLength;
        var pixels = new float[image.Data.Length];
        for (int c = 0; c < image.Depth; c++)
        {
            var source = image.Plane(c);
            foreach (float v in source)
                if (!float.IsFinite(v)) throw new InvalidDataException($"{imagePath}: plane {c} holds NaN or infinite pixels; training needs finite images.");
            ImageNormalizer.Normalize(source, pixels.AsSpan(c * plane, plane), normalization, scratch);
        }
        var maskData = TiffReader.Read(maskPath);
        if (maskData.Width != Info.Width || maskData.Height != Info.Height || maskData.PageCount != 1)
            throw new InvalidDataException($"{maskPath}: {maskData.Width}x{maskData.Height} with {maskData.PageCount} page(s); expected one {Info.Width}x{Info.Height} plane.");
        var maskValues = maskData.ToFloat().Data;
        var mask = new byte[maskValues.Length];
        if (binary)
        {
            for (int i = 0; i < mask.Length; i++) mask[i] = maskValues[i] != 0 ? (byte)1 : (byte)0;
        }
        else
        {
            int k = Classes.ClassCount();
            for (int i = 0; i < mask.Length; i++)
            {
                float v = maskValues[i];
                if (!(v >= 0 && v < k && v == MathF.Floor(v)))
                    throw new InvalidDataException($"{maskPath}: pixel ({i % Info.Width}, {i / Info.Width}) has class {v}; --classes {Classes.CliName()} accepts 0-{k - 1} ({string.Join(", ", Classes.ClassNames())}).");
                mask[i] = (byte)v;
            }
        }
        return new SegmentationSample(row.Id, pixels, mask, Info.Channels, Info.Width, Info.Height);
    }
}
