namespace SimSeg.Core.IO;

/// <summary>
/// Writes a file so that readers only ever see the old content or the complete new content: the data goes to a
/// temporary file in the target's folder, which is renamed over the target by
/// <see cref="Commit"/>. Disposing without committing deletes the temporary file and leaves the target untouched.
/// </summary>
/// <example><code>
/// using (var file = new AtomicFile(path)) { Write(file.Stream); file.Commit(); }
/// </code></example>
public sealed class AtomicFile : IDisposable
{
    private readonly string _target;
    private readonly string _temporary;
    private readonly FileStream _stream;
    private bool _done;

    /// <summary>Creates the temporary file next to <paramref name="path"/>.</summary>
    public AtomicFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _target = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(_target) ?? throw new ArgumentException($"'{path}' has no parent folder.", nameof(path));
        _temporary = Path.Combine(directory, $".{Path.GetFileName(_target)}.{Guid.NewGuid():N}.tmp");
        _stream = new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    }

    /// <summary>The temporary file to write to.</summary>
    public Stream Stream => _stream;

    /// <summary>Flushes the temporary file to disk and renames it over the target.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _stream.Flush();
        _stream.Dispose();
        File.Move(_temporary, _target, overwrite: true);
        _done = true;
    }

    /// <summary>Deletes the temporary file unless <see cref="Commit"/> succeeded.</summary>
    public void Dispose()
    {
        if (_done) return;
        _done = true;
        _stream.Dispose();
        try
        {
            File.Delete(_temporary);
        }
        catch (IOException)
        {
            // The error that stopped the write matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark, atomically.</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] bytes = new System.Text.UTF8Encoding(false).GetBytes(text);
        Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Runs <paramref name="write"/> against a temporary file and moves it to <paramref name="path"/> when it succeeds.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var file = new AtomicFile(path);
        write(file.Stream);
        file.Commit();
    }
}
