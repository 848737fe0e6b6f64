using System.Globalization;
using System.Text;
using SimSeg.Core.Geometry;
using SimSeg.Core.IO;
using SimSeg.Core.Randomness;
using SimSeg.Shapes.Library;
using SimSeg.Simulation.Presets;

namespace SimSeg.Shapes.Rendering;

/// <summary>Settings of <see cref="ShapeRenderJob"/>.</summary>
public sealed record ShapeRenderOptions
{
    /// <summary>Views per shape: 6 gives the six standard views of 3DMSL; any other number gives uniformly random rotations.</summary>
    public int Views { get; init; } = 6;

    /// <summary>Field side in pixels.</summary>
    public int Size { get; init; } = 128;

    /// <summary>Master seed: view v of shape i uses the stream (mix(seed, i), v).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Worker threads (output does not depend on it).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Views < 1) throw new ArgumentException($"--views must be at least 1, got {Views}.", "views");
        if (Size < 8 || Size > 8192) throw new ArgumentException($"--size must be between 8 and 8192 pixels, got {Size}.", "size");
        Core.Guard.Positive(Threads, "threads");
    }
}

/// <summary>What a render job wrote.</summary>
/// <param name="Views">Views rendered.</param>
/// <param name="ManifestPath">The manifest (one row per view).</param>
public sealed record ShapeRenderSummary(int Views, string ManifestPath);

/// <summary>
/// Renders every shape of a library through a preset's microscope from several orientations (3DMSL): for each
/// view, <c>images/</c> (uint16, one page per z slice), <c>masks/</c> (2D physics ground truth),
/// <c>occupancy/</c> (3D ground truth per slice) and a <c>manifest.csv</c>.
/// </summary>
public static class ShapeRenderJob
{
    /// <summary>The manifest header.</summary>
    public const string Header = "shape_id,view,class,image,mask,occupancy,emitters,foreground_fraction";

    /// <summary>Renders the library at <paramref name="libraryDirectory"/> into <paramref name="outputDirectory"/>.</summary>
    public static ShapeRenderSummary Run(string libraryDirectory, Preset preset, ShapeRenderOptions options, string outputDirectory,
        Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(preset);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var entries = ShapeLibraryBuilder.Read(libraryDirectory);
        if (entries.Count == 0) throw new InvalidDataException($"{libraryDirectory}: the library holds no shapes.");
        var meshes = entries.Select(e => MeshIO.Read(ShapeLibraryBuilder.MeshPath(libraryDirectory, e))).ToArray();
        var renderer = new ShapeRenderer(preset);
        foreach (string folder in new[] { "images", "masks", "occupancy" }) Directory.CreateDirectory(Path.Combine(outputDirectory, folder));

        int total = entries.Count * options.Views;
        var rows = new string[total];
        int done = 0;
        object gate = new();
        progress?.Invoke(0, total);
        Parallel.For(0, total, new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellationToken }, k =>
        {
            int s = k / options.Views, v = k % options.Views;
            var entry = entries[s];
            var rng = Rng.ForStream(Rng.Mix(options.Seed, (ulong)entry.Id), (ulong)v);
            var (name, rotation) = options.Views == 6 ? ShapeViews.Standard[v] : ($"r{v:D3}", ShapeViews.RandomRotation(rng));
            var view = renderer.Render(meshes[s], rotation, options.Size, rng);
            string stem = $"{entry.Id:D6}_{name}";
            string image = $"images/{stem}.tif", mask = $"masks/{stem}.tif", occupancy = $"occupancy/{stem}.tif";
            TiffWriter.Write(Path.Combine(outputDirectory, image), view.Field.Image);
            TiffWriter.Write(Path.Combine(outputDirectory, mask), view.Field.Physics.Mask);
            TiffWriter.Write(Path.Combine(outputDirectory, occupancy), view.Occupancy);
            double foreground = view.Field.Physics.Mask.Data.Count(b => b != 0) / (double)view.Field.Physics.Mask.Data.Length;
            rows[k] = string.Join(',', entry.Id.ToString(CultureInfo.InvariantCulture), name, LibraryEntry.ClassName(entry.Class), image, mask, occupancy,
                view.Field.EmitterCount.ToString(CultureInfo.InvariantCulture), foreground.ToString("0.######", CultureInfo.InvariantCulture));
            lock (gate) progress?.Invoke(++done, total);
        });

        string manifest = Path.Combine(outputDirectory, "manifest.csv");
        AtomicFile.WriteAllText(manifest, Header + "\n" + string.Join("\n", rows) + "\n");
        return new ShapeRenderSummary(total, manifest);
    }
}
