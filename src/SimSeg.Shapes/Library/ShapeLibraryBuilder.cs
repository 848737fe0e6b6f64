using System.Text;
using System.Text.Json;
using SimSeg.Core.Geometry;
using SimSeg.Core.Imaging;
using SimSeg.Core.IO;
using SimSeg.Core.Randomness;
using SimSeg.Shapes.Classification;
using SimSeg.Shapes.Instances;
using SimSeg.Shapes.Meshing;
using SimSeg.Shapes.Sampling;
using SimSeg.Shapes.Skeletons;

namespace SimSeg.Shapes.Library;

/// <summary>What one library build did.</summary>
/// <param name="Entries">The shapes written, by id.</param>
/// <param name="InstancesFound">Instances extracted from the volume (before skipping border objects).</param>
/// <param name="BorderSkipped">Instances skipped because they touch the volume border.</param>
/// <param name="CsvPath">The library.csv written.</param>
public sealed record ShapeLibrarySummary(IReadOnlyList<LibraryEntry> Entries, int InstancesFound, int BorderSkipped, string CsvPath);

/// <summary>
/// Builds a 3D shape library from an EM label volume, following 3DMSL (Punnakkal et al.): objects are cut out
/// (erosion by a ball, connected components, dilation back), meshed by marching cubes and smoothed, skeletonised
/// and classed, normalised to the unit cube, and sampled into a point cloud and occupancies. Each shape gets a
/// folder <c>shapes/NNNNNN/</c> with <c>mesh.off</c> (nm, source frame), <c>pointcloud.ply</c> (unit cube, with
/// normals), <c>occupancies.npz</c> (<c>points</c>, <c>occupancies</c>) and <c>meta.json</c>; the library gets
/// <c>library.csv</c>. Shape i draws its samples from the random stream (seed, i), so the output does not
/// depend on the thread count.
/// </summary>
public static class ShapeLibraryBuilder
{
    // One options instance: System.Text.Json caches type metadata per instance, so a new one per shape would redo it.
    private static readonly JsonSerializerOptions MetaJson = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Builds the library of <paramref name="labels"/> (voxel size in its calibration) into <paramref name="outputDirectory"/>.</summary>
    /// <param name="labels">Label volume (x, y, z) with the voxel size as calibration.</param>
    /// <param name="sourceName">Name of the source volume, recorded per shape.</param>
    /// <param name="options">Settings.</param>
    /// <param name="outputDirectory">Library folder (created if missing).</param>
    /// <param name="progress">Called with (shapes done, shapes total), serialised.</param>
    /// <param name="cancellationToken">Stops the build between shapes.</param>
    public static ShapeLibrarySummary Build(Image<int> labels, string sourceName, ShapeLibraryOptions options, string outputDirectory,
        Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        options.Validate();
        var instances = InstanceExtractor.Extract(labels, labels.Calibration, options.Extraction);
        var kept = options.SkipBorderObjects ? instances.Where(i => !i.TouchesBorder).ToArray() : instances.ToArray();
        Directory.CreateDirectory(Path.Combine(outputDirectory, "shapes"));

        var entries = new LibraryEntry[kept.Length];
        int done = 0;
        object gate = new();
        progress?.Invoke(0, kept.Length);
        Parallel.For(0, kept.Length, new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellationToken }, k =>
        {
            entries[k] = BuildShape(kept[k], k + 1, sourceName, options, outputDirectory);
            lock (gate) progress?.Invoke(++done, kept.Length);
        });

        string csv = Path.Combine(outputDirectory, "library.csv");
        var text = new StringBuilder().Append(LibraryEntry.Header).Append('\n');
        foreach (var e in entries) text.Append(e.ToCsv()).Append('\n');
        AtomicFile.WriteAllText(csv, text.ToString());
        return new ShapeLibrarySummary(entries, instances.Count, instances.Count - kept.Length, csv);
    }

    /// <summary>Reads library.csv of a library folder.</summary>
    /// <exception cref="FileNotFoundException">The folder has no library.csv.</exception>
    public static IReadOnlyList<LibraryEntry> Read(string libraryDirectory)
    {
        string csv = Path.Combine(libraryDirectory, "library.csv");
        if (!File.Exists(csv)) throw new FileNotFoundException($"not a shape library: {csv} not found (build one with `simseg shapes extract`).", csv);
        var lines = File.ReadAllLines(csv);
        if (lines.Length == 0 || lines[0] != LibraryEntry.Header) throw new InvalidDataException($"{csv}: the first line is not the library header.");
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => LibraryEntry.Parse(l, csv)).ToArray();
    }

    /// <summary>The mesh file (nm, source frame) of an entry.</summary>
    public static string MeshPath(string libraryDirectory, LibraryEntry entry) => Path.Combine(libraryDirectory, entry.Folder, "mesh.off");

    private static LibraryEntry BuildShape(VoxelInstance instance, int id, string sourceName, ShapeLibraryOptions options, string root)
    {
        var cal = instance.Mask.Calibration;
        double sx = cal.PixelWidthNm, sy = cal.PixelHeightNm, sz = cal.PlaneSpacingNm;

        // Mesh in nm, moved from the crop's frame into the source volume's frame.
        var mesh = MarchingCubes.FromMask(instance.Mask, cal, options.MeshPresmoothSigmaVoxels);
        if (options.SmoothingIterations > 0) mesh = MeshSmoothing.Taubin(mesh, options.SmoothingIterations);
        mesh = mesh.Transformed(Mat3.Identity, new Vec3(instance.OriginX * sx, instance.OriginY * sy, instance.OriginZ * sz));

        // Skeleton and class.
        var skeleton = Skeletonizer.Skeletonize3D(instance.Mask);
        var graph = SkeletonGraph.Build(skeleton, cal);
        double volumeUm3 = mesh.Volume * 1e-9;
        var shapeClass = ShapeClassifier.Classify(graph, volumeUm3, options.Classes);
        var skeletonSummary = SkeletonSummary.Of(graph, options.Classes.MinTerminalBranchUm * 1000);

        // Unit-cube representations.
        var (unitMesh, transform) = UnitCube.Normalize(mesh);
        var rng = Rng.ForStream(options.Seed, (ulong)id);
        string folder = Path.Combine(root, "shapes", id.ToString("D6", System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        MeshIO.Write(Path.Combine(folder, "mesh.off"), mesh);
        var (points, normals) = PointCloudSampler.Sample(unitMesh, options.PointCloudCount, rng, options.PointCloudNoise);
        PointCloudSampler.WritePly(Path.Combine(folder, "pointcloud.ply"), points, normals);
        var (queries, occupied) = OccupancySampler.Sample(unitMesh, options.OccupancyCount, rng, options.OccupancyPadding);
        OccupancySampler.WriteNpz(Path.Combine(folder, "occupancies.npz"), queries, occupied, transform);

        // Centroid and bounding box in the source frame.
        long count = 0;
        double cx = 0, cy = 0, cz = 0;
        int x0 = int.MaxValue, x1 = -1, y0 = int.MaxValue, y1 = -1, z0 = int.MaxValue, z1 = -1;
        var m = instance.Mask;
        for (int z = 0; z < m.Depth; z++)
            for (int y = 0; y < m.Height; y++)
                for (int x = 0; x < m.Width; x++)
                {
                    if (m[x, y, z] == 0) continue;
                    count++;
                    cx += x; cy += y; cz += z;
                    x0 = Math.Min(x0, x); x1 = Math.Max(x1, x);
                    y0 = Math.Min(y0, y); y1 = Math.Max(y1, y);
                    z0 = Math.Min(z0, z); z1 = Math.Max(z1, z);
                }
        var entry = new LibraryEntry
        {
            Id = id,
            SourceVolume = sourceName,
            SourceLabel = instance.SourceLabel,
            BoundingBox = [x0 + instance.OriginX, x1 + instance.OriginX, y0 + instance.OriginY, y1 + instance.OriginY, z0 + instance.OriginZ, z1 + instance.OriginZ],
            VoxelCount = count,
            CentroidNm = [(cx / count + instance.OriginX) * sx, (cy / count + instance.OriginY) * sy, (cz / count + instance.OriginZ) * sz],
            VolumeUm3 = volumeUm3,
            SurfaceUm2 = mesh.SurfaceArea * 1e-6,
            SkeletonLengthUm = skeletonSummary.LengthNm * 1e-3,
            BranchCount = skeletonSummary.Branches,
            LoopCount = skeletonSummary.Loops,
            Class = shapeClass,
            TouchesBorder = instance.TouchesBorder,
            UnitScaleNm = transform.Scale,
            UnitOffsetNm = [transform.Offset.X, transform.Offset.Y, transform.Offset.Z],
        };
        var meta = new
        {
            entry.Id,
            entry.SourceVolume,
            entry.SourceLabel,
            voxelSizeNm = new[] { sx, sy, sz },
            entry.BoundingBox,
            entry.VoxelCount,
            entry.CentroidNm,
            entry.VolumeUm3,
            entry.SurfaceUm2,
            skeleton = new
            {
                lengthUm = entry.SkeletonLengthUm,
                branches = skeletonSummary.Branches,
                junctions = skeletonSummary.Junctions,
                loops = skeletonSummary.Loops,
                prunedSpurs = skeletonSummary.Pruned,
                minTerminalBranchUm = options.Classes.MinTerminalBranchUm,
                raw = new { lengthUm = graph.TotalLengthNm * 1e-3, branches = graph.BranchCount, endpoints = graph.EndpointCount, junctions = graph.JunctionCount, maxDegree = graph.MaxDegree },
            },
            shapeClass = LibraryEntry.ClassName(shapeClass),
            entry.TouchesBorder,
            unitCube = new { scaleNm = transform.Scale, offsetNm = entry.UnitOffsetNm, note = "physical = normalised * scaleNm + offsetNm" },
            mesh = new { vertices = mesh.VertexCount, triangles = mesh.TriangleCount, closedManifold = mesh.IsClosedManifold() },
            files = new { mesh = "mesh.off", pointCloud = "pointcloud.ply", occupancies = "occupancies.npz" },
            sampling = new { options.Seed, stream = id, options.PointCloudCount, options.PointCloudNoise, options.OccupancyCount, options.OccupancyPadding },
        };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(meta, MetaJson);
        AtomicFile.Write(Path.Combine(folder, "meta.json"), s => s.Write(json));
        return entry;
    }
}
