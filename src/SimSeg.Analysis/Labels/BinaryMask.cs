using SimSeg.Core.Imaging;

namespace SimSeg.Analysis.Labels;

/// <summary>Boundary checks shared by the entry points that take a binary mask or a label image.</summary>
internal static class BinaryMask
{
    /// <summary>
    /// Requires a single-plane mask whose pixels are all 0 or all in one foreground value, 1 or 255 (the two
    /// conventions in use); anything else is rejected with the first offending pixel named.
    /// </summary>
    public static void Require(Image<byte> mask, string name)
    {
        ArgumentNullException.ThrowIfNull(mask, name);
        RequireSinglePlane(mask.Depth, name);
        byte foreground = 0;
        var data = mask.Data;
        for (int i = 0; i < data.Length; i++)
        {
            byte v = data[i];
            if (v == 0 || v == foreground) continue;
            if (foreground == 0 && (v == 1 || v == 255))
            {
                foreground = v;
                continue;
            }
            throw new ArgumentException(
                $"{name} must be binary (0 and 1, or 0 and 255), but pixel (x={i % mask.Width}, y={i / mask.Width}) is {v}"
                + (foreground != 0 ? $" while earlier foreground pixels are {foreground}." : "."), name);
        }
    }

    /// <summary>Requires a single-plane image.</summary>
    public static void RequireSinglePlane(int depth, string name)
    {
        if (depth != 1)
            throw new ArgumentException($"{name} must be a single 2D plane (Depth = 1), got Depth = {depth}; pass one plane (Image.ClonePlane).", name);
    }

    /// <summary>Requires non-negative labels in a single plane.</summary>
    public static void RequireLabels(Image<int> labels, string name)
    {
        ArgumentNullException.ThrowIfNull(labels, name);
        RequireSinglePlane(labels.Depth, name);
        var data = labels.Data;
        for (int i = 0; i < data.Length; i++)
            if (data[i] < 0)
                throw new ArgumentException($"{name} must hold labels >= 0 (0 = background), but pixel (x={i % labels.Width}, y={i / labels.Width}) is {data[i]}.", name);
    }
}
