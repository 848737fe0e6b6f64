using System.IO.Compression;

namespace SimSeg.Core.IO;

/// <summary>
/// Writes numpy .npz archives: a zip of one .npy file per named array, as <c>numpy.savez</c> (stored) or
/// <c>numpy.savez_compressed</c> (deflated) produce; <c>numpy.load(path)["points"]</c> reads them back.
/// </summary>
public static class NpzWriter
{
    /// <summary>The time stamp of every entry: the start of the zip epoch, 1980-01-01.</summary>
    private static readonly DateTimeOffset FixedTimestamp = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes the arrays atomically (temporary file in the same folder, renamed when complete).</summary>
    /// <param name="path">Destination, conventionally ending in ".npz"; its folder must exist.</param>
    /// <param name="arrays">Arrays by name (e.g. "points", "occupancies"); each is stored as "name.npy".</param>
    /// <param name="compress">Deflate the entries (like savez_compressed) instead of storing them.</param>
    /// <exception cref="ArgumentException">A name is empty or contains a path separator.</exception>
    public static void Write(string path, IReadOnlyDictionary<string, NpyArray> arrays, bool compress = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(arrays);
        foreach (string name in arrays.Keys)
        {
            if (string.IsNullOrEmpty(name) || name.IndexOfAny(['/', '\\']) >= 0)
                throw new ArgumentException($"Array name '{name}' must be non-empty and contain no path separator.", nameof(arrays));
        }
        using var file = new AtomicFile(path);
        using (var zip = new ZipArchive(file.Stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, array) in arrays)
            {
                ArgumentNullException.ThrowIfNull(array, name);
                ZipArchiveEntry entry = zip.CreateEntry(name + ".npy", compress ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                // A fixed time stamp, so the same arrays always give the same bytes (the zip default is "now").
                entry.LastWriteTime = FixedTimestamp;
                using Stream stream = entry.Open();
                NpyWriter.Write(stream, array);
            }
        }
        file.Commit();
    }
}

/// <summary>Reads numpy .npz archives written by <c>numpy.savez</c>, <c>numpy.savez_compressed</c> or <see cref="NpzWriter"/>.</summary>
public static class NpzReader
{
    /// <summary>Reads every ".npy" entry of the archive at <paramref name="path"/>, keyed by name without ".npy".</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ImageFormatException">The file is not a zip archive, or an entry is not a supported .npy array.</exception>
    public static IReadOnlyDictionary<string, NpyArray> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var result = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
            foreach (ZipArchiveEntry entry in zip.Entries)
            {
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
                if (entry.Length > Array.MaxLength)
                    throw new ImageFormatException(path, $"entry {entry.FullName}: declares {entry.Length} bytes, more than this reader handles");
                var buffer = new MemoryStream((int)entry.Length);
                using (Stream data = entry.Open()) CopyAtMost(data, buffer, entry.Length, path, entry.FullName);
                buffer.Position = 0;
                try
                {
                    result[entry.FullName[..^4]] = NpyReader.ReadCore(buffer, null, buffer.Length);
                }
                catch (ImageFormatException e)
                {
                    throw new ImageFormatException(path, $"entry {entry.FullName}: {e.Problem}", e);
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new ImageFormatException(path, $"not a valid .npz (zip) archive: {e.Message}", e);
        }
        return result;
    }

    /// <summary>Copies an entry, failing if it inflates to more than its declared size (so a lying entry cannot exhaust memory).</summary>
    private static void CopyAtMost(Stream source, Stream destination, long limit, string path, string entry)
    {
        var chunk = new byte[81920];
        long total = 0;
        int n;
        while ((n = source.Read(chunk)) > 0)
        {
            total += n;
            if (total > limit) throw new ImageFormatException(path, $"entry {entry}: inflates to more than its declared {limit} bytes");
            destination.Write(chunk, 0, n);
        }
    }
}
