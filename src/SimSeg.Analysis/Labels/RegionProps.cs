namespace SimSeg.Analysis.Labels;

/// <summary>An axis-aligned box of pixels: columns X..X+Width−1, rows Y..Y+Height−1.</summary>
/// <param name="X">First column.</param>
/// <param name="Y">First row.</param>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
public readonly record struct PixelBox(int X, int Y, int Width, int Height);

/// <summary>
/// Measurements of one labelled 2D object in pixel units, with the conventions of scikit-image's
/// <c>regionprops</c> unless stated. Coordinates are pixel indices: pixel (x, y) has its centre at (x, y).
/// </summary>
/// <param name="Label">The object's label in the label image.</param>
/// <param name="Area">Pixels in the object.</param>
/// <param name="Perimeter">
/// Boundary length in pixels, by scikit-image's <c>perimeter</c> estimate with 4-connectivity: the object's
/// inner boundary (pixels with a 4-neighbour outside) is walked through pixel centres, each boundary pixel
/// weighted by its boundary-neighbour pattern (1 for a straight step, √2 for a diagonal one, (1+√2)/2 at a
/// corner). A filled n×n square gives 4(n−1).
/// </param>
/// <param name="CentroidX">Mean column of the object's pixels.</param>
/// <param name="CentroidY">Mean row of the object's pixels.</param>
/// <param name="BoundingBox">Smallest box holding the object.</param>
/// <param name="MajorAxisLength">4·√λ₁ of the covariance of pixel coordinates (λ₁ ≥ λ₂): the major axis of the ellipse with the same second central moments.</param>
/// <param name="MinorAxisLength">4·√λ₂.</param>
/// <param name="Orientation">
/// Angle in radians, in [−π/2, π/2], between the row (y) axis and the major axis, as in scikit-image: a
/// horizontal rod gives ±π/2, a vertical one 0.
/// </param>
/// <param name="Eccentricity">√(1 − λ₂/λ₁) of the same ellipse: 0 for a disc or square, towards 1 for a line; 0 for a single pixel.</param>
/// <param name="ConvexArea">
/// Area, in pixels², of the convex hull of the pixel squares (the hull of the pixel corners, from the monotone
/// chain algorithm; Andrew 1979). Not scikit-image's pixel count of the rasterised hull: for a square it equals
/// the area exactly, so its solidity is 1.
/// </param>
/// <param name="Solidity"><paramref name="Area"/> / <paramref name="ConvexArea"/>, in (0, 1].</param>
/// <param name="EquivalentDiameter">Diameter of the disc of the same area, √(4·Area/π).</param>
/// <param name="MeanIntensity">Mean of the intensity image over the object, when one was given.</param>
/// <param name="IntegratedIntensity">Sum of the intensity image over the object, when one was given.</param>
public sealed record RegionProps(
    int Label,
    int Area,
    double Perimeter,
    double CentroidX,
    double CentroidY,
    PixelBox BoundingBox,
    double MajorAxisLength,
    double MinorAxisLength,
    double Orientation,
    double Eccentricity,
    double ConvexArea,
    double Solidity,
    double EquivalentDiameter,
    double? MeanIntensity,
    double? IntegratedIntensity)
{
    /// <summary>The size measurements in µm and µm², for square pixels of <paramref name="pixelSizeNm"/> nm.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pixelSizeNm"/> is not a finite positive number.</exception>
    public RegionPropsUm InMicrons(double pixelSizeNm)
    {
        Core.Guard.Positive(pixelSizeNm);
        double um = pixelSizeNm / 1000.0;
        return new RegionPropsUm(Area * um * um, Perimeter * um, CentroidX * um, CentroidY * um,
            MajorAxisLength * um, MinorAxisLength * um, ConvexArea * um * um, EquivalentDiameter * um);
    }
}

/// <summary>The size measurements of a <see cref="RegionProps"/> in physical units.</summary>
/// <param name="AreaUm2">Area, µm².</param>
/// <param name="PerimeterUm">Perimeter, µm.</param>
/// <param name="CentroidXUm">Centroid x from the image's left edge pixel centre, µm.</param>
/// <param name="CentroidYUm">Centroid y from the image's top edge pixel centre, µm.</param>
/// <param name="MajorAxisUm">Major axis length, µm.</param>
/// <param name="MinorAxisUm">Minor axis length, µm.</param>
/// <param name="ConvexAreaUm2">Convex hull area, µm².</param>
/// <param name="EquivalentDiameterUm">Equivalent disc diameter, µm.</param>
public sealed record RegionPropsUm(
    double AreaUm2, double PerimeterUm, double CentroidXUm, double CentroidYUm,
    double MajorAxisUm, double MinorAxisUm, double ConvexAreaUm2, double EquivalentDiameterUm);
