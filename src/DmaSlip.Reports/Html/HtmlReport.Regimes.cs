using DmaSlip.Core.Domain;
using DmaSlip.Reports.Charts;
using DmaSlip.Reports.Model;
using H = DmaSlip.Reports.Fmt;

namespace DmaSlip.Reports.Html;

public static partial class HtmlReport
{
    /// <summary>Hosts drawn as timelines; the rest are in the summary table (a fleet report must stay readable).</summary>
    internal const int MaxTimelineCharts = 12;

    /// <summary>Transitions listed in the table (most recent first).</summary>
    internal const int MaxTransitionRows = 40;

    private static readonly Regime[] AllRegimes = [Regime.MapStable, Regime.PressureWatch, Regime.FlushStorm, Regime.SafeDmaContain];

    private static void Regimes(HtmlWriter w, ReportData d, ChartIds charts)
    {
        OpenSection(w, "regimes",
            "The regime controller's state per host (shaded: MAP_STABLE, PRESSURE_WATCH, FLUSH_STORM, SAFE_DMA_CONTAIN) with the DMA Flush "
            + "Intensity (DFI, 0–100 against the host's own calm baseline) and Packet Service Oscillation (PSO) that drove it.");
        if (d.Regimes is not { Count: > 0 } regimes)
        {
            NoData(w, "no regime transitions or host frames in the store for this range.",
                "Run `dmaslip features` for host frames and `dmaslip controller replay` for regimes.");
            CloseSection(w);
            return;
        }
        var ranked = regimes.OrderByDescending(t => Share(t, Regime.FlushStorm) + Share(t, Regime.SafeDmaContain))
            .ThenByDescending(t => Share(t, Regime.PressureWatch)).ThenBy(t => t.Host, StringComparer.Ordinal).ToList();

        var summary = new TableBuilder("host", "pool", "MAP_STABLE", "PRESSURE_WATCH", "FLUSH_STORM", "SAFE_DMA_CONTAIN", "transitions", "DFI max", "PSO max")
            .Numeric(2, 3, 4, 5, 6, 7, 8);
        foreach (var t in ranked)
        {
            var cells = new List<Cell> { t.Host, t.Pool };
            cells.AddRange(AllRegimes.Select(r => Cell.Num(t.Spans.Count == 0 ? H.Missing : H.Pct(Share(t, r)))));
            cells.Add(Cell.Num(H.Int(Math.Max(0, t.Spans.Count - 1))));
            var dfiMax = t.Signals.Select(s => s.Dfi).Max();
            cells.Add(Cell.Num(dfiMax is null && t.DfiNullReason is { } why ? $"{H.Missing} ({why})" : H.Num(dfiMax, "0.0")));
            cells.Add(Cell.Num(H.Num(t.Signals.Select(s => s.Pso).Max(), "0.000")));
            summary.Row([.. cells]);
        }
        w.El("h3", "Time share per regime");
        summary.WriteTo(w);

        foreach (var t in ranked.Take(MaxTimelineCharts))
        {
            w.El("h3", $"{t.Host} · pool {t.Pool}");
            Figure(w, ChartFactory.RegimeTimeline(t, charts.Next("regime")), $"chart-regime-{Slug(t.Host)}",
                $"{t.Host}: regimes (shaded), DFI (solid, left axis) and PSO (dashed, right axis), {H.Time(t.FromNs)} → {H.Time(t.ToNs)}.");
        }
        if (ranked.Count > MaxTimelineCharts)
        {
            w.El("p", $"Timelines shown for the {MaxTimelineCharts} hosts with the most storm time; the other {ranked.Count - MaxTimelineCharts} are in the table above.", "note");
        }

        var transitions = regimes.SelectMany(t => t.Spans.Skip(1).Select((s, i) => (t.Host, From: t.Spans[i].Regime, Span: s)))
            .OrderByDescending(x => x.Span.StartNs).ToList();
        w.El("h3", "Transitions and their reasons");
        if (transitions.Count == 0)
        {
            w.El("p", "No transitions: every host stayed in its first regime for the whole range.", "note");
        }
        else
        {
            var t = new TableBuilder("time (UTC)", "host", "from", "to", "reason");
            foreach (var (host, from, span) in transitions.Take(MaxTransitionRows))
            {
                t.Row(new Cell(H.Time(span.StartNs), "mono"), host, RegimeBadge(from), RegimeBadge(span.Regime), span.Reason);
            }
            t.WriteTo(w);
            if (transitions.Count > MaxTransitionRows)
            {
                w.El("p", $"Showing the {MaxTransitionRows} most recent of {H.Int(transitions.Count)} transitions.", "note");
            }
        }
        CloseSection(w);
    }

    private static Cell RegimeBadge(Regime r) => new(null, Markup:
        $"<span class=\"regime\" style=\"color:{Palette.RegimeInk(r)};background:{Palette.RegimeFill(r)};border-color:{Palette.RegimeInk(r)}\">{r.Name()}</span>");

    private static double Share(HostRegimeTimeline t, Regime r)
    {
        double inR = 0, all = 0;
        foreach (var s in t.Spans)
        {
            var len = Math.Max(0, s.EndNs - s.StartNs);
            all += len;
            if (s.Regime == r)
            {
                inR += len;
            }
        }
        return all > 0 ? inR / all : 0;
    }

    private static string Slug(string s) =>
        new([.. s.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')]);
}
