using DmaSlip.Core.Advice;
using DmaSlip.Core.Domain;
using DmaSlip.Storage;

namespace DmaSlip.Application.Advice;

/// <summary>Loads the facts from the store with a few aggregate queries.</summary>
internal static class AdviceFactsLoader
{
    /// <summary>Per-host facts; storm periods from <paramref name="transitions"/> when given, else from regime_transitions.</summary>
    public static IReadOnlyList<HostFacts> Hosts(DmaSlipStore store, IReadOnlyList<RegimeTransition>? transitions = null)
    {
        var inventory = store.Query<HostInfo>(orderBy: "host, valid_from_ns").GroupBy(h => h.Host, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var frames = store.Sql<FrameAggregate>("""
            SELECT host, count(*) AS frames, median(map_rate) AS map_rate, median(unmap_rate) AS unmap_rate, median(flush_rate) AS flush_rate,
                   avg(numa_local_share) AS numa_local_share,
                   median(greatest(coalesce(rx_cadence_cv, 0), coalesce(tx_cadence_cv, 0))) AS pso,
                   min(window_start_ns) AS from_ns, max(window_start_ns + window_ns) AS to_ns
            FROM host_frames GROUP BY host
            """).ToDictionary(r => r.Host, StringComparer.Ordinal);
        var byHost = (transitions ?? store.Query<RegimeTransition>(orderBy: "host, ts_ns").ToList())
            .OrderBy(t => t.Host, StringComparer.Ordinal).ThenBy(t => t.TsNs)
            .GroupBy(t => t.Host, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        var result = new List<HostFacts>();
        foreach (var host in inventory.Keys.Union(frames.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var inv = inventory.GetValueOrDefault(host);
            var last = inv?[^1];
            var f = frames.GetValueOrDefault(host);
            var from = f?.FromNs ?? 0;
            var to = f?.ToNs ?? 0;
            var intervals = StormIntervals(byHost.GetValueOrDefault(host), to);
            var stormNs = intervals.Sum(i => i.To - i.From);
            result.Add(new HostFacts(
                host,
                last?.Pool ?? "unknown",
                last?.IommuMode ?? IommuMode.Strict,
                last?.NumaNode ?? 0,
                last?.CpuNumaNode ?? 0,
                inv?.Select(h => h.Fingerprint).Distinct(StringComparer.Ordinal).Count() ?? 0,
                inv is { Count: > 1 } ? inv.Zip(inv.Skip(1)).Where(p => p.First.Fingerprint != p.Second.Fingerprint).Select(p => p.Second.ValidFromNs).DefaultIfEmpty(0).Max() : 0,
                last?.SecurityReview,
                f?.Frames ?? 0,
                f?.MapRate ?? 0,
                f?.UnmapRate ?? 0,
                f?.FlushRate ?? 0,
                f?.NumaLocalShare,
                f?.Pso,
                byHost.GetValueOrDefault(host)?.Count(t => t.To == Regime.FlushStorm && t.From == Regime.PressureWatch) ?? 0,
                to > from ? stormNs / (double)(to - from) : 0,
                intervals));
        }
        return result;
    }

    /// <summary>Spans the host spent in FLUSH_STORM or SAFE_DMA_CONTAIN, from its stored transitions.</summary>
    internal static IReadOnlyList<(long From, long To)> StormIntervals(IReadOnlyList<RegimeTransition>? transitions, long endNs)
    {
        var list = new List<(long, long)>();
        if (transitions is null)
        {
            return list;
        }
        long? start = null;
        foreach (var t in transitions)
        {
            var inStorm = t.To >= Regime.FlushStorm;
            if (inStorm && start is null)
            {
                start = t.TsNs;
            }
            else if (!inStorm && start is { } s)
            {
                list.Add((s, t.TsNs));
                start = null;
            }
        }
        if (start is { } open && endNs > open)
        {
            list.Add((open, endNs));
        }
        return list;
    }

    public static IReadOnlyList<ParentFacts> Parents(DmaSlipStore store) =>
        store.Sql<ParentFacts>("""
            SELECT o.parent_id, o.host, o.pool, coalesce(o.is_bps, 0) AS is_bps, o.c_iommu_bps, o.pressure_bucket, coalesce(p.urgency, '') AS urgency
            FROM parent_outcomes o LEFT JOIN parent_orders p USING (parent_id)
            """);

    /// <summary>Per host: send→ack round trips (ns) with the send time, and the order-traffic counts.</summary>
    public static IReadOnlyDictionary<string, (long[] SendTs, double[] Rtt)> RoundTrips(DmaSlipStore store)
    {
        var rows = store.Sql<RoundTrip>("""
            SELECT s.host, s.ts_ns AS send_ns, a.ts_ns - s.ts_ns AS rtt_ns
            FROM order_events s JOIN order_events a ON a.cl_ord_id = s.cl_ord_id AND a.kind = 'ack'
            WHERE s.kind = 'send' AND a.ts_ns >= s.ts_ns
            ORDER BY s.host, s.ts_ns
            """);
        return rows.GroupBy(r => r.Host, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (g.Select(r => r.SendNs).ToArray(), g.Select(r => (double)r.RttNs).ToArray()), StringComparer.Ordinal);
    }

    /// <summary>Per host: timestamps of sends, and of retries (replace, cancel, reject), in time order.</summary>
    public static IReadOnlyDictionary<string, (long[] Sends, long[] Retries)> Traffic(DmaSlipStore store)
    {
        var rows = store.Sql<TrafficEvent>("""
            SELECT host, ts_ns, kind FROM order_events WHERE kind IN ('send', 'replace', 'cancel', 'reject') ORDER BY host, ts_ns
            """);
        return rows.GroupBy(r => r.Host, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (
            g.Where(r => r.Kind == OrderEventKind.Send).Select(r => r.TsNs).ToArray(),
            g.Where(r => r.Kind != OrderEventKind.Send).Select(r => r.TsNs).ToArray()), StringComparer.Ordinal);
    }

    /// <summary>A host's frame aggregates (one row of the GROUP BY above).</summary>
    private sealed record FrameAggregate(string Host, long Frames, double? MapRate, double? UnmapRate, double? FlushRate, double? NumaLocalShare,
        double? Pso, long FromNs, long ToNs);

    private sealed record RoundTrip(string Host, long SendNs, long RttNs);

    private sealed record TrafficEvent(string Host, long TsNs, OrderEventKind Kind);
}
