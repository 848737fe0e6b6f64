using SimSeg.Core.IO;
using Spectre.Console;

namespace SimSeg.Cli;

/// <summary>
/// Runs a command's handler and turns the exceptions the library throws for bad input into one clear line on
/// stderr and a named exit code. Handlers stay free of try/catch.
/// </summary>
internal static class CommandRunner
{
    /// <summary>Runs <paramref name="handler"/>; returns its exit code or the code of the error it threw.</summary>
    public static int Run(Func<CancellationToken, int> handler, CancellationToken cancellationToken)
    {
        try
        {
            return handler(cancellationToken);
        }
        catch (Exception ex) when (ExitCodeOf(ex) is int code)
        {
            Error(MessageOf(ex));
            return code;
        }
    }

    /// <summary>The exit code for an exception the library throws on bad input, or null for a bug (which propagates).</summary>
    private static int? ExitCodeOf(Exception ex) => ex switch
    {
        OperationCanceledException => ExitCodes.Cancelled,
        ArgumentException a when IsInternal(a) => ExitCodes.InternalError,
        CliArgumentException or ArgumentException => ExitCodes.InvalidArguments,
        UnauthorizedAccessException => ExitCodes.OutputError,
        FileNotFoundException or DirectoryNotFoundException or ImageFormatException or InvalidDataException or IOException => ExitCodes.InvalidInput,
        _ => null,
    };

    private static string MessageOf(Exception ex) => ex switch
    {
        OperationCanceledException => "cancelled.",
        ArgumentException a when IsInternal(a) =>
            $"internal error, please report it: {ex.GetType().Name}: {StripParameterSuffix(ex.Message)}{(a.ParamName is null ? "" : $" (parameter '{a.ParamName}')")} in {Origin(ex)}.",
        FileNotFoundException { FileName: not null } missing when !ex.Message.Contains(missing.FileName, StringComparison.Ordinal) => $"file not found: {missing.FileName}",
        ArgumentException => StripParameterSuffix(ex.Message),
        _ => ex.Message,
    };

    /// <summary>
    /// True for an argument exception that carries only the runtime's default message ("Specified argument was out of
    /// the range of valid values.", "Value cannot be null."): thrown by the runtime inside SimSeg (a span sliced out of
    /// range, a null passed between layers), a bug rather than a value the user can fix. Every check on user input
    /// says which flag or argument and what is accepted.
    /// </summary>
    private static bool IsInternal(ArgumentException ex)
    {
        string message = StripParameterSuffix(ex.Message);
        return DefaultMessages.Contains(message);
    }

    private static readonly HashSet<string> DefaultMessages =
    [
        StripParameterSuffix(new ArgumentException().Message),
        StripParameterSuffix(new ArgumentOutOfRangeException().Message),
        StripParameterSuffix(new ArgumentNullException().Message),
    ];

    /// <summary>The first SimSeg method on the exception's stack ("Type.Method"), where a report should start looking.</summary>
    private static string Origin(Exception ex)
    {
        var frames = new System.Diagnostics.StackTrace(ex, fNeedFileInfo: false).GetFrames();
        var method = frames.Select(f => f.GetMethod()).FirstOrDefault(m => m?.DeclaringType?.Namespace?.StartsWith("SimSeg", StringComparison.Ordinal) == true)
            ?? frames.FirstOrDefault()?.GetMethod();
        return method is null ? "an unknown place" : $"{method.DeclaringType?.FullName}.{method.Name}";
    }

    /// <summary>Writes "error: message" to stderr.</summary>
    public static void Error(string message) => Console.Error.WriteLine($"simseg: error: {message}");

    /// <summary>Writes a note to stderr (kept off stdout so that stdout can be piped).</summary>
    public static void Note(string message) => Console.Error.WriteLine($"simseg: {message}");

    // ArgumentException appends " (Parameter 'x')"; the message already names the argument.
    private static string StripParameterSuffix(string message)
    {
        int i = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        string trimmed = i > 0 ? message[..i] : message;
        int actual = trimmed.IndexOf(Environment.NewLine + "Actual value was", StringComparison.Ordinal);
        return actual > 0 ? trimmed[..actual] : trimmed;
    }

    /// <summary>True when stderr is an interactive terminal (progress bars are drawn only then).</summary>
    public static bool Interactive => !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive;
}

/// <summary>A command-line value that is not accepted; its message names the flag, the value and what is accepted.</summary>
internal sealed class CliArgumentException(string message) : Exception(message);
