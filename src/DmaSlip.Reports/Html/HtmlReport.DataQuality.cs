using DmaSlip.Reports.Model;
using H = DmaSlip.Reports.Fmt;

namespace DmaSlip.Reports.Html;

public static partial class HtmlReport
{
    internal const int MaxFileRows = 60;

    private static void DataQualitySection(HtmlWriter w, ReportData d)
    {
        OpenSection(w, "data-quality",
            "What the figures above are built from: every ingested file with its format and record counts, the rows in each table, "
            + "and why records were quarantined (nothing is dropped silently).");
        if (d.Quality is not { } q)
        {
            NoData(w, "the store could not be inventoried.", "Point `dmaslip report --db` at a DmaSlip database.");
            CloseSection(w);
            return;
        }
        w.El("h3", "Tables");
        var tables = new TableBuilder("table", "rows").Numeric(1);
        foreach (var t in q.Tables)
        {
            tables.Row(Cell.Code(t.Table), H.Int(t.Rows));
        }
        tables.WriteTo(w);

        w.El("h3", "Ingested files");
        if (q.Files.Count == 0)
        {
            NoData(w, "no files have been ingested into this store.", "Run `dmaslip ingest PATH` (the demo ingests the simulator's output).");
        }
        else
        {
            var byFormat = q.Files.GroupBy(f => f.Format, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal);
            var formats = new TableBuilder("format", "files", "records", "skipped", "quarantined").Numeric(1, 2, 3, 4);
            foreach (var g in byFormat)
            {
                formats.Row(Cell.Code(g.Key), H.Int(g.Count()), H.Int(g.Sum(f => f.Records)), H.Int(g.Sum(f => f.Skipped)),
                    Cell.Num(H.Int(g.Sum(f => f.Quarantined)), g.Sum(f => f.Quarantined) > 0 ? "warn" : null));
            }
            formats.WriteTo(w);
            var files = new TableBuilder("file", "format", "host", "records", "skipped", "quarantined", "ingested (UTC)").Numeric(3, 4, 5);
            foreach (var f in q.Files.OrderByDescending(f => f.Quarantined).ThenBy(f => f.Path, StringComparer.Ordinal).Take(MaxFileRows))
            {
                files.Row(new Cell(Path.GetFileName(f.Path), Title: f.Path), Cell.Code(f.Format), f.Host ?? H.Missing, H.Int(f.Records), H.Int(f.Skipped),
                    H.Int(f.Quarantined), new Cell(H.Time(f.IngestedNs), "mono"));
            }
            files.WriteTo(w);
            if (q.Files.Count > MaxFileRows)
            {
                w.El("p", $"Showing {MaxFileRows} of {H.Int(q.Files.Count)} files (those with quarantined records first).", "note");
            }
        }

        w.El("h3", "Quarantine reasons");
        if (q.Quarantine.Count == 0)
        {
            w.El("p", "No record was quarantined: every input record parsed.", "note");
        }
        else
        {
            var t = new TableBuilder("reason", "records", "files", "example (file @ offset)", "raw").Numeric(1, 2);
            foreach (var r in q.Quarantine.OrderByDescending(r => r.Records))
            {
                t.Row(r.Reason, H.Int(r.Records), H.Int(r.Files), new Cell($"{Path.GetFileName(r.ExamplePath)} @ {r.ExampleOffset}", "mono", Title: r.ExamplePath),
                    Cell.Code(r.ExampleRaw.Length > 120 ? r.ExampleRaw[..120] + "…" : r.ExampleRaw));
            }
            t.WriteTo(w);
        }
        CloseSection(w);
    }
}
