namespace SimSeg.Core.IO;

/// <summary>A numpy dtype this library handles: kind character ('b', 'i', 'u', 'f') and item size in bytes.</summary>
internal readonly record struct NpyDType(char Kind, int Size, Type ClrType)
{
    private static readonly NpyDType[] All =
    [
        new('b', 1, typeof(bool)), new('i', 1, typeof(sbyte)), new('u', 1, typeof(byte)),
        new('i', 2, typeof(short)), new('u', 2, typeof(ushort)), new('i', 4, typeof(int)), new('u', 4, typeof(uint)),
        new('i', 8, typeof(long)), new('u', 8, typeof(ulong)),
        new('f', 2, typeof(Half)), new('f', 4, typeof(float)), new('f', 8, typeof(double)),
    ];

    /// <summary>The dtype of <typeparamref name="T"/>, or null when unsupported.</summary>
    public static NpyDType? Of<T>() where T : unmanaged
    {
        foreach (NpyDType type in All)
            if (type.ClrType == typeof(T)) return type;
        return null;
    }

    /// <summary>The descriptor string, e.g. "&lt;u2" or "|u1".</summary>
    public string Descriptor(bool bigEndian) => $"{(Size == 1 ? '|' : bigEndian ? '>' : '<')}{Kind}{Size}";

    /// <summary>Parses a descriptor such as "&lt;f4", "&gt;i2", "|b1" or "=u8"; null when unsupported.</summary>
    public static (NpyDType Type, bool BigEndian)? Parse(string descriptor)
    {
        if (descriptor.Length < 2) return null;
        char order = descriptor[0];
        string rest = descriptor;
        bool bigEndian = !BitConverter.IsLittleEndian;
        if (order is '<' or '>' or '|' or '=')
        {
            rest = descriptor[1..];
            if (order == '<') bigEndian = false;
            else if (order == '>') bigEndian = true;
        }
        if (rest.Length < 2 || !int.TryParse(rest.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int size))
            return null;
        foreach (NpyDType type in All)
            if (type.Kind == rest[0] && type.Size == size) return (type, bigEndian && size > 1);
        return null;
    }
}
