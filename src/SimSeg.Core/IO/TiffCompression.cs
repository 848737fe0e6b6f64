namespace SimSeg.Core.IO;

/// <summary>Compression schemes the TIFF writer can use (the reader also accepts these).</summary>
public enum TiffCompression
{
    /// <summary>Uncompressed (TIFF compression 1).</summary>
    None = 1,

    /// <summary>Lempel-Ziv-Welch (TIFF compression 5).</summary>
    Lzw = 5,

    /// <summary>zlib/Deflate (TIFF compression 8, "Adobe Deflate").</summary>
    Deflate = 8,

    /// <summary>PackBits run-length coding (TIFF compression 32773).</summary>
    PackBits = 32773,
}

/// <summary>Options for <see cref="TiffWriter"/>.</summary>
public sealed record TiffWriteOptions
{
    /// <summary>Compression of the pixel strips. Default: <see cref="TiffCompression.None"/>.</summary>
    public TiffCompression Compression { get; init; } = TiffCompression.None;

    /// <summary>
    /// Store each sample as the difference to its left neighbour (TIFF predictor 2), which usually makes
    /// <see cref="TiffCompression.Lzw"/> and <see cref="TiffCompression.Deflate"/> output much smaller for smooth
    /// images. Only allowed with those two compressions and integer pixel types (TIFF defines predictor 2 for
    /// integers; floating-point images are written without it when this is false, and rejected when true).
    /// </summary>
    public bool Predictor { get; init; }

    /// <summary>
    /// Write an OME-XML ImageDescription (OME-TIFF) instead of the ImageJ one. Default false: ImageJ-style
    /// metadata, which Fiji and tifffile read.
    /// </summary>
    public bool Ome { get; init; }

    /// <summary>
    /// Time between planes in ms for time series: when positive, the ImageJ description calls the planes frames
    /// (with this interval) instead of z slices, so Fiji opens the file as a movie. 0 = planes are z slices.
    /// </summary>
    public double FrameIntervalMs { get; init; }
}
