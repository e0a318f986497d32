using DmaSlip.Core.Attribution;
using DmaSlip.Core.Domain;
using DmaSlip.Reports.Charts;
using DmaSlip.Reports.Model;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DmaSlip.Reports.Console;

/// <summary>
/// Spectre.Console tables for the terminal: the same figures as the HTML report, for <c>dmaslip metrics</c>,
/// <c>report</c>, <c>demo</c> and <c>sql</c>. Numbers right-aligned in invariant culture; colour only marks severity.
/// Every table is returned through <see cref="Fit"/>, so at 80 columns (or any width) no word is broken across lines.
/// </summary>
public static class ConsoleTables
{
    /// <summary>DFI, DJS, PSO, QDL and IUL per group, grouped by dimension (one table, dimension as first column).</summary>
    public static IRenderable DeskMetrics(IEnumerable<DeskMetricRow> rows, string? title = "Desk metrics (QDL, IUL in bps)")
    {
        var list = rows.ToList();
        // one dimension (e.g. "by pool"): its name is in the title, keep the table narrow enough for 80 columns
        var oneDimension = list.Select(r => r.Dimension).Distinct(StringComparer.Ordinal).Count() <= 1;
        string[] metrics = ["DFI", "DJS", "PSO", "QDL", "IUL mean", "IUL q95", "windows", "parents"];
        var t = oneDimension ? NewTable(title, "group", metrics) : NewTable(title, "dimension", ["group", .. metrics]);
        foreach (var r in list)
        {
            var cells = new List<IRenderable>();
            if (!oneDimension)
            {
                cells.Add(Text(r.Dimension, "grey"));
            }
            cells.AddRange([Text(r.Group), Heat(r.Dfi), Num(r.Djs, "0.00"), Num(r.Pso, "0.000"),
                Bps(r.QdlBps), Bps(r.IulMeanBps), Bps(r.IulQ95Bps), Text(Fmt.Int(r.Windows)), Text(Fmt.Int(r.Parents))]);
            t.AddRow(cells);
        }
        return Fit(t);
    }

    /// <summary>The IS decomposition, classical and IOMMU terms, bps and share of IS.</summary>
    public static IRenderable IsDecomposition(IsDecomposition d, string? title = "Implementation shortfall (bps of arrival notional)")
    {
        var t = NewTable(title, "term", "bps", "share of IS");
        void Row(string term, double? bps, bool bold = false)
        {
            var share = bps is { } b && d.IsBps != 0 ? Fmt.Pct(b / d.IsBps) : Fmt.Missing;
            t.AddRow(Text(term, bold ? "bold" : null), Bps(bps), Text(share));
        }
        Row("C_delay", d.CDelayBps);
        Row("C_impact", d.CImpactBps);
        Row("C_miss", d.CMissBps);
        Row("C_dma-jitter", d.CDmaJitterBps);
        Row("C_service-burst", d.CServiceBurstBps);
        Row("C_queue-decay", d.CQueueDecayBps);
        Row("C_iommu", d.CIommuBps, bold: true);
        Row("IS", d.IsBps, bold: true);
        t.Caption(d.CIommuBps is null
            ? $"{Fmt.Int(d.Parents)} parents; C_iommu not estimated yet (no overlay model)"
            : $"{Fmt.Int(d.Parents)} parents, notional-weighted");
        return Fit(t);
    }

    /// <summary>IUL mean and q95 per pool.</summary>
    public static IRenderable Iul(IEnumerable<IulByPool> rows, string? title = "IOMMU uplift loss by pool")
    {
        var t = NewTable(title, "pool", "parents under pressure", "IUL mean bps", "IUL q95 bps");
        foreach (var r in rows)
        {
            t.AddRow(Text(r.Pool), Text(Fmt.Int(r.Parents)), Bps(r.MeanBps), Bps(r.Q95Bps));
        }
        return Fit(t);
    }

    /// <summary>Time share per regime and transitions per host.</summary>
    public static IRenderable Regimes(IEnumerable<HostRegimeTimeline> hosts, string? title = "Regimes by host")
    {
        var t = NewTable(title, "host", "pool", "stable", "watch", "storm", "contain", "changes");
        t.Caption("share of time in MAP_STABLE / PRESSURE_WATCH / FLUSH_STORM / SAFE_DMA_CONTAIN");
        foreach (var h in hosts)
        {
            double total = h.Spans.Sum(s => Math.Max(0, s.EndNs - s.StartNs));
            var cells = new List<IRenderable> { Text(h.Host), Text(h.Pool) };
            foreach (var r in new[] { Regime.MapStable, Regime.PressureWatch, Regime.FlushStorm, Regime.SafeDmaContain })
            {
                var share = total > 0 ? h.Spans.Where(s => s.Regime == r).Sum(s => Math.Max(0, s.EndNs - s.StartNs)) / total : (double?)null;
                var style = r is Regime.FlushStorm or Regime.SafeDmaContain && share > 0 ? "red" : null;
                cells.Add(Text(Fmt.Pct(share), style));
            }
            cells.Add(Text(Fmt.Int(Math.Max(0, h.Spans.Count - 1))));
            t.AddRow(cells);
        }
        return Fit(t);
    }

    /// <summary>Drill pass/fail with the criteria that failed.</summary>
    public static IRenderable Drills(IEnumerable<DrillResult> drills, string? title = "Failure drills")
    {
        var t = NewTable(title, "drill", "result", "criteria met", "failed criteria");
        foreach (var d in drills)
        {
            var failed = d.Criteria.Where(c => !c.Passed).Select(c => $"{c.Name} = {c.Value} (needs {c.Threshold})");
            t.AddRow(Text(d.Name), d.Passed ? new Markup("[green]PASS[/]") : new Markup("[red]FAIL[/]"),
                Text($"{d.Criteria.Count(c => c.Passed)} / {d.Criteria.Count}"), Text(string.Join("; ", failed)));
        }
        return Fit(t);
    }

    /// <summary>Markout ladder by pressure bucket, calm to storm.</summary>
    public static IRenderable Markouts(IEnumerable<MarkoutRow> rows, string? title = "Markout ladder (bps)")
    {
        var t = NewTable(title, "pressure", "parents", "10 ms", "100 ms", "1 s", "5 s");
        foreach (var r in BucketOrder.Sort(rows, r => r.PressureBucket))
        {
            t.AddRow(Text(r.PressureBucket.Name()), Text(Fmt.Int(r.Parents)), Bps(r.Bps10ms), Bps(r.Bps100ms), Bps(r.Bps1s), Bps(r.Bps5s));
        }
        return Fit(t);
    }

    /// <summary>Which report sections have data, for <c>dmaslip report</c>.</summary>
    public static IRenderable Sections(IReadOnlyDictionary<string, bool> availability, string? title = "Report sections")
    {
        var t = NewTable(title, "section", "status");
        foreach (var s in Html.HtmlReport.Sections)
        {
            var has = availability.TryGetValue(s.Id, out var v) && v;
            t.AddRow(Text($"#{s.Id}"), has ? new Markup("[green]data[/]") : new Markup("[grey]not available yet[/]"));
        }
        return Fit(t);
    }

    /// <summary>
    /// Rows of an ad-hoc query (<c>dmaslip sql</c>): one column per result column, text as given (null shown as
    /// NULL in grey), numbers right-aligned, long words never broken.
    /// </summary>
    public static IRenderable Rows(IReadOnlyList<string> columns, IReadOnlyList<string?[]> rows, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        var t = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey);
        for (var c = 0; c < columns.Count; c++)
        {
            var numeric = rows.Count > 0 && rows.All(r => r[c] is null || double.TryParse(r[c], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _));
            var column = new TableColumn(Markup.Escape(columns[c]));
            t.AddColumn(numeric ? column.RightAligned() : column);
        }
        foreach (var r in rows)
        {
            t.AddRow(r.Select(v => (IRenderable)(v is null ? Text("NULL", "grey") : Text(v))));
        }
        if (caption is not null)
        {
            t.Caption(Markup.Escape(caption));
        }
        return Fit(t);
    }

    /// <summary>
    /// The table, laid out at render time so that no word is broken: if its natural width does not fit, the widest
    /// columns are narrowed, but never below their longest word; if even the longest words do not fit side by side,
    /// each row is shown as a block of "column value" lines instead. Numbers and names therefore always read whole.
    /// </summary>
    public static IRenderable Fit(Table table) => new FittedTable(table);

    private static Table NewTable(string? title, string first, params string[] rest)
    {
        var t = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey);
        if (title is not null)
        {
            t.Title($"[bold]{Markup.Escape(title)}[/]");
        }
        t.AddColumn(new TableColumn(Markup.Escape(first)));
        foreach (var c in rest)
        {
            t.AddColumn(new TableColumn(Markup.Escape(c)).RightAligned());
        }
        // the second column of grouped tables is a name, not a number
        if (rest.Length > 0 && first is "dimension" or "host")
        {
            t.Columns[1].LeftAligned();
        }
        return t;
    }

    private static Text Text(string s, string? style = null) => new(s, style is null ? Style.Plain : Style.Parse(style));

    private static Text Num(double? v, string format) => Text(Fmt.Num(v, format));

    private static Text Bps(double? v) => Text(Fmt.Bps(v), v is > 1 ? "red" : null);

    private static Text Heat(double? dfi) => Text(Fmt.Num(dfi, "0.0"), dfi switch
    {
        null => null,
        < 25 => "green",
        < 50 => "yellow",
        < 75 => "darkorange",
        _ => "red",
    });
}
