using Spectre.Console;
using DmaSlip.Reports.Console;
using DmaSlip.Reports.Html;
using DmaSlip.Reports.Model;

namespace DmaSlip.Cli.Internal;

/// <summary>A report's console and JSON summary; shared by <c>dmaslip report</c> and <c>dmaslip demo</c>.</summary>
internal static class ReportWriter
{
    /// <summary>The console summary: which sections have data, and the headline tables.</summary>
    public static void PrintSummary(Output output, ReportData data, string path, long bytes)
    {
        output.Console.Write(ConsoleTables.Sections(HtmlReport.Availability(data)));
        PrintHeadline(output, data);
        output.Console.MarkupLine($"report: [bold]{Markup.Escape(path)}[/] ({bytes / 1024.0:0} KiB)");
    }

    /// <summary>The report's headline figures as tables (the demo prints these before its stage table).</summary>
    public static void PrintHeadline(Output output, ReportData data)
    {
        if (data.Is is { } isd)
        {
            output.Console.Write(ConsoleTables.IsDecomposition(isd));
        }
        if (data.Iul is { Count: > 0 } iul)
        {
            output.Console.Write(ConsoleTables.Iul(iul));
        }
        if (data.Regimes is { Count: > 0 } regimes)
        {
            output.Console.Write(ConsoleTables.Regimes(regimes));
        }
        if (data.DeskMetrics?.Where(r => r.Dimension == "pool").ToList() is { Count: > 0 } byPool)
        {
            output.Console.Write(ConsoleTables.DeskMetrics(byPool, "Desk metrics by pool (QDL, IUL in bps)"));
        }
        if (data.Drills is { Count: > 0 } drills)
        {
            output.Console.Write(ConsoleTables.Drills(drills));
        }
    }

    public static object Json(ReportData data, string path, long bytes) => new
    {
        path,
        bytes,
        sections = HtmlReport.Availability(data),
        hosts = data.Meta.Hosts,
        pools = data.Meta.Pools,
        parents = data.Meta.Parents,
        is_bps = data.Is?.IsBps,
        c_iommu_bps = data.Is?.CIommuBps,
        drills_passed = data.Drills?.Count(d => d.Passed),
        drills = data.Drills?.Count,
    };
}
