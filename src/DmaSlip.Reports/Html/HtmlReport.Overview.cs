using DmaSlip.Core.Domain;
using DmaSlip.Reports.Charts;
using DmaSlip.Reports.Model;
using H = DmaSlip.Reports.Fmt;

namespace DmaSlip.Reports.Html;

public static partial class HtmlReport
{
    private static void Overview(HtmlWriter w, ReportData d, ChartIds charts)
    {
        OpenSection(w, "overview",
            "What implementation shortfall costs, split into its classical terms and the IOMMU terms the overlay model attributes to "
            + "DMA jitter, service bursts and queue decay; and the IOMMU uplift loss (IUL) each host pool suffers under pressure.");
        Kpis(w, d);
        w.El("h3", "Implementation shortfall decomposition");
        if (d.Is is not { } isd)
        {
            NoData(w, "no parent-order outcomes in the store for this range.", "Run `dmaslip attribute` (or `dmaslip demo`) to compute parent_outcomes.");
        }
        else
        {
            Figure(w, ChartFactory.Waterfall(isd, charts.Next("is-waterfall")), "chart-is-waterfall",
                $"Notional-weighted mean over {H.Int(isd.Parents)} parent orders ({H.Num(isd.NotionalCcy, "N0")} notional). "
                + "Each bar starts where the previous term ended; the last bar is the total IS.");
            if (isd.CIommuBps is null)
            {
                w.El("p", "C_iommu terms (DMA jitter, service burst, queue decay) are not estimated yet: no overlay model has priced these parents "
                    + "(run `dmaslip fit`). The classical terms below therefore still include any IOMMU cost.", "note");
            }
            if (d.Iommu is { } ci)
            {
                w.El("p", IommuText(ci), ci.Resolved ? null : "note");
            }
            var t = new TableBuilder("term", "family", "bps", "share of IS") { Css = "compact" }.Numeric(2, 3);
            void Row(string term, string family, double? bps) =>
                t.Row(term, family, H.Bps(bps), bps is { } b && isd.IsBps != 0 ? H.Pct(b / isd.IsBps) : H.Missing);
            Row("C_delay", "classical", isd.CDelayBps);
            Row("C_impact", "classical", isd.CImpactBps);
            Row("C_miss", "classical", isd.CMissBps);
            Row("C_dma-jitter", "IOMMU", isd.CDmaJitterBps);
            Row("C_service-burst", "IOMMU", isd.CServiceBurstBps);
            Row("C_queue-decay", "IOMMU", isd.CQueueDecayBps);
            Row("C_iommu", "IOMMU (sum)", isd.CIommuBps);
            Row("IS", "total", isd.IsBps);
            t.WriteTo(w);
        }

        w.El("h3", "IOMMU uplift loss by host pool");
        if (d.Iul is not { Count: > 0 } iul)
        {
            NoData(w, "no baseline IS for these parents, so IUL (realized IS − baseline IS under pressure) cannot be computed.",
                "Run `dmaslip fit` to price parents with the baseline model.");
        }
        else
        {
            Figure(w, ChartFactory.IulByPool(iul, charts.Next("iul-by-pool")), "chart-iul-by-pool",
                "IUL over each pool's high-pressure parents: mean and 95th percentile, bps of arrival notional.");
            var t = new TableBuilder("pool", "parents under pressure", "IUL mean (bps)", "IUL q95 (bps)").Numeric(1, 2, 3);
            foreach (var r in iul)
            {
                t.Row(r.Pool, H.Int(r.Parents), H.Bps(r.MeanBps), H.Bps(r.Q95Bps));
            }
            t.WriteTo(w);
        }
        CloseSection(w);
    }

    /// <summary>The fit's C_iommu over the parents under pressure, its interval and method, and whether it is resolved.</summary>
    internal static string IommuText(IommuSummary ci)
    {
        var head = $"C_iommu over the {H.Int(ci.Parents)} parents under translation pressure: {H.Num(ci.MeanBps, "F2")} bps, "
            + $"95 % interval [{H.Num(ci.LowBps, "F2")}, {H.Num(ci.HighBps, "F2")}] bps ({ci.Method}).";
        return ci.Resolved ? head
            : ci.ParentsNeeded is { } n ? head + $" Not resolved at this sample size (≥ {H.Int(n)} parents needed)."
            : head + " Not resolved: indistinguishable from 0 at this sample size.";
    }

    private static void Kpis(HtmlWriter w, ReportData d)
    {
        var items = new List<(string Label, string Value, string Sub, string? Css)>();
        if (d.Is is { } isd)
        {
            items.Add(("Mean IS", H.Num(isd.IsBps) + " bps", $"{H.Int(isd.Parents)} parents, notional-weighted", null));
            items.Add(d.Iommu is { } est
                ? ("C_iommu under pressure", H.Num(est.MeanBps) + " bps", $"95 % [{H.Num(est.LowBps)}, {H.Num(est.HighBps)}], {est.Method}"
                    + (est.Resolved ? "" : ", not resolved"), est.Resolved && est.LowBps > 0.5 ? "alert" : null)
                : isd.CIommuBps is { } ci
                ? ("C_iommu", H.Num(ci) + " bps", isd.IsBps != 0 ? $"{H.Pct(ci / isd.IsBps)} of IS" : "", ci > 0.5 ? "alert" : null)
                : ("C_iommu", "not estimated", "no overlay model yet", "textual"));
        }
        if (d.Iul is { Count: > 0 } iul)
        {
            var worst = iul.MaxBy(r => r.Q95Bps)!;
            items.Add(("Worst IUL q95", H.Num(worst.Q95Bps) + " bps", $"pool {worst.Pool}", worst.Q95Bps > 1 ? "alert" : null));
        }
        if (d.Regimes is { Count: > 0 } regimes)
        {
            var (storm, total) = StormTime(regimes);
            items.Add(("Host time in storm", total > 0 ? H.Pct(storm / total) : H.Missing, "FLUSH_STORM + SAFE_DMA_CONTAIN", storm > 0 ? "alert" : "ok"));
        }
        if (d.Drills is { Count: > 0 } drills)
        {
            var passed = drills.Count(x => x.Passed);
            items.Add(("Drills passed", $"{passed} / {drills.Count}", passed == drills.Count ? "all criteria met" : "see Failure drills", passed == drills.Count ? "ok" : "alert"));
        }
        if (d.Quality is { } q)
        {
            var quarantined = q.Quarantine.Sum(r => r.Records);
            items.Add(("Quarantined records", H.Int(quarantined), $"{q.Files.Count} files ingested", quarantined > 0 ? "alert" : "ok"));
        }
        if (items.Count == 0)
        {
            return;
        }
        w.Open("div", "kpis");
        foreach (var (label, value, sub, css) in items)
        {
            w.Open("div", css is null ? "kpi" : "kpi " + css).El("div", label, "kpi-label").El("div", value, "kpi-value").El("div", sub, "kpi-sub").Close("div");
        }
        w.Close("div");
    }

    /// <summary>Host-time in FLUSH_STORM or SAFE_DMA_CONTAIN, and total host-time covered, in ns.</summary>
    private static (double Storm, double Total) StormTime(IReadOnlyList<HostRegimeTimeline> regimes)
    {
        double storm = 0, total = 0;
        foreach (var t in regimes)
        {
            foreach (var s in t.Spans)
            {
                var len = Math.Max(0, s.EndNs - s.StartNs);
                total += len;
                if (s.Regime is Regime.FlushStorm or Regime.SafeDmaContain)
                {
                    storm += len;
                }
            }
        }
        return (storm, total);
    }
}
