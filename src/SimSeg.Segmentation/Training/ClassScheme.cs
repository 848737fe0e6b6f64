namespace SimSeg.Segmentation.Training;

/// <summary>
/// What a model learns to tell apart: the ground truth it is trained on and the head it gets. A binary model has one
/// logit per pixel (sigmoid: the foreground probability); a K-class model has K logits (softmax over the classes, the
/// class map is their argmax).
/// </summary>
public enum ClassScheme
{
    /// <summary>Background and foreground, from the 0/1 masks in <c>masks/</c>: one logit, sigmoid (the default).</summary>
    Binary,

    /// <summary>
    /// Background (0), mitochondrion (1) and vesicle (2), from the class maps in <c>classes/</c> that <c>simseg
    /// simulate</c> writes (the values of <c>ObjectClass</c>): three logits, softmax.
    /// </summary>
    MitoVesicle,
}

/// <summary>Names, class counts and logit channels of each <see cref="ClassScheme"/>.</summary>
public static class ClassSchemes
{
    private static readonly string[] BinaryNames = ["background", "foreground"];
    private static readonly string[] MitoVesicleNames = ["background", "mitochondrion", "vesicle"];

    /// <summary>The command-line names, in the order of the enum: "binary", "mito-vesicle".</summary>
    public static IReadOnlyList<string> CliNames { get; } = ["binary", "mito-vesicle"];

    /// <summary>The class names, index = class value ("background" first).</summary>
    public static IReadOnlyList<string> ClassNames(this ClassScheme scheme) => scheme switch
    {
        ClassScheme.Binary => BinaryNames,
        ClassScheme.MitoVesicle => MitoVesicleNames,
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, $"classes must be one of {string.Join(", ", CliNames)}."),
    };

    /// <summary>Classes K, background included (2 for binary).</summary>
    public static int ClassCount(this ClassScheme scheme) => scheme.ClassNames().Count;

    /// <summary>Logit channels of the model's head: 1 for binary (sigmoid), K otherwise (softmax).</summary>
    public static int LogitChannels(this ClassScheme scheme) => scheme == ClassScheme.Binary ? 1 : scheme.ClassCount();

    /// <summary>The command-line name ("binary", "mito-vesicle").</summary>
    public static string CliName(this ClassScheme scheme) => CliNames[(int)scheme];

    /// <summary>The scheme of a command-line name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="CliNames"/>; the message lists them.</exception>
    public static ClassScheme Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (int i = 0; i < CliNames.Count; i++)
            if (string.Equals(CliNames[i], name.Trim(), StringComparison.OrdinalIgnoreCase)) return (ClassScheme)i;
        throw new ArgumentException($"--classes must be one of {string.Join(", ", CliNames)}; got '{name}'.", nameof(name));
    }
}
