using SimSeg.Core.Imaging;

namespace SimSeg.Shapes.Tests.Meshing;

/// <summary>Analytic test volumes.</summary>
internal static class TestVolumes
{
    /// <summary>Signed distance to a sphere, positive inside (r − |p − c|), in voxels.</summary>
    public static Image<float> SphereField(int size, double radius, double cx, double cy, double cz)
    {
        var image = new Image<float>(size, size, size);
        for (int z = 0; z < size; z++)
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    double dx = x - cx, dy = y - cy, dz = z - cz;
                    image[x, y, z] = (float)(radius - Math.Sqrt(dx * dx + dy * dy + dz * dz));
                }
        return image;
    }

    /// <summary>Voxels whose centre lies within <paramref name="radius"/> of (cx, cy, cz).</summary>
    public static Image<byte> SphereMask(int size, double radius, double cx, double cy, double cz) =>
        Threshold(SphereField(size, radius, cx, cy, cz));

    /// <summary>Signed distance to a torus about the z axis, positive inside.</summary>
    public static Image<float> TorusField(int size, double major, double minor)
    {
        var image = new Image<float>(size, size, size);
        double c = (size - 1) / 2.0;
        for (int z = 0; z < size; z++)
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    double dx = x - c, dy = y - c, dz = z - c;
                    double q = Math.Sqrt(dx * dx + dy * dy) - major;
                    image[x, y, z] = (float)(minor - Math.Sqrt(q * q + dz * dz));
                }
        return image;
    }

    /// <summary>1 where the field is ≥ 0.</summary>
    public static Image<byte> Threshold(Image<float> field)
    {
        var mask = new Image<byte>(field.Width, field.Height, field.Depth);
        for (int i = 0; i < mask.Data.Length; i++) mask.Data[i] = field.Data[i] >= 0 ? (byte)1 : (byte)0;
        return mask;
    }
}
