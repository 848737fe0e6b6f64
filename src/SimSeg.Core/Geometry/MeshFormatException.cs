namespace SimSeg.Core.Geometry;

/// <summary>
/// A mesh file that cannot be read or written: unknown extension, empty mesh, index out of range,
/// truncated data or a token that is not a number. The message names the file and the problem.
/// </summary>
public sealed class MeshFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/> with a one-line <paramref name="problem"/>.</summary>
    public MeshFormatException(string path, string problem, Exception? inner = null)
        : base($"Mesh file '{path}': {problem}", inner)
    {
        FilePath = path;
        Problem = problem;
    }

    /// <summary>The file concerned.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
