namespace SimSeg.Core.Imaging;

/// <summary>
/// A dense image of <typeparamref name="T"/> pixels: <see cref="Depth"/> planes (z slices, time points
/// or channels) of <see cref="Height"/> rows by <see cref="Width"/> columns, stored plane-major then
/// row-major (index = (z·Height + y)·Width + x), with an optional physical calibration.
/// </summary>
/// <typeparam name="T">Pixel type: byte, sbyte, ushort, short, uint, int, float or double.</typeparam>
public sealed class Image<T> where T : unmanaged
{
    /// <summary>Creates a zero-filled image.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive or the image is too large.</exception>
    public Image(int width, int height, int depth = 1, Calibration? calibration = null)
    {
        Guard.Positive(width, nameof(width));
        Guard.Positive(height, nameof(height));
        Guard.Positive(depth, nameof(depth));
        long count = (long)width * height * depth;
        if (count > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(width), $"{width}x{height}x{depth} pixels is larger than one array can hold ({Array.MaxLength}).");
        Width = width;
        Height = height;
        Depth = depth;
        Data = new T[count];
        Calibration = calibration ?? Calibration.Unknown;
    }

    /// <summary>Wraps an existing buffer of exactly width·height·depth pixels (not copied).</summary>
    public Image(int width, int height, int depth, T[] data, Calibration? calibration = null)
    {
        Guard.Positive(width, nameof(width));
        Guard.Positive(height, nameof(height));
        Guard.Positive(depth, nameof(depth));
        ArgumentNullException.ThrowIfNull(data);
        if (data.LongLength != (long)width * height * depth)
            throw new ArgumentException($"data has {data.LongLength} elements; a {width}x{height}x{depth} image needs {(long)width * height * depth}.", nameof(data));
        Width = width;
        Height = height;
        Depth = depth;
        Data = data;
        Calibration = calibration ?? Calibration.Unknown;
    }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Planes.</summary>
    public int Depth { get; }

    /// <summary>The pixels, plane-major then row-major.</summary>
    public T[] Data { get; }

    /// <summary>Physical pixel size, if known.</summary>
    public Calibration Calibration { get; set; }

    /// <summary>Pixels in one plane.</summary>
    public int PlaneLength => Width * Height;

    /// <summary>The pixel at column <paramref name="x"/>, row <paramref name="y"/>, plane <paramref name="z"/>.</summary>
    public ref T this[int x, int y, int z = 0] => ref Data[((long)z * Height + y) * Width + x];

    /// <summary>One plane as a span.</summary>
    public Span<T> Plane(int z) => Data.AsSpan(z * PlaneLength, PlaneLength);

    /// <summary>One row of one plane as a span.</summary>
    public Span<T> Row(int y, int z = 0) => Data.AsSpan((z * Height + y) * Width, Width);

    /// <summary>A new single-plane image holding a copy of plane <paramref name="z"/>.</summary>
    public Image<T> ClonePlane(int z)
    {
        var result = new Image<T>(Width, Height, 1, Calibration);
        Plane(z).CopyTo(result.Data);
        return result;
    }

    /// <summary>A deep copy.</summary>
    public Image<T> Clone() => new(Width, Height, Depth, (T[])Data.Clone(), Calibration);
}

/// <summary>
/// Physical size of a pixel. Lengths are in nanometres; zero means unknown. <see cref="PlaneSpacingNm"/> is
/// the z step of a stack (zero for a single plane or for time series).
/// </summary>
public sealed record Calibration(double PixelWidthNm, double PixelHeightNm, double PlaneSpacingNm = 0)
{
    /// <summary>No calibration.</summary>
    public static Calibration Unknown { get; } = new(0, 0, 0);

    /// <summary>Square pixels of <paramref name="pixelSizeNm"/> nm, with an optional z step.</summary>
    public static Calibration Square(double pixelSizeNm, double planeSpacingNm = 0) => new(pixelSizeNm, pixelSizeNm, planeSpacingNm);

    /// <summary>True when the lateral pixel size is known.</summary>
    public bool IsKnown => PixelWidthNm > 0 && PixelHeightNm > 0;
}
