using SimSeg.Core.Imaging;
using SimSeg.Shapes.Instances;

namespace SimSeg.Shapes.Tests.Instances;

public sealed class ConnectedComponents3DTests
{
    /// <summary>Flood fill from each unlabelled voxel in raster order: the naive twin.</summary>
    private static (int[] Labels, int Count) NaiveLabel(Image<byte> mask, Connectivity connectivity)
    {
        int limit = connectivity switch { Connectivity.Six => 1, Connectivity.Eighteen => 2, _ => 3 };
        var labels = new int[mask.Data.Length];
        int count = 0;
        int w = mask.Width, h = mask.Height, d = mask.Depth;
        for (int start = 0; start < labels.Length; start++)
        {
            if (mask.Data[start] == 0 || labels[start] != 0) continue;
            labels[start] = ++count;
            var queue = new Queue<int>([start]);
            while (queue.Count > 0)
            {
                int i = queue.Dequeue();
                int x = i % w, y = i / w % h, z = i / (w * h);
                for (int dz = -1; dz <= 1; dz++)
                    for (int dy = -1; dy <= 1; dy++)
                        for (int dx = -1; dx <= 1; dx++)
                        {
                            int manhattan = Math.Abs(dx) + Math.Abs(dy) + Math.Abs(dz);
                            if (manhattan == 0 || manhattan > limit) continue;
                            int nx = x + dx, ny = y + dy, nz = z + dz;
                            if (nx < 0 || ny < 0 || nz < 0 || nx >= w || ny >= h || nz >= d) continue;
                            int j = (nz * h + ny) * w + nx;
                            if (mask.Data[j] == 0 || labels[j] != 0) continue;
                            labels[j] = count;
                            queue.Enqueue(j);
                        }
            }
        }
        return (labels, count);
    }

    [Theory]
    [InlineData(Connectivity.Six, 0.3, 1)]
    [InlineData(Connectivity.Six, 0.5, 2)]
    [InlineData(Connectivity.Eighteen, 0.2, 3)]
    [InlineData(Connectivity.Eighteen, 0.35, 4)]
    [InlineData(Connectivity.TwentySix, 0.1, 5)]
    [InlineData(Connectivity.TwentySix, 0.25, 6)]
    public void Label_RandomVolumes_EqualsFloodFill(Connectivity connectivity, double fill, int seed)
    {
        Image<byte> mask = Volumes.Random(17, 13, 11, fill, seed);
        var (labels, count) = ConnectedComponents3D.Label(mask, connectivity);
        var (naive, naiveCount) = NaiveLabel(mask, connectivity);
        Assert.Equal(naiveCount, count);
        Assert.Equal(naive, labels.Data);
    }

    [Theory]
    [InlineData(Connectivity.Six, 3)]
    [InlineData(Connectivity.Eighteen, 2)]
    [InlineData(Connectivity.TwentySix, 1)]
    public void Label_DiagonalNeighbours_DependOnConnectivity(Connectivity connectivity, int expected)
    {
        var mask = new Image<byte>(4, 4, 4);
        mask[0, 0, 0] = 1;
        mask[1, 1, 0] = 1; // edge neighbour of (0,0,0)
        mask[2, 2, 1] = 1; // corner neighbour of (1,1,0)
        Assert.Equal(expected, ConnectedComponents3D.Label(mask, connectivity).Count);
    }

    [Fact]
    public void Label_UShape_OneComponentNumberedInRasterOrder()
    {
        // Two arms that meet only at the bottom: provisional labels merge late, the raster-first voxel still gets 1.
        var mask = new Image<byte>(5, 4, 1);
        foreach (var (x, y) in new[] { (0, 0), (0, 1), (0, 2), (4, 0), (4, 1), (4, 2), (0, 3), (1, 3), (2, 3), (3, 3), (4, 3), (2, 0) })
            mask[x, y] = 1;
        var (labels, count) = ConnectedComponents3D.Label(mask, Connectivity.Six);
        Assert.Equal(2, count);
        Assert.Equal(1, labels[0, 0]);
        Assert.Equal(2, labels[2, 0]);
        Assert.Equal(1, labels[4, 0]);
    }

    [Fact]
    public void Label_Empty_ZeroComponents()
        => Assert.Equal(0, ConnectedComponents3D.Label(new Image<byte>(3, 3, 3)).Count);
}
