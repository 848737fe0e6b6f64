namespace SimSeg.Core.Geometry;

/// <summary>A 3x3 matrix stored row-major, used for rotations.</summary>
public readonly record struct Mat3(
    double M00, double M01, double M02,
    double M10, double M11, double M12,
    double M20, double M21, double M22)
{
    /// <summary>The identity matrix.</summary>
    public static Mat3 Identity => new(1, 0, 0, 0, 1, 0, 0, 0, 1);

    /// <summary>Rotation about the x axis by <paramref name="angle"/> radians (right-handed).</summary>
    public static Mat3 RotationX(double angle)
    {
        double c = Math.Cos(angle), s = Math.Sin(angle);
        return new(1, 0, 0, 0, c, -s, 0, s, c);
    }

    /// <summary>Rotation about the y axis by <paramref name="angle"/> radians (right-handed).</summary>
    public static Mat3 RotationY(double angle)
    {
        double c = Math.Cos(angle), s = Math.Sin(angle);
        return new(c, 0, s, 0, 1, 0, -s, 0, c);
    }

    /// <summary>Rotation about the z axis by <paramref name="angle"/> radians (right-handed).</summary>
    public static Mat3 RotationZ(double angle)
    {
        double c = Math.Cos(angle), s = Math.Sin(angle);
        return new(c, -s, 0, s, c, 0, 0, 0, 1);
    }

    /// <summary>
    /// The Euler rotation R = Rz(γ)·Ry(β)·Rx(α) of MiShape eq. 4: a point is rotated first about x by
    /// <paramref name="alpha"/>, then about y by <paramref name="beta"/>, then about z by
    /// <paramref name="gamma"/> (all in radians).
    /// </summary>
    public static Mat3 Euler(double alpha, double beta, double gamma) =>
        RotationZ(gamma) * RotationY(beta) * RotationX(alpha);

    /// <summary>Matrix product.</summary>
    public static Mat3 operator *(Mat3 a, Mat3 b) => new(
        a.M00 * b.M00 + a.M01 * b.M10 + a.M02 * b.M20,
        a.M00 * b.M01 + a.M01 * b.M11 + a.M02 * b.M21,
        a.M00 * b.M02 + a.M01 * b.M12 + a.M02 * b.M22,
        a.M10 * b.M00 + a.M11 * b.M10 + a.M12 * b.M20,
        a.M10 * b.M01 + a.M11 * b.M11 + a.M12 * b.M21,
        a.M10 * b.M02 + a.M11 * b.M12 + a.M12 * b.M22,
        a.M20 * b.M00 + a.M21 * b.M10 + a.M22 * b.M20,
        a.M20 * b.M01 + a.M21 * b.M11 + a.M22 * b.M21,
        a.M20 * b.M02 + a.M21 * b.M12 + a.M22 * b.M22);

    /// <summary>Matrix-vector product.</summary>
    public static Vec3 operator *(Mat3 m, Vec3 v) => new(
        m.M00 * v.X + m.M01 * v.Y + m.M02 * v.Z,
        m.M10 * v.X + m.M11 * v.Y + m.M12 * v.Z,
        m.M20 * v.X + m.M21 * v.Y + m.M22 * v.Z);

    /// <summary>The transpose (the inverse, for a rotation).</summary>
    public Mat3 Transpose() => new(M00, M10, M20, M01, M11, M21, M02, M12, M22);
}
