namespace SimSeg.Core.IO;

/// <summary>
/// A file could not be read because its content is malformed, truncated or uses a feature this library does not
/// support. The message names the file (when known) and what is wrong, e.g.
/// <c>cells.tif: truncated: page 0, strip 3 ends at byte 9120 but the file has 8000 bytes</c>.
/// </summary>
public sealed class ImageFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="fileName"/> (may be null when the source has no name).</summary>
    /// <param name="fileName">Path or name of the file being read, or null.</param>
    /// <param name="problem">What is wrong, as a sentence fragment without the file name.</param>
    /// <param name="innerException">The low-level error that revealed the problem, if any.</param>
    public ImageFormatException(string? fileName, string problem, Exception? innerException = null)
        : base(Compose(fileName, problem), innerException)
    {
        FileName = fileName;
        Problem = problem;
    }

    /// <summary>The path or name of the file as given by the caller, or null when reading an unnamed stream.</summary>
    public string? FileName { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }

    private static string Compose(string? fileName, string problem)
        => string.IsNullOrEmpty(fileName) ? problem : $"{Path.GetFileName(fileName)}: {problem}";
}
