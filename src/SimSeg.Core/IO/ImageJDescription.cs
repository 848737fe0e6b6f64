using System.Globalization;
using System.Text;
using SimSeg.Core.Imaging;

namespace SimSeg.Core.IO;

/// <summary>
/// The ImageJ ImageDescription: "key=value" lines starting with "ImageJ=". Together with XResolution/YResolution
/// in pixels per <c>unit</c> (ResolutionUnit = none), this is how ImageJ and Fiji store the pixel size.
/// </summary>
internal static class ImageJDescription
{
    /// <summary>
    /// The description for a stack of <paramref name="planes"/> planes; calibration is written in microns. With a
    /// positive <paramref name="frameIntervalMs"/> the planes are time points ("frames", with "finterval" in
    /// seconds), so ImageJ opens the file as a time series; otherwise they are z slices.
    /// </summary>
    public static string Format(int planes, Calibration calibration, double frameIntervalMs = 0)
    {
        var text = new StringBuilder("ImageJ=1.11a\n");
        bool time = frameIntervalMs > 0 && double.IsFinite(frameIntervalMs);
        if (planes > 1)
        {
            text.Append(CultureInfo.InvariantCulture, $"images={planes}\n");
            if (time) text.Append(CultureInfo.InvariantCulture, $"frames={planes}\n");
            else text.Append(CultureInfo.InvariantCulture, $"slices={planes}\n");
            if (time) text.Append(CultureInfo.InvariantCulture, $"finterval={frameIntervalMs / 1000}\n");
        }
        if (calibration.IsKnown)
        {
            text.Append("unit=micron\n");
            if (planes > 1 && calibration.PlaneSpacingNm > 0)
                text.Append(CultureInfo.InvariantCulture, $"spacing={calibration.PlaneSpacingNm / 1000}\n");
        }
        if (planes > 1) text.Append("loop=false\n");
        return text.ToString();
    }

    /// <summary>True when <paramref name="description"/> was written by ImageJ.</summary>
    public static bool Is(string? description) => description is not null && description.StartsWith("ImageJ=", StringComparison.Ordinal);

    /// <summary>
    /// The calibration given by an ImageJ description and resolution tags (pixels per unit; 0 when absent), or null
    /// when the description names no known unit.
    /// </summary>
    public static Calibration? Parse(string description, double xResolution, double yResolution)
    {
        string? unit = null;
        double spacing = 0;
        foreach (string rawLine in description.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r', '\0');
            int eq = line.IndexOf('=');
            if (eq <= 0) continue;
            string key = line[..eq], value = line[(eq + 1)..];
            if (key == "unit") unit = value.Replace("\\u00B5", "µ", StringComparison.OrdinalIgnoreCase);
            else if (key == "spacing" && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double s)) spacing = s;
        }

        double nmPerUnit = LengthUnits.NanometresPer(unit);
        if (nmPerUnit <= 0) return null;
        if (yResolution <= 0) yResolution = xResolution;
        double width = xResolution > 0 ? nmPerUnit / xResolution : 0;
        double height = yResolution > 0 ? nmPerUnit / yResolution : 0;
        double z = double.IsFinite(spacing) && spacing > 0 ? Math.Abs(spacing) * nmPerUnit : 0;
        return new Calibration(Sane(width), Sane(height), Sane(z));
    }

    /// <summary>A length in nm, or 0 when it is not a finite positive number.</summary>
    public static double Sane(double nm) => double.IsFinite(nm) && nm > 0 ? nm : 0;
}
