using SimSeg.Simulation.Dataset;

namespace SimSeg.Simulation.Tests.Dataset;

public class DatasetOptionsTests
{
    [Fact]
    public void SplitOf_SixtyTwentyTwenty_AssignsContiguousBlocks()
    {
        var split = SplitFractions.Default;
        var labels = Enumerable.Range(0, 10).Select(i => split.Of(i, 10)).ToArray();
        Assert.Equal(new[] { "train", "train", "train", "train", "train", "train", "val", "val", "test", "test" }, labels);
    }

    [Theory]
    [InlineData("0.6,0.2")]
    [InlineData("0.6,0.2,0.3")]
    [InlineData("a,b,c")]
    [InlineData("-0.2,0.6,0.6")]
    public void SplitParse_Bad_ThrowsNamingTheFlag(string text)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => SplitFractions.Parse(text));
        Assert.Contains("--split", ex.Message);
    }

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/8", 3, 8)]
    public void ShardParse_Valid(string text, int index, int count) => Assert.Equal(new Shard(index, count), Shard.Parse(text));

    [Theory]
    [InlineData("8/8")]
    [InlineData("-1/3")]
    [InlineData("1")]
    [InlineData("1/0")]
    public void ShardParse_Bad_ThrowsNamingTheFlag(string text) => Assert.Contains("--shard", Assert.ThrowsAny<ArgumentException>(() => Shard.Parse(text)).Message);

    [Fact]
    public void ShardOwns_PartitionsEveryIndexOnce()
    {
        var shards = Enumerable.Range(0, 4).Select(i => new Shard(i, 4)).ToArray();
        for (int i = 0; i < 50; i++) Assert.Single(shards, s => s.Owns(i));
    }

    [Fact]
    public void ManifestRow_CsvRoundTrip_QuotesFieldsWithCommas()
    {
        var row = new ManifestRow
        {
            Id = "sample-000001", Index = 1, Split = "val", Image = "images/a,b.tif", Mask = "m", Instances = "i", Classes = "c", Meta = "j",
            SampleSeed = 123456789012345UL, Preset = "my \"odd\" preset", Width = 256, Height = 256, Mitochondria = 3, Vesicles = 2, Emitters = 40000, ForegroundFraction = 0.125,
        };
        Assert.Equal(row, ManifestRow.Parse(row.ToCsv(), "test"));
    }
}
