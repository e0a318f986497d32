using DmaSlip.Core.Attribution;
using DmaSlip.Reports.Charts;
using DmaSlip.Reports.Model;
using H = DmaSlip.Reports.Fmt;

namespace DmaSlip.Reports.Html;

public static partial class HtmlReport
{
    private static void Markouts(HtmlWriter w, ReportData d, ChartIds charts)
    {
        OpenSection(w, "markouts",
            "Mean markout of our fills at 10 ms, 100 ms, 1 s and 5 s after the fill, side × (mid(t+h) − fill price) / mid in bps, grouped by "
            + "the flush pressure on the sending host. Adverse selection that deepens with pressure is the queue-decay signature.");
        if (d.Markouts is not { Count: > 0 } rows)
        {
            NoData(w, "no markouts in the store for this range.", "Run `dmaslip features` with market quotes loaded to compute the markout ladder.");
        }
        else
        {
            var sorted = BucketOrder.Sort(rows, r => r.PressureBucket);
            Figure(w, ChartFactory.MarkoutLadder(sorted, charts.Next("markouts")), "chart-markouts",
                "Mean markout by horizon (log scale), one line per flush-pressure bucket; positive = price moved in our favour.");
            var t = new TableBuilder("pressure bucket", "parents", "10 ms (bps)", "100 ms (bps)", "1 s (bps)", "5 s (bps)").Numeric(1, 2, 3, 4, 5);
            foreach (var r in sorted)
            {
                t.Row(r.PressureBucket.Name(), H.Int(r.Parents), H.Bps(r.Bps10ms), H.Bps(r.Bps100ms), H.Bps(r.Bps1s), H.Bps(r.Bps5s));
            }
            t.WriteTo(w);
        }
        CloseSection(w);
    }

    private static void FillRatio(HtmlWriter w, ReportData d, ChartIds charts)
    {
        OpenSection(w, "fill-ratio",
            "Share of posted passive quantity that filled, by the flush pressure on the sending host. Under pressure, late replaces lose "
            + "queue position and passive orders fill less.");
        if (d.FillRatios is not { Count: > 0 } rows)
        {
            NoData(w, "no passive fill ratios in the store for this range.", "Run `dmaslip features` to compute outcome features.");
        }
        else
        {
            var sorted = BucketOrder.Sort(rows, r => r.PressureBucket);
            Figure(w, ChartFactory.FillRatio(sorted, charts.Next("fill-ratio")), "chart-fill-ratio",
                "Passive fill ratio (filled ÷ posted passive quantity) by flush-pressure bucket, calm to storm.");
            var t = new TableBuilder("pressure bucket", "parents", "passive fill ratio").Numeric(1, 2);
            foreach (var r in sorted)
            {
                t.Row(r.PressureBucket.Name(), H.Int(r.Parents), H.Pct(r.PassiveFillRatio));
            }
            t.WriteTo(w);
        }
        CloseSection(w);
    }
}
