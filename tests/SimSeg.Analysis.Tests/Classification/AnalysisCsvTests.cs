using System.Globalization;
using SimSeg.Analysis.Classification;
using SimSeg.Core.Imaging;
using SimSeg.Core.IO;

namespace SimSeg.Analysis.Tests.Classification;

public sealed class AnalysisCsvTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("simseg-analysis-csv-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ImageAnalysis Example() =>
        ObjectAnalyzer.Analyze(Masks.Rectangle(50, 3, 2, 2, 54, 7), new AnalyzeOptions { PixelSizeNm = 65 });

    [Fact]
    public void WriteObjects_OneImage_HeaderAndTidyRow()
    {
        string path = Path.Combine(_folder, "objects.csv");
        AnalysisCsv.WriteObjects(path, Example(), condition: "ctrl, 1", image: "cell01.tif");
        var lines = File.ReadAllLines(path);
        Assert.Equal(string.Join(',', AnalysisCsv.ObjectColumns), lines[0]);
        Assert.Equal(2, lines.Length);
        var fields = CsvLine.Split(lines[1]);
        Assert.Equal(AnalysisCsv.ObjectColumns.Count, fields.Count);
        Assert.Equal("ctrl, 1", fields[0]);
        Assert.Equal("cell01.tif", fields[1]);
        Assert.Equal("rod", fields[AnalysisCsv.ObjectColumns.ToList().IndexOf("class")]);
        double area = double.Parse(fields[AnalysisCsv.ObjectColumns.ToList().IndexOf("area_um2")], CultureInfo.InvariantCulture);
        Assert.Equal(150 * 0.065 * 0.065, area, 12);
        Assert.Equal("", fields[AnalysisCsv.ObjectColumns.ToList().IndexOf("fitted_radius_nm")]);
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    [Fact]
    public void WriteBranchesAndSummary_SeveralImages_RowsFromEach()
    {
        string branches = Path.Combine(_folder, "branches.csv"), summary = Path.Combine(_folder, "summary.csv");
        var a = Example();
        NamedAnalysis[] set = [new(a, "a.tif", "ctrl"), new(a, "b.tif", "drug")];
        AnalysisCsv.WriteBranches(branches, set);
        AnalysisCsv.WriteSummary(summary, set);
        var b = File.ReadAllLines(branches);
        Assert.Equal("condition,image,label,branch,type,length_px,length_um", b[0]);
        Assert.Equal(3, b.Length);
        Assert.StartsWith("drug,b.tif,1,0,endpoint_endpoint,", b[2]);
        var s = File.ReadAllLines(summary);
        Assert.Equal(1 + 2 * a.Summary.Count, s.Length);
        Assert.Contains(s, line => line.StartsWith("ctrl,a.tif,area_um2,rod,1,", StringComparison.Ordinal) && line.EndsWith(',')); // n = 1: no std
    }

    [Fact]
    public void WriteSummary_EmptyImage_EmptyStatisticsFields()
    {
        string path = Path.Combine(_folder, "summary.csv");
        AnalysisCsv.WriteSummary(path, ObjectAnalyzer.Analyze(new Image<byte>(8, 8), new AnalyzeOptions { PixelSizeNm = 65 }));
        Assert.Contains(",,area_um2,all,0,,", File.ReadAllLines(path));
    }
}
