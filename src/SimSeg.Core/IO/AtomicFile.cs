namespace SimSeg.Core.IO;

/// <summary>
/// Writes a file so that readers only ever see the old content or the complete new content: the data goes to a
/// temporary file in the target's folder, which is flushed to disk and then renamed over the target.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Runs <paramref name="write"/> against a temporary file and moves it to <paramref name="path"/> when it succeeds.</summary>
    /// <remarks>When <paramref name="write"/> throws, the temporary file is deleted and the target is left untouched.</remarks>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no parent folder.", nameof(path));
        string temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (IOException)
        {
            // The original error matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
