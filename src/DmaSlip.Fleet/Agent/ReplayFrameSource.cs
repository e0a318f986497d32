using System.Globalization;
using System.Runtime.CompilerServices;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;
using DmaSlip.Core.Features.Counters;
using DmaSlip.Ingest;

namespace DmaSlip.Fleet.Agent;

/// <summary>
/// Replays a host's recorded real-format telemetry (<c>DIR/hosts/&lt;host&gt;/</c>: <c>perf stat -I</c> per-CPU
/// tracepoint counts and IOMMU PMU events, <c>/proc/interrupts</c>, <c>ethtool -S</c>, <c>softnet_stat</c>,
/// <c>dmar_perf_latency</c> snapshots, trace captures) through the path <c>ingest → features</c> takes: the files are
/// parsed by <see cref="Ingestor"/> into memory and the frames built by <see cref="HostCounterFrames"/> /
/// <see cref="CounterFrameBuilder"/>, as <c>dmaslip features</c> builds them from the store. Frames are emitted when
/// their window closes, at the recording's pace divided by <paramref name="speed"/>. Records the parsers quarantine
/// and files that fail are listed in <see cref="Rejected"/> (file, offset, reason).
/// </summary>
public sealed class ReplayFrameSource : IFrameSource
{
    private readonly List<FrameWindow> _windows;
    private readonly double _speed;
    private readonly TimeProvider _time;

    public ReplayFrameSource(string dir, string host, double speed, TimeProvider time, HostFrameOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speed);
        _speed = speed;
        _time = time;
        var hostDir = PathFor(dir, host);
        if (!Directory.Exists(hostDir))
        {
            throw new DirectoryNotFoundException($"No recording to replay: '{hostDir}' does not exist.");
        }
        var frames = Build(hostDir, host, options ?? HostFrameOptions.Default, Rejected);
        _windows = frames.GroupBy(f => f.WindowStartNs)
            .OrderBy(g => g.Key)
            .Select(g => new FrameWindow(g.Key, g.OrderBy(f => f.Device, StringComparer.Ordinal).ThenBy(f => f.Queue).ToArray()))
            .ToList();
        Boot = _windows.Count == 0 ? "replay-empty" : "replay-" + _windows[0].WindowStartNs.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The folder of <paramref name="host"/>'s recorded files in a simulator/recording folder.</summary>
    public static string PathFor(string dir, string host) => System.IO.Path.Combine(dir, "hosts", host);

    public string Boot { get; }

    public int Windows => _windows.Count;

    public List<string> Rejected { get; } = [];

    public async IAsyncEnumerable<FrameWindow> ReadAsync([EnumeratorCancellation] CancellationToken ct)
    {
        if (_windows.Count == 0)
        {
            yield break;
        }
        var t0 = _windows[0].WindowStartNs;
        var started = _time.GetTimestamp();
        foreach (var w in _windows)
        {
            // Frames are emitted when their window closes, as a live engine would.
            var due = TimeSpan.FromTicks((long)((w.WindowStartNs - t0 + w.Frames[0].WindowNs) / 100 / _speed));
            var wait = due - _time.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, ct).ConfigureAwait(false);
            }
            ct.ThrowIfCancellationRequested();
            yield return w;
        }
    }

    /// <summary>
    /// Frames of one host's recorded folder: ingest's parsers into memory, then the counter frame recipe
    /// (<see cref="HostCounterFrames"/>). A folder without per-CPU <c>perf stat</c> tracepoint counts or without a
    /// <c>/proc/interrupts</c> snapshot (no CPU → queue attribution) has no frames; the reason is in <paramref name="rejected"/>.
    /// </summary>
    public static List<HostFrame> Build(string hostDir, string host, HostFrameOptions options, List<string> rejected)
    {
        var sink = new MemorySink();
        var results = new Ingestor(sink, new IngestOptions { Host = host }, TimeProvider.System).Ingest([hostDir]);
        foreach (var r in results.Where(r => r.Error is not null))
        {
            rejected.Add($"{r.Path}: {r.Error}");
        }
        foreach (var q in sink.Rows<QuarantineRecord>())
        {
            rejected.Add($"{q.Path} offset {q.Offset}: {q.Reason}");
        }
        var counters = sink.Rows<HostCounter>().Where(c => string.Equals(c.Host, host, StringComparison.Ordinal)).ToList();
        var perCpu = counters.Where(c => c.Source == "perf_stat" && c.Device.StartsWith("cpu", StringComparison.Ordinal)).Select(c => c.TsNs).Distinct().Order().Take(2).ToArray();
        if (perCpu.Length == 0)
        {
            rejected.Add($"{hostDir}: no per-CPU perf stat tracepoint counts: no frames");
            return [];
        }
        var queueOfCpu = HostCounterFrames.QueueOfCpu(counters.Where(c => c.Source == "irq_affinity")
            .GroupBy(c => c.Name, StringComparer.Ordinal)
            .Select(g => (g.Key, g.MaxBy(c => c.TsNs)!.Value)));
        if (queueOfCpu.Count == 0)
        {
            rejected.Add($"{hostDir}: no /proc/interrupts snapshot: per-CPU counts cannot be put on queues, no frames");
            return [];
        }
        var first = perCpu[0];
        var last = counters.Where(c => c.Source == "perf_stat" && c.Device.StartsWith("cpu", StringComparison.Ordinal)).Max(c => c.TsNs);
        var step = perCpu.Length > 1 ? perCpu[1] - first : options.WindowNs;
        var device = sink.Rows<HostInfo>().Where(h => h.Host == host).MaxBy(h => h.ValidFromNs)?.Device
            ?? counters.Where(c => c.Source == "ethtool").Select(c => c.Device).Order(StringComparer.Ordinal).FirstOrDefault()
            ?? counters.Where(c => c.Source == "irq_affinity").Select(c => c.Device).Order(StringComparer.Ordinal).FirstOrDefault()
            ?? "nic";
        var builder = HostCounterFrames.Builder(host, device, queueOfCpu, first, step, last, options);
        var streams = new CounterStreams(builder, queueOfCpu);
        foreach (var c in counters.Where(c => c.Source is "perf_stat" or "ethtool" or "dmar_perf_latency")
            .OrderBy(c => c.Source, StringComparer.Ordinal).ThenBy(c => c.Device, StringComparer.Ordinal)
            .ThenBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.TsNs))
        {
            streams.Observe(c);
        }
        var events = sink.Rows<HostEventRow>().Where(e => string.Equals(e.Host, host, StringComparison.Ordinal)).ToList();
        var captures = events.GroupBy(e => e.Source, StringComparer.Ordinal).Select(g => (g.Min(e => e.TsNs), g.Max(e => e.TsNs))).ToList();
        HostCounterFrames.AddTraces(builder, host, device, queueOfCpu, captures,
            events.OrderBy(e => e.TsNs).ThenBy(e => e.Source, StringComparer.Ordinal).ThenBy(e => e.SourceOffset), options);
        var frames = new List<HostFrame>();
        builder.Emit((f, _) => frames.Add(f));
        return frames;
    }
}
