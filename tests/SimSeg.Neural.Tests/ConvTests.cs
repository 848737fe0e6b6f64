using SimSeg.Core.Randomness;
using SimSeg.Neural.Layers;

namespace SimSeg.Neural.Tests;

public class ConvTests
{
    private static Tensor RandomTensor(Rng rng, params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Length; i++) t.Data[i] = (float)rng.Uniform(-1, 1);
        return t;
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tol = 1e-4)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected.Data[i] - actual.Data[i]) <= tol * (1 + Math.Abs(expected.Data[i])),
                $"element {i} of {expected.ShapeText}: expected {expected.Data[i]}, got {actual.Data[i]}");
    }

    // in, out, kernel, stride, padding, dilation, groups, h, w
    public static TheoryData<int, int, int, int, int, int, int, int, int> ConvCases() => new()
    {
        { 3, 5, 3, 1, 1, 1, 1, 9, 11 }, { 4, 6, 3, 2, 1, 1, 2, 10, 7 }, { 2, 3, 3, 1, 2, 2, 1, 8, 9 },
        { 4, 4, 3, 1, 1, 1, 4, 7, 6 }, { 3, 2, 1, 1, 0, 1, 1, 5, 5 }, { 1, 8, 5, 2, 2, 1, 1, 13, 12 },
        { 6, 4, 2, 2, 0, 1, 2, 8, 8 }, { 16, 32, 3, 1, 1, 1, 1, 40, 36 },
    };

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2d_ForwardBackward_MatchNaive(int cin, int cout, int k, int s, int p, int d, int groups, int h, int w)
    {
        var rng = new Rng(11);
        var layer = new Conv2d(cin, cout, k, rng, s, p, d, groups, bias: true);
        var x = RandomTensor(rng, 2, cin, h, w);
        var y = layer.Forward(x, training: true);
        AssertClose(Conv2dNaive.Forward(x, layer.Weight.Value, layer.Bias!.Value, s, p, d, groups), y);
        var dy = RandomTensor(rng, y.Shape);
        var dx = layer.Backward(dy);
        var (ex, ew, eb) = Conv2dNaive.Backward(x, layer.Weight.Value, dy, s, p, d, groups);
        AssertClose(ex, dx);
        AssertClose(ew, layer.Weight.Gradient, 1e-3);
        AssertClose(eb, layer.Bias.Gradient, 1e-3);
    }

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2d_BatchedSmallMapsAndPerImage_BothMatchNaive(int cin, int cout, int k, int s, int p, int d, int groups, int h, int w)
    {
        // Small maps of a batch share one GEMM (columns side by side); per-image GEMMs are the other path.
        foreach (bool batched in new[] { true, false })
        {
            var rng = new Rng(12);
            var layer = new Conv2d(cin, cout, k, rng, s, p, d, groups, bias: true) { BatchSmallMaps = batched };
            var x = RandomTensor(rng, 3, cin, h, w);
            var y = layer.Forward(x, training: true);
            AssertClose(Conv2dNaive.Forward(x, layer.Weight.Value, layer.Bias!.Value, s, p, d, groups), y);
            var dy = RandomTensor(rng, y.Shape);
            layer.Forward(x, training: true);
            var dx = layer.Backward(dy);
            var (ex, ew, eb) = Conv2dNaive.Backward(x, layer.Weight.Value, dy, s, p, d, groups);
            AssertClose(ex, dx);
            AssertClose(ew, layer.Weight.Gradient, 1e-3);
            AssertClose(eb, layer.Bias.Gradient, 1e-3);
        }
    }

    // in, out, kernel, stride, padding, outputPadding, dilation, groups, h
    public static TheoryData<int, int, int, int, int, int, int, int, int> TransposedCases() => new()
    {
        { 8, 4, 2, 2, 0, 0, 1, 1, 7 }, { 3, 5, 3, 2, 1, 1, 1, 1, 6 }, { 4, 6, 3, 1, 1, 0, 2, 2, 5 },
        { 4, 4, 3, 2, 1, 0, 1, 4, 5 }, { 2, 3, 1, 1, 0, 0, 1, 1, 6 }, { 32, 16, 2, 2, 0, 0, 1, 1, 20 },
    };

    [Theory]
    [MemberData(nameof(TransposedCases))]
    public void ConvTranspose2d_ForwardBackward_MatchNaive(int cin, int cout, int k, int s, int p, int op, int d, int groups, int h)
    {
        var rng = new Rng(12);
        var layer = new ConvTranspose2d(cin, cout, k, rng, s, p, op, d, groups);
        var x = RandomTensor(rng, 2, cin, h, h + 1);
        var y = layer.Forward(x, training: true);
        AssertClose(Conv2dNaive.TransposedForward(x, layer.Weight.Value, layer.Bias!.Value, s, p, d, groups, op), y);
        var dy = RandomTensor(rng, y.Shape);
        var dx = layer.Backward(dy);
        var (ex, ew, eb) = Conv2dNaive.TransposedBackward(x, layer.Weight.Value, dy, s, p, d, groups);
        AssertClose(ex, dx);
        AssertClose(ew, layer.Weight.Gradient, 1e-3);
        AssertClose(eb, layer.Bias.Gradient, 1e-3);
    }

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2d_SmallWorkspaceLimit_BandsMatchNaive(int cin, int cout, int k, int s, int p, int d, int groups, int h, int w)
    {
        // Limits of one row, two rows and two and a half rows of columns: bands of 1, 2 and uneven heights.
        int columnRow = cin * k * k * ((w + 2 * p - d * (k - 1) - 1) / s + 1);
        foreach (int limit in new[] { 1, 2 * columnRow, 5 * columnRow / 2 })
        {
            var rng = new Rng(13);
            var layer = new Conv2d(cin, cout, k, rng, s, p, d, groups) { WorkspaceLimit = limit };
            var x = RandomTensor(rng, 2, cin, h, w);
            var y = layer.Forward(x, training: true);
            AssertClose(Conv2dNaive.Forward(x, layer.Weight.Value, layer.Bias!.Value, s, p, d, groups), y);
            var dy = RandomTensor(rng, y.Shape);
            var dx = layer.Backward(dy);
            var (ex, ew, eb) = Conv2dNaive.Backward(x, layer.Weight.Value, dy, s, p, d, groups);
            AssertClose(ex, dx);
            AssertClose(ew, layer.Weight.Gradient, 1e-3);
            AssertClose(eb, layer.Bias.Gradient, 1e-3);
        }
    }

    [Theory]
    [MemberData(nameof(TransposedCases))]
    public void ConvTranspose2d_SmallWorkspaceLimit_BandsMatchNaive(int cin, int cout, int k, int s, int p, int op, int d, int groups, int h)
    {
        int columnRow = cout * k * k * (h + 1);
        foreach (int limit in new[] { 1, 2 * columnRow, 5 * columnRow / 2 })
        {
            var rng = new Rng(14);
            var layer = new ConvTranspose2d(cin, cout, k, rng, s, p, op, d, groups) { WorkspaceLimit = limit };
            var x = RandomTensor(rng, 2, cin, h, h + 1);
            var y = layer.Forward(x, training: true);
            AssertClose(Conv2dNaive.TransposedForward(x, layer.Weight.Value, layer.Bias!.Value, s, p, d, groups, op), y);
            var dy = RandomTensor(rng, y.Shape);
            var dx = layer.Backward(dy);
            var (ex, ew, eb) = Conv2dNaive.TransposedBackward(x, layer.Weight.Value, dy, s, p, d, groups);
            AssertClose(ex, dx);
            AssertClose(ew, layer.Weight.Gradient, 1e-3);
            AssertClose(eb, layer.Bias.Gradient, 1e-3);
        }
    }

    [Fact]
    public void Conv2d_LargeImage_DefaultLimitBandsMatchNaiveAndBoundWorkspace()
    {
        // 3×3 over 64 channels at 384²: 576 × 147,456 columns = 85 Mi floats in one piece, 11 bands under the 8 Mi default.
        var rng = new Rng(15);
        var layer = new Conv2d(64, 2, 3, rng, padding: 1);
        Assert.Equal(Kernels.ConvWorkspace.DefaultLimit, layer.WorkspaceLimit);
        Assert.Equal(35, Kernels.ConvWorkspace.BandRows(576, 384, 384, layer.WorkspaceLimit));
        var x = RandomTensor(rng, 1, 64, 384, 384);
        var y = layer.Forward(x, training: false);
        Assert.InRange(Kernels.ConvWorkspace.Capacity, 1, Kernels.ConvWorkspace.DefaultLimit);
        AssertClose(Conv2dNaive.Forward(x, layer.Weight.Value, layer.Bias!.Value, 1, 1, 1, 1), y);
        var dy = RandomTensor(rng, y.Shape);
        var dx = layer.Backward(dy);
        Assert.InRange(Kernels.ConvWorkspace.Capacity, 1, Kernels.ConvWorkspace.DefaultLimit);
        var (ex, ew, eb) = Conv2dNaive.Backward(x, layer.Weight.Value, dy, 1, 1, 1, 1);
        AssertClose(ex, dx);
        AssertClose(ew, layer.Weight.Gradient, 1e-3);
        AssertClose(eb, layer.Bias.Gradient, 1e-3);
    }

    [Fact]
    public void Forward_Bands_BitIdenticalToOnePass()
    {
        // Banding cuts the GEMM along its output columns only, so every output sums the same products in the same order.
        var rng = new Rng(17);
        var x = RandomTensor(rng, 2, 6, 37, 29);
        var whole = new Conv2d(6, 5, 3, new Rng(18), padding: 1) { WorkspaceLimit = int.MaxValue };
        var banded = new Conv2d(6, 5, 3, new Rng(18), padding: 1) { WorkspaceLimit = 54 * 29 * 4 };
        Assert.Equal(whole.Forward(x, false).Data, banded.Forward(x, false).Data);
        var up = new ConvTranspose2d(6, 4, 2, new Rng(19), stride: 2) { WorkspaceLimit = int.MaxValue };
        var upBanded = new ConvTranspose2d(6, 4, 2, new Rng(19), stride: 2) { WorkspaceLimit = 16 * 29 * 3 };
        Assert.Equal(up.Forward(x, false).Data, upBanded.Forward(x, false).Data);
    }

    [Fact]
    public void Conv2d_WorkspaceLimitNotPositive_Throws() =>
        Assert.Equal("WorkspaceLimit", Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(1, 1, 3, new Rng(1)) { WorkspaceLimit = 0 }).ParamName);

    [Fact]
    public void Im2Col_Band_EqualsBlockOfFullPackAndAccumulate()
    {
        var rng = new Rng(16);
        var g = new Kernels.ConvGeometry(3, 11, 9, 3, 2, 2, 2);
        var image = RandomTensor(rng, 3, 11, 9).Data;
        var full = new float[g.ColumnRows * g.ColumnCols];
        Kernels.Im2Col.Pack(image, full, g);
        var summed = new float[image.Length];
        int ow = g.OutWidth;
        for (int r0 = 0; r0 < g.OutHeight; r0 += 2)
        {
            int rows = Math.Min(2, g.OutHeight - r0);
            var band = new float[g.ColumnRows * rows * ow];
            Kernels.Im2Col.Pack(image, band, g, r0, rows);
            for (int r = 0; r < g.ColumnRows; r++)
                Assert.Equal(full.AsSpan(r * g.ColumnCols + r0 * ow, rows * ow).ToArray(), band.AsSpan(r * rows * ow, rows * ow).ToArray());
            Kernels.Im2Col.Accumulate(band, summed, g, r0, rows);
        }
        var once = new float[image.Length];
        Kernels.Im2Col.Accumulate(full, once, g);
        for (int i = 0; i < once.Length; i++) Assert.Equal(once[i], summed[i], 5);
        Assert.Equal("firstRow", Assert.Throws<ArgumentException>(() => Kernels.Im2Col.Pack(image, full, g, g.OutHeight - 1, 2)).ParamName);
    }

    [Fact]
    public void ConvTranspose2d_Kernel2Stride2_DoublesSize()
    {
        var layer = new ConvTranspose2d(4, 2, 2, new Rng(1), stride: 2);
        Assert.Equal([3, 2, 10, 14], layer.Forward(new Tensor(3, 4, 5, 7), false).Shape);
        Assert.Equal([4, 2, 2, 2], layer.Weight.Value.Shape);
    }

    /// <summary>Central-difference check of every input, weight and bias gradient of loss = Σ y·r.</summary>
    private static void GradientCheck(ILayer layer, Tensor x, Rng rng)
    {
        var y = layer.Forward(x, true);
        var r = RandomTensor(rng, y.Shape);
        foreach (var prm in layer.Parameters) Array.Clear(prm.Gradient.Data);
        var dx = layer.Backward(r).Clone();
        double Loss()
        {
            var yy = layer.Forward(x, true);
            double s = 0;
            for (int i = 0; i < yy.Length; i++) s += (double)yy.Data[i] * r.Data[i];
            return s;
        }
        void Check(float[] values, float[] analytic, string what)
        {
            const float eps = 1e-2f;
            for (int i = 0; i < values.Length; i++)
            {
                float keep = values[i];
                values[i] = keep + eps; double up = Loss();
                values[i] = keep - eps; double down = Loss();
                values[i] = keep;
                double numeric = (up - down) / (2 * eps);
                Assert.True(Math.Abs(numeric - analytic[i]) <= 1e-2 * Math.Abs(numeric) + 2e-3,
                    $"{what}[{i}]: numeric {numeric}, analytic {analytic[i]}");
            }
        }
        Check(x.Data, dx.Data, "input");
        foreach (var prm in layer.Parameters) Check(prm.Value.Data, prm.Gradient.Data, prm.Name);
    }

    [Theory]
    [InlineData(3, 4, 3, 1, 1, 1, 1)]
    [InlineData(3, 4, 3, 2, 1, 1, 1)]
    [InlineData(2, 3, 3, 1, 2, 2, 1)]
    [InlineData(4, 6, 3, 1, 1, 1, 2)]
    [InlineData(4, 4, 3, 2, 1, 1, 4)]
    [InlineData(3, 2, 1, 1, 0, 1, 1)]
    public void Conv2d_Gradients_MatchFiniteDifferences(int cin, int cout, int k, int s, int p, int d, int groups)
    {
        var rng = new Rng(21);
        var layer = new Conv2d(cin, cout, k, rng, s, p, d, groups);
        GradientCheck(layer, RandomTensor(rng, 2, cin, 7, 6), rng);
    }

    [Theory]
    [InlineData(4, 3, 2, 2, 0, 0, 1, 1)]
    [InlineData(3, 4, 3, 2, 1, 1, 1, 1)]
    [InlineData(2, 3, 3, 1, 1, 0, 2, 1)]
    [InlineData(4, 6, 3, 1, 1, 0, 1, 2)]
    [InlineData(4, 4, 3, 2, 1, 0, 1, 4)]
    public void ConvTranspose2d_Gradients_MatchFiniteDifferences(int cin, int cout, int k, int s, int p, int op, int d, int groups)
    {
        var rng = new Rng(22);
        var layer = new ConvTranspose2d(cin, cout, k, rng, s, p, op, d, groups);
        GradientCheck(layer, RandomTensor(rng, 2, cin, 4, 5), rng);
    }

    [Fact]
    public void Conv2d_WrongChannelsOrRank_ThrowsNamingInput()
    {
        var layer = new Conv2d(3, 4, 3, new Rng(1), padding: 1);
        var ex = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(1, 2, 5, 5), false));
        Assert.Equal("input", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(3, 5, 5), false));
        Assert.Equal("input", ex.ParamName);
    }

    [Fact]
    public void ConvTranspose2d_WrongChannelsOrRank_ThrowsNamingInput()
    {
        var layer = new ConvTranspose2d(3, 4, 2, new Rng(1), stride: 2);
        var ex = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(1, 4, 5, 5), false));
        Assert.Equal("input", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(3, 5), false));
        Assert.Equal("input", ex.ParamName);
    }

    [Fact]
    public void Conv2d_ParametersAndInit_FollowPyTorch()
    {
        var layer = new Conv2d(4, 8, 3, new Rng(5), groups: 2);
        Assert.Equal(["weight", "bias"], layer.Parameters.Select(q => q.Name));
        Assert.Equal([8, 2, 3, 3], layer.Weight.Value.Shape);
        float bound = 1 / MathF.Sqrt(2 * 9);
        Assert.All(layer.Weight.Value.Data, v => Assert.InRange(v, -bound, bound));
        Assert.Single(new Conv2d(4, 8, 3, new Rng(5), bias: false).Parameters);
        Assert.Equal(new Conv2d(4, 8, 3, new Rng(5)).Weight.Value.Data, new Conv2d(4, 8, 3, new Rng(5)).Weight.Value.Data);
    }
}
