namespace DmaSlip.Testing;

/// <summary>
/// Bytes a piece of code allocates on the calling thread in steady state: the fewest over several runs. A single run
/// can be charged a one-off allocation of the runtime (a type loaded or tiered code re-jitted on this thread while it
/// runs: CI saw 8 KB once in 100 000 events), which says nothing about the code; an allocation per event or per call
/// shows up in every run.
/// </summary>
internal static class Allocations
{
    public static long SteadyState(int runs, Action<int> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var min = long.MaxValue;
        for (var r = 0; r < runs; r++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            run(r);
            min = Math.Min(min, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return min;
    }
}
