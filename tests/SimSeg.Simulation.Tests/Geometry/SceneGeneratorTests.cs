using SimSeg.Core;
using SimSeg.Core.Geometry;
using SimSeg.Core.Randomness;
using SimSeg.Simulation.Geometry;
using SimSeg.Simulation.Tests.Geometry;

namespace SimSeg.Simulation.Tests.Geometry;

public class SceneGeneratorTests
{
    private static double Length(IReadOnlyList<Vec3> line)
    {
        double l = 0;
        for (int i = 1; i < line.Count; i++) l += Vec3.Distance(line[i - 1], line[i]);
        return l;
    }

    [Fact]
    public void Generate_Defaults_OneOrTwoTubesWithinBands()
    {
        var options = new SceneOptions();
        var rng = new Rng(20240601);
        for (int s = 0; s < 50; s++)
        {
            Scene scene = SceneGenerator.Generate(options, rng);
            Assert.InRange(scene.Objects.Count, 1, 2);
            for (int i = 0; i < scene.Objects.Count; i++)
            {
                SceneObject o = scene.Objects[i];
                Assert.Equal(i + 1, o.Id);
                Assert.Equal(ObjectClass.Mitochondrion, o.Class);
                Assert.Equal("tube", o.Kind);
                var tube = Assert.IsType<TubeShape>(o.Shape);
                Assert.InRange(2 * tube.RadiusNm, 300, 500);
                Assert.True(Length(tube.Centerline) <= 5000 + 1e-6);
                foreach (Vec3 p in tube.Centerline) Assert.InRange(p.Z, 100, 600);
                Assert.InRange(o.Parameters["centerXNm"], 0, options.FieldWidthNm);
                Assert.Equal(tube.CenterlineLengthNm, o.Parameters["lengthNm"], 1e-6);
            }
        }
    }

    [Fact]
    public void Generate_ShortMaxArcLength_TruncatesCenterline()
    {
        var options = new SceneOptions { Mitochondria = new MitochondrionOptions { MaxArcLengthNm = 1200 }, MitochondriaPerField = new(5, 5) };
        Scene scene = SceneGenerator.Generate(options, new Rng(4));
        foreach (SceneObject o in scene.Objects)
        {
            double l = Length(((TubeShape)o.Shape).Centerline);
            Assert.InRange(l, 1000, 1200 + 1e-6);
        }
    }

    [Fact]
    public void Generate_SameSeed_SameScene()
    {
        var options = new SceneOptions
        {
            VesiclesPerField = new(1, 3),
            Mitochondria = new MitochondrionOptions { BranchProbability = 0.3, CurlProbability = 0.3 },
            MeshLibrary = [TestShapes.UnitCube()],
            MeshesPerField = new(1, 1),
            MeshScaleRange = new(300, 600),
        };
        Scene a = SceneGenerator.Generate(options, new Rng(77));
        Scene b = SceneGenerator.Generate(options, new Rng(77));
        Assert.Equal(a.Objects.Count, b.Objects.Count);
        for (int i = 0; i < a.Objects.Count; i++)
        {
            Assert.Equal(a.Objects[i].Kind, b.Objects[i].Kind);
            Assert.Equal(a.Objects[i].Parameters, b.Objects[i].Parameters);
            Assert.Equal(a.Objects[i].Shape.SurfaceArea, b.Objects[i].Shape.SurfaceArea);
        }
    }

    [Fact]
    public void Generate_AllKinds_ProducesEachKindWithValidShapes()
    {
        var options = new SceneOptions
        {
            MitochondriaPerField = new(4, 4),
            VesiclesPerField = new(2, 2),
            Mitochondria = new MitochondrionOptions { BranchProbability = 0.5, CurlProbability = 0.3 },
            MeshLibrary = [TestShapes.UnitCube()],
            MeshesPerField = new(1, 1),
            MeshScaleRange = new(300, 600),
        };
        var rng = new Rng(5);
        var kinds = new HashSet<string>();
        for (int s = 0; s < 20; s++)
        {
            foreach (SceneObject o in SceneGenerator.Generate(options, rng).Objects)
            {
                kinds.Add(o.Kind);
                Assert.True(o.Shape.SurfaceArea > 0);
                Vec3 p = o.Shape.SampleSurface(rng);
                Assert.True(p.X >= o.Shape.BoundsMin.X - 1e-6 && p.X <= o.Shape.BoundsMax.X + 1e-6);
                if (o.Kind == "mesh") Assert.True(o.Shape.Contains(new Vec3(o.Parameters["centerXNm"], o.Parameters["centerYNm"], o.Parameters["centerZNm"])));
                if (o.Kind == "curled") Assert.Equal(6, o.Parameters["controlPointCount"]);
                if (o.Kind == "branched") Assert.InRange(((BranchedTubeShape)o.Shape).Centerlines.Count, 2, 3);
            }
        }
        Assert.Equal(new HashSet<string> { "tube", "branched", "curled", "sphere", "mesh" }, kinds);
    }

    public static TheoryData<SceneOptions, string> BadOptions => new()
    {
        { new SceneOptions { FieldWidthNm = -5 }, "FieldWidthNm" },
        { new SceneOptions { MarginNm = 4000 }, "MarginNm" },
        { new SceneOptions { MitochondriaPerField = new(3, 1) }, "MitochondriaPerField" },
        { new SceneOptions { Mitochondria = new MitochondrionOptions { DiameterRangeNm = new(500, 300) } }, "DiameterRangeNm" },
        { new SceneOptions { Mitochondria = new MitochondrionOptions { DiameterRangeNm = new(-10, 300) } }, "DiameterRangeNm" },
        { new SceneOptions { Mitochondria = new MitochondrionOptions { ControlPointCountMin = 1 } }, "ControlPointCountMin" },
        { new SceneOptions { Mitochondria = new MitochondrionOptions { MaxArcLengthNm = 0 } }, "MaxArcLengthNm" },
        { new SceneOptions { Mitochondria = new MitochondrionOptions { BranchProbability = 1.5 } }, "BranchProbability" },
        { new SceneOptions { VesiclesPerField = new(1, 1), Vesicles = new VesicleOptions { RadiusRangeNm = new(0, 10) } }, "RadiusRangeNm" },
        { new SceneOptions { MeshesPerField = new(1, 1) }, "MeshLibrary" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Generate_BadOptions_ThrowsNamingProperty(SceneOptions options, string property)
    {
        var ex = Assert.Throws<ArgumentException>(() => SceneGenerator.Generate(options, new Rng(1)));
        Assert.Contains(property, ex.Message);
    }

    [Fact]
    public void Presets_EpiBandsAndAiryscan_HaveBriefRanges()
    {
        Assert.Equal(new Interval(400, 500), MitochondrionOptions.Epi(2).DiameterRangeNm);
        Assert.Equal(new Interval(20, 300), MitochondrionOptions.Airyscan.DiameterRangeNm);
        Assert.Throws<ArgumentOutOfRangeException>(() => MitochondrionOptions.Epi(4));
    }
}
