using DmaSlip.Reports.Charts;
using DmaSlip.Reports.Model;
using H = DmaSlip.Reports.Fmt;

namespace DmaSlip.Reports.Html;

public static partial class HtmlReport
{
    /// <summary>Dimensions of the desk metrics (DESIGN §4.5) in page order, with their headings.</summary>
    internal static readonly (string Key, string Title)[] Dimensions =
    [
        ("pool", "host pool"),
        ("nic", "NIC model / driver"),
        ("numa", "NUMA placement"),
        ("liquidity", "symbol liquidity"),
        ("session", "session segment"),
    ];

    private static void DeskMetrics(HtmlWriter w, ReportData d, ChartIds charts)
    {
        OpenSection(w, "desk-metrics",
            "DFI (flush intensity, 0–100 vs each host's calm baseline), DJS ((q99 − q50)/q50 of DMA completion time), PSO (CV of RX/TX "
            + "cadence), QDL (passive quality lost under pressure, bps) and IUL (realized − baseline IS under pressure, bps), by each dimension.");
        if (d.DeskMetrics is not { Count: > 0 } rows)
        {
            NoData(w, "no desk metrics for this range.", "Run `dmaslip features` and `dmaslip attribute` (host frames and parent outcomes are needed).");
            CloseSection(w);
            return;
        }
        var known = Dimensions.Select(x => x.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var dims = Dimensions.Where(x => rows.Any(r => string.Equals(r.Dimension, x.Key, StringComparison.OrdinalIgnoreCase))).ToList();
        dims.AddRange(rows.Select(r => r.Dimension).Where(k => !known.Contains(k)).Distinct(StringComparer.Ordinal).Select(k => (k, k)));
        foreach (var (key, title) in dims)
        {
            var group = rows.Where(r => string.Equals(r.Dimension, key, StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(r => r.Dfi ?? double.MinValue).ThenBy(r => r.Group, StringComparer.Ordinal).ToList();
            w.Open("div", "dimension", ("id", "desk-" + Slug(key)));
            w.El("h3", "By " + title);
            if (group.Any(r => r.QdlBps is not null || r.IulMeanBps is not null || r.IulQ95Bps is not null))
            {
                Figure(w, ChartFactory.DeskMetricsBps(title, group, charts.Next("desk-" + Slug(key))), $"chart-desk-{Slug(key)}",
                    $"Queue decay loss and IOMMU uplift loss (mean, q95) by {title}, bps of arrival notional.");
            }
            else
            {
                w.El("p", $"No parent outcomes priced by {title} yet, so QDL and IUL are not shown; host-side metrics below.", "note");
            }
            var t = new TableBuilder(title, "DFI", "DJS", "PSO", "QDL (bps)", "IUL mean (bps)", "IUL q95 (bps)", "windows", "parents")
                .Numeric(1, 2, 3, 4, 5, 6, 7, 8);
            foreach (var r in group)
            {
                t.Row(r.Group, Cell.Num(H.Num(r.Dfi, "0.0"), Heat(r.Dfi)), H.Num(r.Djs, "0.00"), H.Num(r.Pso, "0.000"),
                    H.Bps(r.QdlBps), H.Bps(r.IulMeanBps), H.Bps(r.IulQ95Bps), H.Int(r.Windows), H.Int(r.Parents));
            }
            t.WriteTo(w);
            w.Close("div");
        }
        w.El("p", "DFI cells are shaded by intensity: below 25 calm, 25–50 elevated, 50–75 high, 75 and above storm.", "note");
        CloseSection(w);
    }

    private static string? Heat(double? dfi) => dfi switch
    {
        null => null,
        < 25 => "heat-0",
        < 50 => "heat-1",
        < 75 => "heat-2",
        _ => "heat-3",
    };
}
