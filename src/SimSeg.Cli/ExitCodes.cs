namespace SimSeg.Cli;

/// <summary>Process exit codes of the simseg tool, documented in the README.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>An unexpected internal error (a bug: please report it with the message).</summary>
    public const int InternalError = 1;

    /// <summary>A flag or argument has a value that is not accepted (the message says which and why).</summary>
    public const int InvalidArguments = 2;

    /// <summary>An input file is missing, unreadable or malformed.</summary>
    public const int InvalidInput = 3;

    /// <summary>Output could not be written (disk full, permissions).</summary>
    public const int OutputError = 4;

    /// <summary>Training diverged: the loss became NaN or infinite (the last good checkpoint is kept).</summary>
    public const int TrainingDiverged = 5;

    /// <summary>The user interrupted the command (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
