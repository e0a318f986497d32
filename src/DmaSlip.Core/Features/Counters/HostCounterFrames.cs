using System.Globalization;
using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Features.Counters;

/// <summary>
/// The one recipe that turns a host's stored counters and traced events into frames, shared by <c>dmaslip features</c>
/// (rows read from the store) and the agent's replay of a recorded folder (rows parsed by ingest into memory): CPU →
/// queue from the latest <c>/proc/interrupts</c> affinity, a <see cref="CounterFrameBuilder"/> over the per-CPU
/// <c>perf stat</c> span, <see cref="CounterStreams"/> over the counters, and the trace captures' frames for the windows
/// they cover.
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
    /// The builder of one host: per-CPU counts from <paramref name="firstNs"/> − <paramref name="stepNs"/> (the first
    /// interval's start) to <paramref name="lastNs"/>, one queue per distinct value of <paramref name="queueOfCpu"/>.
    /// </summary>
    public static CounterFrameBuilder Builder(string host, string device, IReadOnlyDictionary<int, int> queueOfCpu, long firstNs, long stepNs, long lastNs, HostFrameOptions options)
    {
        var builder = new CounterFrameBuilder(host, device, queueOfCpu.Values.Max() + 1, firstNs - stepNs, lastNs + 1, options.WindowNs) { DmaBaseNs = options.DmaBaseNs };
        builder.UsedInterrupts();
        return builder;
    }

    /// <summary>
    /// Feeds a host's traced events (in (ts, source, offset) order) to the builder as trace frames of the windows the
    /// <paramref name="captures"/> cover (each capture's first and last event); events on a CPU of no queue are skipped.
    /// Returns the events used and the trace frames kept.
    /// </summary>
    public static (long Events, long Kept) AddTraces(CounterFrameBuilder builder, string host, string device, IReadOnlyDictionary<int, int> queueOfCpu,
        IEnumerable<(long StartNs, long EndNs)> captures, IEnumerable<HostEventRow> events, HostFrameOptions options)
    {
        foreach (var (start, end) in captures)
        {
            builder.AddCapture(start, end);
        }
        var sink = new TraceSink(builder, options.SlotNs);
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
        return (n, sink.Kept);
    }

    private sealed class TraceSink(CounterFrameBuilder builder, long slotNs) : IHostFrameSink
    {
        public long Kept;

        public void OnFrame(HostFrame frame)
        {
            if (builder.AddTraceFrame(frame, slotNs))
            {
                Kept++;
            }
        }
    }
}
