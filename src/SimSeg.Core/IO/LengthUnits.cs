namespace SimSeg.Core.IO;

/// <summary>Names of length units found in image metadata.</summary>
internal static class LengthUnits
{
    /// <summary>Nanometres per <paramref name="unit"/>, or 0 when the unit is unknown (including "pixel").</summary>
    public static double NanometresPer(string? unit)
    {
        switch (unit?.Trim())
        {
            case "nm": case "nanometer": case "nanometre": case "nanometers": case "nanometres": return 1;
            case "µm": case "μm": case "um": case "micron": case "microns": case "micrometer": case "micrometre": case "micrometers": return 1e3;
            case "mm": case "millimeter": case "millimetre": return 1e6;
            case "cm": case "centimeter": case "centimetre": return 1e7;
            case "dm": return 1e8;
            case "m": case "meter": case "metre": return 1e9;
            case "pm": return 1e-3;
            case "Å": case "angstrom": return 0.1;
            case "inch": case "in": return 25.4e6;
            default: return 0;
        }
    }
}
