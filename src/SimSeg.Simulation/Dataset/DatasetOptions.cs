using SimSeg.Core;
using SimSeg.Core.IO;

namespace SimSeg.Simulation.Dataset;

/// <summary>Which part of a job this process runs: shard <see cref="Index"/> (0-based) of <see cref="Count"/>.</summary>
/// <param name="Index">0-based shard index (Slurm's SLURM_ARRAY_TASK_ID with --array=0-(N-1)).</param>
/// <param name="Count">Number of shards.</param>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>The whole job in one process.</summary>
    public static Shard All => new(0, 1);

    /// <summary>True when this shard makes sample <paramref name="sampleIndex"/> (samples are dealt round-robin).</summary>
    public bool Owns(int sampleIndex) => sampleIndex % Count == Index;

    /// <summary>Parses "I/N" with 0 ≤ I &lt; N.</summary>
    /// <exception cref="ArgumentException">The text is not of that form.</exception>
    public static Shard Parse(string text)
    {
        string[] parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int i) || !int.TryParse(parts[1], out int n) || n < 1 || i < 0 || i >= n)
            throw new ArgumentException($"--shard must be I/N with 0 <= I < N (for example 3/8), got '{text}'.", "shard");
        return new Shard(i, n);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Index}/{Count}";
}

/// <summary>Train/validation/test fractions (PhySeg: 60/20/20).</summary>
/// <param name="Train">Fraction of samples for training.</param>
/// <param name="Validation">Fraction for validation.</param>
/// <param name="Test">Fraction for testing.</param>
public readonly record struct SplitFractions(double Train, double Validation, double Test)
{
    /// <summary>60/20/20.</summary>
    public static SplitFractions Default => new(0.6, 0.2, 0.2);

    /// <summary>Parses "a,b,c" (three non-negative numbers summing to 1 within 0.001).</summary>
    public static SplitFractions Parse(string text)
    {
        string[] parts = text.Split(',');
        var values = new double[3];
        if (parts.Length != 3 || !parts.Select((p, i) => double.TryParse(p, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out values[i])).All(ok => ok))
            throw new ArgumentException($"--split must be three fractions train,val,test (for example 0.6,0.2,0.2), got '{text}'.", "split");
        var split = new SplitFractions(values[0], values[1], values[2]);
        split.Validate();
        return split;
    }

    /// <summary>Throws unless all fractions are ≥ 0 and sum to 1 (±0.001).</summary>
    public void Validate()
    {
        if (Train < 0 || Validation < 0 || Test < 0 || Math.Abs(Train + Validation + Test - 1) > 1e-3)
            throw new ArgumentException($"--split fractions must be >= 0 and sum to 1, got {Train},{Validation},{Test}.", "split");
    }

    /// <summary>
    /// The split of sample <paramref name="index"/> of <paramref name="count"/>: the first round(train·count)
    /// samples train, the next round((train+val)·count) − that validate, the rest test. Depends only on the
    /// index, so shards agree.
    /// </summary>
    public string Of(int index, int count)
    {
        int trainEnd = (int)Math.Round(Train * count);
        int validationEnd = (int)Math.Round((Train + Validation) * count);
        return index < trainEnd ? "train" : index < validationEnd ? "val" : "test";
    }
}

/// <summary>Settings of one <c>simseg simulate</c> run.</summary>
public sealed record DatasetOptions
{
    /// <summary>Folder to write into (created if missing).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Samples in the whole dataset (all shards together).</summary>
    public int Count { get; init; } = 64;

    /// <summary>Master seed; sample i uses the stream (Seed, i).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Side of one simulated tile, pixels (PhySeg: 128).</summary>
    public int TileSize { get; init; } = 128;

    /// <summary>Tiles per side of a sample (1 = one tile; 2 = PhySeg's 2×2 montage of 256×256).</summary>
    public int Montage { get; init; } = 1;

    /// <summary>Train/validation/test fractions.</summary>
    public SplitFractions Split { get; init; } = SplitFractions.Default;

    /// <summary>The part of the job this process runs.</summary>
    public Shard Shard { get; init; } = Shard.All;

    /// <summary>Worker threads (output does not depend on it).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Compression of the TIFF files.</summary>
    public TiffCompression Compression { get; init; } = TiffCompression.None;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(OutputDirectory, nameof(OutputDirectory));
        if (Count < 1) throw new ArgumentException($"--count must be at least 1, got {Count}.", "count");
        if (TileSize < 8 || TileSize > 8192) throw new ArgumentException($"--tile must be between 8 and 8192 pixels, got {TileSize}.", "tile");
        if (Montage < 1 || Montage > 16) throw new ArgumentException($"--montage must be between 1 and 16 tiles per side, got {Montage}.", "montage");
        Split.Validate();
        if (Shard.Count < 1 || Shard.Index < 0 || Shard.Index >= Shard.Count) throw new ArgumentException($"--shard must be I/N with 0 <= I < N, got {Shard}.", "shard");
        Guard.Positive(Threads, "threads");
    }
}
