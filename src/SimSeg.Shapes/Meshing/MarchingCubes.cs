using SimSeg.Core;
using SimSeg.Core.Geometry;
using SimSeg.Core.Imaging;

namespace SimSeg.Shapes.Meshing;

/// <summary>
/// Iso-surfaces of voxel volumes as closed triangle meshes in nanometres (the "marching cubes" step of 3DMSL,
/// Punnakkal et al.). Volumes follow <see cref="Image{T}"/>: x = columns, y = rows, z = planes; the centre of voxel
/// (x, y, z) maps to (x·sx, y·sy, z·sz) nm with (sx, sy, sz) = (PixelWidthNm, PixelHeightNm, PlaneSpacingNm).
/// </summary>
/// <remarks>
/// The cubes are marched as six tetrahedra each (marching tetrahedra, Doi and Koide 1991, on the Freudenthal
/// subdivision that splits every cube along its main diagonal the same way), which removes the ambiguous face and
/// interior cases of the classic Lorensen–Cline table: neighbouring cubes always agree on how a face is cut, so the
/// output is a closed, consistently oriented 2-manifold for every input (positive <see cref="TriangleMesh.Volume"/>,
/// <see cref="TriangleMesh.IsClosedManifold"/> true). The price is about three times as many triangles as marching
/// cubes would give. Vertices are shared between cells (one per grid edge). When the iso level passes exactly
/// through a sample, triangles may be nearly degenerate (area ≈ 0) but are kept, so the mesh stays manifold;
/// smoothing (<see cref="MeshSmoothing"/>) evens them out.
/// </remarks>
public static class MarchingCubes
{
    /// <summary>
    /// The surface {field = <paramref name="isoLevel"/>}, with the solid on the side where field &gt; isoLevel
    /// (occupancy or density convention; negate a conventional signed-distance field, which is negative inside).
    /// A sample exactly at the iso level counts as outside. Samples beyond the volume count as outside too, so a
    /// solid reaching the border is capped flat at the outermost samples and the mesh is always closed.
    /// </summary>
    /// <param name="field">Scalar volume, all values finite.</param>
    /// <param name="isoLevel">Finite iso value.</param>
    /// <param name="voxelSize">Voxel size in nm: PixelWidthNm (x), PixelHeightNm (y), PlaneSpacingNm (z), all &gt; 0.</param>
    /// <returns>A closed manifold mesh, triangles counter-clockwise seen from outside, vertices in nm.</returns>
    /// <exception cref="ArgumentException">A value is not finite, or no sample is above <paramref name="isoLevel"/> (there is no surface).</exception>
    public static TriangleMesh Extract(Image<float> field, double isoLevel, Calibration voxelSize)
    {
        ArgumentNullException.ThrowIfNull(field);
        Guard.Finite(isoLevel);
        Vec3 spacing = Spacing(voxelSize);
        int w = field.Width, h = field.Height, d = field.Depth;
        int pw = w + 2, ph = h + 2, pd = d + 2;
        var padded = new float[(long)pw * ph * pd];
        Array.Fill(padded, float.NegativeInfinity);
        for (int z = 0; z < d; z++)
            for (int y = 0; y < h; y++)
            {
                ReadOnlySpan<float> row = field.Row(y, z);
                foreach (float value in row)
                    if (!float.IsFinite(value))
                        throw new ArgumentException($"field must hold finite values; row y = {y}, plane z = {z} holds {value}.", nameof(field));
                row.CopyTo(padded.AsSpan(((z + 1) * ph + y + 1) * pw + 1, w));
            }
        return Build(padded, pw, ph, pd, isoLevel, spacing, -1, nameof(field));
    }

    /// <summary>
    /// The smoothed surface of a binary mask (3DMSL: marching cubes on the Gaussian-smoothed label): the mask
    /// (non-zero = inside) is padded with empty voxels, blurred with a Gaussian of <paramref name="presmoothSigmaVoxels"/>
    /// voxels along each axis (kernel truncated at ⌈3σ⌉; σ = 0 leaves the 0/1 field as it is, giving the blocky
    /// surface through face midpoints), and the 0.5 iso-surface is extracted with <see cref="Extract"/>'s method.
    /// The padding (⌈3σ⌉ + 1 voxels) keeps the blur from being truncated and the surface closed.
    /// </summary>
    /// <param name="mask">Binary volume; any non-zero voxel is inside.</param>
    /// <param name="voxelSize">Voxel size in nm along x, y, z, all &gt; 0.</param>
    /// <param name="presmoothSigmaVoxels">Gaussian σ in voxels, ≥ 0.</param>
    /// <returns>A closed manifold mesh in nm, voxel (x, y, z) of the mask centred at (x·sx, y·sy, z·sz).</returns>
    /// <exception cref="ArgumentException">The mask is empty, or blurs away entirely (nothing reaches 0.5).</exception>
    public static TriangleMesh FromMask(Image<byte> mask, Calibration voxelSize, double presmoothSigmaVoxels = 1.0)
    {
        ArgumentNullException.ThrowIfNull(mask);
        Vec3 spacing = Spacing(voxelSize);
        Guard.NonNegative(presmoothSigmaVoxels);
        int pad = VolumeBlur.Radius(presmoothSigmaVoxels) + 1;
        int w = mask.Width, h = mask.Height, d = mask.Depth;
        int pw = w + 2 * pad, ph = h + 2 * pad, pd = d + 2 * pad;
        var field = new float[(long)pw * ph * pd];
        for (int z = 0; z < d; z++)
            for (int y = 0; y < h; y++)
            {
                ReadOnlySpan<byte> row = mask.Row(y, z);
                int start = ((z + pad) * ph + y + pad) * pw + pad;
                for (int x = 0; x < w; x++) field[start + x] = row[x] != 0 ? 1f : 0f;
            }
        VolumeBlur.Blur(field, pw, ph, pd, presmoothSigmaVoxels);
        return Build(field, pw, ph, pd, 0.5, spacing, -pad, nameof(mask));
    }

    private static TriangleMesh Build(float[] padded, int pw, int ph, int pd, double iso, Vec3 spacing, int originVoxels, string argument)
    {
        Vec3 origin = new(originVoxels * spacing.X, originVoxels * spacing.Y, originVoxels * spacing.Z);
        var (vertices, triangles) = TetrahedralIsosurface.Extract(padded, pw, ph, pd, iso, spacing, origin);
        if (triangles.Count == 0)
            throw new ArgumentException($"{argument} has no sample above the iso level {iso}, so there is no surface to mesh.", argument);
        return TetrahedralIsosurface.ToMesh(vertices, triangles);
    }

    private static Vec3 Spacing(Calibration voxelSize)
    {
        ArgumentNullException.ThrowIfNull(voxelSize);
        if (!(voxelSize.PixelWidthNm > 0 && voxelSize.PixelHeightNm > 0 && voxelSize.PlaneSpacingNm > 0)
            || !double.IsFinite(voxelSize.PixelWidthNm) || !double.IsFinite(voxelSize.PixelHeightNm) || !double.IsFinite(voxelSize.PlaneSpacingNm))
            throw new ArgumentOutOfRangeException(nameof(voxelSize), voxelSize,
                $"voxelSize must give finite positive sizes along x, y and z (PixelWidthNm, PixelHeightNm, PlaneSpacingNm), got {voxelSize}.");
        return new Vec3(voxelSize.PixelWidthNm, voxelSize.PixelHeightNm, voxelSize.PlaneSpacingNm);
    }
}
