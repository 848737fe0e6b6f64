namespace SimSeg.Analysis.Tracking;

/// <summary>Areas of the labels of two same-size label planes and the pixel counts of every overlapping label pair.</summary>
internal sealed class LabelOverlap
{
    public Dictionary<int, int> AreaA { get; } = [];

    public Dictionary<int, int> AreaB { get; } = [];

    public Dictionary<(int A, int B), int> Shared { get; } = [];

    /// <summary>Counts in one pass; runs of equal labels along a row are accumulated before touching the dictionaries.</summary>
    public static LabelOverlap Count(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        System.Diagnostics.Debug.Assert(a.Length == b.Length);
        var result = new LabelOverlap();
        int runA = 0, runB = 0, countA = 0, countB = 0, countShared = 0;
        for (int i = 0; i < a.Length; i++)
        {
            int la = a[i], lb = b[i];
            if (la != runA || lb != runB)
            {
                result.Flush(runA, runB, countA, countB, countShared);
                runA = la;
                runB = lb;
                countA = countB = countShared = 0;
            }
            if (la != 0) countA++;
            if (lb != 0) countB++;
            if (la != 0 && lb != 0) countShared++;
        }
        result.Flush(runA, runB, countA, countB, countShared);
        return result;
    }

    private void Flush(int la, int lb, int countA, int countB, int countShared)
    {
        if (countA > 0) AreaA[la] = AreaA.GetValueOrDefault(la) + countA;
        if (countB > 0) AreaB[lb] = AreaB.GetValueOrDefault(lb) + countB;
        if (countShared > 0) Shared[(la, lb)] = Shared.GetValueOrDefault((la, lb)) + countShared;
    }
}
