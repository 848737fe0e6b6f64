namespace SimSeg.Analysis.Tracking;

/// <summary>
/// Linear assignment (Kuhn–Munkres, "Hungarian" method) solved exactly in O(n²·m) with row/column potentials and
/// Dijkstra-like shortest augmenting paths, in the style of Jonker &amp; Volgenant (Computing 38, 1987).
/// </summary>
/// <remarks>
/// <para>Entries equal to <see cref="double.PositiveInfinity"/> are forbidden (gating): such a pair is never
/// assigned. With forbidden entries a row may stay unassigned; the solver then returns, among all assignments that
/// use only allowed pairs, one that assigns the largest possible number of rows, and among those one of minimum total
/// cost. Internally every row gets a private "unassigned" column whose cost exceeds any possible difference in total
/// cost, so the problem stays square-feasible without changing that optimum.</para>
/// <para>Rectangular matrices are allowed: with more rows than columns the transposed problem is solved, so at most
/// min(rows, columns) rows are assigned.</para>
/// </remarks>
public static class Hungarian
{
    /// <summary>Solves the assignment problem for <paramref name="cost"/> (rows × columns).</summary>
    /// <param name="cost">Finite costs, or +∞ for a forbidden pair. Not modified.</param>
    /// <returns>For each row, the column assigned to it, or −1 when the row is unassigned.</returns>
    /// <exception cref="ArgumentException"><paramref name="cost"/> holds NaN or −∞.</exception>
    public static int[] Solve(double[,] cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        int rows = cost.GetLength(0), cols = cost.GetLength(1);
        var result = new int[rows];
        Array.Fill(result, -1);
        if (rows == 0 || cols == 0) return result;

        bool transpose = rows > cols;
        int n = transpose ? cols : rows, m = transpose ? rows : cols;
        var a = new double[n * m];
        bool anyForbidden = false;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                double c = cost[i, j];
                if (double.IsNaN(c) || double.IsNegativeInfinity(c))
                    throw new ArgumentException($"cost[{i}, {j}] is {c}; entries must be finite or +Infinity (forbidden).", nameof(cost));
                if (double.IsPositiveInfinity(c)) anyForbidden = true;
                else
                {
                    if (c < min) min = c;
                    if (c > max) max = c;
                }
                if (transpose) a[j * m + i] = c;
                else a[i * m + j] = c;
            }
        }
        if (double.IsPositiveInfinity(min)) return result; // everything forbidden

        int[] rowToCol = anyForbidden ? SolveWithUnassigned(a, n, m, min, max) : SolveDense(a, n, m);
        for (int i = 0; i < n; i++)
        {
            int j = rowToCol[i];
            if (j < 0) continue;
            if (transpose) result[j] = i;
            else result[i] = j;
        }
        return result;
    }

    /// <summary>
    /// Solves a sparse problem given as its allowed pairs (all other pairs forbidden), with the same optimum as
    /// <see cref="Solve"/> on the dense matrix: the bipartite graph of allowed pairs is split into connected components
    /// (union–find) and each component is solved densely. Fast when a gate leaves few candidates per row.
    /// </summary>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns.</param>
    /// <param name="pairs">Allowed (row, column, finite cost) triples; a repeated pair keeps its last cost.</param>
    /// <returns>For each row, its column or −1.</returns>
    /// <exception cref="ArgumentException">A pair is out of range or its cost is not finite.</exception>
    public static int[] SolveSparse(int rows, int cols, IReadOnlyList<(int Row, int Col, double Cost)> pairs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        ArgumentNullException.ThrowIfNull(pairs);
        var result = new int[rows];
        Array.Fill(result, -1);
        var parent = new int[rows + cols];
        for (int k = 0; k < parent.Length; k++) parent[k] = k;
        foreach (var (r, c, value) in pairs)
        {
            if ((uint)r >= (uint)rows || (uint)c >= (uint)cols || !double.IsFinite(value))
                throw new ArgumentException($"pair ({r}, {c}, {value}) is outside the {rows}x{cols} problem or its cost is not finite.", nameof(pairs));
            int ra = Find(parent, r), rb = Find(parent, rows + c);
            if (ra != rb) parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
        var components = new Dictionary<int, List<int>>();
        for (int k = 0; k < pairs.Count; k++)
        {
            int root = Find(parent, pairs[k].Row);
            if (!components.TryGetValue(root, out List<int>? list)) components[root] = list = [];
            list.Add(k);
        }
        var rowOf = new Dictionary<int, int>();
        var colOf = new Dictionary<int, int>();
        var rowList = new List<int>();
        var colList = new List<int>();
        foreach (List<int> members in components.Values)
        {
            rowOf.Clear();
            colOf.Clear();
            rowList.Clear();
            colList.Clear();
            foreach (int k in members)
            {
                var (r, c, _) = pairs[k];
                if (rowOf.TryAdd(r, rowList.Count)) rowList.Add(r);
                if (colOf.TryAdd(c, colList.Count)) colList.Add(c);
            }
            if (rowList.Count == 1 && colList.Count == 1)
            {
                result[rowList[0]] = colList[0];
                continue;
            }
            var cost = new double[rowList.Count, colList.Count];
            for (int r = 0; r < rowList.Count; r++)
                for (int c = 0; c < colList.Count; c++) cost[r, c] = double.PositiveInfinity;
            foreach (int k in members)
            {
                var (r, c, value) = pairs[k];
                cost[rowOf[r], colOf[c]] = value;
            }
            int[] assignment = Solve(cost);
            for (int r = 0; r < assignment.Length; r++)
                if (assignment[r] >= 0) result[rowList[r]] = colList[assignment[r]];
        }
        return result;
    }

    private static int Find(int[] parent, int k)
    {
        while (parent[k] != k)
        {
            parent[k] = parent[parent[k]];
            k = parent[k];
        }
        return k;
    }

    /// <summary>Pads each row with a private "unassigned" column and solves the n × (m + n) problem.</summary>
    private static int[] SolveWithUnassigned(double[] a, int n, int m, double min, double max)
    {
        // Shift allowed costs to [0, range]; any two assignments of k and k+1 rows differ in allowed cost by at most
        // (n + 1)·range, so an unassigned-cost above that makes one more assigned row always better.
        double range = max - min;
        double unassigned = (n + 1) * range + 1;
        int width = m + n;
        var padded = new double[n * width];
        Array.Fill(padded, double.PositiveInfinity);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++) padded[i * width + j] = a[i * m + j] - min;
            padded[i * width + m + i] = unassigned;
        }
        int[] rowToCol = SolveDense(padded, n, width);
        for (int i = 0; i < n; i++)
            if (rowToCol[i] >= m) rowToCol[i] = -1;
        return rowToCol;
    }

    /// <summary>
    /// Shortest-augmenting-path Hungarian method for n ≤ m, row-major costs, where every row can reach some column
    /// (+∞ entries are skipped). Returns the column of each row.
    /// </summary>
    internal static int[] SolveDense(double[] a, int n, int m)
    {
        System.Diagnostics.Debug.Assert(n <= m);
        // 1-based columns; column 0 is a virtual column holding the row being inserted.
        var u = new double[n + 1];
        var v = new double[m + 1];
        var p = new int[m + 1];      // p[j]: row (1-based) assigned to column j, 0 if free
        var way = new int[m + 1];    // previous column on the shortest path
        var minv = new double[m + 1];
        var used = new bool[m + 1];
        for (int i = 1; i <= n; i++)
        {
            p[0] = i;
            int j0 = 0;
            Array.Fill(minv, double.PositiveInfinity);
            Array.Clear(used);
            do
            {
                used[j0] = true;
                int i0 = p[j0];
                double delta = double.PositiveInfinity;
                int j1 = -1;
                int rowOffset = (i0 - 1) * m - 1;
                double ui0 = u[i0];
                for (int j = 1; j <= m; j++)
                {
                    if (used[j]) continue;
                    double cur = a[rowOffset + j] - ui0 - v[j];
                    if (cur < minv[j])
                    {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if (minv[j] < delta)
                    {
                        delta = minv[j];
                        j1 = j;
                    }
                }
                System.Diagnostics.Debug.Assert(j1 > 0, "Every row must reach a column with finite cost.");
                for (int j = 0; j <= m; j++)
                {
                    if (used[j])
                    {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    }
                    else
                    {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            // Augment along the path back to the virtual column.
            do
            {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        var rowToCol = new int[n];
        Array.Fill(rowToCol, -1);
        for (int j = 1; j <= m; j++)
            if (p[j] != 0) rowToCol[p[j] - 1] = j - 1;
        return rowToCol;
    }
}
