using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;
using DmaSlip.Storage;

namespace DmaSlip.Application.Analysis;

/// <summary>
/// Counts of a <c>dmaslip features</c> run. <c>CounterRows</c>/<c>UnusedCounterRows</c>: stored counters that fed frames
/// and those of series no frame column uses; <c>LateCounterInputs</c>: counter intervals (or parts) that reached a
/// window already written (a stream silent for more than 10 s that came back), dropped and counted here;
/// <c>CounterRestarts</c>: counter rows after their stream's silence of more than 10 s and ten steps (a collector
/// restarted: an interval row counts for one step, a snapshot's delta over the gap is not placed).
/// </summary>
internal sealed record FeatureSummary(long HostEvents, long HostStreams, long HostFramesComputed, long HostFramesAdded, long LateEvents,
    long OrderEvents, long ExecFramesComputed, long ExecFramesAdded, long CounterRows, long UnusedCounterRows, long LateCounterInputs,
    long CounterRestarts);

/// <summary>Host frames from stored host_events and exec frames from stored order events, written back to the store.</summary>
internal static class FeatureRunner
{
    public static FeatureSummary Run(DmaSlipStore store, long? from, long? to, HostFrameOptions hostOptions, ExecFrameOptions execOptions)
    {
        // Hosts with per-CPU tracepoint counts: counters for the whole day, traces where a capture covered the window.
        var counted = CounterFrameRunner.Run(store, from, to, hostOptions);
        var (hostEvents, streams, hostComputed, hostAdded, late) = HostFrames(store, from, to, hostOptions, counted.Hosts);
        hostEvents += counted.TraceEvents;
        hostComputed += counted.Frames;
        hostAdded += counted.Added;
        var (orderEvents, execComputed, execAdded) = ExecFrames(store, from, to, execOptions);
        return new FeatureSummary(hostEvents, streams, hostComputed, hostAdded, late, orderEvents, execComputed, execAdded,
            counted.CounterRows, counted.UnusedRows, counted.LateInputs, counted.Restarts);
    }

    private sealed class WriterSink(BulkWriter<HostFrame> writer) : IHostFrameSink
    {
        public long Frames;

        public void OnFrame(HostFrame frame)
        {
            Frames++;
            writer.Add(frame);
        }
    }

    /// <summary>Trace-only hosts (no counter streams): frames per traced stream, as the trace gives them (queue −1 when unknown).</summary>
    private static (long Events, long Streams, long Computed, long Added, long Late) HostFrames(DmaSlipStore store, long? from, long? to, HostFrameOptions options, IReadOnlyList<string> countedHosts)
    {
        var (where, p) = TimeArg.Range("ts_ns", from, to);
        for (var i = 0; i < countedHosts.Count; i++)
        {
            p["c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = countedHosts[i];
        }
        if (countedHosts.Count > 0)
        {
            where += " AND host NOT IN (" + string.Join(", ", countedHosts.Select((_, i) => "$c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))) + ")";
        }
        var rows = store.Query<HostEventRow>(where, "host, device, queue, ts_ns, source, source_offset", p).ToList();
        using var writer = store.Writer<HostFrame>();
        var sink = new WriterSink(writer);
        var streams = new HostFrameStreams(sink, options);
        foreach (var r in rows)
        {
            // A stored host event is one traced event (Count = 1).
            streams.Observe(r.Host, r.Device, new HostEvent(r.TsNs, r.Kind, r.Queue, r.Cpu, r.Size, r.Value, r.Aux));
        }
        streams.Flush();
        var added = writer.Complete();
        return (rows.Count, streams.StreamCount, sink.Frames, added, streams.LateEvents);
    }

    private static (long Events, long Computed, long Added) ExecFrames(DmaSlipStore store, long? from, long? to, ExecFrameOptions options)
    {
        var pressure = HostPressure.LoadTimeline(store);
        var (where, p) = TimeArg.Range("ts_ns", from, to);
        var events = store.Query<OrderEvent>(where, "host, ts_ns, cl_ord_id, kind", p).ToList();
        var parents = store.Query<ParentOrder>().ToDictionary(x => x.ParentId, StringComparer.Ordinal);
        var sink = new ListExecFrameSink();
        foreach (var hostEvents in events.GroupBy(e => e.Host, StringComparer.Ordinal))
        {
            var host = hostEvents.Key;
            var engine = new ExecFrameEngine(host, sink, options, start => pressure.IsCalm(host, start, options.WindowNs));
            var symbols = new HashSet<string>(StringComparer.Ordinal);
            foreach (var parentId in hostEvents.Select(e => e.ParentId).Distinct(StringComparer.Ordinal))
            {
                if (parents.TryGetValue(parentId, out var parent))
                {
                    engine.RegisterParent(parent);
                    symbols.Add(parent.Symbol);
                }
            }
            // The day's quotes of the host's symbols, streamed beside its events (merged in time): a day of quotes is
            // not held. Nothing else runs on the store while the reader is open.
            using var quotes = StreamQuotes(store, symbols, hostEvents.First().TsNs - options.WindowNs, hostEvents.Last().TsNs + 1).GetEnumerator();
            var pending = quotes.MoveNext();
            foreach (var e in hostEvents)
            {
                for (; pending && quotes.Current.TsNs <= e.TsNs; pending = quotes.MoveNext())
                {
                    engine.ObserveQuote(quotes.Current);
                }
                engine.Observe(e);
            }
            engine.Flush();
        }
        var added = store.Insert(sink.Frames);
        return (events.Count, sink.Frames.Count, added);
    }

    internal static List<Quote> QuotesOf(DmaSlipStore store, IReadOnlyCollection<string> symbols, long? from, long? to) =>
        [.. StreamQuotes(store, symbols, from, to)];

    /// <summary>Quotes of <paramref name="symbols"/> in [from, to) in (ts, venue, seq) order, read as they are enumerated.</summary>
    private static IEnumerable<Quote> StreamQuotes(DmaSlipStore store, IReadOnlyCollection<string> symbols, long? from, long? to)
    {
        if (symbols.Count == 0)
        {
            return [];
        }
        var p = new Dictionary<string, object?>();
        var names = symbols.Select((s, i) =>
        {
            p[$"s{i}"] = s;
            return $"${"s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        }).ToList();
        var (range, rp) = TimeArg.Range("ts_ns", from, to);
        foreach (var (k, v) in rp)
        {
            p[k] = v;
        }
        return store.Query<Quote>($"symbol IN ({string.Join(", ", names)}) AND {range}", "ts_ns, venue, seq", p, streaming: true);
    }
}
