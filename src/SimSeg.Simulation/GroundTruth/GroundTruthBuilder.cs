using SimSeg.Core.Imaging;
using SimSeg.Simulation.Geometry;
using SimSeg.Simulation.Labelling;

namespace SimSeg.Simulation.GroundTruth;

/// <summary>The label images of one field of view.</summary>
/// <param name="Mask">Binary mask, 1 = foreground.</param>
/// <param name="Instances">Object id per pixel (0 = background).</param>
/// <param name="Classes">Class per pixel (<see cref="ObjectClass"/> values).</param>
public sealed record GroundTruthImages(Image<byte> Mask, Image<ushort> Instances, Image<byte> Classes);

/// <summary>Builds ground-truth label images from emitters (physics-based) or from the noise-free image.</summary>
public static class GroundTruthBuilder
{
    /// <summary>
    /// The physics-based ground truth (PhySeg Fig. 1f): every emitter is projected onto the lateral plane; a
    /// pixel is foreground when at least <paramref name="minEmittersPerPixel"/> emitters project into it (max
    /// pooling by the pixel size, then binarisation). Each foreground pixel takes the id of the object with
    /// the most emitters in it (ties: the smaller id), and that object's class. Emitters outside the field are
    /// ignored. Uses every labelled emitter, whatever its blinking state, so the ground truth describes the
    /// structure, not one frame's photons.
    /// </summary>
    /// <param name="emitters">All emitters of the field (nm).</param>
    /// <param name="classOfObject">Class of each object id (index = id; index 0 unused).</param>
    /// <param name="width">Image width, pixels.</param>
    /// <param name="height">Image height, pixels.</param>
    /// <param name="pixelSizeNm">Pixel size, nm.</param>
    /// <param name="minEmittersPerPixel">Emitters needed to mark a pixel (≥ 1).</param>
    public static GroundTruthImages Physics(EmitterSet emitters, ReadOnlySpan<ObjectClass> classOfObject, int width, int height, double pixelSizeNm, int minEmittersPerPixel = 1)
    {
        ArgumentNullException.ThrowIfNull(emitters);
        Core.Guard.Positive(width);
        Core.Guard.Positive(height);
        Core.Guard.Positive(pixelSizeNm);
        Core.Guard.Positive(minEmittersPerPixel);
        var calibration = Calibration.Square(pixelSizeNm);
        var mask = new Image<byte>(width, height, 1, calibration);
        var instances = new Image<ushort>(width, height, 1, calibration);
        var classes = new Image<byte>(width, height, 1, calibration);
        int objectCount = classOfObject.Length;

        // Pixel index of every emitter (−1 outside the field), then one counting pass per object: objects in a
        // field are few, and a pass costs one comparison per emitter.
        int n = width * height, count = emitters.Count;
        var pixelOf = new int[count];
        var total = new int[n];
        var best = new int[n];
        var bestCount = new int[n];
        var scratch = new int[n];
        var touched = new List<int>();
        ReadOnlySpan<float> xs = emitters.X, ys = emitters.Y;
        ReadOnlySpan<int> ids = emitters.ObjectId;
        double inv = 1 / pixelSizeNm;
        for (int i = 0; i < count; i++)
        {
            int id = ids[i];
            if (id <= 0 || id >= objectCount)
                throw new ArgumentException($"emitter {i} labels object {id}, but classOfObject covers ids 1..{objectCount - 1}.", nameof(classOfObject));
            double fx = Math.Floor(xs[i] * inv), fy = Math.Floor(ys[i] * inv);
            int p = fx < 0 || fy < 0 || fx >= width || fy >= height ? -1 : (int)fy * width + (int)fx;
            pixelOf[i] = p;
            if (p >= 0) total[p]++;
        }
        for (int id = 1; id < objectCount; id++)
        {
            for (int i = 0; i < count; i++)
            {
                int p = pixelOf[i];
                if (p < 0 || ids[i] != id) continue;
                if (scratch[p]++ == 0) touched.Add(p);
            }
            // Ids ascend, so a strictly larger count is needed to replace an earlier object: ties keep the smaller id.
            foreach (int p in touched)
            {
                if (scratch[p] > bestCount[p])
                {
                    bestCount[p] = scratch[p];
                    best[p] = id;
                }
                scratch[p] = 0;
            }
            touched.Clear();
        }
        for (int p = 0; p < total.Length; p++)
        {
            if (total[p] < minEmittersPerPixel) continue;
            mask.Data[p] = 1;
            instances.Data[p] = (ushort)best[p];
            classes.Data[p] = (byte)classOfObject[best[p]];
        }
        return new GroundTruthImages(mask, instances, classes);
    }

    /// <summary>
    /// A ground truth from the noise-free image (<paramref name="method"/> other than Physics): foreground is
    /// decided on <paramref name="signal"/> (noise-free photons per pixel above background); instances and
    /// classes are taken from <paramref name="physics"/> where it overlaps, else from the nearest physics
    /// label within the foreground's connected reach (pixels with no physics label nearby get id 0 in the
    /// instance image but stay in the mask).
    /// </summary>
    /// <param name="method">Otsu, OtsuEroded or NoiseLevel.</param>
    /// <param name="signal">Noise-free signal without background, photons per pixel (width × height).</param>
    /// <param name="physics">The physics ground truth of the same field (for ids and classes).</param>
    /// <param name="noiseSigma">Standard deviation of the background noise in the same units as the signal.</param>
    /// <param name="erosionRadiusPixels">Disc radius for <see cref="GroundTruthMethod.OtsuEroded"/> (half the PSF FWHM, in pixels).</param>
    public static GroundTruthImages FromSignal(GroundTruthMethod method, ReadOnlySpan<float> signal, GroundTruthImages physics, double noiseSigma, double erosionRadiusPixels)
    {
        ArgumentNullException.ThrowIfNull(physics);
        int width = physics.Mask.Width, height = physics.Mask.Height;
        if (signal.Length != width * height)
            throw new ArgumentException($"signal holds {signal.Length} pixels; the field has {width}x{height}.", nameof(signal));
        var mask = new Image<byte>(width, height, 1, physics.Mask.Calibration);
        switch (method)
        {
            case GroundTruthMethod.Physics:
                return physics;
            case GroundTruthMethod.Otsu:
            case GroundTruthMethod.OtsuEroded:
            {
                double t = Threshold.Otsu(signal);
                for (int i = 0; i < signal.Length; i++) mask.Data[i] = signal[i] > t ? (byte)1 : (byte)0;
                if (method == GroundTruthMethod.OtsuEroded)
                {
                    var eroded = new byte[mask.Data.Length];
                    BinaryMorphology.ErodeDisc(mask.Data, width, height, erosionRadiusPixels, eroded);
                    eroded.CopyTo(mask.Data, 0);
                }
                break;
            }
            case GroundTruthMethod.NoiseLevel:
                Core.Guard.NonNegative(noiseSigma);
                for (int i = 0; i < signal.Length; i++) mask.Data[i] = signal[i] > noiseSigma ? (byte)1 : (byte)0;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, $"method must be one of {string.Join(", ", Enum.GetNames<GroundTruthMethod>())}.");
        }
        return LabelFromPhysics(mask, physics);
    }

    /// <summary>Gives each foreground pixel of <paramref name="mask"/> the id and class of the nearest physics label (city-block BFS).</summary>
    private static GroundTruthImages LabelFromPhysics(Image<byte> mask, GroundTruthImages physics)
    {
        int width = mask.Width, height = mask.Height, n = width * height;
        var instances = new Image<ushort>(width, height, 1, mask.Calibration);
        var classes = new Image<byte>(width, height, 1, mask.Calibration);
        var queue = new Queue<int>();
        var seen = new bool[n];
        for (int p = 0; p < n; p++)
        {
            if (physics.Instances.Data[p] == 0) continue;
            instances.Data[p] = physics.Instances.Data[p];
            classes.Data[p] = physics.Classes.Data[p];
            seen[p] = true;
            queue.Enqueue(p);
        }
        // Grow labels outward so that every mask pixel gets the nearest object's id.
        while (queue.Count > 0)
        {
            int p = queue.Dequeue();
            int x = p % width, y = p / width;
            Visit(x - 1, y); Visit(x + 1, y); Visit(x, y - 1); Visit(x, y + 1);

            void Visit(int qx, int qy)
            {
                if (qx < 0 || qy < 0 || qx >= width || qy >= height) return;
                int q = qy * width + qx;
                if (seen[q]) return;
                seen[q] = true;
                instances.Data[q] = instances.Data[p];
                classes.Data[q] = classes.Data[p];
                queue.Enqueue(q);
            }
        }
        for (int p = 0; p < n; p++)
        {
            if (mask.Data[p] != 0) continue;
            instances.Data[p] = 0;
            classes.Data[p] = 0;
        }
        return new GroundTruthImages(mask, instances, classes);
    }
}
