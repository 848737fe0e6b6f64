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
        // Compare exact types: the runtime lets a short[] pass as a ushort[] (and int[] as uint[]).
        if (_pixels.GetType() != typeof(T[]))
            throw new ImageFormatException(null, $"the file holds {PixelType} ({PixelTypes.ClrType(PixelType).Name}) pixels, not {typeof(T).Name}; use ToImage<{PixelTypes.ClrType(PixelType).Name}>() or ToFloat().");
        return new Image<T>(Width, Height, PageCount, (T[])_pixels, Calibration);
    }

    /// <summary>
    /// The pixels converted to float (values kept, not rescaled; 32-bit integers and doubles may lose precision).
    /// For <see cref="PixelType.Float32"/> files the decoded buffer is shared, as with <see cref="ToImage{T}"/>.
    /// </summary>
    public Image<float> ToFloat()
    {
        if (PixelType == PixelType.Float32) return new Image<float>(Width, Height, PageCount, (float[])_pixels, Calibration);
        var result = new float[_pixels.Length];
        switch (PixelType)
        {
            case PixelType.UInt8: Convert((byte[])_pixels, result); break;
            case PixelType.Int8: Convert((sbyte[])_pixels, result); break;
            case PixelType.UInt16: Convert((ushort[])_pixels, result); break;
            case PixelType.Int16: Convert((short[])_pixels, result); break;
            case PixelType.UInt32: Convert((uint[])_pixels, result); break;
            case PixelType.Int32: Convert((int[])_pixels, result); break;
            default: Convert((double[])_pixels, result); break;
        }
        return new Image<float>(Width, Height, PageCount, result, Calibration);
    }

    private static void Convert<T>(T[] source, float[] destination) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        for (int i = 0; i < source.Length; i++) destination[i] = float.CreateTruncating(source[i]);
    }
}
