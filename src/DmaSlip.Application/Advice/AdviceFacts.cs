using System.Globalization;
using DmaSlip.Core.Domain;
using DmaSlip.Storage;

namespace DmaSlip.Application.Advice;

/// <summary>Per-host numbers the advice is computed from (all from stored tables).</summary>
internal sealed record HostFacts(
    string Host,
    string Pool,
    IommuMode Mode,
    int NicNuma,
    int CpuNuma,
    int Fingerprints,
    long LastConfigChangeNs,
    string? SecurityReview,
    long Frames,
    double MapRate,
    double UnmapRate,
    double FlushRate,
    double? NumaLocalShare,
    double? Pso,
    int Storms,
    double StormTimeShare,
    IReadOnlyList<(long From, long To)> StormIntervals);

/// <summary>Per-parent outcome rows the ladder prices gains from.</summary>
internal sealed record ParentFacts(string ParentId, string Host, string Pool, double IsBps, double? CIommuBps, string PressureBucket, string Urgency);

/// <summary>Loads the facts from the store with a few aggregate queries.</summary>
internal static class AdviceFactsLoader
{
    /// <summary>Per-host facts; storm periods from <paramref name="transitions"/> when given, else from regime_transitions.</summary>
    public static IReadOnlyList<HostFacts> Hosts(DmaSlipStore store, IReadOnlyList<RegimeTransition>? transitions = null)
    {
        var inventory = store.Query<HostInfo>(orderBy: "host, valid_from_ns").GroupBy(h => h.Host, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var frames = store.Sql("""
            SELECT host, count(*), median(map_rate), median(unmap_rate), median(flush_rate), avg(numa_local_share),
                   median(greatest(coalesce(rx_cadence_cv, 0), coalesce(tx_cadence_cv, 0))), min(window_start_ns), max(window_start_ns + window_ns)
            FROM host_frames GROUP BY host
            """).Rows.ToDictionary(r => (string)r[0]!, r => r, StringComparer.Ordinal);
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
            var from = f is null ? 0 : L(f[7]);
            var to = f is null ? 0 : L(f[8]);
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
                f is null ? 0 : L(f[1]),
                f is null ? 0 : D(f[2]) ?? 0,
                f is null ? 0 : D(f[3]) ?? 0,
                f is null ? 0 : D(f[4]) ?? 0,
                f is null ? null : D(f[5]),
                f is null ? null : D(f[6]),
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
        store.Sql("""
            SELECT o.parent_id, o.host, o.pool, o.is_bps, o.c_iommu_bps, o.pressure_bucket, coalesce(p.urgency, '')
            FROM parent_outcomes o LEFT JOIN parent_orders p USING (parent_id)
            """).Rows.Select(r => new ParentFacts((string)r[0]!, (string)r[1]!, (string)r[2]!, D(r[3]) ?? 0, D(r[4]), (string)r[5]!, (string)r[6]!)).ToArray();

    /// <summary>Per host: send→ack round trips (ns) with the send time, and the order-traffic counts.</summary>
    public static IReadOnlyDictionary<string, (long[] SendTs, double[] Rtt)> RoundTrips(DmaSlipStore store)
    {
        var rows = store.Sql("""
            SELECT s.host, s.ts_ns, a.ts_ns - s.ts_ns
            FROM order_events s JOIN order_events a ON a.cl_ord_id = s.cl_ord_id AND a.kind = 'ack'
            WHERE s.kind = 'send' AND a.ts_ns >= s.ts_ns
            ORDER BY s.host, s.ts_ns
            """).Rows;
        return rows.GroupBy(r => (string)r[0]!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (g.Select(r => L(r[1])).ToArray(), g.Select(r => (double)L(r[2])).ToArray()), StringComparer.Ordinal);
    }

    /// <summary>Per host: timestamps of sends, and of retries (replace, cancel, reject), in time order.</summary>
    public static IReadOnlyDictionary<string, (long[] Sends, long[] Retries)> Traffic(DmaSlipStore store)
    {
        var rows = store.Sql("""
            SELECT host, ts_ns, kind FROM order_events WHERE kind IN ('send', 'replace', 'cancel', 'reject') ORDER BY host, ts_ns
            """).Rows;
        return rows.GroupBy(r => (string)r[0]!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (
            g.Where(r => (string)r[2]! == "send").Select(r => L(r[1])).ToArray(),
            g.Where(r => (string)r[2]! != "send").Select(r => L(r[1])).ToArray()), StringComparer.Ordinal);
    }

    internal static long L(object? v) => Convert.ToInt64(v, CultureInfo.InvariantCulture);

    internal static double? D(object? v) => v is null or DBNull ? null : Convert.ToDouble(v, CultureInfo.InvariantCulture);
}
