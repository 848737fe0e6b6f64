using SimSeg.Core;
using SimSeg.Core.Imaging;

namespace SimSeg.Shapes.Instances;

/// <summary>
/// Cuts a label volume into one <see cref="VoxelInstance"/> per mitochondrion, following 3DMSL (Punnakkal et al.,
/// "3DMSL: 3D mitochondria shape library"): optional isotropic resampling, then for each object erosion by a ball to
/// cut thin bridges, connected components, removal of dust, and dilation of each component back inside the object.
/// </summary>
/// <remarks>
/// <para>An object is a label value (<see cref="InputKind.Instances"/>) or the whole non-zero foreground
/// (<see cref="InputKind.Binary"/>). Each object is processed on its bounding box plus a margin of more than the
/// erosion radius, never on the whole volume. Voxels outside the volume count as background, so objects are eroded
/// from the volume faces too.</para>
/// <para>Per object: the connected pieces of its mask are found; the mask is eroded by a ball of
/// <see cref="ExtractionOptions.ErosionRadiusVoxels"/>; eroded components of at least
/// <see cref="ExtractionOptions.MinVoxels"/> voxels become seeds. Seeds grow back through the object's mask by a
/// multi-source propagation in order of Euclidean distance to the nearest seed voxel (vector propagation over
/// <see cref="ExtractionOptions.Connectivity"/> neighbours), up to the erosion radius, so each mask voxel goes to the
/// nearest seed that reaches it through the mask and every instance is connected. Where a piece splits into several
/// seeds, mask voxels farther than the radius from every seed (the thin bridges the erosion cut) are dropped; a piece
/// with a single seed is kept whole, so erosion never trims an object it does not split. A connected piece that
/// holds no seed (erosion removed it entirely, e.g. a thin tubule or small object) is kept whole as one instance if
/// it has at least MinVoxels voxels, rather than lost; smaller pieces are dust and dropped.</para>
/// <para>Instances are numbered 1..N by source label ascending (binary input: one label, 1), then in raster order
/// (x fastest, then y, then z) of their first voxel.</para>
/// </remarks>
public static class InstanceExtractor
{
    /// <summary>Smallest accepted voxel edge in nm.</summary>
    public const double MinVoxelNm = 0.1;

    /// <summary>Largest accepted voxel edge in nm.</summary>
    public const double MaxVoxelNm = 10_000;

    /// <summary>Extracts the instances of <paramref name="labels"/>.</summary>
    /// <param name="labels">Label volume (x = columns, y = rows, z = planes).</param>
    /// <param name="voxelSize">Voxel size in nm (PixelWidthNm = x, PixelHeightNm = y, PlaneSpacingNm = z); each axis must
    /// lie in [<see cref="MinVoxelNm"/>, <see cref="MaxVoxelNm"/>].</param>
    /// <param name="options">Settings; null for <see cref="ExtractionOptions.Default"/>.</param>
    /// <returns>The instances, with masks calibrated in the (resampled) voxel size; origins are in the (resampled) volume
    /// and may be negative by up to the crop margin.</returns>
    /// <exception cref="ArgumentException">The voxel size is unknown or implausible, an option is out of range, or the
    /// volume has no non-zero voxel.</exception>
    public static IReadOnlyList<VoxelInstance> Extract(Image<int> labels, Calibration voxelSize, ExtractionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(voxelSize);
        options ??= ExtractionOptions.Default;
        Validate(voxelSize, options);

        if (options.ResampleToNm > 0)
        {
            labels = Resample.NearestNeighbour(labels, voxelSize, options.ResampleToNm);
            voxelSize = labels.Calibration;
        }
        var voxelCalibration = new Calibration(voxelSize.PixelWidthNm, voxelSize.PixelHeightNm, voxelSize.PlaneSpacingNm);

        List<(int Label, Box Box)> objects = FindObjects(labels, options.InputKind);
        if (objects.Count == 0)
            throw new ArgumentException($"labels has no non-zero voxel in its {labels.Width}x{labels.Height}x{labels.Depth} voxels: there is nothing to extract.", nameof(labels));

        var worker = new ObjectWorker(labels, options, voxelCalibration);
        var result = new List<VoxelInstance>();
        foreach (var (label, box) in objects) worker.Extract(label, box, result);
        return result;
    }

    private static void Validate(Calibration voxelSize, ExtractionOptions options)
    {
        double[] sizes = [voxelSize.PixelWidthNm, voxelSize.PixelHeightNm, voxelSize.PlaneSpacingNm];
        if (sizes.Any(s => !(s >= MinVoxelNm && s <= MaxVoxelNm)))
            throw new ArgumentException(
                $"voxel size x={voxelSize.PixelWidthNm}, y={voxelSize.PixelHeightNm}, z={voxelSize.PlaneSpacingNm} nm is unknown or implausible for EM or light " +
                $"microscopy (each axis must be between {MinVoxelNm} and {MaxVoxelNm} nm; file headers often hold placeholders such as 1 mm). " +
                "Pass the voxel size explicitly with --voxel-size Z,Y,X_NM, e.g. --voxel-size 15,16,16.", nameof(voxelSize));
        Guard.NonNegative(options.ErosionRadiusVoxels, "options.ErosionRadiusVoxels");
        if (options.ErosionRadiusVoxels > 64)
            throw new ArgumentOutOfRangeException("options.ErosionRadiusVoxels", options.ErosionRadiusVoxels, "options.ErosionRadiusVoxels must be at most 64 voxels.");
        if (options.MinVoxels < 0) throw new ArgumentOutOfRangeException("options.MinVoxels", options.MinVoxels, "options.MinVoxels must be >= 0.");
        if (options.CropMarginVoxels is < 0 or > 1024)
            throw new ArgumentOutOfRangeException("options.CropMarginVoxels", options.CropMarginVoxels, "options.CropMarginVoxels must be between 0 and 1024.");
        Guard.NonNegative(options.ResampleToNm, "options.ResampleToNm");
        if (options.ResampleToNm > 0) Guard.InRange(options.ResampleToNm, MinVoxelNm, MaxVoxelNm, "options.ResampleToNm");
        if (!Enum.IsDefined(options.Connectivity))
            throw new ArgumentOutOfRangeException("options.Connectivity", options.Connectivity, "options.Connectivity must be Six, Eighteen or TwentySix.");
        if (!Enum.IsDefined(options.InputKind))
            throw new ArgumentOutOfRangeException("options.InputKind", options.InputKind, "options.InputKind must be Instances or Binary.");
    }

    /// <summary>An inclusive bounding box.</summary>
    private struct Box(int x, int y, int z)
    {
        public int MinX = x, MinY = y, MinZ = z, MaxX = x, MaxY = y, MaxZ = z;

        public void Add(int x0, int x1, int y, int z)
        {
            if (x0 < MinX) MinX = x0;
            if (x1 > MaxX) MaxX = x1;
            if (y < MinY) MinY = y;
            if (y > MaxY) MaxY = y;
            if (z < MinZ) MinZ = z;
            if (z > MaxZ) MaxZ = z;
        }
    }

    /// <summary>The objects (label value and bounding box), by label ascending, found in one pass over runs of equal labels.</summary>
    private static List<(int, Box)> FindObjects(Image<int> labels, InputKind kind)
    {
        var index = new Dictionary<int, int>();
        var boxes = new List<Box>();
        var keys = new List<int>();
        int[] data = labels.Data;
        int w = labels.Width;
        for (int z = 0; z < labels.Depth; z++)
            for (int y = 0; y < labels.Height; y++)
            {
                int row = (z * labels.Height + y) * w;
                int x = 0;
                while (x < w)
                {
                    int value = data[row + x];
                    if (value == 0) { x++; continue; }
                    int end = x + 1;
                    if (kind == InputKind.Binary) while (end < w && data[row + end] != 0) end++;
                    else while (end < w && data[row + end] == value) end++;
                    int key = kind == InputKind.Binary ? 1 : value;
                    if (!index.TryGetValue(key, out int at))
                    {
                        at = boxes.Count;
                        index[key] = at;
                        boxes.Add(new Box(x, y, z));
                        keys.Add(key);
                    }
                    Box box = boxes[at];
                    box.Add(x, end - 1, y, z);
                    boxes[at] = box;
                    x = end;
                }
            }
        var result = new List<(int, Box)>(keys.Count);
        for (int i = 0; i < keys.Count; i++) result.Add((keys[i], boxes[i]));
        result.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return result;
    }

    /// <summary>Splits one object on its padded bounding box; buffers are per call (objects are small).</summary>
    private sealed class ObjectWorker(Image<int> labels, ExtractionOptions options, Calibration voxelSize)
    {
        private readonly (int Dx, int Dy, int Dz)[] _neighbours = ConnectedComponents3D.AllNeighbours(options.Connectivity);

        public void Extract(int label, Box box, List<VoxelInstance> result)
        {
            double radius = options.ErosionRadiusVoxels;
            int margin = Math.Max((int)Math.Ceiling(radius) + 1, 1);
            int ox = box.MinX - margin, oy = box.MinY - margin, oz = box.MinZ - margin;
            int w = box.MaxX - box.MinX + 1 + 2 * margin, h = box.MaxY - box.MinY + 1 + 2 * margin, d = box.MaxZ - box.MinZ + 1 + 2 * margin;
            var mask = new Image<byte>(w, h, d);
            bool binary = options.InputKind == InputKind.Binary;
            for (int z = box.MinZ; z <= box.MaxZ; z++)
                for (int y = box.MinY; y <= box.MaxY; y++)
                {
                    Span<int> source = labels.Row(y, z).Slice(box.MinX, box.MaxX - box.MinX + 1);
                    Span<byte> target = mask.Row(y - oy, z - oz).Slice(box.MinX - ox, source.Length);
                    for (int x = 0; x < source.Length; x++)
                        target[x] = (binary ? source[x] != 0 : source[x] == label) ? (byte)1 : (byte)0;
                }

            // Connected pieces of the object, and their sizes (pieces below MinVoxels are dust).
            var (pieces, pieceCount) = ConnectedComponents3D.Label(mask, options.Connectivity);
            var pieceSize = new int[pieceCount + 1];
            foreach (int p in pieces.Data) pieceSize[p]++;

            var owner = new int[mask.Data.Length];
            int seeds = 0;
            // pieceSeed[p]: 0 = no seed, s > 0 = exactly one seed s, −1 = several seeds (the piece is split).
            var pieceSeed = new int[pieceCount + 1];
            if (options.SplitByErosion && radius > 0)
                seeds = SeedFromErosion(mask, pieces.Data, owner, pieceSeed, radius);
            // A piece with one seed has nothing to split: it stays whole, so erosion trims none of its thin parts.
            // Pieces without a seed stay whole too (erosion removed them entirely), unless they are dust.
            var pieceOwner = new int[pieceCount + 1];
            for (int p = 1; p <= pieceCount; p++)
            {
                if (pieceSeed[p] > 0) pieceOwner[p] = pieceSeed[p];
                else if (pieceSeed[p] == 0 && pieceSize[p] >= options.MinVoxels) pieceOwner[p] = ++seeds;
            }
            for (int i = 0; i < owner.Length; i++)
            {
                int p = pieces.Data[i];
                if (p != 0 && pieceOwner[p] != 0) owner[i] = pieceOwner[p];
            }

            Emit(label, owner, seeds, w, h, d, ox, oy, oz, result);
        }

        /// <summary>Erodes, labels eroded components of ≥ MinVoxels as seeds 1..n, and grows them back through the mask.</summary>
        private int SeedFromErosion(Image<byte> mask, int[] pieces, int[] owner, int[] pieceSeed, double radius)
        {
            int w = mask.Width, h = mask.Height, d = mask.Depth;
            var distance = new double[mask.Data.Length];
            DistanceTransform.SquaredEuclidean(mask.Data, w, h, d, 1, 1, 1, distance);
            double r2 = radius * radius;
            var eroded = new Image<byte>(w, h, d);
            for (int i = 0; i < distance.Length; i++) eroded.Data[i] = distance[i] > r2 ? (byte)1 : (byte)0;
            var (components, count) = ConnectedComponents3D.Label(eroded, options.Connectivity);
            if (count == 0) return 0;
            var size = new int[count + 1];
            foreach (int c in components.Data) size[c]++;
            var seedOf = new int[count + 1];
            int seeds = 0;
            for (int c = 1; c <= count; c++)
                if (size[c] >= options.MinVoxels) seedOf[c] = ++seeds;
            if (seeds == 0) return 0;

            int maxD = (int)Math.Floor(r2);
            var best = new int[owner.Length];
            var source = new int[owner.Length];
            var done = new bool[owner.Length];
            var buckets = new List<int>[maxD + 1];
            for (int b = 0; b <= maxD; b++) buckets[b] = [];
            Array.Fill(best, int.MaxValue);
            int[] c0 = components.Data;
            for (int i = 0; i < c0.Length; i++)
            {
                int s = seedOf[c0[i]];
                if (s == 0) continue;
                owner[i] = s;
                best[i] = 0;
                source[i] = i;
                buckets[0].Add(i);
                int p = pieces[i];
                pieceSeed[p] = pieceSeed[p] == 0 || pieceSeed[p] == s ? s : -1;
            }

            int plane = w * h;
            int[] offsets = _neighbours.Select(o => (o.Dz * h + o.Dy) * w + o.Dx).ToArray();
            byte[] m = mask.Data;
            for (int b = 0; b <= maxD; b++)
            {
                List<int> bucket = buckets[b];
                for (int k = 0; k < bucket.Count; k++)
                {
                    int i = bucket[k];
                    if (done[i]) continue;
                    done[i] = true;
                    int s = source[i];
                    int sx = s % w, sy = s / w % h, sz = s / plane;
                    int x = i % w, y = i / w % h, z = i / plane;
                    for (int n = 0; n < offsets.Length; n++)
                    {
                        int j = i + offsets[n];
                        if (m[j] == 0 || done[j]) continue;
                        var (dx, dy, dz) = _neighbours[n];
                        int ex = x + dx - sx, ey = y + dy - sy, ez = z + dz - sz;
                        int dd = ex * ex + ey * ey + ez * ez;
                        if (dd > maxD || dd >= best[j]) continue;
                        best[j] = dd;
                        owner[j] = owner[i];
                        source[j] = s;
                        buckets[Math.Max(dd, b)].Add(j);
                    }
                }
            }
            return seeds;
        }

        /// <summary>Turns each owner region into a VoxelInstance, ordered by raster order of first voxel.</summary>
        private void Emit(int label, int[] owner, int regions, int w, int h, int d, int ox, int oy, int oz, List<VoxelInstance> result)
        {
            if (regions == 0) return;
            var order = new int[regions + 1];
            var boxes = new Box[regions + 1];
            var counts = new long[regions + 1];
            int next = 0;
            for (int z = 0; z < d; z++)
                for (int y = 0; y < h; y++)
                    for (int x = 0, i = (z * h + y) * w; x < w; x++, i++)
                    {
                        int r = owner[i];
                        if (r == 0) continue;
                        if (order[r] == 0)
                        {
                            order[r] = ++next;
                            boxes[r] = new Box(x, y, z);
                        }
                        else
                        {
                            boxes[r].Add(x, x, y, z);
                        }
                        counts[r]++;
                    }
            var byOrder = new int[next + 1];
            for (int r = 1; r <= regions; r++)
                if (order[r] != 0) byOrder[order[r]] = r;

            int margin = options.CropMarginVoxels;
            for (int k = 1; k <= next; k++)
            {
                int r = byOrder[k];
                Box b = boxes[r];
                int mw = b.MaxX - b.MinX + 1 + 2 * margin, mh = b.MaxY - b.MinY + 1 + 2 * margin, md = b.MaxZ - b.MinZ + 1 + 2 * margin;
                var crop = new Image<byte>(mw, mh, md, voxelSize);
                for (int z = b.MinZ; z <= b.MaxZ; z++)
                    for (int y = b.MinY; y <= b.MaxY; y++)
                    {
                        Span<byte> row = crop.Row(y - b.MinY + margin, z - b.MinZ + margin);
                        int at = (z * h + y) * w;
                        for (int x = b.MinX; x <= b.MaxX; x++)
                            if (owner[at + x] == r) row[x - b.MinX + margin] = 1;
                    }
                int vx0 = ox + b.MinX, vy0 = oy + b.MinY, vz0 = oz + b.MinZ;
                int vx1 = ox + b.MaxX, vy1 = oy + b.MaxY, vz1 = oz + b.MaxZ;
                bool border = vx0 == 0 || vy0 == 0 || vz0 == 0 || vx1 == labels.Width - 1 || vy1 == labels.Height - 1 || vz1 == labels.Depth - 1;
                result.Add(new VoxelInstance(result.Count + 1, label, crop, vx0 - margin, vy0 - margin, vz0 - margin, counts[r], border));
            }
        }
    }
}
