using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SimSeg.Core.Geometry;

/// <summary>
/// Reads and writes triangle meshes as OFF, Wavefront OBJ and PLY (ASCII, binary little- and big-endian),
/// the formats 3DMSL and MiShape distribute their shape libraries in. Polygons are triangulated as fans;
/// OBJ texture/normal references, comments and unknown PLY elements or properties are skipped. Every
/// problem with a file's content is reported as one <see cref="MeshFormatException"/> naming the file.
/// </summary>
public static class MeshIO
{
    private static readonly char[] Whitespace = [' ', '\t', '\r', '\f', '\v'];

    /// <summary>
    /// Reads the mesh at <paramref name="path"/>; the format follows the extension (.off, .obj, .ply, any case).
    /// </summary>
    /// <exception cref="MeshFormatException">Unknown extension, empty mesh, index out of range, truncated
    /// file or a token that is not a number.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static TriangleMesh Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ".off" => ReadOff(path, File.ReadAllText(path)),
            ".obj" => ReadObj(path, File.ReadAllText(path)),
            ".ply" => ReadPly(path, File.ReadAllBytes(path)),
            _ => throw new MeshFormatException(path, $"unknown mesh extension '{ext}'; accepted: .off, .obj, .ply."),
        };
    }

    /// <summary>
    /// Writes <paramref name="mesh"/> to <paramref name="path"/> in the format of its extension, atomically:
    /// the data go to a temporary file in the same folder that then replaces the target. Coordinates are
    /// written as round-trip doubles. PLY is binary little-endian unless <paramref name="binaryPly"/> is false.
    /// </summary>
    /// <exception cref="MeshFormatException">Unknown extension.</exception>
    public static void Write(string path, TriangleMesh mesh, bool binaryPly = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(mesh);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        Action<Stream, TriangleMesh> writer = ext switch
        {
            ".off" => WriteOff,
            ".obj" => WriteObj,
            ".ply" => binaryPly ? WritePlyBinary : WritePlyAscii,
            _ => throw new MeshFormatException(path, $"unknown mesh extension '{ext}'; accepted: .off, .obj, .ply."),
        };
        string full = Path.GetFullPath(path);
        string tmp = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                writer(stream, mesh);
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    // ---------------------------------------------------------------- OFF

    private static TriangleMesh ReadOff(string path, string text)
    {
        var lines = new LineCursor(text);
        if (!lines.Next(out string[] header, out int lineNo)) throw new MeshFormatException(path, "the file is empty.");
        if (!header[0].EndsWith("OFF", StringComparison.Ordinal))
            throw new MeshFormatException(path, $"line {lineNo}: expected the 'OFF' header, got '{header[0]}'.");
        string[] counts = header.Length > 1 ? header[1..] : (lines.Next(out string[] c, out lineNo) ? c : []);
        if (counts.Length < 2) throw new MeshFormatException(path, $"line {lineNo}: expected vertex and face counts after the OFF header.");
        int nv = ParseCount(path, counts[0], lineNo, "vertex count");
        int nf = ParseCount(path, counts[1], lineNo, "face count");

        var vertices = new List<Vec3>(nv);
        for (int i = 0; i < nv; i++)
        {
            if (!lines.Next(out string[] t, out lineNo))
                throw new MeshFormatException(path, $"truncated: expected {nv} vertices, found {i}.");
            if (t.Length < 3) throw new MeshFormatException(path, $"line {lineNo}: a vertex needs 3 coordinates, got {t.Length}.");
            vertices.Add(new Vec3(ParseDouble(path, t[0], lineNo), ParseDouble(path, t[1], lineNo), ParseDouble(path, t[2], lineNo)));
        }
        var triangles = new List<int>(nf * 3);
        var poly = new List<int>(8);
        for (int f = 0; f < nf; f++)
        {
            if (!lines.Next(out string[] t, out lineNo))
                throw new MeshFormatException(path, $"truncated: expected {nf} faces, found {f}.");
            int n = ParseCount(path, t[0], lineNo, "face vertex count");
            if (n < 3) throw new MeshFormatException(path, $"line {lineNo}: a face needs at least 3 vertices, got {n}.");
            if (t.Length < n + 1) throw new MeshFormatException(path, $"line {lineNo}: face declares {n} vertices but lists {t.Length - 1}.");
            poly.Clear();
            for (int k = 1; k <= n; k++) poly.Add(ParseIndex(path, t[k], lineNo, nv, 0));
            AddFan(triangles, poly);
        }
        return Build(path, vertices, triangles);
    }

    private static void WriteOff(Stream stream, TriangleMesh mesh)
    {
        using var w = NewWriter(stream);
        w.Write("OFF\n");
        w.Write($"{mesh.VertexCount} {mesh.TriangleCount} 0\n");
        foreach (Vec3 v in mesh.Vertices) w.Write($"{F(v.X)} {F(v.Y)} {F(v.Z)}\n");
        ReadOnlySpan<int> t = mesh.Triangles;
        for (int i = 0; i < t.Length; i += 3) w.Write($"3 {t[i]} {t[i + 1]} {t[i + 2]}\n");
    }

    // ---------------------------------------------------------------- OBJ

    private static TriangleMesh ReadObj(string path, string text)
    {
        var lines = new LineCursor(text);
        var vertices = new List<Vec3>();
        var triangles = new List<int>();
        var poly = new List<int>(8);
        while (lines.Next(out string[] t, out int lineNo))
        {
            if (t[0] == "v")
            {
                if (t.Length < 4) throw new MeshFormatException(path, $"line {lineNo}: a 'v' line needs 3 coordinates, got {t.Length - 1}.");
                vertices.Add(new Vec3(ParseDouble(path, t[1], lineNo), ParseDouble(path, t[2], lineNo), ParseDouble(path, t[3], lineNo)));
            }
            else if (t[0] == "f")
            {
                if (t.Length < 4) throw new MeshFormatException(path, $"line {lineNo}: a face needs at least 3 vertices, got {t.Length - 1}.");
                poly.Clear();
                for (int k = 1; k < t.Length; k++)
                {
                    string token = t[k];
                    int slash = token.IndexOf('/');
                    string head = slash >= 0 ? token[..slash] : token;
                    if (!int.TryParse(head, NumberStyles.Integer, CultureInfo.InvariantCulture, out int idx) || idx == 0)
                        throw new MeshFormatException(path, $"line {lineNo}: '{token}' is not a vertex reference (1-based or negative index).");
                    int resolved = idx > 0 ? idx - 1 : vertices.Count + idx;
                    if (resolved < 0 || resolved >= vertices.Count)
                        throw new MeshFormatException(path,
                            $"line {lineNo}: vertex reference {idx} is out of range; {vertices.Count} vertices are defined so far.");
                    poly.Add(resolved);
                }
                AddFan(triangles, poly);
            }
            // vt, vn, o, g, s, usemtl, mtllib and the rest carry nothing SimSeg needs.
        }
        return Build(path, vertices, triangles);
    }

    private static void WriteObj(Stream stream, TriangleMesh mesh)
    {
        using var w = NewWriter(stream);
        w.Write("# SimSeg triangle mesh\n");
        foreach (Vec3 v in mesh.Vertices) w.Write($"v {F(v.X)} {F(v.Y)} {F(v.Z)}\n");
        ReadOnlySpan<int> t = mesh.Triangles;
        for (int i = 0; i < t.Length; i += 3) w.Write($"f {t[i] + 1} {t[i + 1] + 1} {t[i + 2] + 1}\n");
    }

    // ---------------------------------------------------------------- PLY

    private enum PlyType { Int8, UInt8, Int16, UInt16, Int32, UInt32, Float32, Float64 }

    private sealed record PlyProperty(string Name, PlyType Type, bool IsList, PlyType CountType);

    private sealed record PlyElement(string Name, int Count, List<PlyProperty> Properties);

    private static TriangleMesh ReadPly(string path, byte[] data)
    {
        int pos = 0;
        string? Line()
        {
            if (pos >= data.Length) return null;
            int end = Array.IndexOf(data, (byte)'\n', pos);
            if (end < 0) end = data.Length;
            string s = Encoding.ASCII.GetString(data, pos, end - pos).TrimEnd('\r');
            pos = end + 1;
            return s;
        }

        if (Line() != "ply") throw new MeshFormatException(path, "the file does not start with the 'ply' magic line.");
        string? format = null;
        var elements = new List<PlyElement>();
        int lineNo = 1;
        while (true)
        {
            string? line = Line();
            lineNo++;
            if (line is null) throw new MeshFormatException(path, "truncated header: no 'end_header' line.");
            string[] t = line.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries);
            if (t.Length == 0 || t[0] is "comment" or "obj_info") continue;
            if (t[0] == "end_header") break;
            switch (t[0])
            {
                case "format":
                    if (t.Length < 2 || t[1] is not ("ascii" or "binary_little_endian" or "binary_big_endian"))
                        throw new MeshFormatException(path, $"header line {lineNo}: unknown format '{line}'; accepted: ascii, binary_little_endian, binary_big_endian.");
                    format = t[1];
                    break;
                case "element":
                    if (t.Length < 3 || !int.TryParse(t[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int count) || count < 0)
                        throw new MeshFormatException(path, $"header line {lineNo}: malformed element line '{line}'.");
                    elements.Add(new PlyElement(t[1], count, []));
                    break;
                case "property":
                    if (elements.Count == 0) throw new MeshFormatException(path, $"header line {lineNo}: property before any element.");
                    if (t.Length >= 5 && t[1] == "list")
                        elements[^1].Properties.Add(new PlyProperty(t[4], ParsePlyType(path, t[3], lineNo), true, ParsePlyType(path, t[2], lineNo)));
                    else if (t.Length >= 3)
                        elements[^1].Properties.Add(new PlyProperty(t[2], ParsePlyType(path, t[1], lineNo), false, PlyType.UInt8));
                    else throw new MeshFormatException(path, $"header line {lineNo}: malformed property line '{line}'.");
                    break;
                default:
                    throw new MeshFormatException(path, $"header line {lineNo}: unknown keyword '{t[0]}'.");
            }
        }
        if (format is null) throw new MeshFormatException(path, "the header has no 'format' line.");

        var body = new PlyBody(path, data, pos, format);
        var vertices = new List<Vec3>();
        var triangles = new List<int>();
        var poly = new List<int>(8);
        int vertexCount = -1;
        foreach (PlyElement element in elements)
        {
            bool isVertex = element.Name == "vertex", isFace = element.Name == "face";
            int ix = -1, iy = -1, iz = -1, iFace = -1;
            for (int p = 0; p < element.Properties.Count; p++)
            {
                PlyProperty prop = element.Properties[p];
                if (isVertex && !prop.IsList)
                {
                    if (prop.Name == "x") ix = p;
                    else if (prop.Name == "y") iy = p;
                    else if (prop.Name == "z") iz = p;
                }
                if (isFace && prop.IsList && iFace < 0 && prop.Name is "vertex_indices" or "vertex_index") iFace = p;
            }
            if (isVertex && (ix < 0 || iy < 0 || iz < 0))
                throw new MeshFormatException(path, "the vertex element lacks an x, y or z property.");
            if (isFace && iFace < 0)
                throw new MeshFormatException(path, "the face element lacks a 'vertex_indices' list property.");
            if (isFace && vertexCount < 0)
                throw new MeshFormatException(path, "the face element comes before the vertex element.");
            for (int i = 0; i < element.Count; i++)
            {
                double x = 0, y = 0, z = 0;
                for (int p = 0; p < element.Properties.Count; p++)
                {
                    PlyProperty prop = element.Properties[p];
                    body.Where = $"element '{element.Name}' item {i} of {element.Count}";
                    if (prop.IsList)
                    {
                        double n = body.Read(prop.CountType);
                        if (n < 0 || n != Math.Floor(n)) throw new MeshFormatException(path, $"{body.Where}: invalid list length {n}.");
                        if (p == iFace)
                        {
                            if (n < 3) throw new MeshFormatException(path, $"{body.Where}: a face needs at least 3 vertices, got {n}.");
                            poly.Clear();
                            for (int k = 0; k < n; k++)
                            {
                                double v = body.Read(prop.Type);
                                if (v != Math.Floor(v) || v < 0 || v >= vertexCount)
                                    throw new MeshFormatException(path, $"{body.Where}: vertex index {v} is out of range [0, {vertexCount - 1}].");
                                poly.Add((int)v);
                            }
                            AddFan(triangles, poly);
                        }
                        else
                        {
                            for (int k = 0; k < n; k++) body.Read(prop.Type);
                        }
                    }
                    else
                    {
                        double v = body.Read(prop.Type);
                        if (p == ix) x = v;
                        else if (p == iy) y = v;
                        else if (p == iz) z = v;
                    }
                }
                if (isVertex) vertices.Add(new Vec3(x, y, z));
            }
            if (isVertex) vertexCount = vertices.Count;
        }
        return Build(path, vertices, triangles);
    }

    private static PlyType ParsePlyType(string path, string name, int lineNo) => name switch
    {
        "char" or "int8" => PlyType.Int8,
        "uchar" or "uint8" => PlyType.UInt8,
        "short" or "int16" => PlyType.Int16,
        "ushort" or "uint16" => PlyType.UInt16,
        "int" or "int32" => PlyType.Int32,
        "uint" or "uint32" => PlyType.UInt32,
        "float" or "float32" => PlyType.Float32,
        "double" or "float64" => PlyType.Float64,
        _ => throw new MeshFormatException(path, $"header line {lineNo}: unknown property type '{name}'."),
    };

    /// <summary>Sequential reader of PLY element data in any of the three encodings.</summary>
    private sealed class PlyBody(string path, byte[] data, int start, string format)
    {
        private int _pos = start;
        private readonly bool _ascii = format == "ascii";
        private readonly bool _little = format == "binary_little_endian";

        public string Where { get; set; } = "";

        public double Read(PlyType type)
        {
            if (_ascii)
            {
                while (_pos < data.Length && IsSpace(data[_pos])) _pos++;
                int s = _pos;
                while (_pos < data.Length && !IsSpace(data[_pos])) _pos++;
                if (s == _pos) throw new MeshFormatException(path, $"truncated data in {Where}.");
                ReadOnlySpan<byte> token = data.AsSpan(s, _pos - s);
                if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                    throw new MeshFormatException(path, $"'{Encoding.ASCII.GetString(token)}' in {Where} is not a number.");
                return v;
            }
            int size = type switch
            {
                PlyType.Int8 or PlyType.UInt8 => 1,
                PlyType.Int16 or PlyType.UInt16 => 2,
                PlyType.Int32 or PlyType.UInt32 or PlyType.Float32 => 4,
                _ => 8,
            };
            if (_pos + size > data.Length) throw new MeshFormatException(path, $"truncated data in {Where}.");
            ReadOnlySpan<byte> b = data.AsSpan(_pos, size);
            _pos += size;
            double value = type switch
            {
                PlyType.Int8 => (sbyte)b[0],
                PlyType.UInt8 => b[0],
                PlyType.Int16 => _little ? BinaryPrimitives.ReadInt16LittleEndian(b) : BinaryPrimitives.ReadInt16BigEndian(b),
                PlyType.UInt16 => _little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b),
                PlyType.Int32 => _little ? BinaryPrimitives.ReadInt32LittleEndian(b) : BinaryPrimitives.ReadInt32BigEndian(b),
                PlyType.UInt32 => _little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b),
                PlyType.Float32 => _little ? BinaryPrimitives.ReadSingleLittleEndian(b) : BinaryPrimitives.ReadSingleBigEndian(b),
                _ => _little ? BinaryPrimitives.ReadDoubleLittleEndian(b) : BinaryPrimitives.ReadDoubleBigEndian(b),
            };
            if (!double.IsFinite(value)) throw new MeshFormatException(path, $"non-finite value in {Where}.");
            return value;
        }

        private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f' or (byte)'\v';
    }

    private static string PlyHeader(TriangleMesh mesh, string format) =>
        $"ply\nformat {format} 1.0\ncomment SimSeg triangle mesh\nelement vertex {mesh.VertexCount}\n" +
        "property double x\nproperty double y\nproperty double z\n" +
        $"element face {mesh.TriangleCount}\nproperty list uchar int vertex_indices\nend_header\n";

    private static void WritePlyAscii(Stream stream, TriangleMesh mesh)
    {
        using var w = NewWriter(stream);
        w.Write(PlyHeader(mesh, "ascii"));
        foreach (Vec3 v in mesh.Vertices) w.Write($"{F(v.X)} {F(v.Y)} {F(v.Z)}\n");
        ReadOnlySpan<int> t = mesh.Triangles;
        for (int i = 0; i < t.Length; i += 3) w.Write($"3 {t[i]} {t[i + 1]} {t[i + 2]}\n");
    }

    private static void WritePlyBinary(Stream stream, TriangleMesh mesh)
    {
        byte[] header = Encoding.ASCII.GetBytes(PlyHeader(mesh, "binary_little_endian"));
        stream.Write(header);
        Span<byte> buf = stackalloc byte[24];
        foreach (Vec3 v in mesh.Vertices)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(buf, v.X);
            BinaryPrimitives.WriteDoubleLittleEndian(buf[8..], v.Y);
            BinaryPrimitives.WriteDoubleLittleEndian(buf[16..], v.Z);
            stream.Write(buf);
        }
        ReadOnlySpan<int> t = mesh.Triangles;
        for (int i = 0; i < t.Length; i += 3)
        {
            buf[0] = 3;
            BinaryPrimitives.WriteInt32LittleEndian(buf[1..], t[i]);
            BinaryPrimitives.WriteInt32LittleEndian(buf[5..], t[i + 1]);
            BinaryPrimitives.WriteInt32LittleEndian(buf[9..], t[i + 2]);
            stream.Write(buf[..13]);
        }
    }

    // ---------------------------------------------------------------- shared helpers

    private static TriangleMesh Build(string path, List<Vec3> vertices, List<int> triangles)
    {
        if (triangles.Count == 0) throw new MeshFormatException(path, $"the mesh is empty ({vertices.Count} vertices, no faces).");
        try
        {
            return new TriangleMesh(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(vertices),
                System.Runtime.InteropServices.CollectionsMarshal.AsSpan(triangles));
        }
        catch (ArgumentException e)
        {
            throw new MeshFormatException(path, e.Message, e);
        }
    }

    private static void AddFan(List<int> triangles, List<int> polygon)
    {
        for (int k = 1; k + 1 < polygon.Count; k++)
        {
            triangles.Add(polygon[0]);
            triangles.Add(polygon[k]);
            triangles.Add(polygon[k + 1]);
        }
    }

    private static StreamWriter NewWriter(Stream stream) =>
        new(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static double ParseDouble(string path, string token, int lineNo)
    {
        if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw new MeshFormatException(path, $"line {lineNo}: '{token}' is not a finite number.");
        return v;
    }

    private static int ParseCount(string path, string token, int lineNo, string what)
    {
        if (!int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < 0)
            throw new MeshFormatException(path, $"line {lineNo}: {what} '{token}' is not a non-negative integer.");
        return v;
    }

    private static int ParseIndex(string path, string token, int lineNo, int vertexCount, int offset)
    {
        if (!int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
            throw new MeshFormatException(path, $"line {lineNo}: vertex index '{token}' is not an integer.");
        v -= offset;
        if (v < 0 || v >= vertexCount)
            throw new MeshFormatException(path, $"line {lineNo}: vertex index {v} is out of range [0, {vertexCount - 1}].");
        return v;
    }

    /// <summary>Walks non-blank lines with comments (from '#') removed, split on whitespace, 1-based numbers.</summary>
    private sealed class LineCursor(string text)
    {
        private int _pos;
        private int _line;

        public bool Next(out string[] tokens, out int lineNo)
        {
            while (_pos < text.Length)
            {
                int end = text.IndexOf('\n', _pos);
                if (end < 0) end = text.Length;
                ReadOnlySpan<char> line = text.AsSpan(_pos, end - _pos);
                _pos = end + 1;
                _line++;
                int hash = line.IndexOf('#');
                if (hash >= 0) line = line[..hash];
                string[] t = line.ToString().Split(Whitespace, StringSplitOptions.RemoveEmptyEntries);
                if (t.Length > 0)
                {
                    tokens = t;
                    lineNo = _line;
                    return true;
                }
            }
            tokens = [];
            lineNo = _line;
            return false;
        }
    }
}
