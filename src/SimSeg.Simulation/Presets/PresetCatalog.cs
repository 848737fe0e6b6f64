using System.Text.Json;
using System.Text.Json.Serialization;

namespace SimSeg.Simulation.Presets;

/// <summary>
/// Finds and loads presets: a name such as "epi1-mito" is looked up in the presets folder shipped next to the
/// program; anything that names an existing file is read as a preset JSON file.
/// </summary>
public static class PresetCatalog
{
    /// <summary>JSON settings for preset files: camelCase names, enums as strings, comments and trailing commas allowed.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    /// <summary>The folder holding the shipped preset files.</summary>
    public static string PresetDirectory => Path.Combine(AppContext.BaseDirectory, "presets");

    /// <summary>Names of the shipped presets, sorted.</summary>
    public static IReadOnlyList<string> Names =>
        Directory.Exists(PresetDirectory)
            ? Directory.GetFiles(PresetDirectory, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>
    /// Loads a preset by shipped name or by file path, and validates it.
    /// </summary>
    /// <exception cref="ArgumentException">The name is unknown (the message lists the known ones) or a setting is invalid.</exception>
    /// <exception cref="InvalidDataException">The file is not valid preset JSON.</exception>
    public static Preset Load(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        string path = File.Exists(nameOrPath) ? nameOrPath : Path.Combine(PresetDirectory, nameOrPath + ".json");
        if (!File.Exists(path))
            throw new ArgumentException($"preset '{nameOrPath}' is neither a file nor a known preset; known presets: {string.Join(", ", Names)}.", "preset");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and validates preset JSON; <paramref name="source"/> names it in error messages.</summary>
    public static Preset Parse(string json, string source = "preset")
    {
        Preset? preset;
        try
        {
            preset = JsonSerializer.Deserialize<Preset>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source}: not a valid preset: {ex.Message}", ex);
        }
        if (preset is null) throw new InvalidDataException($"{source}: the file holds no preset (null).");
        try
        {
            preset.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"{source}: {ex.Message}", ex);
        }
        return preset;
    }

    /// <summary>Serialises a preset (for sidecars and for users who want to start from a shipped one).</summary>
    public static string ToJson(Preset preset) => JsonSerializer.Serialize(preset, JsonOptions);

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        return options;
    }
}
