using SimSeg.Core.Imaging;

namespace SimSeg.Shapes.Instances;

/// <summary>
/// One object cut out of a label volume: a binary mask (1 = inside) cropped to the object's bounding box plus
/// a margin of empty voxels on every side, and where that crop sits in the source volume. Volumes use
/// <see cref="Image{T}"/> with x = columns, y = rows, z = planes; the calibration holds the voxel size in nm
/// (PixelWidthNm = x, PixelHeightNm = y, PlaneSpacingNm = z).
/// </summary>
/// <param name="Id">1-based instance id, unique within a library.</param>
/// <param name="SourceLabel">The label value of the object in the source volume (for binary input: 1).</param>
/// <param name="Mask">Cropped binary mask with the voxel size as calibration.</param>
/// <param name="OriginX">Source-volume x of the crop's voxel (0, 0, 0).</param>
/// <param name="OriginY">Source-volume y of the crop's voxel (0, 0, 0).</param>
/// <param name="OriginZ">Source-volume z of the crop's voxel (0, 0, 0).</param>
/// <param name="VoxelCount">Voxels inside the object.</param>
/// <param name="TouchesBorder">True when the object reaches the border of the source volume (it may be cut).</param>
public sealed record VoxelInstance(int Id, int SourceLabel, Image<byte> Mask, int OriginX, int OriginY, int OriginZ, long VoxelCount, bool TouchesBorder);
