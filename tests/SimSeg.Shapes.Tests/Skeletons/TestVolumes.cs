using SimSeg.Core.Imaging;
using SimSeg.Shapes.Skeletons;

namespace SimSeg.Shapes.Tests.Skeletons;

/// <summary>Binary test volumes and topology counts for skeleton tests.</summary>
internal static class TestVolumes
{
    /// <summary>Sets every voxel within <paramref name="radius"/> of the segment a–b (a capsule).</summary>
    public static void AddCapsule(Image<byte> image, (double X, double Y, double Z) a, (double X, double Y, double Z) b, double radius)
    {
        double ux = b.X - a.X, uy = b.Y - a.Y, uz = b.Z - a.Z;
        double length2 = ux * ux + uy * uy + uz * uz;
        for (int z = 0; z < image.Depth; z++)
            for (int y = 0; y < image.Height; y++)
                for (int x = 0; x < image.Width; x++)
                {
                    double t = length2 == 0 ? 0 : Math.Clamp(((x - a.X) * ux + (y - a.Y) * uy + (z - a.Z) * uz) / length2, 0, 1);
                    double dx = x - (a.X + t * ux), dy = y - (a.Y + t * uy), dz = z - (a.Z + t * uz);
                    if (dx * dx + dy * dy + dz * dz <= radius * radius) image[x, y, z] = 1;
                }
    }

    public static void AddBall(Image<byte> image, (double X, double Y, double Z) centre, double radius) => AddCapsule(image, centre, centre, radius);

    /// <summary>A torus in the xy plane around the volume centre.</summary>
    public static Image<byte> Torus(int size, double majorRadius, double minorRadius, Calibration? calibration = null)
    {
        var image = new Image<byte>(size, size, (int)Math.Ceiling(2 * minorRadius) + 5, calibration);
        double cx = (size - 1) / 2.0, cy = (size - 1) / 2.0, cz = (image.Depth - 1) / 2.0;
        for (int z = 0; z < image.Depth; z++)
            for (int y = 0; y < image.Height; y++)
                for (int x = 0; x < image.Width; x++)
                {
                    double ring = Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)) - majorRadius;
                    if (ring * ring + (z - cz) * (z - cz) <= minorRadius * minorRadius) image[x, y, z] = 1;
                }
        return image;
    }

    /// <summary>Three capsules from a common centre at 120° in the xy plane.</summary>
    public static Image<byte> Y(int armLength, double radius, Calibration? calibration = null)
    {
        int size = 2 * (armLength + (int)radius + 3);
        var image = new Image<byte>(size, size, 2 * (int)radius + 7, calibration);
        var centre = (size / 2.0, size / 2.0, image.Depth / 2.0);
        for (int arm = 0; arm < 3; arm++)
        {
            double angle = arm * 2 * Math.PI / 3 + 0.3;
            AddCapsule(image, centre, (centre.Item1 + armLength * Math.Cos(angle), centre.Item2 + armLength * Math.Sin(angle), centre.Item3), radius);
        }
        return image;
    }

    /// <summary>A seeded union of random balls and capsules: blobby shapes with occasional holes.</summary>
    public static Image<byte> Blobs(int seed, int size = 28, int pieces = 7)
    {
        var random = new Random(seed);
        var image = new Image<byte>(size, size, size);
        (double, double, double) Point() => (2 + random.NextDouble() * (size - 5), 2 + random.NextDouble() * (size - 5), 2 + random.NextDouble() * (size - 5));
        for (int i = 0; i < pieces; i++)
        {
            double radius = 1 + random.NextDouble() * 3;
            if (random.Next(2) == 0) AddBall(image, Point(), radius);
            else AddCapsule(image, Point(), Point(), radius);
        }
        return image;
    }

    /// <summary>A volume with the listed voxels set.</summary>
    public static Image<byte> FromVoxels(int width, int height, int depth, IEnumerable<(int X, int Y, int Z)> voxels)
    {
        var image = new Image<byte>(width, height, depth);
        foreach (var (x, y, z) in voxels) image[x, y, z] = 1;
        return image;
    }

    public static int Count(Image<byte> image) => image.Data.Count(v => v != 0);

    /// <summary>26-connected components of the nonzero voxels.</summary>
    public static int Components26(Image<byte> image)
    {
        var seen = new bool[image.Data.Length];
        var stack = new Stack<(int, int, int)>();
        int components = 0;
        for (int z = 0; z < image.Depth; z++)
            for (int y = 0; y < image.Height; y++)
                for (int x = 0; x < image.Width; x++)
                {
                    int i = (z * image.Height + y) * image.Width + x;
                    if (image.Data[i] == 0 || seen[i]) continue;
                    components++;
                    seen[i] = true;
                    stack.Push((x, y, z));
                    while (stack.Count > 0)
                    {
                        var (cx, cy, cz) = stack.Pop();
                        for (int dz = -1; dz <= 1; dz++)
                            for (int dy = -1; dy <= 1; dy++)
                                for (int dx = -1; dx <= 1; dx++)
                                {
                                    int ax = cx + dx, ay = cy + dy, az = cz + dz;
                                    if (ax < 0 || ay < 0 || az < 0 || ax >= image.Width || ay >= image.Height || az >= image.Depth) continue;
                                    int j = (az * image.Height + ay) * image.Width + ax;
                                    if (image.Data[j] == 0 || seen[j]) continue;
                                    seen[j] = true;
                                    stack.Push((ax, ay, az));
                                }
                    }
                }
        return components;
    }

    /// <summary>Euler characteristic (components − tunnels + cavities) for 26/6 connectivity, summed over all 2×2×2 blocks.</summary>
    public static int Euler26(Image<byte> image)
    {
        bool At(int x, int y, int z) => x >= 0 && y >= 0 && z >= 0 && x < image.Width && y < image.Height && z < image.Depth && image[x, y, z] != 0;
        int sum = 0;
        for (int z = -1; z < image.Depth; z++)
            for (int y = -1; y < image.Height; y++)
                for (int x = -1; x < image.Width; x++)
                {
                    int block = 0;
                    for (int b = 0; b < 8; b++)
                        if (At(x + (b & 1), y + ((b >> 1) & 1), z + ((b >> 2) & 1))) block |= 1 << b;
                    sum += Neighborhood26.BlockEulerTimes8(block);
                }
        Assert.Equal(0, sum % 8);
        return sum / 8;
    }

    /// <summary>Largest number of 26-neighbours of a nonzero voxel.</summary>
    public static int MaxNeighbours(Image<byte> image)
    {
        int max = 0;
        for (int z = 0; z < image.Depth; z++)
            for (int y = 0; y < image.Height; y++)
                for (int x = 0; x < image.Width; x++)
                {
                    if (image[x, y, z] == 0) continue;
                    int n = 0;
                    for (int dz = -1; dz <= 1; dz++)
                        for (int dy = -1; dy <= 1; dy++)
                            for (int dx = -1; dx <= 1; dx++)
                            {
                                int ax = x + dx, ay = y + dy, az = z + dz;
                                if ((dx | dy | dz) == 0 || ax < 0 || ay < 0 || az < 0 || ax >= image.Width || ay >= image.Height || az >= image.Depth) continue;
                                if (image[ax, ay, az] != 0) n++;
                            }
                    max = Math.Max(max, n);
                }
        return max;
    }
}
