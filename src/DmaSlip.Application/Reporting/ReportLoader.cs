using DmaSlip.Application.Analysis;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;
using DmaSlip.Reports.Model;
using DmaSlip.Storage;

namespace DmaSlip.Application.Reporting;

/// <summary>
/// Reads everything the report shows from the store (canonical tables; desk metrics through the same runner as
/// <c>dmaslip metrics</c>) plus the drill/advice JSON files. Parents are in range by arrival time, host frames by
/// window start, transitions by their time. Formulas of the aggregates: docs/METRICS.md, "Report aggregates".
/// </summary>
internal static partial class ReportLoader
{
    public static ReportData Load(DmaSlipStore store, ReportRequest request)
    {
        var pressure = HostPressure.Load(store, request.FromNs, request.ToNs);
        var hosts = store.Query<HostInfo>(orderBy: "host, device, valid_from_ns").ToList();
        var isd = IsDecomposition(store, request);
        var desk = DeskMetrics(store, request, pressure);
        var iul = desk.Where(r => r.Dimension == "pool" && r.IulMeanBps is not null && r.IulQ95Bps is not null)
            .Select(r => new IulByPool(r.Group, r.PressureParents, r.IulMeanBps!.Value, r.IulQ95Bps!.Value)).ToList();
        // advice first: without stored transitions it replays the controller, which the regime timeline then shows
        var advice = ReadFile(request.AdvicePath, ReportInputs.ReadAdvice, "advice") ?? LiveAdvice(store);
        var regimes = Regimes(store, request, pressure, hosts);
        var hostNames = hosts.Select(h => h.Host).Concat(pressure.Frames.Select(f => f.Host)).Distinct(StringComparer.Ordinal).Count();
        var pools = hosts.Select(h => h.Pool).Distinct(StringComparer.Ordinal).Count();
        return new ReportData
        {
            Meta = new ReportMeta(request.Title, request.GeneratedNs, request.FromNs, request.ToNs, request.Source)
            {
                Hosts = hostNames,
                Pools = pools,
                Parents = isd?.Parents ?? 0,
            },
            Is = isd,
            Iommu = IommuSummary(store),
            Iul = iul.Count > 0 ? iul : null,
            Regimes = regimes,
            Markouts = Markouts(store, request),
            FillRatios = FillRatios(store, request),
            DeskMetrics = desk.Count > 0 ? [.. desk.Select(r => r.Row)] : null,
            Drills = ReadFile(request.DrillsPath, ReportInputs.ReadDrills, "drill results"),
            Advice = advice,
            Quality = Quality(store),
        };
    }

    /// <summary>Desk metrics for each dimension separately (one table per dimension in the report).</summary>
    private static List<(string Dimension, string Group, long PressureParents, double? IulMeanBps, double? IulQ95Bps, DeskMetricRow Row)> DeskMetrics(
        DmaSlipStore store, ReportRequest request, HostPressure pressure)
    {
        var list = new List<(string, string, long, double?, double?, DeskMetricRow)>();
        // one load of frames and parents for all five groupings (the same facts `dmaslip metrics` groups)
        var (windows, parents) = MetricsRunner.Facts(store, request.FromNs, request.ToNs, request.Sessions, pressure);
        foreach (var dim in new[] { Dimension.Pool, Dimension.Nic, Dimension.Numa, Dimension.Liquidity, Dimension.Session })
        {
            var key = dim.ToString().ToLowerInvariant();
            foreach (var r in DeskMetricsTable.Compute([dim], windows, parents))
            {
                var group = r.Group.TryGetValue(key, out var g) ? g : "?";
                // windows do not split by liquidity (they serve every symbol): their row is the "*" group
                var label = group == "*" ? "all symbols (host windows)" : group;
                list.Add((key, label, r.PressureParents, r.IulMeanBps, r.IulQ95Bps,
                    new DeskMetricRow(key, label, r.Dfi, r.Djs, r.Pso, r.QdlBps, r.IulMeanBps, r.IulQ95Bps, r.Windows, r.Parents)));
            }
        }
        return list;
    }

    private static T? ReadFile<T>(string? path, Func<string, T> read, string what) where T : class
    {
        if (path is null || !File.Exists(path))
        {
            return null;
        }
        try
        {
            return read(File.ReadAllText(path));
        }
        catch (FormatException ex)
        {
            throw new InputException($"{what} file '{path}' is not valid: {ex.Message}", ex);
        }
    }

    /// <summary>The parent range filter over parent_orders p (arrival time) with its parameters.</summary>
    private static (string Where, Dictionary<string, object?> Parameters) ParentRange(ReportRequest r) =>
        TimeArg.Range("p.arrival_ts_ns", r.FromNs, r.ToNs);
}
