using SimSeg.Segmentation.Demo;
using SimSeg.Segmentation.Models;

namespace SimSeg.Segmentation.Tests.Demo;

/// <summary>
/// One demo run at tiny scale (200 training images of 64², one epoch of a small U-Net, a 256² cell), shared by the
/// tests of the pipeline and of its report in a browser; its folder is removed at the end.
/// </summary>
public sealed class TinyDemo : IDisposable
{
    public TinyDemo()
    {
        Options = Small(Path.Combine(Path.GetTempPath(), "simseg-demo-test-" + Guid.NewGuid().ToString("N")));
        Result = DemoPipeline.Run(Options, p => Progress.Add(p));
    }

    /// <summary>The settings of a tiny run into <paramref name="directory"/>.</summary>
    public static DemoOptions Small(string directory) => new()
    {
        OutputDirectory = directory,
        Minutes = 2,
        Seed = 3,
        CellSize = 256,
        TrainingImages = 200,
        TileSize = 64,
        Architecture = new ModelArchitecture { Name = "unet", BaseChannels = 8, Depth = 3 },
        Epochs = 1,
        ValidationImages = 40,
        DisplaySize = 128, // the 256² cell is shown at half scale, so down-scaling is exercised
        CommandLine = "simseg demo --out tiny <test>",
    };

    public DemoOptions Options { get; }

    public DemoResult Result { get; }

    public List<DemoProgress> Progress { get; } = [];

    public string this[string relative] => Path.Combine(Options.OutputDirectory, relative);

    public void Dispose()
    {
        try { Directory.Delete(Options.OutputDirectory, true); } catch (IOException) { }
    }
}

[CollectionDefinition("tiny demo")]
public sealed class TinyDemoCollection : ICollectionFixture<TinyDemo>;
