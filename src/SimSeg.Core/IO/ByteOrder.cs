using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace SimSeg.Core.IO;

/// <summary>Byte-order conversion of packed samples.</summary>
internal static class ByteOrder
{
    /// <summary>Reverses the bytes of each <paramref name="size"/>-byte element in place (sizes 1, 2, 4, 8).</summary>
    public static void Reverse(Span<byte> data, int size)
    {
        switch (size)
        {
            case 1:
                break;
            case 2:
                Span<ushort> s16 = MemoryMarshal.Cast<byte, ushort>(data);
                BinaryPrimitives.ReverseEndianness(s16, s16);
                break;
            case 4:
                Span<uint> s32 = MemoryMarshal.Cast<byte, uint>(data);
                BinaryPrimitives.ReverseEndianness(s32, s32);
                break;
            case 8:
                Span<ulong> s64 = MemoryMarshal.Cast<byte, ulong>(data);
                BinaryPrimitives.ReverseEndianness(s64, s64);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(size), size, "Element size must be 1, 2, 4 or 8 bytes.");
        }
    }
}
