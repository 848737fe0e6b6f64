using System.Globalization;
using System.Text;
using System.Xml;
using SimSeg.Core.Imaging;

namespace SimSeg.Core.IO;

/// <summary>The OME-XML ImageDescription of an OME-TIFF holding one XYZ stack of one channel.</summary>
internal static class OmeXml
{
    private const string Namespace = "http://www.openmicroscopy.org/Schemas/OME/2016-06";

    /// <summary>The OME type name of <paramref name="type"/>.</summary>
    public static string TypeName(PixelType type) => type switch
    {
        PixelType.UInt8 => "uint8",
        PixelType.Int8 => "int8",
        PixelType.UInt16 => "uint16",
        PixelType.Int16 => "int16",
        PixelType.UInt32 => "uint32",
        PixelType.Int32 => "int32",
        PixelType.Float32 => "float",
        PixelType.Float64 => "double",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown pixel type."),
    };

    /// <summary>The OME-XML document (ASCII only: lengths are written in nm).</summary>
    public static string Format(int width, int height, int planes, PixelType type, Calibration calibration)
    {
        var settings = new XmlWriterSettings { Indent = false, OmitXmlDeclaration = false, Encoding = new UTF8Encoding(false) };
        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(text, settings))
        {
            xml.WriteStartElement("OME", Namespace);
            xml.WriteAttributeString("xmlns", "xsi", null, "http://www.w3.org/2001/XMLSchema-instance");
            xml.WriteAttributeString("xsi", "schemaLocation", "http://www.w3.org/2001/XMLSchema-instance", Namespace + " " + Namespace + "/ome.xsd");
            xml.WriteAttributeString("Creator", "SimSeg");
            xml.WriteStartElement("Image", Namespace);
            xml.WriteAttributeString("ID", "Image:0");
            xml.WriteStartElement("Pixels", Namespace);
            xml.WriteAttributeString("ID", "Pixels:0");
            xml.WriteAttributeString("DimensionOrder", "XYZCT");
            xml.WriteAttributeString("Type", TypeName(type));
            xml.WriteAttributeString("SizeX", Invariant(width));
            xml.WriteAttributeString("SizeY", Invariant(height));
            xml.WriteAttributeString("SizeZ", Invariant(planes));
            xml.WriteAttributeString("SizeC", "1");
            xml.WriteAttributeString("SizeT", "1");
            if (calibration.PixelWidthNm > 0) Length(xml, "PhysicalSizeX", calibration.PixelWidthNm);
            if (calibration.PixelHeightNm > 0) Length(xml, "PhysicalSizeY", calibration.PixelHeightNm);
            if (calibration.PlaneSpacingNm > 0 && planes > 1) Length(xml, "PhysicalSizeZ", calibration.PlaneSpacingNm);
            xml.WriteAttributeString("BigEndian", "false");
            xml.WriteStartElement("Channel", Namespace);
            xml.WriteAttributeString("ID", "Channel:0:0");
            xml.WriteAttributeString("SamplesPerPixel", "1");
            xml.WriteEndElement();
            xml.WriteStartElement("TiffData", Namespace);
            xml.WriteAttributeString("IFD", "0");
            xml.WriteAttributeString("PlaneCount", Invariant(planes));
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
        }
        // XmlWriter on a StringBuilder declares utf-16; the bytes stored are UTF-8.
        return text.ToString().Replace("encoding=\"utf-16\"", "encoding=\"UTF-8\"", StringComparison.Ordinal);
    }

    private static void Length(XmlWriter xml, string name, double nm)
    {
        xml.WriteAttributeString(name, nm.ToString("R", CultureInfo.InvariantCulture));
        xml.WriteAttributeString(name + "Unit", "nm");
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>True when <paramref name="description"/> looks like OME-XML.</summary>
    public static bool Is(string? description)
        => description is not null && description.TrimStart().StartsWith('<') && description.Contains("<OME", StringComparison.Ordinal);

    /// <summary>The calibration of the first Pixels element, or null when the XML cannot be parsed or has none.</summary>
    public static Calibration? Parse(string description)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            MaxCharactersInDocument = 64L << 20,
        };
        try
        {
            using var reader = XmlReader.Create(new StringReader(description), settings);
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "Pixels") continue;
                double x = Attribute(reader, "PhysicalSizeX"), y = Attribute(reader, "PhysicalSizeY"), z = Attribute(reader, "PhysicalSizeZ");
                return new Calibration(x, y, z);
            }
        }
        catch (XmlException)
        {
            // Broken metadata does not make the pixels unreadable; fall back to the other sources.
        }
        return null;
    }

    private static double Attribute(XmlReader reader, string name)
    {
        string? value = reader.GetAttribute(name);
        if (value is null || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double size)) return 0;
        double nmPerUnit = LengthUnits.NanometresPer(reader.GetAttribute(name + "Unit") ?? "µm");
        return ImageJDescription.Sane(size * nmPerUnit);
    }
}
