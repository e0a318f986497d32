using System.Diagnostics;
using System.Globalization;
using DmaSlip.Core.Domain;
using DmaSlip.Fleet;
using DmaSlip.Fleet.Agent;
using DmaSlip.Fleet.Spool;
using DmaSlip.Fleet.Wire;
using DmaSlip.Service;
using HdrHistogram;

namespace DmaSlip.Benchmarks.Fleet;

/// <summary>
/// <c>fleet-load</c>: N simulated hosts × Q queues × R frames/s for D seconds through a 3-node loopback JetStream
/// cluster (R3) into <c>dmaslip serve</c> (in-process, DuckDB file). Each host is an agent publish path (its own
/// spool + in-order publisher, one batch of Q frames per window, Nats-Msg-Id); hosts share C client connections.
/// Reports the rate sustained per 10 s, loss (frames sent vs stored), and publish→stored latency (agent enqueue to
/// store commit) p50/p99/p99.9. Usage: fleet-load [--hosts 500] [--queues 8] [--rate 10] [--duration 60] [--connections 16] [--nodes 3] [--nats-gomaxprocs 1] (0 = Go's default)
/// </summary>
internal static class FleetLoadBench
{
    public static int Run(string[] args)
    {
        var o = Args(args);
        int hosts = o("--hosts", 500), queues = o("--queues", 8), rate = o("--rate", 10), seconds = o("--duration", 60), conns = o("--connections", 16), nodes = o("--nodes", 3), procs = o("--nats-gomaxprocs", 1);
        return RunAsync(hosts, queues, rate, seconds, conns, nodes, procs).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int hosts, int queues, int rate, int seconds, int conns, int nodes, int procs)
    {
        Console.WriteLine($"fleet-load: {hosts} hosts x {queues} queues x {rate} frames/s for {seconds} s = {hosts * queues * rate:N0} frames/s, {hosts * rate:N0} msgs/s; {nodes}-node cluster (GOMAXPROCS {(procs > 0 ? procs.ToString(CultureInfo.InvariantCulture) : "default")}); {conns} client connections");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        using var nats = new LoopbackNats(nodes, procs);
        var dbDir = Directory.CreateTempSubdirectory("dmaslip-bench-db-").FullName;
        var latency = new LongHistogram(TimeSpan.FromMinutes(5).Ticks * 100, 3);
        // The same after the first 10 s: JIT warm-up of a fresh process backs the spools up for a few seconds, which
        // the whole-run percentiles include; the steady-state ones say what a running service does.
        var steady = new LongHistogram(TimeSpan.FromMinutes(5).Ticks * 100, 3);
        var steadyFromNs = long.MaxValue;
        var gate = new Lock();
        var service = new FleetService(new ServeOptions(nats.Url, "http://127.0.0.1:0", Path.Combine(dbDir, "load.duckdb"), null) { FetchBatch = 4000 })
        {
            FramesCommitted = batches =>
            {
                var now = UnixTime.Nanoseconds(TimeProvider.System);
                lock (gate)
                {
                    foreach (var b in batches)
                    {
                        latency.RecordValue(Math.Max(0, now - b.SentNs));
                        if (b.SentNs >= Volatile.Read(ref steadyFromNs))
                        {
                            steady.RecordValue(Math.Max(0, now - b.SentNs));
                        }
                    }
                }
            },
        };
        await StartWhenClusterReadyAsync(service);
        Console.WriteLine($"stream {FleetNames.Stream} R{service.Replicas}");

        var connections = new List<FleetConnection>();
        for (var i = 0; i < conns; i++)
        {
            connections.Add(await FleetConnection.ConnectAsync(nats.Url, "bench-" + i, true, CancellationToken.None));
        }
        var spools = new MessageSpool[hosts];
        var publishers = new SpoolPublisher[hosts];
        using var stop = new CancellationTokenSource();
        var running = new Task[hosts];
        for (var h = 0; h < hosts; h++)
        {
            spools[h] = new MessageSpool(new SpoolOptions(null, 10_000, SpoolOverflow.Block));
            publishers[h] = new SpoolPublisher(connections[h % conns].JetStream, spools[h], TimeSpan.FromSeconds(5));
            running[h] = publishers[h].RunAsync(stop.Token);
        }

        var windowNs = Time.NanosPerSecond / rate;
        var t0 = 1_764_000_000L * Time.NanosPerSecond;
        var ticks = seconds * rate;
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref steadyFromNs, UnixTime.Nanoseconds(TimeProvider.System) + (10 * Time.NanosPerSecond));
        var self = Process.GetCurrentProcess();
        var cpuAtLastReport = (Self: self.TotalProcessorTime, Nats: nats.CpuTime);
        var lastReport = 0L;
        long storedAtLastReport = 0;
        for (var tick = 0; tick < ticks; tick++)
        {
            var due = TimeSpan.FromTicks(tick * windowNs / 100);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
            var sent = UnixTime.Nanoseconds(TimeProvider.System);
            for (var h = 0; h < hosts; h++)
            {
                var host = "h" + h.ToString("D4", CultureInfo.InvariantCulture);
                var frames = new HostFrame[queues];
                for (var q = 0; q < queues; q++)
                {
                    frames[q] = new HostFrame(host, "eth0", q, t0 + (tick * windowNs), windowNs, 1000 + q, 3, 8, 12, 50_000, 49_900, 0.01, 900, 1500, 2000, 4000, 0.1, 4.5, 0.02, 0.97, 0.2, 0.15, 1000 + tick);
                }
                var batch = new FrameBatch(host, "pool" + (h % 10).ToString(CultureInfo.InvariantCulture), "bench", (ulong)tick + 1, sent, Regime.MapStable, default, frames);
                await spools[h].AddAsync(new SpoolEntry(FleetNames.FramesSubject(batch.Pool, host), batch.MessageId, FleetCodec.Encode(batch)), CancellationToken.None);
            }
            if (clock.ElapsedMilliseconds - lastReport >= 10_000)
            {
                var stored = service.Sink!.FramesAdded;
                var backlog = spools.Sum(s => s.Count);
                var span = (clock.ElapsedMilliseconds - lastReport) / 1000.0;
                self.Refresh();
                var cpu = (Self: self.TotalProcessorTime, Nats: nats.CpuTime);
                Console.WriteLine($"  t={clock.Elapsed.TotalSeconds,5:F1}s stored {(stored - storedAtLastReport) / span,9:N0} frames/s; agent spools {backlog,6:N0} msgs; producer behind schedule {Math.Max(0, (clock.Elapsed - due).TotalMilliseconds),6:F0} ms; CPU cores: service+agents {(cpu.Self - cpuAtLastReport.Self).TotalSeconds / span:F2}, nats x{nodes} {(cpu.Nats - cpuAtLastReport.Nats).TotalSeconds / span:F2}; load avg {LoadAverage()}");
                cpuAtLastReport = cpu;
                lastReport = clock.ElapsedMilliseconds;
                storedAtLastReport = stored;
            }
        }
        var produceSeconds = clock.Elapsed.TotalSeconds;
        var expected = (long)hosts * queues * ticks;
        var drainStart = clock.Elapsed;
        while (service.Sink!.FramesAdded < expected && clock.Elapsed - drainStart < TimeSpan.FromSeconds(120))
        {
            await Task.Delay(200);
        }
        var drainSeconds = (clock.Elapsed - drainStart).TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(running);
        long stored2 = service.Sink.FramesAdded, failures = publishers.Sum(p => p.Failures), dups = publishers.Sum(p => p.Duplicates);
        Console.WriteLine($"produced {expected:N0} frames in {produceSeconds:F1} s ({expected / produceSeconds:N0} frames/s); drained {drainSeconds:F1} s after the last tick");
        Console.WriteLine($"stored {stored2:N0} frames; lost {expected - stored2:N0}; publish retries {failures:N0}; duplicate acks {dups:N0}; duplicates ignored by the store {service.Sink.FramesIgnored:N0}");
        lock (gate)
        {
            Console.WriteLine($"publish->stored latency per batch: p50 {Ms(latency.GetValueAtPercentile(50))} ms, p99 {Ms(latency.GetValueAtPercentile(99))} ms, p99.9 {Ms(latency.GetValueAtPercentile(99.9))} ms, max {Ms(latency.GetMaxValue())} ms (n={latency.TotalCount:N0})");
            if (steady.TotalCount > 0)
            {
                Console.WriteLine($"  after the first 10 s:            p50 {Ms(steady.GetValueAtPercentile(50))} ms, p99 {Ms(steady.GetValueAtPercentile(99))} ms, p99.9 {Ms(steady.GetValueAtPercentile(99.9))} ms, max {Ms(steady.GetMaxValue())} ms (n={steady.TotalCount:N0})");
            }
        }
        foreach (var c in connections)
        {
            await c.DisposeAsync();
        }
        foreach (var s in spools)
        {
            s.Dispose();
        }
        await service.DisposeAsync();
        Directory.Delete(dbDir, true);
        return stored2 == expected ? 0 : 1;
    }

    private static async Task StartWhenClusterReadyAsync(FleetService service)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await service.StartAsync(cts.Token);
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string Ms(long ns) => (ns / 1e6).ToString("F2", CultureInfo.InvariantCulture);

    private static Func<string, int, int> Args(string[] args) => (name, fallback) =>
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    };
}
