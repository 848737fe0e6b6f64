using SimSeg.Core.Imaging;

namespace SimSeg.Core.IO;

/// <summary>
/// The decoded pixels and metadata of a TIFF file: all pages stacked as planes of one image, in their stored type.
/// </summary>
public sealed class TiffImageData
{
    private readonly Array _pixels;

    internal TiffImageData(PixelType pixelType, int width, int height, int pageCount, Calibration calibration, string? description, Array pixels)
    {
        PixelType = pixelType;
        Width = width;
        Height = height;
        PageCount = pageCount;
        Calibration = calibration;
        Description = description;
        _pixels = pixels;
    }

    /// <summary>The stored sample type. Bilevel (1-bit) files are reported as <see cref="PixelType.UInt8"/> with values 0 and 1.</summary>
    public PixelType PixelType { get; }

    /// <summary>Columns of every page.</summary>
    public int Width { get; }

    /// <summary>Rows of every page.</summary>
    public int Height { get; }

    /// <summary>Pages read (full-resolution pages only; reduced-resolution thumbnails are skipped).</summary>
    public int PageCount { get; }

    /// <summary>
    /// Pixel size in nm taken from the ImageJ description, else the OME-XML description, else the resolution tags
    /// (only with ResolutionUnit inch or centimetre); <see cref="Calibration.Unknown"/> when none gives one.
    /// </summary>
    public Calibration Calibration { get; }

    /// <summary>The ImageDescription of the first page, or null when it has none.</summary>
    public string? Description { get; }

    /// <summary>
    /// The pixels as an image of the stored type, one plane per page. The image wraps the decoded buffer without
    /// copying: repeated calls return images sharing it (use <see cref="Image{T}.Clone"/> for an independent copy).
    /// </summary>
    /// <typeparam name="T">Must match <see cref="PixelType"/> (e.g. ushort for <see cref="PixelType.UInt16"/>).</typeparam>
    /// <exception cref="ImageFormatException"><typeparamref name="T"/> is not the stored type; the message names both.</exception>
    public Image<T> ToImage<T>() where T : unmanaged
    {
        if (_pixels is not T[] pixels)
            throw new ImageFormatException(null, $"the file holds {PixelType} ({PixelTypes.ClrType(PixelType).Name}) pixels, not {typeof(T).Name}; use ToImage<{PixelTypes.ClrType(PixelType).Name}>() or ToFloat().");
        return new Image<T>(Width, Height, PageCount, pixels, Calibration);
    }

    /// <summary>
    /// The pixels converted to float (values kept, not rescaled; 32-bit integers and doubles may lose precision).
    /// For <see cref="PixelType.Float32"/> files the decoded buffer is shared, as with <see cref="ToImage{T}"/>.
    /// </summary>
    public Image<float> ToFloat()
    {
        float[] result = _pixels as float[] ?? new float[_pixels.Length];
        switch (_pixels)
        {
            case byte[] a: for (int i = 0; i < a.Length; i++) result[i] = a[i]; break;
            case sbyte[] a: for (int i = 0; i < a.Length; i++) result[i] = a[i]; break;
            case ushort[] a: for (int i = 0; i < a.Length; i++) result[i] = a[i]; break;
            case short[] a: for (int i = 0; i < a.Length; i++) result[i] = a[i]; break;
            case uint[] a: for (int i = 0; i < a.Length; i++) result[i] = a[i]; break;
            case int[] a: for (int i = 0; i < a.Length; i++) result[i] = a[i]; break;
            case double[] a: for (int i = 0; i < a.Length; i++) result[i] = (float)a[i]; break;
        }
        return new Image<float>(Width, Height, PageCount, result, Calibration);
    }
}
