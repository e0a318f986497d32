using System.Globalization;
using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Features.Counters;

/// <summary>
/// The one recipe that turns a host's stored counters and traced events into frames, shared by <c>dmaslip features</c>
/// (rows read from the store, <see cref="CounterSpanFrames"/>) and the agent's replay of a recorded folder (rows parsed
/// by ingest into memory): CPU → queue from the latest <c>/proc/interrupts</c> affinity, a streaming
/// <see cref="CounterFrameBuilder"/> from the first per-CPU <c>perf stat</c> interval, <see cref="CounterStreams"/> over
/// the counters, and the trace captures' frames for the windows they cover.
/// </summary>
public static class HostCounterFrames
{
    /// <summary>CPU → queue from the latest affinity value of each <c>queueN</c> counter (the CPU that queue's vector counted most on).</summary>
    public static Dictionary<int, int> QueueOfCpu(IEnumerable<(string Name, double Cpu)> latestAffinity)
    {
        var map = new Dictionary<int, int>();
        foreach (var (name, cpu) in latestAffinity)
        {
            if (name.StartsWith("queue", StringComparison.Ordinal) && int.TryParse(name.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var q))
            {
                map.TryAdd((int)cpu, q);
            }
        }
        return map;
    }

    /// <summary>
    /// The frames a host's traced events (in (ts, source, offset) order) give, per queue of their CPU, in window order
    /// (queues in order within a window); events on a CPU of no queue are skipped. Returns the events used and the
    /// frames; <see cref="CounterFrameBuilder.AddTraceFrame"/> keeps those whose window one capture covers whole.
    /// </summary>
    public static (long Events, List<HostFrame> Frames) TraceFrames(string host, string device, IReadOnlyDictionary<int, int> queueOfCpu,
        IEnumerable<HostEventRow> events, HostFrameOptions options)
    {
        var sink = new ListSink();
        var streams = new HostFrameStreams(sink, options);
        long n = 0;
        foreach (var e in events)
        {
            if (queueOfCpu.TryGetValue(e.Cpu, out var q))
            {
                streams.Observe(host, device, new HostEvent(e.TsNs, e.Kind, q, e.Cpu, e.Size, e.Value, e.Aux));
                n++;
            }
        }
        streams.Flush();
        sink.Frames.Sort((a, b) => a.WindowStartNs != b.WindowStartNs ? a.WindowStartNs.CompareTo(b.WindowStartNs) : a.Queue.CompareTo(b.Queue));
        return (n, sink.Frames);
    }

    private sealed class ListSink : IHostFrameSink
    {
        public List<HostFrame> Frames { get; } = [];

        public void OnFrame(HostFrame frame) => Frames.Add(frame);
    }
}
