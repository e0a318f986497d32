namespace DmaSlip.Benchmarks;

/// <summary>
/// Whole-pipeline bench commands (too long-running for BenchmarkDotNet's repetition model). Each issue with a
/// throughput target registers its command here; each prints its figures and the machine.
/// </summary>
internal static class BenchCommands
{
    private static readonly Dictionary<string, Func<string[], int>> Commands = new(StringComparer.Ordinal)
    {
        ["trace-ingest"] = TraceIngestBench.Run,
        ["simulate-session"] = SimulateBench.Run,
        ["host-frames"] = HostFramesBenchCommand.Run,
        ["models-fit"] = ModelsFitBench.Run,
        ["models-eval"] = ModelsEvalBench.Run,
        ["fleet-load"] = Fleet.FleetLoadBench.Run,
        ["fleet-store"] = Fleet.FleetStoreBench.Run,
        ["ingest-vs-duckdb"] = IngestVsDuckDbBench.Run,
        ["bulk-formats"] = BulkFormatsBench.Run,
    };

    public static bool TryRun(string[] args, out int exit)
    {
        if (Commands.TryGetValue(args[0], out var run))
        {
            exit = run(args[1..]);
            return true;
        }
        exit = 0;
        return false;
    }
}
