using SimSeg.Core.Imaging;
using Morph = SimSeg.Analysis.Morphology.Morphology;

namespace SimSeg.Analysis.Tests.Morphology;

public class SkeletonizeTests
{
    /// <summary>
    /// Inputs and the skeletons scikit-image's <c>skeletonize</c> gives for them (its 2D Zhang–Suen loop run by
    /// hand on each; the ellipse is the example of skimage's docstring). Each output was checked to be one pixel
    /// wide, 8-connected, and inside its input.
    /// </summary>
    public static readonly Dictionary<string, (string[] Input, string[] Expected)> Goldens = new()
    {
        ["Rectangle4x12"] = (
            ["..............", ".############.", ".############.", ".############.", ".############.", ".............."],
            ["..............", "..............", "...########...", "..#...........", "..............", ".............."]),
        ["Rectangle5x9"] = (
            ["...........", ".#########.", ".#########.", ".#########.", ".#########.", ".#########.", "..........."],
            ["...........", "...........", ".......##..", "...####....", "...........", "...........", "..........."]),
        ["Disc"] = (
            ["...........", ".....#.....", "...#####...", "..#######..", "..#######..", ".#########.", "..#######..", "..#######..", "...#####...", ".....#.....", "..........."],
            ["...........", "...........", "...........", "...........", "...........", ".....#.....", "...........", "...........", "...........", "...........", "..........."]),
        ["LShape"] = (
            ["........", ".###....", ".###....", ".###....", ".###....", ".######.", ".######.", ".######.", "........"],
            ["........", "..#.....", "..#.....", "..#.....", "..#.....", "..#..#..", "...##...", "........", "........"]),
        ["Plus"] = (
            [".........", "...###...", "...###...", ".#######.", ".#######.", ".#######.", "...###...", "...###...", "........."],
            [".........", "....#....", "....#....", "....#.#..", ".#####...", "....#....", "...#.....", ".........", "........."]),
        ["ScikitImageDocstringEllipse"] = (
            ["...###...", "..#####..", "..#####..", "..#####..", "..#####..", "..#####..", "..#####..", "..#####..", "...###..."],
            [".........", ".........", ".........", "....#....", "....#....", "....#....", "....#....", ".........", "........."]),
    };

    public static TheoryData<string> GoldenNames => new(Goldens.Keys);

    [Theory]
    [MemberData(nameof(GoldenNames))]
    public void Skeletonize_Golden_MatchesScikitImage(string name)
    {
        var (input, expected) = Goldens[name];
        Assert.Equal(expected, Masks.ToAscii(Morph.Skeletonize(Masks.FromAscii(input))));
    }

    [Theory]
    [MemberData(nameof(GoldenNames))]
    public void Skeletonize_Golden_Idempotent(string name)
    {
        var once = Morph.Skeletonize(Masks.FromAscii(Goldens[name].Input));
        Assert.Equal(once.Data, Morph.Skeletonize(once).Data);
    }

    [Theory]
    [InlineData(".......", ".#####.", ".......")]
    [InlineData("#....", ".#...", "..#..", "...#.", "....#")]
    [InlineData("..#..", "..#..", "#####", "..#..", "..#..")]
    [InlineData(".#...#.", "..#.#..", "...#...", "...#...", "...#...")]
    public void Skeletonize_OnePixelWideCurves_Unchanged(params string[] rows)
    {
        Assert.Equal(rows, Masks.ToAscii(Morph.Skeletonize(Masks.FromAscii(rows))));
    }

    [Fact]
    public void Skeletonize_EmptyAndSinglePixel_Unchanged()
    {
        Assert.All(Morph.Skeletonize(new Image<byte>(4, 3)).Data, v => Assert.Equal(0, v));
        string[] dot = ["...", ".#.", "..."];
        Assert.Equal(dot, Masks.ToAscii(Morph.Skeletonize(Masks.FromAscii(dot))));
    }

    [Fact]
    public void Skeletonize_ObjectTouchingImageEdge_OutsideIsBackground()
    {
        var skeleton = Morph.Skeletonize(Masks.Rectangle(12, 3, 0, 0, 12, 3));
        // As scikit-image: the line runs along the image edge, with a hook at its end.
        Assert.Equal(["..........#.", "##########..", "............"], Masks.ToAscii(skeleton));
    }

    [Theory]
    [InlineData(20230828, 0.55)]
    [InlineData(11, 0.7)]
    [InlineData(12, 0.85)]
    public void Skeletonize_RandomMasks_EqualsNaiveTwinAndIsIdempotent(int seed, double density)
    {
        var mask = Masks.Random(53, 37, density, seed);
        var fast = Morph.Skeletonize(mask);
        Assert.Equal(Morph.SkeletonizeNaive(mask).Data, fast.Data);
        Assert.Equal(fast.Data, Morph.Skeletonize(fast).Data);
        for (int i = 0; i < mask.Data.Length; i++) Assert.True(fast.Data[i] <= mask.Data[i]);
    }

    [Fact]
    public void Skeletonize_NonBinary_ThrowsNamingMask()
    {
        var mask = new Image<byte>(3, 3);
        mask[1, 1] = 2;
        Assert.Equal("mask", Assert.Throws<ArgumentException>(() => Morph.Skeletonize(mask)).ParamName);
    }
}
