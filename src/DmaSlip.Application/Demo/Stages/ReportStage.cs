using DmaSlip.Application.Reporting;
using DmaSlip.Core.Attribution;
using DmaSlip.Reports.Html;
using DmaSlip.Reports.Model;

namespace DmaSlip.Application.Demo.Stages;

/// <summary>
/// The demo's last stage: writes <c>report.html</c> into the demo folder from the store and the drill/advice JSON the
/// earlier stages left there (<see cref="ReportInputs.DrillsFileName"/>, <see cref="ReportInputs.AdviceFileName"/>).
/// </summary>
internal sealed class ReportStage : IDemoStage
{
    public string Name => "report";

    public string Run(DemoContext context)
    {
        var request = new ReportRequest(null, null, SessionSegments.UsEquities,
            ReportFiles.Beside(context.DbPath, null, ReportInputs.DrillsFileName),
            ReportFiles.Beside(context.DbPath, null, ReportInputs.AdviceFileName),
            TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() * Core.Domain.Time.NanosPerMilli,
            context.DbPath)
        {
            Title = $"IOMMU slippage report — demo (seed {context.Seed})",
        };
        var (data, path, bytes) = ReportFiles.Write(context.Store, request, Path.Combine(context.OutDir, "report.html"));
        context.ReportPath = path;
        context.Report = data;
        var available = HtmlReport.Availability(data);
        var missing = available.Where(kv => !kv.Value).Select(kv => "#" + kv.Key).ToList();
        return $"{path} ({bytes / 1024.0:0} KiB); sections with data: {available.Count(kv => kv.Value)}/{available.Count}"
            + (missing.Count > 0 ? $" (not yet: {string.Join(", ", missing)})" : "");
    }
}
