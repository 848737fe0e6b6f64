using System.Globalization;
using SimSeg.Core.IO;

namespace SimSeg.Simulation.Dataset;

/// <summary>One line of <c>manifest.csv</c>: a sample, its split and files (paths relative to the dataset folder).</summary>
public sealed record ManifestRow
{
    /// <summary>Sample id, e.g. "sample-000042".</summary>
    public required string Id { get; init; }

    /// <summary>0-based sample index.</summary>
    public required int Index { get; init; }

    /// <summary>"train", "val" or "test".</summary>
    public required string Split { get; init; }

    /// <summary>Camera image (uint16 TIFF).</summary>
    public required string Image { get; init; }

    /// <summary>Binary mask (uint8 TIFF, 0/1).</summary>
    public required string Mask { get; init; }

    /// <summary>Instance labels (uint16 TIFF).</summary>
    public required string Instances { get; init; }

    /// <summary>Class labels (uint8 TIFF: 1 mitochondrion, 2 vesicle).</summary>
    public required string Classes { get; init; }

    /// <summary>JSON sidecar with every parameter and seed.</summary>
    public required string Meta { get; init; }

    /// <summary>The sample's own seed (derived from the master seed and the index).</summary>
    public required ulong SampleSeed { get; init; }

    /// <summary>Preset name.</summary>
    public required string Preset { get; init; }

    /// <summary>Image width, pixels.</summary>
    public required int Width { get; init; }

    /// <summary>Image height, pixels.</summary>
    public required int Height { get; init; }

    /// <summary>Mitochondria in the sample.</summary>
    public required int Mitochondria { get; init; }

    /// <summary>Vesicles in the sample.</summary>
    public required int Vesicles { get; init; }

    /// <summary>Emitters in the sample.</summary>
    public required int Emitters { get; init; }

    /// <summary>Fraction of mask pixels that are foreground.</summary>
    public required double ForegroundFraction { get; init; }

    /// <summary>The CSV header line.</summary>
    public const string Header = "id,index,split,image,mask,instances,classes,meta,sample_seed,preset,width,height,mitochondria,vesicles,emitters,foreground_fraction";

    /// <summary>This row as a CSV line (fields quoted where they need it).</summary>
    public string ToCsv()
    {
        var c = CultureInfo.InvariantCulture;
        return string.Join(',', CsvLine.Quote(Id), Index.ToString(c), Split, CsvLine.Quote(Image), CsvLine.Quote(Mask), CsvLine.Quote(Instances), CsvLine.Quote(Classes), CsvLine.Quote(Meta),
            SampleSeed.ToString(c), CsvLine.Quote(Preset), Width.ToString(c), Height.ToString(c), Mitochondria.ToString(c), Vesicles.ToString(c),
            Emitters.ToString(c), ForegroundFraction.ToString("0.######", c));
    }

    /// <summary>Parses a line written by <see cref="ToCsv"/>.</summary>
    /// <exception cref="InvalidDataException">The line does not have the manifest's columns.</exception>
    public static ManifestRow Parse(string line, string source)
    {
        var f = CsvLine.Split(line);
        if (f.Count != 16) throw new InvalidDataException($"{source}: expected 16 columns ({Header}), got {f.Count} in line '{line}'.");
        var c = CultureInfo.InvariantCulture;
        try
        {
            return new ManifestRow
            {
                Id = f[0], Index = int.Parse(f[1], c), Split = f[2], Image = f[3], Mask = f[4], Instances = f[5], Classes = f[6], Meta = f[7],
                SampleSeed = ulong.Parse(f[8], c), Preset = f[9], Width = int.Parse(f[10], c), Height = int.Parse(f[11], c),
                Mitochondria = int.Parse(f[12], c), Vesicles = int.Parse(f[13], c), Emitters = int.Parse(f[14], c),
                ForegroundFraction = double.Parse(f[15], c),
            };
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"{source}: malformed manifest line '{line}': {ex.Message}", ex);
        }
    }
}
