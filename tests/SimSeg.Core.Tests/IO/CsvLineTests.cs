using SimSeg.Core.IO;

namespace SimSeg.Core.Tests.IO;

public class CsvLineTests
{
    [Theory]
    [InlineData("plain")]
    [InlineData("with,comma")]
    [InlineData("with \"quotes\"")]
    [InlineData("")]
    public void QuoteThenSplit_RoundTrips(string field)
    {
        string line = string.Join(',', CsvLine.Quote("a"), CsvLine.Quote(field), CsvLine.Quote("z"));
        Assert.Equal(new[] { "a", field, "z" }, CsvLine.Split(line));
    }

    [Fact]
    public void Quote_PlainField_IsUnchanged() => Assert.Equal("abc", CsvLine.Quote("abc"));
}
