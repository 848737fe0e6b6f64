using System.Globalization;
using System.Text;
using System.Text.Json;
using SimSeg.Core.Imaging;
using SimSeg.Core.IO;
using SimSeg.Core.Randomness;
using SimSeg.Simulation.Geometry;
using SimSeg.Simulation.Presets;

namespace SimSeg.Simulation.Dataset;

/// <summary>What a dataset run did.</summary>
/// <param name="Written">Samples simulated and written now.</param>
/// <param name="Skipped">Samples already complete from an earlier run (resumed).</param>
/// <param name="ManifestPath">The manifest written (manifest.csv, or manifest.shard-I-of-N.csv for a shard).</param>
public sealed record DatasetSummary(int Written, int Skipped, string ManifestPath);

/// <summary>
/// Writes a simulation-supervised dataset: for each sample an image TIFF (uint16), a mask, instance and class
/// TIFFs, a JSON sidecar with every parameter and seed, and a manifest. Sample i uses the random stream
/// (seed, i) alone, so output bytes do not depend on the thread count or on sharding; a sample is complete
/// when its sidecar exists (written last), so a rerun skips complete samples and resumes.
/// </summary>
public static class DatasetWriter
{
    /// <summary>The sub-folders of a dataset.</summary>
    public static readonly string[] Folders = ["images", "masks", "instances", "classes", "meta"];

    /// <summary>Sample id of index <paramref name="index"/>.</summary>
    public static string SampleId(int index) => "sample-" + index.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>
    /// Simulates and writes the samples of <paramref name="options"/>'s shard. <paramref name="progress"/> is
    /// called (from worker threads, serialised) with the number of samples finished so far and the total for
    /// this shard.
    /// </summary>
    public static DatasetSummary Write(Preset preset, DatasetOptions options, Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(preset);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var simulator = new FieldSimulator(preset);
        string root = options.OutputDirectory;
        foreach (string folder in Folders) Directory.CreateDirectory(Path.Combine(root, folder));

        var indices = Enumerable.Range(0, options.Count).Where(options.Shard.Owns).ToArray();
        var rows = new ManifestRow?[indices.Length];
        int done = 0, skipped = 0;
        object gate = new();
        progress?.Invoke(0, indices.Length);

        Parallel.For(0, indices.Length, new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellationToken }, k =>
        {
            int index = indices[k];
            var row = TryReadComplete(root, index);
            if (row is null) row = WriteSample(simulator, preset, options, index);
            else Interlocked.Increment(ref skipped);
            rows[k] = row;
            lock (gate) progress?.Invoke(++done, indices.Length);
        });

        string manifest = options.Shard.Count == 1
            ? Path.Combine(root, "manifest.csv")
            : Path.Combine(root, $"manifest.shard-{options.Shard.Index}-of-{options.Shard.Count}.csv");
        WriteManifest(manifest, rows!);
        return new DatasetSummary(indices.Length - skipped, skipped, manifest);
    }

    /// <summary>
    /// Joins the shard manifests (manifest.shard-*-of-N.csv) of <paramref name="directory"/> into
    /// manifest.csv, sorted by index. Fails if shards disagree on N, a shard is missing, or an index repeats.
    /// </summary>
    /// <returns>The path written and the number of rows.</returns>
    public static (string Path, int Rows) MergeManifests(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"dataset folder not found: {directory}");
        var files = Directory.GetFiles(directory, "manifest.shard-*-of-*.csv").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new FileNotFoundException($"no shard manifests (manifest.shard-I-of-N.csv) in {directory}", Path.Combine(directory, "manifest.shard-*-of-*.csv"));
        var shardCounts = new HashSet<int>();
        var seenShards = new HashSet<int>();
        foreach (string f in files)
        {
            string name = Path.GetFileNameWithoutExtension(f); // manifest.shard-I-of-N
            string[] parts = name["manifest.shard-".Length..].Split("-of-");
            if (parts.Length != 2 || !int.TryParse(parts[0], out int i) || !int.TryParse(parts[1], out int n))
                throw new InvalidDataException($"{f}: file name is not manifest.shard-I-of-N.csv");
            shardCounts.Add(n);
            seenShards.Add(i);
        }
        if (shardCounts.Count != 1) throw new InvalidDataException($"shard manifests in {directory} come from different shard counts ({string.Join(", ", shardCounts)}); remove the stale ones.");
        int count = shardCounts.First();
        var missing = Enumerable.Range(0, count).Where(i => !seenShards.Contains(i)).ToArray();
        if (missing.Length > 0) throw new InvalidDataException($"shards {string.Join(", ", missing)} of {count} have no manifest in {directory}; run them first (a rerun resumes).");

        var rows = new List<ManifestRow>();
        foreach (string f in files)
        {
            var lines = File.ReadAllLines(f);
            if (lines.Length == 0 || lines[0] != ManifestRow.Header) throw new InvalidDataException($"{f}: first line is not the manifest header '{ManifestRow.Header}'.");
            rows.AddRange(lines.Skip(1).Where(l => l.Length > 0).Select(l => ManifestRow.Parse(l, f)));
        }
        rows.Sort((a, b) => a.Index.CompareTo(b.Index));
        for (int i = 1; i < rows.Count; i++)
            if (rows[i].Index == rows[i - 1].Index) throw new InvalidDataException($"sample {rows[i].Id} appears in two shard manifests.");
        string path = Path.Combine(directory, "manifest.csv");
        WriteManifest(path, rows);
        return (path, rows.Count);
    }

    private static ManifestRow WriteSample(FieldSimulator simulator, Preset preset, DatasetOptions options, int index)
    {
        string id = SampleId(index);
        ulong sampleSeed = Rng.Mix(options.Seed, (ulong)index);
        int tile = options.TileSize, m = options.Montage, size = tile * m;
        int planes = preset.Microscope.ZSlices;
        double pixel = preset.Microscope.PixelSizeNm;
        var calibration = Calibration.Square(pixel, planes > 1 ? preset.Microscope.ZStepNm : 0);
        var image = new Image<ushort>(size, size, planes, calibration);
        var mask = new Image<byte>(size, size, 1, Calibration.Square(pixel));
        var instances = new Image<ushort>(size, size, 1, Calibration.Square(pixel));
        var classes = new Image<byte>(size, size, 1, Calibration.Square(pixel));
        var tiles = new List<object>();
        int idOffset = 0, mitochondria = 0, vesicles = 0, emitters = 0;

        for (int t = 0; t < m * m; t++)
        {
            var rng = Rng.ForStream(sampleSeed, (ulong)t);
            var field = simulator.Simulate(tile, tile, rng);
            int ox = (t % m) * tile, oy = (t / m) * tile;
            for (int z = 0; z < planes; z++)
                for (int y = 0; y < tile; y++)
                    field.Image.Row(y, z).CopyTo(image.Row(oy + y, z).Slice(ox, tile));
            for (int y = 0; y < tile; y++)
            {
                field.Truth.Mask.Row(y).CopyTo(mask.Row(oy + y).Slice(ox, tile));
                field.Truth.Classes.Row(y).CopyTo(classes.Row(oy + y).Slice(ox, tile));
                var src = field.Truth.Instances.Row(y);
                var dst = instances.Row(oy + y).Slice(ox, tile);
                for (int x = 0; x < tile; x++) dst[x] = src[x] == 0 ? (ushort)0 : (ushort)(src[x] + idOffset);
            }
            var objects = field.Scene.Objects.Select(o => new
            {
                id = o.Id + idOffset,
                @class = o.Class.ToString().ToLowerInvariant(),
                kind = o.Kind,
                parameters = o.Parameters,
            }).ToArray();
            tiles.Add(new
            {
                tile = t,
                originPx = new[] { ox, oy },
                rngStream = t, // the tile draws from Rng.ForStream(sampleSeed, rngStream)
                emitters = field.EmitterCount,
                backgroundPhotons = field.Levels.BackgroundPhotons,
                signalToBackground = field.Levels.SignalToBackground,
                photonScale = field.Levels.PhotonScale,
                objects,
            });
            idOffset += field.Scene.Objects.Count;
            mitochondria += field.Scene.Objects.Count(o => o.Class == ObjectClass.Mitochondrion);
            vesicles += field.Scene.Objects.Count(o => o.Class == ObjectClass.Vesicle);
            emitters += field.EmitterCount;
        }

        string root = options.OutputDirectory;
        var row = Row(index, options.Split.Of(index, options.Count), sampleSeed, preset.Name, mask, mitochondria, vesicles, emitters);
        WriteImages(root, row, image, mask, instances, classes, new TiffWriteOptions { Compression = options.Compression });

        var sidecar = new
        {
            id,
            index,
            split = row.Split,
            masterSeed = options.Seed,
            sampleSeed,
            tileSize = tile,
            montage = m,
            groundTruth = System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(preset.GroundTruth.Method.ToString()),
            files = new { image = row.Image, mask = row.Mask, instances = row.Instances, classes = row.Classes },
            preset,
            tiles,
            manifest = row,
        };
        AtomicFile.WriteAllText(Path.Combine(root, row.Meta), JsonSerializer.Serialize(sidecar, PresetCatalog.JsonOptions));
        return row;
    }

    /// <summary>The manifest row of sample <paramref name="index"/>: its files in the dataset layout, sizes and foreground fraction from <paramref name="mask"/>.</summary>
    internal static ManifestRow Row(int index, string split, ulong sampleSeed, string preset, Image<byte> mask, int mitochondria, int vesicles, int emitters)
    {
        string id = SampleId(index);
        return new ManifestRow
        {
            Id = id,
            Index = index,
            Split = split,
            Image = $"images/{id}.tif",
            Mask = $"masks/{id}.tif",
            Instances = $"instances/{id}.tif",
            Classes = $"classes/{id}.tif",
            Meta = $"meta/{id}.json",
            SampleSeed = sampleSeed,
            Preset = preset,
            Width = mask.Width,
            Height = mask.Height,
            Mitochondria = mitochondria,
            Vesicles = vesicles,
            Emitters = emitters,
            ForegroundFraction = mask.Data.Count(v => v != 0) / (double)mask.Data.Length,
        };
    }

    /// <summary>Writes a sample's four images to the paths of <paramref name="row"/> under <paramref name="root"/> (each atomically).</summary>
    internal static void WriteImages(string root, ManifestRow row, Image<ushort> image, Image<byte> mask, Image<ushort> instances, Image<byte> classes, TiffWriteOptions? tiff = null)
    {
        TiffWriter.Write(Path.Combine(root, row.Image), image, tiff);
        TiffWriter.Write(Path.Combine(root, row.Mask), mask, tiff);
        TiffWriter.Write(Path.Combine(root, row.Instances), instances, tiff);
        TiffWriter.Write(Path.Combine(root, row.Classes), classes, tiff);
    }

    /// <summary>The manifest row of a complete sample (sidecar and all files present), or null.</summary>
    internal static ManifestRow? TryReadComplete(string root, int index)
    {
        string id = SampleId(index);
        string meta = Path.Combine(root, "meta", id + ".json");
        if (!File.Exists(meta)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(meta));
            var row = doc.RootElement.GetProperty("manifest").Deserialize<ManifestRow>(PresetCatalog.JsonOptions);
            if (row is null || row.Index != index) return null;
            foreach (string f in new[] { row.Image, row.Mask, row.Instances, row.Classes })
                if (!File.Exists(Path.Combine(root, f))) return null;
            return row;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null; // an unreadable sidecar means the sample is redone
        }
    }

    internal static void WriteManifest(string path, IEnumerable<ManifestRow> rows)
    {
        var sb = new StringBuilder();
        sb.Append(ManifestRow.Header).Append('\n');
        foreach (var r in rows) sb.Append(r.ToCsv()).Append('\n');
        AtomicFile.WriteAllText(path, sb.ToString());
    }
}
