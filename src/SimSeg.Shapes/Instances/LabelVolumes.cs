using System.Numerics;
using SimSeg.Core.Imaging;
using SimSeg.Core.IO;

namespace SimSeg.Shapes.Instances;

/// <summary>Loads integer label volumes from NIfTI-1 (.nii, .nii.gz), TIFF (.tif, .tiff; pages = z) and numpy (.npy) files.</summary>
public static class LabelVolumes
{
    /// <summary>
    /// Reads the label volume at <paramref name="path"/>, choosing the reader by extension. Integer voxel types are
    /// taken as they are; floating-point voxels must hold whole numbers. A .npy array must have shape (Z, Y, X) (or
    /// (Y, X) for one plane) in C or Fortran order.
    /// </summary>
    /// <param name="path">A .nii, .nii.gz, .tif, .tiff or .npy file.</param>
    /// <returns>The labels (x = columns, y = rows, z = planes) and the voxel size in nm found in the file (axes 0 when
    /// unknown; .npy files carry none). The calibration is what the header says: check it before use.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ImageFormatException">The file is damaged, has an unsupported extension or dimensionality, holds
    /// non-integer or out-of-range labels, or has no non-zero voxel; the message names the file.</exception>
    public static (Image<int> Labels, Calibration Calibration) Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string lower = path.ToLowerInvariant();
        Image<int> labels;
        if (lower.EndsWith(".nii", StringComparison.Ordinal) || lower.EndsWith(".nii.gz", StringComparison.Ordinal))
        {
            labels = NiftiReader.Read(path).ToLabels();
        }
        else if (lower.EndsWith(".tif", StringComparison.Ordinal) || lower.EndsWith(".tiff", StringComparison.Ordinal))
        {
            labels = FromTiff(TiffReader.Read(path), path);
        }
        else if (lower.EndsWith(".npy", StringComparison.Ordinal))
        {
            labels = LoadNpy(path);
        }
        else
        {
            throw new ImageFormatException(path, "unsupported label-volume extension; use .nii, .nii.gz, .tif, .tiff or .npy");
        }

        if (Array.TrueForAll(labels.Data, v => v == 0))
            throw new ImageFormatException(path, $"the {labels.Width}x{labels.Height}x{labels.Depth} label volume is empty (no non-zero voxel)");
        return (labels, labels.Calibration);
    }

    /// <summary>
    /// The pages of a TIFF as integer labels, whatever its pixel type (values are checked exactly, so labels
    /// above 2²⁴ survive); an empty image is allowed here.
    /// </summary>
    /// <exception cref="ImageFormatException">A value is not an integer in the range of int; the message names the file and the pixel.</exception>
    public static Image<int> FromTiff(TiffImageData tiff, string path)
    {
        ArgumentNullException.ThrowIfNull(tiff);
        return tiff.PixelType switch
        {
            PixelType.UInt8 => Convert(tiff.ToImage<byte>(), path),
            PixelType.Int8 => Convert(tiff.ToImage<sbyte>(), path),
            PixelType.UInt16 => Convert(tiff.ToImage<ushort>(), path),
            PixelType.Int16 => Convert(tiff.ToImage<short>(), path),
            PixelType.UInt32 => Convert(tiff.ToImage<uint>(), path),
            PixelType.Int32 => Convert(tiff.ToImage<int>(), path),
            PixelType.Float32 => Convert(tiff.ToImage<float>(), path),
            _ => Convert(tiff.ToImage<double>(), path),
        };
    }

    private static Image<int> LoadNpy(string path)
    {
        NpyArray array = NpyReader.Read(path);
        int[] shape = array.Shape;
        if (shape.Length is not (2 or 3))
            throw new ImageFormatException(path, $"a label volume must have shape (Z, Y, X) or (Y, X), got ({string.Join(", ", shape)})");
        if (shape.Any(s => s == 0)) throw new ImageFormatException(path, $"the array of shape ({string.Join(", ", shape)}) holds no voxel");
        int depth = shape.Length == 3 ? shape[0] : 1, height = shape[^2], width = shape[^1];
        Type type = array.ElementType;
        int[] data;
        if (type == typeof(bool)) data = Array.ConvertAll(array.ToArray<bool>(), b => b ? 1 : 0);
        else if (type == typeof(byte)) data = Convert(array.ToArray<byte>(), path, width, height);
        else if (type == typeof(sbyte)) data = Convert(array.ToArray<sbyte>(), path, width, height);
        else if (type == typeof(short)) data = Convert(array.ToArray<short>(), path, width, height);
        else if (type == typeof(ushort)) data = Convert(array.ToArray<ushort>(), path, width, height);
        else if (type == typeof(int)) data = Convert(array.ToArray<int>(), path, width, height);
        else if (type == typeof(uint)) data = Convert(array.ToArray<uint>(), path, width, height);
        else if (type == typeof(long)) data = Convert(array.ToArray<long>(), path, width, height);
        else if (type == typeof(ulong)) data = Convert(array.ToArray<ulong>(), path, width, height);
        else if (type == typeof(Half)) data = Convert(array.ToArray<Half>(), path, width, height);
        else if (type == typeof(float)) data = Convert(array.ToArray<float>(), path, width, height);
        else data = Convert(array.ToArray<double>(), path, width, height);
        return new Image<int>(width, height, depth, data);
    }

    private static Image<int> Convert<T>(Image<T> image, string path) where T : unmanaged, INumberBase<T>
        => new(image.Width, image.Height, image.Depth, Convert(image.Data, path, image.Width, image.Height), image.Calibration);

    private static int[] Convert<T>(T[] values, string path, int width, int height) where T : unmanaged, INumberBase<T>
    {
        var labels = new int[values.Length];
        if (!IntegerLabels.TryConvert<T>(values, labels, out long bad, out double value))
        {
            long x = bad % width, y = bad / width % height, z = bad / ((long)width * height);
            throw new ImageFormatException(path,
                $"not a label volume: voxel (x={x}, y={y}, z={z}) holds {value}, which is not an integer label in the range of int ({typeof(T).Name} data)");
        }
        return labels;
    }
}
