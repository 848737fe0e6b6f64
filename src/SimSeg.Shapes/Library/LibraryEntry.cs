using System.Globalization;
using SimSeg.Core.IO;
using SimSeg.Shapes.Classification;

namespace SimSeg.Shapes.Library;

/// <summary>
/// One shape of a library, as a row of <c>library.csv</c>. Positions are in the source volume: voxels for the
/// bounding box, nm for the centroid. <see cref="UnitScaleNm"/> and the unit offset undo the unit-cube
/// normalisation of the point cloud and occupancies: physical = normalised · scale + offset.
/// </summary>
public sealed record LibraryEntry
{
    /// <summary>Instance id (also the folder name, zero-padded to six digits).</summary>
    public required int Id { get; init; }

    /// <summary>File name of the label volume it came from.</summary>
    public required string SourceVolume { get; init; }

    /// <summary>Label value in the source volume.</summary>
    public required int SourceLabel { get; init; }

    /// <summary>Bounding box in source voxels, inclusive: x0, x1, y0, y1, z0, z1.</summary>
    public required int[] BoundingBox { get; init; }

    /// <summary>Voxels inside the object.</summary>
    public required long VoxelCount { get; init; }

    /// <summary>Centroid in nm (x, y, z) in the source volume's frame.</summary>
    public required double[] CentroidNm { get; init; }

    /// <summary>Mesh volume, µm³.</summary>
    public required double VolumeUm3 { get; init; }

    /// <summary>Mesh surface area, µm².</summary>
    public required double SurfaceUm2 { get; init; }

    /// <summary>Total skeleton length after spur pruning, µm.</summary>
    public required double SkeletonLengthUm { get; init; }

    /// <summary>Skeleton branches after spur pruning (see <see cref="Skeletons.SkeletonSummary"/>).</summary>
    public required int BranchCount { get; init; }

    /// <summary>Independent loops of the skeleton.</summary>
    public required int LoopCount { get; init; }

    /// <summary>3DMSL shape class.</summary>
    public required ShapeClass Class { get; init; }

    /// <summary>True when the object touches the volume border.</summary>
    public required bool TouchesBorder { get; init; }

    /// <summary>Unit-cube scale, nm per unit.</summary>
    public required double UnitScaleNm { get; init; }

    /// <summary>Unit-cube offset, nm (x, y, z).</summary>
    public required double[] UnitOffsetNm { get; init; }

    /// <summary>The folder of this shape inside the library.</summary>
    public string Folder => Path.Combine("shapes", Id.ToString("D6", CultureInfo.InvariantCulture));

    /// <summary>The CSV header line.</summary>
    public const string Header = "id,source_volume,source_label,bbox_x0,bbox_x1,bbox_y0,bbox_y1,bbox_z0,bbox_z1,voxel_count,centroid_x_nm,centroid_y_nm,centroid_z_nm,volume_um3,surface_um2,skeleton_length_um,branch_count,loop_count,class,touches_border,unit_scale_nm,unit_offset_x_nm,unit_offset_y_nm,unit_offset_z_nm";

    /// <summary>This entry as a CSV line.</summary>
    public string ToCsv()
    {
        var c = CultureInfo.InvariantCulture;
        string F(double v) => v.ToString("R", c);
        return string.Join(',', new[]
        {
            Id.ToString(c), CsvLine.Quote(SourceVolume), SourceLabel.ToString(c),
            BoundingBox[0].ToString(c), BoundingBox[1].ToString(c), BoundingBox[2].ToString(c), BoundingBox[3].ToString(c), BoundingBox[4].ToString(c), BoundingBox[5].ToString(c),
            VoxelCount.ToString(c), F(CentroidNm[0]), F(CentroidNm[1]), F(CentroidNm[2]), F(VolumeUm3), F(SurfaceUm2), F(SkeletonLengthUm),
            BranchCount.ToString(c), LoopCount.ToString(c), ClassName(Class), TouchesBorder ? "true" : "false",
            F(UnitScaleNm), F(UnitOffsetNm[0]), F(UnitOffsetNm[1]), F(UnitOffsetNm[2]),
        });
    }

    /// <summary>Parses a line written by <see cref="ToCsv"/>.</summary>
    /// <exception cref="InvalidDataException">The line does not have the library's columns.</exception>
    public static LibraryEntry Parse(string line, string source)
    {
        var f = CsvLine.Split(line);
        if (f.Count != 24) throw new InvalidDataException($"{source}: expected 24 columns ({Header}), got {f.Count}.");
        var c = CultureInfo.InvariantCulture;
        try
        {
            return new LibraryEntry
            {
                Id = int.Parse(f[0], c), SourceVolume = f[1], SourceLabel = int.Parse(f[2], c),
                BoundingBox = [int.Parse(f[3], c), int.Parse(f[4], c), int.Parse(f[5], c), int.Parse(f[6], c), int.Parse(f[7], c), int.Parse(f[8], c)],
                VoxelCount = long.Parse(f[9], c), CentroidNm = [double.Parse(f[10], c), double.Parse(f[11], c), double.Parse(f[12], c)],
                VolumeUm3 = double.Parse(f[13], c), SurfaceUm2 = double.Parse(f[14], c), SkeletonLengthUm = double.Parse(f[15], c),
                BranchCount = int.Parse(f[16], c), LoopCount = int.Parse(f[17], c), Class = ParseClass(f[18], source), TouchesBorder = f[19] == "true",
                UnitScaleNm = double.Parse(f[20], c), UnitOffsetNm = [double.Parse(f[21], c), double.Parse(f[22], c), double.Parse(f[23], c)],
            };
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"{source}: malformed library line '{line}': {ex.Message}", ex);
        }
    }

    /// <summary>The class as written in library.csv (kebab-case: dot, rod, network, donut, nano-tunnel, mega).</summary>
    public static string ClassName(ShapeClass shapeClass) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(shapeClass.ToString());

    private static ShapeClass ParseClass(string text, string source)
    {
        foreach (var value in Enum.GetValues<ShapeClass>())
            if (ClassName(value) == text) return value;
        throw new InvalidDataException($"{source}: unknown shape class '{text}'.");
    }
}
