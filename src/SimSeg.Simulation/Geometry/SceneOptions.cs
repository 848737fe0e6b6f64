using System.Text.Json.Serialization;
using SimSeg.Core;
using SimSeg.Core.Geometry;

namespace SimSeg.Simulation.Geometry;

/// <summary>
/// What one simulated field of view contains. Defaults follow PhySeg (Sekh et al. 2021): a 128 × 128 field
/// at 42 nm pixels (5376 nm square) with 1–2 mitochondria and no vesicles. Optionally places meshes from a
/// library of closed EM-derived shapes (3DMSL, MiShape) with a random scale and random Euler rotation
/// (MiShape eq. 4). Lengths in nm; x along image columns, y along rows.
/// </summary>
public sealed record SceneOptions
{
    /// <summary>Field width (default 128 × 42 = 5376 nm). Set by the simulator from the tile size and pixel size, so not part of preset files.</summary>
    [JsonIgnore]
    public double FieldWidthNm { get; init; } = 128 * 42.0;

    /// <summary>Field height (default 5376 nm). Set by the simulator, so not part of preset files.</summary>
    [JsonIgnore]
    public double FieldHeightNm { get; init; } = 128 * 42.0;

    /// <summary>Object centres are uniform in the field shrunk by this margin on every side (default 0 nm).</summary>
    public double MarginNm { get; init; }

    /// <summary>Number of tubular mitochondria per field (default 1–2).</summary>
    public IntInterval MitochondriaPerField { get; init; } = new(1, 2);

    /// <summary>Number of vesicles per field (default 0–0).</summary>
    public IntInterval VesiclesPerField { get; init; } = new(0, 0);

    /// <summary>How mitochondria are drawn.</summary>
    public MitochondrionOptions Mitochondria { get; init; } = new();

    /// <summary>How vesicles are drawn.</summary>
    public VesicleOptions Vesicles { get; init; } = new();

    /// <summary>Closed meshes (nm, any origin) to place as mitochondria (default none). Filled from <see cref="MeshFiles"/> by the simulator.</summary>
    [JsonIgnore]
    public IReadOnlyList<TriangleMesh> MeshLibrary { get; init; } = [];

    /// <summary>
    /// Mesh files (OFF, OBJ or PLY, coordinates in nm) that make up the mesh library of a preset file; relative
    /// paths are taken from the current folder.
    /// </summary>
    public IReadOnlyList<string> MeshFiles { get; init; } = [];

    /// <summary>Number of library meshes per field (default 0–0); requires a non-empty <see cref="MeshLibrary"/> when above 0.</summary>
    public IntInterval MeshesPerField { get; init; } = new(0, 0);

    /// <summary>Isotropic scale applied to a library mesh, one draw per placement (default 1–1).</summary>
    public Interval MeshScaleRange { get; init; } = new(1, 1);

    /// <summary>Range of the placed mesh centroid's z (default 100–600 nm).</summary>
    public Interval MeshZRangeNm { get; init; } = new(100, 600);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid property, its value and the accepted range.</summary>
    public void Validate()
    {
        const string p = nameof(SceneOptions) + ".";
        MitochondrionOptions.RequirePositive(FieldWidthNm, p + nameof(FieldWidthNm));
        MitochondrionOptions.RequirePositive(FieldHeightNm, p + nameof(FieldHeightNm));
        double maxMargin = 0.5 * Math.Min(FieldWidthNm, FieldHeightNm);
        if (!(MarginNm >= 0 && MarginNm < maxMargin))
            throw new ArgumentException($"{p}{nameof(MarginNm)} must be in [0, {maxMargin}) (half the smaller field side), got {MarginNm}.", nameof(MarginNm));
        MitochondriaPerField.Validate(p + nameof(MitochondriaPerField), 0, 10_000);
        VesiclesPerField.Validate(p + nameof(VesiclesPerField), 0, 10_000);
        MeshesPerField.Validate(p + nameof(MeshesPerField), 0, 10_000);
        ArgumentNullException.ThrowIfNull(Mitochondria, p + nameof(Mitochondria));
        ArgumentNullException.ThrowIfNull(Vesicles, p + nameof(Vesicles));
        ArgumentNullException.ThrowIfNull(MeshLibrary, p + nameof(MeshLibrary));
        if (MitochondriaPerField.Max > 0) Mitochondria.Validate();
        if (VesiclesPerField.Max > 0) Vesicles.Validate();
        if (MeshesPerField.Max > 0)
        {
            if (MeshLibrary.Count == 0 && MeshFiles.Count == 0)
                throw new ArgumentException($"{p}{nameof(MeshLibrary)} (or {nameof(MeshFiles)}) must hold at least one mesh when {nameof(MeshesPerField)} is {MeshesPerField}, got none.", nameof(MeshLibrary));
            for (int i = 0; i < MeshLibrary.Count; i++)
            {
                if (MeshLibrary[i] is null || !MeshLibrary[i].IsClosedManifold())
                    throw new ArgumentException($"{p}{nameof(MeshLibrary)}[{i}] must be a closed, consistently oriented mesh.", nameof(MeshLibrary));
            }
            MeshScaleRange.Validate(p + nameof(MeshScaleRange), double.Epsilon);
            MeshZRangeNm.Validate(p + nameof(MeshZRangeNm));
        }
    }
}
