using System.Diagnostics;
using SimSeg.Analysis.Tracking;
using Xunit.Abstractions;

namespace SimSeg.Analysis.Tests.Tracking;

public class HungarianTests(ITestOutputHelper output)
{
    [Fact]
    public void Solve_SmallSquare_KnownOptimum()
    {
        double[,] cost = { { 4, 1, 3 }, { 2, 0, 5 }, { 3, 2, 2 } };
        int[] a = Hungarian.Solve(cost);
        Assert.Equal([1, 0, 2], a);
    }

    [Fact]
    public void Solve_Empty_ReturnsEmptyOrUnassigned()
    {
        Assert.Empty(Hungarian.Solve(new double[0, 3]));
        Assert.Equal([-1, -1], Hungarian.Solve(new double[2, 0]));
    }

    [Fact]
    public void Solve_AllForbidden_AllUnassigned()
    {
        var cost = new double[2, 2];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) cost[i, j] = double.PositiveInfinity;
        Assert.Equal([-1, -1], Hungarian.Solve(cost));
    }

    [Fact]
    public void Solve_NaN_ThrowsNamingCost()
    {
        var ex = Assert.Throws<ArgumentException>(() => Hungarian.Solve(new double[,] { { 1, double.NaN } }));
        Assert.Equal("cost", ex.ParamName);
    }

    [Fact]
    public void Solve_ForbiddenCheapRowLosesToFeasibleCardinality()
    {
        // Greedy would give row 0 column 0 and leave row 1 unassigned; the optimum assigns both rows.
        double inf = double.PositiveInfinity;
        double[,] cost = { { 0, 100 }, { 1, inf } };
        Assert.Equal([1, 0], Hungarian.Solve(cost));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Solve_RandomSmall_MatchesBruteForce(bool withForbidden)
    {
        var rng = new Random(20240611 + (withForbidden ? 1 : 0));
        for (int trial = 0; trial < 600; trial++)
        {
            int rows = rng.Next(1, 8), cols = rng.Next(1, 8);
            var cost = new double[rows, cols];
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                {
                    cost[i, j] = trial % 3 == 0 ? rng.Next(0, 4) : rng.NextDouble() * 20 - 5; // ties in a third of trials
                    if (withForbidden && rng.NextDouble() < 0.4) cost[i, j] = double.PositiveInfinity;
                }
            int[] a = Hungarian.Solve(cost);
            Assert.Equal(rows, a.Length);
            var usedCols = new HashSet<int>();
            int count = 0;
            double total = 0;
            for (int i = 0; i < rows; i++)
            {
                if (a[i] < 0) continue;
                Assert.True(usedCols.Add(a[i]), "a column is used twice");
                Assert.False(double.IsPositiveInfinity(cost[i, a[i]]), "a forbidden pair was assigned");
                count++;
                total += cost[i, a[i]];
            }
            (int bestCount, double bestCost) = BruteForce(cost);
            Assert.Equal(bestCount, count);
            Assert.Equal(bestCost, total, 1e-9);
        }
    }

    [Fact]
    public void SolveSparse_RandomGated_SameCostAsDense()
    {
        var rng = new Random(4242);
        for (int trial = 0; trial < 200; trial++)
        {
            int rows = rng.Next(0, 30), cols = rng.Next(0, 30);
            var dense = new double[rows, cols];
            var pairs = new List<(int, int, double)>();
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                {
                    dense[i, j] = double.PositiveInfinity;
                    if (rng.NextDouble() < 0.1)
                    {
                        dense[i, j] = rng.NextDouble() * 10;
                        pairs.Add((i, j, dense[i, j]));
                    }
                }
            int[] a = Hungarian.Solve(dense), b = Hungarian.SolveSparse(rows, cols, pairs);
            Assert.Equal(a.Count(c => c >= 0), b.Count(c => c >= 0));
            Assert.Equal(Total(dense, a), Total(dense, b), 1e-9);
            Assert.Equal(b.Where(c => c >= 0).Count(), b.Where(c => c >= 0).Distinct().Count());
        }
    }

    private static double Total(double[,] cost, int[] assignment) =>
        assignment.Select((c, r) => c >= 0 ? cost[r, c] : 0).Sum();

    /// <summary>Largest number of allowed pairs, then smallest cost, over all partial injective assignments.</summary>
    private static (int Count, double Cost) BruteForce(double[,] cost)
    {
        int rows = cost.GetLength(0), cols = cost.GetLength(1);
        (int Count, double Cost) best = (-1, double.PositiveInfinity);
        var used = new bool[cols];
        void Recurse(int i, int count, double total)
        {
            if (i == rows)
            {
                if (count > best.Count || (count == best.Count && total < best.Cost)) best = (count, total);
                return;
            }
            Recurse(i + 1, count, total);
            for (int j = 0; j < cols; j++)
            {
                if (used[j] || double.IsPositiveInfinity(cost[i, j])) continue;
                used[j] = true;
                Recurse(i + 1, count + 1, total + cost[i, j]);
                used[j] = false;
            }
        }
        Recurse(0, 0, 0);
        return best;
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Solve_500x500_ReportsTiming()
    {
        var rng = new Random(7);
        var dense = new double[500, 500];
        var gated = new double[500, 500];
        for (int i = 0; i < 500; i++)
            for (int j = 0; j < 500; j++)
            {
                dense[i, j] = rng.NextDouble() * 100;
                gated[i, j] = rng.NextDouble() < 0.9 ? double.PositiveInfinity : dense[i, j];
            }
        Hungarian.Solve(new double[,] { { 1 } }); // JIT
        var sw = Stopwatch.StartNew();
        int[] a = Hungarian.Solve(dense);
        double denseMs = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        int[] b = Hungarian.Solve(gated);
        double gatedMs = sw.Elapsed.TotalMilliseconds;
        output.WriteLine($"500x500 dense: {denseMs:0.0} ms; 500x500 with 90% forbidden: {gatedMs:0.0} ms ({b.Count(c => c >= 0)} rows assigned)");
        Assert.Equal(500, a.Distinct().Count());
    }
}
