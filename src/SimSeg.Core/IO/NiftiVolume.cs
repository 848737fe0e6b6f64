using System.Numerics;
using System.Runtime.InteropServices;
using SimSeg.Core.Imaging;

namespace SimSeg.Core.IO;

/// <summary>
/// A volume read by <see cref="NiftiReader"/>: its size, stored voxel type, voxel size and the stored values with
/// the header's scaling (value = stored·<see cref="ScaleSlope"/> + <see cref="ScaleIntercept"/>).
/// </summary>
public sealed class NiftiVolume
{
    private readonly byte[] _raw;

    internal NiftiVolume(string? fileName, PixelType dataType, int width, int height, int depth, Calibration calibration,
        double slope, double intercept, byte[] raw)
    {
        FileName = fileName;
        DataType = dataType;
        Width = width;
        Height = height;
        Depth = depth;
        Calibration = calibration;
        ScaleSlope = slope;
        ScaleIntercept = intercept;
        _raw = raw;
    }

    /// <summary>The file name used in error messages, or null.</summary>
    public string? FileName { get; }

    /// <summary>The stored voxel type (NIfTI datatype).</summary>
    public PixelType DataType { get; }

    /// <summary>Voxels along x (dim[1]).</summary>
    public int Width { get; }

    /// <summary>Voxels along y (dim[2]; 1 when absent).</summary>
    public int Height { get; }

    /// <summary>Voxels along z (dim[3]; 1 when absent).</summary>
    public int Depth { get; }

    /// <summary>
    /// Voxel size in nm from pixdim[1..3] and the spatial unit of xyzt_units (PixelWidthNm = x, PixelHeightNm = y,
    /// PlaneSpacingNm = z); an axis is 0 when the unit is unknown. Headers often hold placeholder sizes (e.g. 1 mm),
    /// so callers should check plausibility.
    /// </summary>
    public Calibration Calibration { get; }

    /// <summary>scl_slope as applied (1 when the header has 0 or a non-finite value, meaning no scaling).</summary>
    public double ScaleSlope { get; }

    /// <summary>scl_inter as applied (0 when no scaling).</summary>
    public double ScaleIntercept { get; }

    /// <summary>
    /// The scaled values as integer labels, with <see cref="Calibration"/>.
    /// </summary>
    /// <exception cref="ImageFormatException">A scaled value is not an integer or lies outside the range of int; the
    /// message names the file, the voxel and the value.</exception>
    public Image<int> ToLabels()
    {
        var labels = new int[(long)Width * Height * Depth];
        long bad;
        double value;
        bool ok = DataType switch
        {
            PixelType.UInt8 => Convert<byte>(labels, out bad, out value),
            PixelType.Int8 => Convert<sbyte>(labels, out bad, out value),
            PixelType.UInt16 => Convert<ushort>(labels, out bad, out value),
            PixelType.Int16 => Convert<short>(labels, out bad, out value),
            PixelType.UInt32 => Convert<uint>(labels, out bad, out value),
            PixelType.Int32 => Convert<int>(labels, out bad, out value),
            PixelType.Float32 => Convert<float>(labels, out bad, out value),
            _ => Convert<double>(labels, out bad, out value),
        };
        if (!ok)
        {
            long x = bad % Width, y = bad / Width % Height, z = bad / ((long)Width * Height);
            throw new ImageFormatException(FileName,
                $"not a label volume: voxel (x={x}, y={y}, z={z}) holds {value}, which is not an integer label in the range of int ({DataType} data)");
        }
        return new Image<int>(Width, Height, Depth, labels, Calibration);
    }

    /// <summary>The scaled values as float (32-bit integers and doubles may lose precision), with <see cref="Calibration"/>.</summary>
    public Image<float> ToFloat()
    {
        var result = new float[(long)Width * Height * Depth];
        switch (DataType)
        {
            case PixelType.UInt8: Scale<byte>(result); break;
            case PixelType.Int8: Scale<sbyte>(result); break;
            case PixelType.UInt16: Scale<ushort>(result); break;
            case PixelType.Int16: Scale<short>(result); break;
            case PixelType.UInt32: Scale<uint>(result); break;
            case PixelType.Int32: Scale<int>(result); break;
            case PixelType.Float32: Scale<float>(result); break;
            default: Scale<double>(result); break;
        }
        return new Image<float>(Width, Height, Depth, result, Calibration);
    }

    private bool Convert<T>(int[] labels, out long bad, out double value) where T : unmanaged, INumberBase<T>
        => IntegerLabels.TryConvert(MemoryMarshal.Cast<byte, T>(_raw), labels, out bad, out value, ScaleSlope, ScaleIntercept);

    private void Scale<T>(float[] result) where T : unmanaged, INumberBase<T>
    {
        ReadOnlySpan<T> source = MemoryMarshal.Cast<byte, T>(_raw);
        bool identity = ScaleSlope == 1 && ScaleIntercept == 0;
        for (int i = 0; i < source.Length; i++)
        {
            double value = double.CreateTruncating(source[i]);
            result[i] = (float)(identity ? value : value * ScaleSlope + ScaleIntercept);
        }
    }
}
