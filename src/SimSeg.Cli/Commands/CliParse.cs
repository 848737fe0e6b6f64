using SimSeg.Core.IO;

namespace SimSeg.Cli.Commands;

/// <summary>Parsing of flag values that System.CommandLine does not know, with messages that name the flag.</summary>
internal static class CliParse
{
    /// <summary>Parses a TIFF compression name (none, lzw, deflate, packbits).</summary>
    public static TiffCompression Compression(string text) => text.ToLowerInvariant() switch
    {
        "none" => TiffCompression.None,
        "lzw" => TiffCompression.Lzw,
        "deflate" => TiffCompression.Deflate,
        "packbits" => TiffCompression.PackBits,
        _ => throw new CliArgumentException($"--compression must be one of none, lzw, deflate, packbits; got '{text}'."),
    };

    /// <summary>Rejects a value that is not strictly positive.</summary>
    public static double Positive(double value, string flag) =>
        value > 0 && double.IsFinite(value) ? value : throw new CliArgumentException($"{flag} must be a number > 0, got {value}.");

    /// <summary>Rejects an integer that is not strictly positive.</summary>
    public static int Positive(int value, string flag) =>
        value > 0 ? value : throw new CliArgumentException($"{flag} must be a positive integer, got {value}.");
}
