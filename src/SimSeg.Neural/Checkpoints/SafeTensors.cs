using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using SimSeg.Core.IO;

namespace SimSeg.Neural.Checkpoints;

/// <summary>
/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header mapping each tensor
/// name to {"dtype", "shape", "data_offsets": [begin, end]} (offsets into the data block that follows), then the
/// raw little-endian data. Names and layouts are PyTorch's, so PyTorch's <c>safetensors.torch.load_file</c> reads
/// SimSeg checkpoints and the other way round. Only float32 ("F32") tensors are written; F32 is read.
/// </summary>
public static class SafeTensors
{
    private const long MaxHeaderBytes = 100L << 20;

    /// <summary>Writes <paramref name="tensors"/> (name → tensor, written in name order) atomically to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToArray();
        using var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) json.WriteString(k, v);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (string name in names)
            {
                var t = tensors[name];
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int d in t.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + 4L * t.Length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += 4L * t.Length;
            }
            json.WriteEndObject();
        }
        // The header is padded with spaces to a multiple of 8 bytes, as the reference writer does.
        while (header.Length % 8 != 0) header.WriteByte((byte)' ');
        byte[] headerBytes = header.ToArray();
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerBytes.Length);
            stream.Write(length);
            stream.Write(headerBytes);
            var buffer = new byte[1 << 16];
            foreach (string name in names)
            {
                float[] data = tensors[name].Data;
                for (int i = 0; i < data.Length;)
                {
                    int count = Math.Min(buffer.Length / 4, data.Length - i);
                    for (int k = 0; k < count; k++) BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(4 * k), data[i + k]);
                    stream.Write(buffer, 0, 4 * count);
                    i += count;
                }
            }
        });
    }

    /// <summary>The string pairs of the header's "__metadata__" entry (empty when it has none).</summary>
    /// <exception cref="ImageFormatException">The file is truncated or its header is not valid; the message names the file.</exception>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> length = stackalloc byte[8];
        if (stream.ReadAtLeast(length, 8, throwOnEndOfStream: false) < 8) throw new ImageFormatException(path, "not a safetensors file: shorter than its 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(length);
        if (headerLength > (ulong)Math.Min(MaxHeaderBytes, stream.Length - 8))
            throw new ImageFormatException(path, $"not a safetensors file: header length {headerLength} exceeds the file ({stream.Length} bytes)");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(header);
            if (doc.RootElement.TryGetProperty("__metadata__", out var metadata))
                foreach (var entry in metadata.EnumerateObject()) result[entry.Name] = entry.Value.GetString() ?? "";
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new ImageFormatException(path, $"not a valid safetensors header: {ex.Message}", ex);
        }
        return result;
    }

    /// <summary>Reads every tensor of a safetensors file.</summary>
    /// <exception cref="ImageFormatException">The file is truncated, its header is not valid, or a tensor is not F32; the message names the file.</exception>
    public static IReadOnlyDictionary<string, Tensor> Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8) throw new ImageFormatException(path, "not a safetensors file: shorter than its 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)Math.Min(MaxHeaderBytes, bytes.Length - 8))
            throw new ImageFormatException(path, $"not a safetensors file: header length {headerLength} exceeds the file ({bytes.Length} bytes)");
        int dataStart = 8 + (int)headerLength;
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__") continue;
                string dtype = entry.Value.GetProperty("dtype").GetString() ?? "";
                if (dtype != "F32") throw new ImageFormatException(path, $"tensor '{entry.Name}' has dtype {dtype}; only F32 is supported");
                int[] shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                long[] offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                long count = shape.Aggregate(1L, (a, d) => a * d);
                if (shape.Any(d => d < 0) || offsets.Length != 2 || offsets[1] - offsets[0] != 4 * count || offsets[0] < 0 || dataStart + offsets[1] > bytes.Length)
                    throw new ImageFormatException(path, $"tensor '{entry.Name}' has offsets [{string.Join(", ", offsets)}] that do not fit its shape [{string.Join(", ", shape)}] or the file");
                var data = new float[count];
                for (long i = 0; i < count; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)(dataStart + offsets[0] + 4 * i), 4));
                result[entry.Name] = new Tensor(data, shape);
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new ImageFormatException(path, $"not a valid safetensors header: {ex.Message}", ex);
        }
        return result;
    }
}
