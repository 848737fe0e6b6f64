using System.Runtime.InteropServices;

namespace SimSeg.Core.IO;

/// <summary>
/// TIFF predictor 2: each sample of a row is stored as the difference to its left neighbour, computed with
/// wrap-around integer arithmetic on samples of 8, 16, 32 or 64 bits in machine byte order.
/// </summary>
internal static class HorizontalPredictor
{
    /// <summary>Replaces each sample of each row (after the first in the row) by its difference to the left neighbour.</summary>
    public static void Encode(Span<byte> rows, int rowBytes, int sampleBytes)
    {
        for (int start = 0; start + rowBytes <= rows.Length; start += rowBytes)
        {
            Span<byte> row = rows.Slice(start, rowBytes);
            switch (sampleBytes)
            {
                case 1: Difference(row); break;
                case 2: Difference(MemoryMarshal.Cast<byte, ushort>(row)); break;
                case 4: Difference(MemoryMarshal.Cast<byte, uint>(row)); break;
                case 8: Difference(MemoryMarshal.Cast<byte, ulong>(row)); break;
                default: throw new ArgumentOutOfRangeException(nameof(sampleBytes), sampleBytes, "Samples must be 1, 2, 4 or 8 bytes.");
            }
        }
    }

    /// <summary>Undoes <see cref="Encode"/> in place: each sample becomes the running sum of its row.</summary>
    public static void Decode(Span<byte> rows, int rowBytes, int sampleBytes)
    {
        for (int start = 0; start + rowBytes <= rows.Length; start += rowBytes)
        {
            Span<byte> row = rows.Slice(start, rowBytes);
            switch (sampleBytes)
            {
                case 1: Accumulate(row); break;
                case 2: Accumulate(MemoryMarshal.Cast<byte, ushort>(row)); break;
                case 4: Accumulate(MemoryMarshal.Cast<byte, uint>(row)); break;
                case 8: Accumulate(MemoryMarshal.Cast<byte, ulong>(row)); break;
                default: throw new ArgumentOutOfRangeException(nameof(sampleBytes), sampleBytes, "Samples must be 1, 2, 4 or 8 bytes.");
            }
        }
    }

    private static void Difference(Span<byte> row)
    {
        for (int i = row.Length - 1; i > 0; i--) row[i] -= row[i - 1];
    }

    private static void Difference(Span<ushort> row)
    {
        for (int i = row.Length - 1; i > 0; i--) row[i] -= row[i - 1];
    }

    private static void Difference(Span<uint> row)
    {
        for (int i = row.Length - 1; i > 0; i--) row[i] -= row[i - 1];
    }

    private static void Difference(Span<ulong> row)
    {
        for (int i = row.Length - 1; i > 0; i--) row[i] -= row[i - 1];
    }

    private static void Accumulate(Span<byte> row)
    {
        for (int i = 1; i < row.Length; i++) row[i] += row[i - 1];
    }

    private static void Accumulate(Span<ushort> row)
    {
        for (int i = 1; i < row.Length; i++) row[i] += row[i - 1];
    }

    private static void Accumulate(Span<uint> row)
    {
        for (int i = 1; i < row.Length; i++) row[i] += row[i - 1];
    }

    private static void Accumulate(Span<ulong> row)
    {
        for (int i = 1; i < row.Length; i++) row[i] += row[i - 1];
    }
}
