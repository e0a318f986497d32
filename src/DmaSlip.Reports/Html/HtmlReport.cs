using DmaSlip.Reports.Model;

namespace DmaSlip.Reports.Html;

/// <summary>
/// Renders <see cref="ReportData"/> to one self-contained HTML page: inline CSS, charts as inline SVG, no scripts,
/// no fonts or images fetched from anywhere. Sections have stable ids (<see cref="Sections"/>); a section whose data
/// does not exist yet is still there and says so.
/// </summary>
public static partial class HtmlReport
{
    /// <summary>The report's sections, in page order: stable id and heading.</summary>
    public static IReadOnlyList<ReportSection> Sections { get; } =
    [
        new("overview", "Overview"),
        new("regimes", "Regimes by host"),
        new("markouts", "Markout ladder"),
        new("fill-ratio", "Passive fill ratio"),
        new("desk-metrics", "Desk metrics by dimension"),
        new("drills", "Failure drills"),
        new("advice", "Advice"),
        new("data-quality", "Data quality"),
    ];

    /// <summary>Which sections have data (true) or show a "not available yet" notice (false).</summary>
    public static IReadOnlyDictionary<string, bool> Availability(ReportData d) => new Dictionary<string, bool>
    {
        ["overview"] = d.Is is not null,
        ["regimes"] = d.Regimes is { Count: > 0 },
        ["markouts"] = d.Markouts is { Count: > 0 },
        ["fill-ratio"] = d.FillRatios is { Count: > 0 },
        ["desk-metrics"] = d.DeskMetrics is { Count: > 0 },
        ["drills"] = d.Drills is { Count: > 0 },
        ["advice"] = d.Advice is not null,
        ["data-quality"] = d.Quality is not null,
    };

    public static void Write(ReportData data, string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }
        // write then rename, so a browser never shows a half-written report; a failed write (full disk, file size
        // limit) removes its temporary file and leaves the previous report as it was
        var html = Render(data);
        var tmp = path + ".tmp";
        try
        {
            // a plain stream: File.WriteAllText preallocates, and on a full disk that fails as an "argument" error
            using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var writer = new StreamWriter(file, new System.Text.UTF8Encoding(false)))
            {
                writer.Write(html);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            // .NET reports EFBIG (a write past the file size limit or the file system's largest file) as an argument error
            var reason = ex is ArgumentOutOfRangeException ? "file too large for the file system or the file size limit" : ex.Message;
            try
            {
                File.Delete(tmp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // the write error below says what went wrong; the leftover is named in it
                throw new IOException($"cannot write the report to '{path}': {reason} (and '{tmp}' could not be removed: {cleanup.Message})", ex);
            }
            throw new IOException($"cannot write the report to '{path}': {reason}", ex);
        }
    }

    public static string Render(ReportData data)
    {
        var w = new HtmlWriter();
        var charts = new ChartIds();
        w.Raw("<!DOCTYPE html>\n");
        w.Open("html", null, ("lang", "en"), ("xmlns", "http://www.w3.org/1999/xhtml")).Line();
        w.Open("head").Raw("<meta charset=\"utf-8\" />").Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />")
            .Raw("<meta name=\"generator\" content=\"dmaslip report\" />")
            .El("title", data.Meta.Title).Open("style").Raw(ReportStyles.Css).Close("style").Close("head").Line();
        w.Open("body");
        Masthead(w, data.Meta);
        Nav(w);
        w.Open("main").Open("div", "wrap");
        Overview(w, data, charts);
        Regimes(w, data, charts);
        Markouts(w, data, charts);
        FillRatio(w, data, charts);
        DeskMetrics(w, data, charts);
        Drills(w, data);
        Advice(w, data);
        DataQualitySection(w, data);
        w.Close("div").Close("main");
        Footer(w, data.Meta);
        w.Close("body").Close("html").Line();
        return w.ToString();
    }

    private static void Masthead(HtmlWriter w, ReportMeta m)
    {
        w.Open("header", "masthead").Open("div", "wrap");
        w.El("div", "DmaSlip", "brand");
        w.El("h1", m.Title);
        var range = m.FromNs is null && m.ToNs is null
            ? "all data"
            : $"{(m.FromNs is { } f ? Fmt.Time(f) : "start")} → {(m.ToNs is { } t ? Fmt.Time(t) : "end")}";
        var scope = new List<string> { $"Range: {range}" };
        if (m.Hosts > 0)
        {
            scope.Add($"{m.Hosts} hosts");
        }
        if (m.Pools > 0)
        {
            scope.Add($"{m.Pools} pools");
        }
        if (m.Parents > 0)
        {
            scope.Add($"{Fmt.Int(m.Parents)} parent orders");
        }
        w.El("p", string.Join(" · ", scope), "meta");
        w.El("p", $"Generated {Fmt.Time(m.GeneratedNs)} from {m.Source}", "meta");
        w.Close("div").Close("header").Line();
    }

    private static void Nav(HtmlWriter w)
    {
        w.Open("nav", "toc", ("aria-label", "Sections")).Open("ol");
        foreach (var s in Sections)
        {
            w.Open("li").El("a", s.Title, null, ("href", "#" + s.Id)).Close("li");
        }
        w.Close("ol").Close("nav").Line();
    }

    private static void Footer(HtmlWriter w, ReportMeta m)
    {
        w.Open("footer").Open("div", "wrap");
        w.El("p", "Definitions and worked examples of every figure: docs/METRICS.md. bps are of arrival notional Q·P_d; times are UTC. "
            + "C_iommu is a model estimate (overlay SHAP contributions); classical terms are shown net of it when it exists.");
        w.El("p", $"dmaslip report · {m.Source}");
        w.Close("div").Close("footer").Line();
    }

    private static void OpenSection(HtmlWriter w, string id, string lead)
    {
        var s = Sections.First(x => x.Id == id);
        w.Open("section", "section", ("id", id), ("aria-labelledby", id + "-h"));
        w.El("h2", s.Title, null, ("id", id + "-h"));
        w.El("p", lead, "lead");
    }

    private static void CloseSection(HtmlWriter w) => w.Close("section").Line();

    /// <summary>The plain "this data does not exist yet" notice, with what produces it.</summary>
    private static void NoData(HtmlWriter w, string what, string how)
    {
        w.Open("div", "no-data", ("role", "note")).El("strong", "Not available yet: ").Text(what + " ").Text(how).Close("div");
    }

    private static void Figure(HtmlWriter w, string svg, string chartId, string caption)
    {
        w.Open("figure", "figure").Open("div", "chart", ("id", chartId)).Raw(svg).Close("div").El("figcaption", caption).Close("figure");
    }

    /// <summary>Unique ids for charts (and the ids inside their SVG).</summary>
    private sealed class ChartIds
    {
        private int _next;

        public string Next(string name) => $"chart-{name}-{++_next}";
    }
}

/// <summary>A section of the report: its stable anchor id and heading.</summary>
public sealed record ReportSection(string Id, string Title);
