using System.Diagnostics;
using System.Globalization;
using DmaSlip.Core.Domain;
using DmaSlip.Fleet.Wire;
using DmaSlip.Service;
using DmaSlip.Storage;

namespace DmaSlip.Benchmarks.Fleet;

/// <summary>
/// <c>fleet-store</c>: the service's store stage alone — <see cref="StoreSink.CommitFrames"/> of frame batches into a
/// fresh DuckDB file, one transaction per commit, at several commit sizes — so the fleet-load figures can be split
/// into "DuckDB" and "everything else". Prints frames/s and CPU µs per frame for each commit size.
/// Usage: fleet-store [--frames 400000] [--queues 8] [--threads 0] [--sizes 10,50,250,1000] (messages per commit) [--staged] (the
/// staged INSERT OR IGNORE merge for every commit instead of StoreSink's direct append)  (threads: DuckDB worker threads, 0 = its default)
/// </summary>
internal static class FleetStoreBench
{
    public static int Run(string[] args)
    {
        int Arg(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }
        var staged = args.Contains("--staged");
        int total = Arg("--frames", 400_000), queues = Arg("--queues", 8), threads = Arg("--threads", 0);
        Console.WriteLine($"fleet-store: {total:N0} frames per commit size, {queues} frames per message, DuckDB threads {(threads == 0 ? "default" : threads)}, {(staged ? "staged merge" : "StoreSink (direct append)")}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        foreach (var messagesPerCommit in SizesFrom(args))
        {
            var dir = Directory.CreateTempSubdirectory("dmaslip-bench-store-").FullName;
            try
            {
                using var store = DmaSlipStore.Open(Path.Combine(dir, "s.duckdb"));
                if (threads > 0)
                {
                    store.Execute($"SET threads = {threads}");
                }
                var sink = new StoreSink(store);
                var batches = new List<FrameBatch>(messagesPerCommit);
                var hosts = 500;
                var commits = total / (queues * messagesPerCommit);
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                var msg = 0L;
                for (var c = 0; c < commits; c++)
                {
                    batches.Clear();
                    for (var m = 0; m < messagesPerCommit; m++, msg++)
                    {
                        batches.Add(Batch((int)(msg % hosts), msg / hosts, queues));
                    }
                    if (staged)
                    {
                        // The path StoreSink used before AppendNew: staging table + INSERT OR IGNORE in one transaction.
                        store.InTransaction(() => store.Insert(batches.SelectMany(b => b.Frames)));
                    }
                    else
                    {
                        sink.CommitFrames(batches);
                    }
                }
                var wall = clock.Elapsed.TotalSeconds;
                var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
                var frames = store.Count("host_frames");
                Console.WriteLine($"  {messagesPerCommit,5} msgs ({messagesPerCommit * queues,5} frames)/commit: {frames / wall,9:N0} frames/s, {cpu * 1e6 / frames,6:F1} µs CPU/frame, {commits / wall,7:N0} commits/s");
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }
        return 0;
    }

    private static int[] SizesFrom(string[] args)
    {
        var i = Array.IndexOf(args, "--sizes");
        return i >= 0 && i + 1 < args.Length
            ? args[i + 1].Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray()
            : [10, 50, 250, 1000];
    }

    internal static FrameBatch Batch(int h, long tick, int queues)
    {
        var host = "h" + h.ToString("D4", CultureInfo.InvariantCulture);
        const long windowNs = 100 * Time.NanosPerMilli;
        var t0 = 1_764_000_000L * Time.NanosPerSecond;
        var frames = new HostFrame[queues];
        for (var q = 0; q < queues; q++)
        {
            frames[q] = new HostFrame(host, "eth0", q, t0 + (tick * windowNs), windowNs, 1000 + q, 3, 8, 12, 50_000, 49_900, 0.01, 900, 1500, 2000, 4000, 0.1, 4.5, 0.02, 0.97, 0.2, 0.15, 1000 + tick);
        }
        return new FrameBatch(host, "pool" + (h % 10).ToString(CultureInfo.InvariantCulture), "bench", (ulong)tick + 1, 0, Regime.MapStable, default, frames);
    }
}
