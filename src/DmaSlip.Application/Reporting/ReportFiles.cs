using DmaSlip.Reports.Html;
using DmaSlip.Reports.Model;
using DmaSlip.Storage;

namespace DmaSlip.Application.Reporting;

/// <summary>Loads, renders and writes a report; shared by <c>dmaslip report</c> and the demo's report stage.</summary>
internal static class ReportFiles
{
    public static (ReportData Data, string Path, long Bytes) Write(DmaSlipStore store, ReportRequest request, string outPath)
    {
        var data = ReportLoader.Load(store, request);
        var full = System.IO.Path.GetFullPath(outPath);
        HtmlReport.Write(data, full);
        return (data, full, new FileInfo(full).Length);
    }

    /// <summary>Drill results / advice next to the database unless given explicitly.</summary>
    public static string? Beside(string dbPath, string? explicitPath, string fileName)
    {
        if (explicitPath is not null)
        {
            if (!File.Exists(explicitPath))
            {
                throw new InputException($"'{explicitPath}' does not exist.");
            }
            return explicitPath;
        }
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(dbPath)) ?? ".";
        var path = System.IO.Path.Combine(dir, fileName);
        return File.Exists(path) ? path : null;
    }
}
