using DmaSlip.Core.Attribution;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;
using DmaSlip.Storage;

namespace DmaSlip.Application.Analysis;

/// <summary>Desk metrics by group from stored host frames, hosts and parent outcomes.</summary>
internal static class MetricsRunner
{
    public static IReadOnlyList<MetricsRow> Run(DmaSlipStore store, IReadOnlyList<Dimension> by, long? from, long? to, SessionSegments sessions)
    {
        var (windows, parents) = Facts(store, from, to, sessions);
        return DeskMetricsTable.Compute(by, windows, parents);
    }

    /// <summary>
    /// The window and parent facts <see cref="Run"/> groups; built once when several groupings are wanted (the report
    /// computes every dimension from one load). <paramref name="pressure"/>: frames already loaded for the same range.
    /// </summary>
    public static (List<WindowFact> Windows, List<ParentFact> Parents) Facts(DmaSlipStore store, long? from, long? to, SessionSegments sessions, HostPressure? pressure = null)
    {
        sessions.Validate();
        pressure ??= HostPressure.Load(store, from, to);
        var hosts = store.Query<HostInfo>(orderBy: "host, device, valid_from_ns").ToList();
        var parentsById = store.Query<ParentOrder>().ToDictionary(x => x.ParentId, StringComparer.Ordinal);

        var windows = new List<WindowFact>(pressure.Frames.Count);
        foreach (var f in pressure.Frames)
        {
            // Traced frames name the device as the trace does (PCI address, driver); the host's inventory still gives its pool.
            var info = Inventory(hosts, f.Host, f.Device, f.WindowStartNs) ?? Inventory(hosts, f.Host, null, f.WindowStartNs);
            var dims = Dims(info, f.Host, "*", sessions.SegmentOf(f.WindowStartNs));
            windows.Add(new WindowFact(dims, DeskMetrics.Dfi(f, pressure.Baselines[f.Host]), DeskMetrics.Djs(f), DeskMetrics.Pso(f)));
        }

        var parents = new List<ParentFact>();
        foreach (var o in store.Query<ParentOutcome>(orderBy: "parent_id"))
        {
            if (!parentsById.TryGetValue(o.ParentId, out var parent)
                || (from is { } a && parent.ArrivalTsNs < a) || (to is { } b && parent.ArrivalTsNs >= b))
            {
                continue;
            }
            var info = Inventory(hosts, o.Host, null, parent.ArrivalTsNs);
            var dims = Dims(info, o.Host, o.LiquidityBucket, o.SessionSegment) with { Pool = o.Pool };
            parents.Add(new ParentFact(dims, o, parent.Qty));
        }
        return (windows, parents);
    }

    private static DimensionValues Dims(HostInfo? info, string host, string liquidity, string session) =>
        info is null
            ? new DimensionValues("unknown", "unknown", "unknown", liquidity, session)
            : new DimensionValues(info.Pool, DimensionValues.NicOf(info.NicModel, info.Driver), DimensionValues.NumaOf(info.NumaNode, info.CpuNumaNode), liquidity, session);

    /// <summary>The inventory row of (host, device) valid at <paramref name="tsNs"/> (latest valid_from ≤ ts; else the earliest). Device null: any device of the host.</summary>
    private static HostInfo? Inventory(List<HostInfo> hosts, string host, string? device, long tsNs)
    {
        HostInfo? best = null;
        HostInfo? earliest = null;
        foreach (var h in hosts)
        {
            if (h.Host != host || (device is not null && h.Device != device))
            {
                continue;
            }
            earliest ??= h;
            if (h.ValidFromNs <= tsNs && (best is null || h.ValidFromNs >= best.ValidFromNs))
            {
                best = h;
            }
        }
        return best ?? earliest;
    }
}
