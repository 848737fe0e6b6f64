namespace SimSeg.Cli.Tests;

[Collection("cli")]
public class CommandRunnerTests
{
    private static (int Code, string Err) Run(Func<CancellationToken, int> handler)
    {
        var oldErr = Console.Error;
        var stderr = new StringWriter();
        Console.SetError(stderr);
        try { return (CommandRunner.Run(handler, CancellationToken.None), stderr.ToString()); }
        finally { Console.SetError(oldErr); }
    }

    [Fact]
    public void Run_ArgumentCheckNamingTheFlag_ExitCode2WithItsMessage()
    {
        var (code, err) = Run(_ => throw new ArgumentException("--tile-size must be a positive multiple of 16, got 20.", "tile-size"));
        Assert.Equal(ExitCodes.InvalidArguments, code);
        Assert.Equal("simseg: error: --tile-size must be a positive multiple of 16, got 20.", err.Trim());
    }

    [Fact]
    public void Run_RuntimeArgumentErrorInsideSimSeg_ExitCode1NamingAnInternalErrorAndWhere()
    {
        // What an engine bug looks like from outside: a span sliced out of range carries only the runtime's default message.
        var (code, err) = Run(_ => SliceOutOfRange());
        Assert.Equal(ExitCodes.InternalError, code);
        Assert.Contains("internal error, please report it: ArgumentOutOfRangeException", err);
        Assert.Contains(nameof(SliceOutOfRange), err);
    }

    private static int SliceOutOfRange()
    {
        int[] values = new int[2];
        return values.AsSpan(1, 3).Length;
    }
}
