using SimSeg.Core.Imaging;

namespace SimSeg.Analysis.Labels;

/// <summary>
/// The pixels of every object of a label image, grouped by label in ascending label order (a counting sort):
/// one flat array of linear indices, raster order within each object.
/// </summary>
internal sealed class ObjectPixels
{
    private readonly int[] _labels;
    private readonly int[] _start;
    private readonly int[] _indices;

    private ObjectPixels(int[] labels, int[] start, int[] indices)
    {
        _labels = labels;
        _start = start;
        _indices = indices;
    }

    /// <summary>Objects found.</summary>
    public int Count => _labels.Length;

    /// <summary>The label of object <paramref name="index"/>.</summary>
    public int Label(int index) => _labels[index];

    /// <summary>Linear indices (y·Width + x) of object <paramref name="index"/>, in raster order.</summary>
    public ReadOnlySpan<int> Pixels(int index) => _indices.AsSpan(_start[index], _start[index + 1] - _start[index]);

    /// <summary>Groups the pixels of a validated label image.</summary>
    public static ObjectPixels Gather(Image<int> labels)
    {
        var data = labels.Data;
        int max = 0;
        foreach (int v in data) if (v > max) max = v;
        // Labels up to the pixel count index a dense array; larger ones are compressed first.
        int[] dense;
        int[] values;
        if (max <= data.Length)
        {
            dense = new int[max + 1];
            foreach (int v in data) if (v != 0) dense[v]++;
            values = Enumerable.Range(1, max).Where(v => dense[v] > 0).ToArray();
            var slot = new int[max + 1];
            for (int i = 0; i < values.Length; i++) slot[values[i]] = i;
            return Build(data, values, v => slot[v]);
        }
        var set = new SortedSet<int>();
        foreach (int v in data) if (v != 0) set.Add(v);
        values = set.ToArray();
        var map = new Dictionary<int, int>(values.Length);
        for (int i = 0; i < values.Length; i++) map[values[i]] = i;
        return Build(data, values, v => map[v]);
    }

    private static ObjectPixels Build(int[] data, int[] values, Func<int, int> slotOf)
    {
        var start = new int[values.Length + 1];
        var slots = new int[data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] == 0) continue;
            int s = slotOf(data[i]);
            slots[i] = s;
            start[s + 1]++;
        }
        for (int s = 0; s < values.Length; s++) start[s + 1] += start[s];
        var next = (int[])start.Clone();
        var indices = new int[start[^1]];
        for (int i = 0; i < data.Length; i++)
            if (data[i] != 0) indices[next[slots[i]]++] = i;
        return new ObjectPixels(values, start, indices);
    }

    /// <summary>A 0/1 mask of <paramref name="box"/> (row-major, box.Width wide) holding the given pixels.</summary>
    public static byte[] Crop(ReadOnlySpan<int> pixels, int imageWidth, PixelBox box)
    {
        var crop = new byte[box.Width * box.Height];
        foreach (int p in pixels)
            crop[(p / imageWidth - box.Y) * box.Width + p % imageWidth - box.X] = 1;
        return crop;
    }
}
