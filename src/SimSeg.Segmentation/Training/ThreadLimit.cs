namespace SimSeg.Segmentation.Training;

/// <summary>
/// Runs work so that the parallel loops inside it (the engine's GEMM, batch norm and im2col, augmentation) use at most
/// a given number of threads: the work runs as a task on a scheduler limited to that many concurrent tasks, and
/// <see cref="Parallel"/> loops take their limit from the current scheduler. Results do not depend on the limit.
/// </summary>
internal static class ThreadLimit
{
    public static T Run<T>(int threads, Func<T> work)
    {
        if (threads >= Environment.ProcessorCount) return work();
        var scheduler = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, threads).ConcurrentScheduler;
        var task = Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler);
        return task.GetAwaiter().GetResult();
    }
}
