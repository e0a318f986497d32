using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;
using DmaSlip.Core.Features.Counters;
using DmaSlip.Storage;

namespace DmaSlip.Application.Analysis;

/// <summary>
/// Host frames of the hosts that collected per-CPU tracepoint counts: the store's counters and trace events of each
/// host go through <see cref="CounterSpanFrames"/> (Core), one host at a time and its counters a time slice at a time
/// (<see cref="SliceNs"/>), so memory is bounded by a slice, not by the day.
/// </summary>
internal static class CounterFrameRunner
{
    internal sealed record Summary(IReadOnlyList<string> Hosts, long CounterRows, long UnusedRows, long LateInputs, long Restarts, long TraceEvents, long TraceFrames, long Frames, long Added);

    /// <summary>
    /// Length of one slice of a host's counters read in time order (5 minutes: a few hundred thousand rows; DuckDB sorts
    /// a slice, not the day, and the builder holds a slice and the lag).
    /// </summary>
    internal const long SliceNs = 300 * Time.NanosPerSecond;

    /// <summary>The counter sources frames use.</summary>
    private const string Sources = "source IN ('perf_stat', 'ethtool', 'dmar_perf_latency')";

    public static Summary Run(DmaSlipStore store, long? from, long? to, HostFrameOptions options)
    {
        var (range, p) = TimeArg.Range("ts_ns", from, to);
        var hosts = store.Sql<string>($"SELECT DISTINCT host FROM host_counters WHERE source = 'perf_stat' AND device LIKE 'cpu%' AND {range} ORDER BY host", p);
        long rows = 0, unused = 0, late = 0, restarts = 0, traceEvents = 0, traceFrames = 0, frames = 0, added = 0;
        foreach (var host in hosts)
        {
            var hp = new Dictionary<string, object?>(p) { ["h"] = host };
            var queueOfCpu = Affinity(store, host);
            if (queueOfCpu.Count == 0)
            {
                continue; // no /proc/interrupts: per-CPU counts cannot be attributed to queues (counted by the caller as unused)
            }
            var (first, last) = store.SqlSingle<Extent>($"SELECT min(ts_ns) AS from_ns, max(ts_ns) AS to_ns FROM host_counters WHERE host = $h AND source = 'perf_stat' AND device LIKE 'cpu%' AND {range}", hp);
            var interval = store.SqlSingle<long?>($"SELECT min(ts_ns) FROM host_counters WHERE host = $h AND source = 'perf_stat' AND device LIKE 'cpu%' AND {range} AND ts_ns > $t0", new Dictionary<string, object?>(hp) { ["t0"] = first });
            var step = interval is { } next ? next - first : options.WindowNs;
            var device = NicDevice(store, host);
            var (events, captures, traced) = Traces(store, host, device, queueOfCpu, options, range, hp);
            using var writer = store.Writer<HostFrame>();
            using var sources = store.Writer<HostFrameSources>();
            var day = new CounterSpanFrames(host, device, queueOfCpu, first, step, last, options, captures, traced, (f, s) =>
            {
                writer.Add(f);
                sources.Add(new HostFrameSources(f.Host, f.Device, f.Queue, f.WindowStartNs, f.WindowNs, (int)s));
            });
            // The host's counters in time order, a slice at a time (each slice's reader is closed before its frames are written).
            var (readFrom, readTo) = store.SqlSingle<Extent>($"SELECT min(ts_ns) AS from_ns, max(ts_ns) AS to_ns FROM host_counters WHERE host = $h AND {Sources} AND {range}", hp);
            for (var sliceStart = readFrom; sliceStart <= readTo; sliceStart += SliceNs)
            {
                var sp = new Dictionary<string, object?>(hp) { ["s0"] = sliceStart, ["s1"] = sliceStart + SliceNs };
                foreach (var c in store.Query<HostCounter>($"host = $h AND {Sources} AND {range} AND ts_ns >= $s0 AND ts_ns < $s1", "ts_ns, source, device, name", sp, streaming: true))
                {
                    day.Observe(c);
                }
                day.Advance(sliceStart + SliceNs);
            }
            day.Finish();
            rows += day.Used;
            unused += day.Unused;
            late += day.LateInputs;
            restarts += day.Restarts;
            traceEvents += events;
            traceFrames += day.TraceFramesKept;
            frames += day.Frames;
            added += writer.Complete();
            sources.Complete();
        }
        return new Summary(hosts, rows, unused, late, restarts, traceEvents, traceFrames, frames, added);
    }

    /// <summary>CPU → queue from the latest /proc/interrupts snapshot: the CPU each queue vector counted most on.</summary>
    private static Dictionary<int, int> Affinity(DmaSlipStore store, string host) =>
        HostCounterFrames.QueueOfCpu(store.Sql<NamedValue>("SELECT name, CAST(arg_max(value, ts_ns) AS DOUBLE) AS value FROM host_counters WHERE host = $h AND source = 'irq_affinity' GROUP BY name",
            new Dictionary<string, object?> { ["h"] = host }).Select(r => (r.Name, r.Value)));

    /// <summary>The host's NIC (its inventory row, else the ethtool -S device, else the device of its queue vectors in /proc/interrupts).</summary>
    private static string NicDevice(DmaSlipStore store, string host)
    {
        var h = new Dictionary<string, object?> { ["h"] = host };
        var inv = store.Sql<string>("SELECT device FROM hosts WHERE host = $h ORDER BY valid_from_ns DESC LIMIT 1", h);
        if (inv.Count > 0)
        {
            return inv[0];
        }
        return store.SqlSingle<string?>("SELECT min(device) FROM host_counters WHERE host = $h AND source = 'ethtool'", h)
            ?? store.SqlSingle<string?>("SELECT min(device) FROM host_counters WHERE host = $h AND source = 'irq_affinity'", h)
            ?? "nic";
    }

    /// <summary>The host's trace captures (first and last event of each source) and the frames its traced events give, per queue of their CPU.</summary>
    private static (long Events, List<(long StartNs, long EndNs)> Captures, List<HostFrame> Frames) Traces(DmaSlipStore store, string host, string device,
        Dictionary<int, int> queueOfCpu, HostFrameOptions options, string range, Dictionary<string, object?> hp)
    {
        var captures = store.Sql<Extent>($"SELECT min(ts_ns) AS from_ns, max(ts_ns) AS to_ns FROM host_events WHERE host = $h AND {range} GROUP BY source", hp)
            .Select(r => (r.FromNs, r.ToNs)).ToList();
        var (events, frames) = HostCounterFrames.TraceFrames(host, device, queueOfCpu,
            store.Query<HostEventRow>($"host = $h AND {range}", "ts_ns, source, source_offset", hp, streaming: true), options);
        return (events, captures, frames);
    }

    /// <summary>First and last time of a set of rows.</summary>
    private sealed record Extent(long FromNs, long ToNs);

    /// <summary>The latest value of one counter name.</summary>
    private sealed record NamedValue(string Name, double Value);
}
