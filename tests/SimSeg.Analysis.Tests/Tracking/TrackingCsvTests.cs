using SimSeg.Analysis.Tracking;

namespace SimSeg.Analysis.Tests.Tracking;

public sealed class TrackingCsvTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("simseg-trackcsv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TrackingResult Sample()
    {
        var track = new Track(3, [new TrackPoint(0, 5, 1.5, 2.25, 12, "rod", 0, 0, 6.5), new TrackPoint(1, 4, 2.5, 2.25, 12, "a,b", 1, 0, 7)]);
        return new TrackingResult([track], [], [], 2);
    }

    [Fact]
    public void WriteTracks_HeaderAndInvariantRows()
    {
        string path = Path.Combine(_dir, "tracks.csv");
        TrackingCsv.WriteTracks(path, Sample());
        Assert.Equal(
            ["track_id,frame,label,x_px,y_px,area_px,class,vx,vy", "3,0,5,1.5,2.25,12,rod,0,0", "3,1,4,2.5,2.25,12,\"a,b\",1,0"],
            File.ReadAllLines(path));
        Assert.Single(Directory.GetFiles(_dir)); // no temporary file left behind
    }

    [Fact]
    public void WriteEvents_TrackIdsSpaceSeparated()
    {
        string path = Path.Combine(_dir, "events.csv");
        TrackingCsv.WriteEvents(path, [new TrackEvent(TrackEventKinds.Fission, 4, [1, 2, 3], "label 1 -> labels 2 3")]);
        Assert.Equal(["kind,frame,track_ids,detail", "fission,4,1 2 3,label 1 -> labels 2 3"], File.ReadAllLines(path));
    }

    [Fact]
    public void WriteMorphology_OneRowPerObservation()
    {
        string path = Path.Combine(_dir, "morphology.csv");
        TrackingCsv.WriteMorphology(path, Sample());
        Assert.Equal(["track_id,frame,area,class,major_axis", "3,0,12,rod,6.5", "3,1,12,\"a,b\",7"], File.ReadAllLines(path));
    }
}
