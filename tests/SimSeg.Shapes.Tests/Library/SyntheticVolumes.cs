using SimSeg.Core.Imaging;

namespace SimSeg.Shapes.Tests.Library;

/// <summary>Label volumes with analytic objects of known shape class, at 20 nm voxels.</summary>
public static class SyntheticVolumes
{
    public const double VoxelNm = 20;

    /// <summary>
    /// 1: a torus (donut), 2: a straight tube 3 µm long (rod), 3: a Y of three tubes (network), 4: a ball of
    /// radius 200 nm (dot), 5: a tube cut by the volume border.
    /// </summary>
    public static Image<int> FiveObjects()
    {
        var v = new Image<int>(200, 120, 60, Calibration.Square(VoxelNm, VoxelNm));
        for (int z = 0; z < v.Depth; z++)
            for (int y = 0; y < v.Height; y++)
                for (int x = 0; x < v.Width; x++)
                {
                    double px = x, py = y, pz = z;
                    // Torus: centre (30, 30, 30), major radius 16, minor radius 6 voxels, axis z.
                    double rho = Math.Sqrt((px - 30) * (px - 30) + (py - 30) * (py - 30));
                    if ((rho - 16) * (rho - 16) + (pz - 30) * (pz - 30) <= 36) v[x, y, z] = 1;
                    // Rod: along x from 60 to 210 voxels? keep inside: 60..200 would touch; use 65..185 (2.4 µm) radius 6.
                    if (x >= 65 && x <= 185 && (py - 30) * (py - 30) + (pz - 30) * (pz - 30) <= 36) v[x, y, z] = 2;
                    // Y: three arms from (100, 85, 30).
                    if (InCapsule(px, py, pz, 100, 85, 30, 60, 85, 30, 6) || InCapsule(px, py, pz, 100, 85, 30, 135, 65, 30, 6) || InCapsule(px, py, pz, 100, 85, 30, 135, 105, 30, 6)) v[x, y, z] = 3;
                    // Ball: centre (170, 90, 30), radius 10 voxels.
                    if ((px - 170) * (px - 170) + (py - 90) * (py - 90) + (pz - 30) * (pz - 30) <= 100) v[x, y, z] = 4;
                    // Border tube: along y at x = 190 reaching y = 119.
                    if (y >= 95 && (px - 190) * (px - 190) + (pz - 30) * (pz - 30) <= 16) v[x, y, z] = 5;
                }
        return v;
    }

    private static bool InCapsule(double x, double y, double z, double ax, double ay, double az, double bx, double by, double bz, double r)
    {
        double dx = bx - ax, dy = by - ay, dz = bz - az;
        double t = Math.Clamp(((x - ax) * dx + (y - ay) * dy + (z - az) * dz) / (dx * dx + dy * dy + dz * dz), 0, 1);
        double cx = ax + t * dx - x, cy = ay + t * dy - y, cz = az + t * dz - z;
        return cx * cx + cy * cy + cz * cz <= r * r;
    }
}
