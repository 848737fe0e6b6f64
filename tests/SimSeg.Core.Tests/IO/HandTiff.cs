using System.Buffers.Binary;

namespace SimSeg.Core.Tests.IO;

/// <summary>
/// A deliberately simple TIFF/BigTIFF assembler for tests: it writes whatever tags it is given, in either byte order,
/// so the reader can be tested against files our writer would never produce.
/// </summary>
internal sealed class HandTiff(bool bigEndian, bool bigTiff = false)
{
    private readonly List<Page> _pages = [];

    public sealed class Page
    {
        internal readonly List<(ushort Tag, ushort Type, byte[] Data, int Count)> Entries = [];
        internal readonly List<byte[]> Chunks = [];
        public ushort OffsetsTag = 273, CountsTag = 279;
        public bool OmitCounts;
    }

    public Page AddPage(params byte[][] chunks)
    {
        var page = new Page();
        page.Chunks.AddRange(chunks);
        _pages.Add(page);
        return page;
    }

    public HandTiff Short(Page page, ushort tag, params ushort[] values)
    {
        var data = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++) U16(data.AsSpan(2 * i), values[i]);
        page.Entries.Add((tag, 3, data, values.Length));
        return this;
    }

    public HandTiff Long(Page page, ushort tag, params uint[] values)
    {
        var data = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) U32(data.AsSpan(4 * i), values[i]);
        page.Entries.Add((tag, 4, data, values.Length));
        return this;
    }

    public HandTiff Ascii(Page page, ushort tag, string text)
    {
        byte[] data = [.. System.Text.Encoding.UTF8.GetBytes(text), 0];
        page.Entries.Add((tag, 2, data, data.Length));
        return this;
    }

    public HandTiff Rational(Page page, ushort tag, uint numerator, uint denominator)
    {
        var data = new byte[8];
        U32(data, numerator);
        U32(data.AsSpan(4), denominator);
        page.Entries.Add((tag, 5, data, 1));
        return this;
    }

    /// <summary>Basic grayscale tags for a strip image.</summary>
    public Page Gray(int width, int height, int bits, int sampleFormat, int compression, int rowsPerStrip, params byte[][] strips)
    {
        Page page = AddPage(strips);
        Long(page, 256, (uint)width).Long(page, 257, (uint)height).Short(page, 258, (ushort)bits)
            .Short(page, 259, (ushort)compression).Short(page, 262, 1).Long(page, 278, (uint)rowsPerStrip)
            .Short(page, 339, (ushort)sampleFormat);
        return page;
    }

    public byte[] Build()
    {
        var file = new List<byte>();
        file.AddRange(bigEndian ? "MM"u8.ToArray() : "II"u8.ToArray());
        if (bigTiff)
        {
            Append(file, 2, 43);
            Append(file, 2, 8);
            Append(file, 2, 0);
        }
        else
        {
            Append(file, 2, 42);
        }
        int pointerAt = file.Count;
        Append(file, bigTiff ? 8 : 4, 0);

        foreach (Page page in _pages)
        {
            var offsets = new List<long>();
            foreach (byte[] chunk in page.Chunks)
            {
                offsets.Add(file.Count);
                file.AddRange(chunk);
                if ((file.Count & 1) != 0) file.Add(0);
            }
            var entries = new List<(ushort Tag, ushort Type, byte[] Data, int Count)>(page.Entries);
            int wide = bigTiff ? 8 : 4;
            var offsetData = new byte[offsets.Count * wide];
            var countData = new byte[offsets.Count * wide];
            for (int i = 0; i < offsets.Count; i++)
            {
                Put(offsetData.AsSpan(i * wide), wide, (ulong)offsets[i]);
                Put(countData.AsSpan(i * wide), wide, (ulong)page.Chunks[i].Length);
            }
            ushort longType = bigTiff ? (ushort)16 : (ushort)4;
            entries.Add((page.OffsetsTag, longType, offsetData, offsets.Count));
            if (!page.OmitCounts) entries.Add((page.CountsTag, longType, countData, offsets.Count));
            entries.Sort((a, b) => a.Tag.CompareTo(b.Tag));

            int entrySize = bigTiff ? 20 : 12, inline = bigTiff ? 8 : 4;
            long ifdAt = file.Count;
            Patch(file, pointerAt, bigTiff ? 8 : 4, (ulong)ifdAt);
            long extraAt = ifdAt + (bigTiff ? 8 : 2) + entries.Count * entrySize + (bigTiff ? 8 : 4);
            var extra = new List<byte>();
            Append(file, bigTiff ? 8 : 2, (ulong)entries.Count);
            foreach (var (tag, type, data, count) in entries)
            {
                Append(file, 2, tag);
                Append(file, 2, type);
                Append(file, bigTiff ? 8 : 4, (ulong)count);
                if (data.Length <= inline)
                {
                    file.AddRange(data);
                    for (int i = data.Length; i < inline; i++) file.Add(0);
                }
                else
                {
                    Append(file, inline, (ulong)(extraAt + extra.Count));
                    extra.AddRange(data);
                    if ((extra.Count & 1) != 0) extra.Add(0);
                }
            }
            pointerAt = file.Count;
            Append(file, bigTiff ? 8 : 4, 0);
            file.AddRange(extra);
        }
        return [.. file];
    }

    private void U16(Span<byte> b, ushort v)
    {
        if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, v);
        else BinaryPrimitives.WriteUInt16LittleEndian(b, v);
    }

    private void U32(Span<byte> b, uint v)
    {
        if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, v);
        else BinaryPrimitives.WriteUInt32LittleEndian(b, v);
    }

    private void Put(Span<byte> b, int size, ulong v)
    {
        if (size == 1) b[0] = (byte)v;
        else if (size == 2) U16(b, (ushort)v);
        else if (size == 4) U32(b, (uint)v);
        else if (bigEndian) BinaryPrimitives.WriteUInt64BigEndian(b, v);
        else BinaryPrimitives.WriteUInt64LittleEndian(b, v);
    }

    private void Append(List<byte> file, int size, ulong v)
    {
        var b = new byte[size];
        Put(b, size, v);
        file.AddRange(b);
    }

    private void Patch(List<byte> file, int at, int size, ulong v)
    {
        var b = new byte[size];
        Put(b, size, v);
        for (int i = 0; i < size; i++) file[at + i] = b[i];
    }

    /// <summary>Samples of the given size in this file's byte order.</summary>
    public byte[] Samples(int size, params long[] values)
    {
        var data = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++) Put(data.AsSpan(i * size), size, (ulong)values[i]);
        return data;
    }
}
