using DmaSlip.Application.Analysis;
using DmaSlip.Core.Domain;
using DmaSlip.Reports.Model;
using DmaSlip.Storage;

namespace DmaSlip.Application.Reporting;

internal static partial class ReportLoader
{
    /// <summary>Points per host series in the report: enough to see a storm's shape, small enough for a light page.</summary>
    internal const int MaxSignalPoints = 600;

    /// <summary>
    /// Per host: regime spans from <c>regime_transitions</c> (the regime at the range start is the last transition's
    /// target before it) and DFI/PSO per window as the maximum over the host's devices and queues (the host's worst
    /// queue, as the parent attribution uses), downsampled by keeping each bucket's maximum so peaks survive.
    /// When no controller has been replayed at all (empty table), hosts get signals but no spans.
    /// </summary>
    internal static IReadOnlyList<HostRegimeTimeline>? Regimes(DmaSlipStore store, ReportRequest request, HostPressure pressure, List<HostInfo> hosts)
    {
        var anyTransitions = store.Count("regime_transitions") > 0;
        var (where, p) = request.ToNs is { } to ? ("ts_ns < $to", new Dictionary<string, object?> { ["to"] = to }) : ((string?)null, null);
        var transitions = store.Query<RegimeTransition>(where, "host, ts_ns", p).GroupBy(t => t.Host, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var framesByHost = pressure.Frames.GroupBy(f => f.Host, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var names = framesByHost.Keys.Concat(transitions.Where(kv => request.FromNs is null || kv.Value.Any(t => t.TsNs >= request.FromNs)).Select(kv => kv.Key))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            return null;
        }
        var result = new List<HostRegimeTimeline>();
        foreach (var host in names)
        {
            var frames = framesByHost.GetValueOrDefault(host) ?? [];
            var ts = transitions.GetValueOrDefault(host) ?? [];
            var from = request.FromNs ?? Min(frames.Select(f => f.WindowStartNs).Concat(ts.Select(t => t.TsNs)));
            var end = request.ToNs ?? Max(frames.Select(f => f.WindowStartNs + f.WindowNs).Concat(ts.Select(t => t.TsNs)));
            if (end <= from)
            {
                end = from + 1;
            }
            var pool = hosts.FirstOrDefault(h => h.Host == host)?.Pool ?? "unknown";
            var baseline = pressure.Baselines.GetValueOrDefault(host);
            var signals = Signals(frames, baseline, from, end);
            result.Add(new HostRegimeTimeline(host, pool, from, end, anyTransitions ? Spans(ts, from, end) : [], signals,
                DfiNullReason(frames, baseline, signals)));
        }
        return result;
    }

    internal static List<RegimeSpan> Spans(List<RegimeTransition> ordered, long from, long end)
    {
        var spans = new List<RegimeSpan>();
        var before = ordered.LastOrDefault(t => t.TsNs <= from);
        var current = before?.To ?? (ordered.FirstOrDefault(t => t.TsNs > from)?.From ?? Regime.MapStable);
        var start = from;
        var reason = before?.Reason ?? "start of range";
        foreach (var t in ordered)
        {
            if (t.TsNs <= from || t.TsNs >= end)
            {
                continue;
            }
            spans.Add(new RegimeSpan(start, t.TsNs, current, reason));
            (start, current, reason) = (t.TsNs, t.To, t.Reason);
        }
        spans.Add(new RegimeSpan(start, end, current, reason));
        return spans;
    }

    internal static List<SignalPoint> Signals(List<HostFrame> frames, Core.Metrics.HostBaseline? baseline, long from, long end)
    {
        if (frames.Count == 0)
        {
            return [];
        }
        var bucket = Math.Max(frames.Min(f => f.WindowNs), (end - from + MaxSignalPoints - 1) / MaxSignalPoints);
        var points = new SortedDictionary<long, (double? Dfi, double? Pso)>();
        foreach (var f in frames)
        {
            var key = from + (f.WindowStartNs - from) / bucket * bucket;
            double? dfi = baseline is null ? null : Core.Metrics.DeskMetrics.Dfi(f, baseline);
            var pso = Core.Metrics.DeskMetrics.Pso(f);
            points[key] = points.TryGetValue(key, out var cur) ? (MaxOf(cur.Dfi, dfi), MaxOf(cur.Pso, pso)) : (dfi, pso);
        }
        return [.. points.Select(kv => new SignalPoint(kv.Key, kv.Value.Dfi, kv.Value.Pso))];
    }

    /// <summary>Why a host with frames has no DFI in any window; null when it has one, or no frames.</summary>
    internal static string? DfiNullReason(List<HostFrame> frames, Core.Metrics.HostBaseline? baseline, List<SignalPoint> signals)
    {
        if (frames.Count == 0 || signals.Any(p => p.Dfi is not null))
        {
            return null;
        }
        if (!frames.Any(f => f.FlushRate is not null || f.FlushBurstQ95 is not null))
        {
            return "no flush source";
        }
        return baseline is null ? "no calm baseline" : "no flush rate in the calm baseline";
    }

    private static double? MaxOf(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static long Min(IEnumerable<long> xs) => xs.DefaultIfEmpty(0).Min();

    private static long Max(IEnumerable<long> xs) => xs.DefaultIfEmpty(0).Max();
}
