using DmaSlip.Reports.Model;
using H = DmaSlip.Reports.Fmt;

namespace DmaSlip.Reports.Html;

public static partial class HtmlReport
{
    private static void Drills(HtmlWriter w, ReportData d)
    {
        OpenSection(w, "drills",
            "The four failure drills: early warning on a flush burst, bounded recovery beating panic catch-up, a venue shock not blamed "
            + "on the IOMMU, and urgent flow failing over to a validated low-pressure pool. Each passes only if every criterion holds.");
        if (d.Drills is not { Count: > 0 } drills)
        {
            NoData(w, "no drill results.", "Run `dmaslip drill all` (it writes drills.json beside the database), or `dmaslip demo`.");
            CloseSection(w);
            return;
        }
        var summary = new TableBuilder("drill", "result", "criteria met").Numeric(2);
        foreach (var x in drills)
        {
            summary.Row(Cell.Code(x.Name), Cell.Badge(x.Passed), Cell.Num($"{x.Criteria.Count(c => c.Passed)} / {x.Criteria.Count}"));
        }
        summary.WriteTo(w);
        foreach (var x in drills)
        {
            w.Open("div", x.Passed ? "drill" : "drill failed", ("id", "drill-" + Slug(x.Name)));
            w.Open("h3").El("code", x.Name).Raw(" ").Raw(x.Passed ? "<span class=\"badge pass\">PASS</span>" : "<span class=\"badge fail\">FAIL</span>").Close("h3");
            var t = new TableBuilder("criterion", "value", "threshold", "result").Numeric(1, 2);
            foreach (var c in x.Criteria)
            {
                t.Row(c.Name, Cell.Num(c.Value), Cell.Num(c.Threshold), Cell.Badge(c.Passed));
            }
            t.WriteTo(w);
            if (x.Evidence.Count > 0)
            {
                w.Open("dl", "evidence");
                foreach (var (k, v) in x.Evidence)
                {
                    w.El("dt", k).El("dd", v);
                }
                w.Close("dl");
            }
            w.Close("div");
        }
        CloseSection(w);
    }

    private static void Advice(HtmlWriter w, ReportData d)
    {
        OpenSection(w, "advice",
            "Mitigations ranked by expected gain, each with the measured evidence and the hosts or pools it applies to; then the "
            + "anti-patterns found in the data.");
        if (d.Advice is not { } advice)
        {
            NoData(w, "no advice has been computed.", "Run `dmaslip advise` (it writes advice.json beside the database), or `dmaslip demo`.");
            CloseSection(w);
            return;
        }
        w.El("h3", "Mitigation ladder");
        if (advice.Mitigations.Count == 0)
        {
            w.El("p", "No mitigation is warranted by the data in this range.", "note");
        }
        else
        {
            var t = new TableBuilder("#", "mitigation", "expected gain (bps)", "where", "evidence").Numeric(0, 2);
            foreach (var m in advice.Mitigations.OrderBy(m => m.Rank))
            {
                t.Row(Cell.Num(m.Rank.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Cell(m.Title, "strong"),
                    H.Bps(m.ExpectedGainBps), string.Join(", ", m.Targets), m.Evidence);
            }
            t.WriteTo(w);
        }
        w.El("h3", "Anti-patterns");
        if (advice.AntiPatterns.Count == 0)
        {
            w.El("p", "No anti-pattern found in this range.", "note");
        }
        else
        {
            var t = new TableBuilder("severity", "anti-pattern", "finding", "where");
            foreach (var a in advice.AntiPatterns.OrderBy(a => SeverityRank(a.Severity)))
            {
                var sev = a.Severity.ToLowerInvariant();
                t.Row(new Cell(null, Markup: $"<span class=\"badge {SeverityClass(sev)}\">{H.Text(sev)}</span>"), new Cell(a.Name, "strong"),
                    a.Finding, string.Join(", ", a.Targets));
            }
            t.WriteTo(w);
        }
        CloseSection(w);
    }

    private static int SeverityRank(string s) => s.ToLowerInvariant() switch
    {
        "critical" or "high" => 0,
        "medium" or "warning" => 1,
        _ => 2,
    };

    private static string SeverityClass(string s) => SeverityRank(s) switch
    {
        0 => "high",
        1 => "medium",
        _ => "low",
    };
}
