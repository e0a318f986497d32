using System.Diagnostics;
using System.Globalization;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;

namespace DmaSlip.Benchmarks;

/// <summary>
/// <c>host-frames [reps]</c>: engine events/s and bytes/event on one stream, and engine vs DuckDB SQL on the same 2 M
/// events, measured as wall time AND process CPU time (robust on a shared, loaded machine: CPU time is what the work
/// cost whatever else runs; DuckDB's worker threads are included in its CPU time). Best of <c>reps</c> (default 5).
/// </summary>
internal static class HostFramesBenchCommand
{
    public static int Run(string[] args)
    {
        var reps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical CPUs, {Environment.OSVersion}, .NET {Environment.Version}, load {LoadAverage()}");

        const int events = 1_000_000;
        var stream = HostFrameData.Stream(0, events, 42);
        var sink = new ListFrameSink();
        RunEngine(stream, sink); // warm-up (JIT tiers)
        RunEngine(stream, sink);
        var (wall, cpu) = Best(reps, () => RunEngine(stream, new ListFrameSink()));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var frames = RunEngine(stream, new ListFrameSink());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Console.WriteLine($"engine, 1 stream, {events:N0} traced events → {frames} frames: wall {wall.TotalMilliseconds:F1} ms ({events / wall.TotalSeconds / 1e6:F1} M events/s), " +
            $"CPU {cpu.TotalMilliseconds:F1} ms ({events / cpu.TotalSeconds / 1e6:F1} M events/s per core); allocated {allocated:N0} B = {allocated / (double)frames:F0} B per frame, {allocated / (double)events:F3} B per event incl. frames");

        var vs = new HostFramesVsDuckDbBenchmarks();
        vs.Setup(); // loads the store and checks both sides agree
        try
        {
            vs.StreamingEngine();
            vs.DuckDbSql();
            var (ew, ec) = Best(reps, () => vs.StreamingEngine());
            var (dw, dc) = Best(reps, () => vs.DuckDbSql());
            Console.WriteLine($"same 2,000,000 events (4 streams), same frames: engine wall {ew.TotalMilliseconds:F1} ms / CPU {ec.TotalMilliseconds:F1} ms; " +
                $"DuckDB SQL wall {dw.TotalMilliseconds:F1} ms / CPU {dc.TotalMilliseconds:F1} ms; engine faster by {dw / ew:F1}× wall, {dc / ec:F1}× CPU");
        }
        finally
        {
            vs.Cleanup();
        }
        return 0;
    }

    private static int RunEngine(HostEvent[] events, ListFrameSink sink)
    {
        var engine = new HostFrameEngine("h1", "eth0", 0, sink);
        foreach (ref readonly var e in events.AsSpan())
        {
            engine.Observe(e);
        }
        engine.Flush();
        return sink.Frames.Count;
    }

    private static (TimeSpan Wall, TimeSpan Cpu) Best(int reps, Action work)
    {
        var bestWall = TimeSpan.MaxValue;
        var bestCpu = TimeSpan.MaxValue;
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < reps; i++)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            work();
            sw.Stop();
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpu0;
            bestWall = sw.Elapsed < bestWall ? sw.Elapsed : bestWall;
            bestCpu = cpu < bestCpu ? cpu : bestCpu;
        }
        return (bestWall, bestCpu);
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
