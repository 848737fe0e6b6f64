namespace SimSeg.Shapes.Skeletons;

/// <summary>
/// Length, branches, junctions and loops of a skeleton after spur pruning: terminal branches (endpoint to
/// junction) shorter than a threshold are removed, repeatedly, as long as their junction keeps at least two other
/// branches; a junction left with two branches becomes a pass-through that joins them into one. Pruning never
/// touches loops, and never removes the last branches of a shape.
/// </summary>
/// <param name="LengthNm">Total length of the kept branches, nm.</param>
/// <param name="Branches">Branches after pruning (pass-through joins counted as one branch).</param>
/// <param name="Junctions">Nodes where three or more kept branches meet.</param>
/// <param name="Loops">Independent loops (unchanged by pruning).</param>
/// <param name="Pruned">Terminal branches removed.</param>
public sealed record SkeletonSummary(double LengthNm, int Branches, int Junctions, int Loops, int Pruned)
{
    /// <summary>Summarises <paramref name="graph"/>, pruning terminal branches shorter than <paramref name="minTerminalBranchNm"/> (0 = none).</summary>
    public static SkeletonSummary Of(SkeletonGraph graph, double minTerminalBranchNm)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Core.Guard.NonNegative(minTerminalBranchNm);
        var degree = new int[graph.Nodes.Count];
        foreach (var b in graph.Branches)
        {
            if (b.Type == BranchType.Cycle) continue;
            degree[b.From]++;
            degree[b.To]++;
        }
        var removed = new bool[graph.Branches.Count];
        double length = graph.TotalLengthNm;
        int pruned = 0;
        for (bool changed = true; changed;)
        {
            changed = false;
            for (int i = 0; i < graph.Branches.Count; i++)
            {
                var b = graph.Branches[i];
                if (removed[i] || b.Type == BranchType.Cycle || b.LengthNm >= minTerminalBranchNm) continue;
                int tip = degree[b.From] == 1 ? b.From : degree[b.To] == 1 ? b.To : -1;
                if (tip < 0 || b.From == b.To) continue;
                int junction = tip == b.From ? b.To : b.From;
                if (degree[junction] < 3) continue;
                removed[i] = true;
                degree[junction]--;
                degree[tip]--;
                length -= b.LengthNm;
                pruned++;
                changed = true;
            }
        }
        int branches = 0, junctions = 0, passThroughs = 0;
        for (int i = 0; i < graph.Branches.Count; i++) if (!removed[i]) branches++;
        for (int n = 0; n < degree.Length; n++)
        {
            if (degree[n] >= 3) junctions++;
            else if (degree[n] == 2 && graph.Nodes[n].Kind == SkeletonNodeKind.Junction) passThroughs++;
        }
        return new SkeletonSummary(length, Math.Max(branches - passThroughs, Math.Min(branches, 1)), junctions, graph.LoopCount, pruned);
    }
}
