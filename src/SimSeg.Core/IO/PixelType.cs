namespace SimSeg.Core.IO;

/// <summary>The numeric type of one stored pixel sample.</summary>
public enum PixelType
{
    /// <summary>Unsigned 8-bit integer (<see cref="byte"/>).</summary>
    UInt8,

    /// <summary>Signed 8-bit integer (<see cref="sbyte"/>).</summary>
    Int8,

    /// <summary>Unsigned 16-bit integer (<see cref="ushort"/>).</summary>
    UInt16,

    /// <summary>Signed 16-bit integer (<see cref="short"/>).</summary>
    Int16,

    /// <summary>Unsigned 32-bit integer (<see cref="uint"/>).</summary>
    UInt32,

    /// <summary>Signed 32-bit integer (<see cref="int"/>).</summary>
    Int32,

    /// <summary>32-bit IEEE float (<see cref="float"/>).</summary>
    Float32,

    /// <summary>64-bit IEEE float (<see cref="double"/>).</summary>
    Float64,
}

/// <summary>Maps between <see cref="PixelType"/> and CLR element types.</summary>
internal static class PixelTypes
{
    /// <summary>The pixel type of <typeparamref name="T"/>, or null when it is not a supported pixel type.</summary>
    public static PixelType? TryOf<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(byte)) return PixelType.UInt8;
        if (typeof(T) == typeof(sbyte)) return PixelType.Int8;
        if (typeof(T) == typeof(ushort)) return PixelType.UInt16;
        if (typeof(T) == typeof(short)) return PixelType.Int16;
        if (typeof(T) == typeof(uint)) return PixelType.UInt32;
        if (typeof(T) == typeof(int)) return PixelType.Int32;
        if (typeof(T) == typeof(float)) return PixelType.Float32;
        if (typeof(T) == typeof(double)) return PixelType.Float64;
        return null;
    }

    /// <summary>Bytes per sample.</summary>
    public static int SizeOf(PixelType type) => type switch
    {
        PixelType.UInt8 or PixelType.Int8 => 1,
        PixelType.UInt16 or PixelType.Int16 => 2,
        PixelType.UInt32 or PixelType.Int32 or PixelType.Float32 => 4,
        PixelType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown pixel type."),
    };

    /// <summary>The CLR element type.</summary>
    public static Type ClrType(PixelType type) => type switch
    {
        PixelType.UInt8 => typeof(byte),
        PixelType.Int8 => typeof(sbyte),
        PixelType.UInt16 => typeof(ushort),
        PixelType.Int16 => typeof(short),
        PixelType.UInt32 => typeof(uint),
        PixelType.Int32 => typeof(int),
        PixelType.Float32 => typeof(float),
        PixelType.Float64 => typeof(double),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown pixel type."),
    };

    /// <summary>True for the floating-point types.</summary>
    public static bool IsFloat(PixelType type) => type is PixelType.Float32 or PixelType.Float64;

    /// <summary>True for the signed integer types.</summary>
    public static bool IsSignedInteger(PixelType type) => type is PixelType.Int8 or PixelType.Int16 or PixelType.Int32;
}
