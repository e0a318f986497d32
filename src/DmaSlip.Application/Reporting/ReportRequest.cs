using DmaSlip.Core.Attribution;

namespace DmaSlip.Application.Reporting;

/// <summary>What to put in a report: the time range, session segments, where drill results and advice are, and provenance.</summary>
internal sealed record ReportRequest(
    long? FromNs,
    long? ToNs,
    SessionSegments Sessions,
    string? DrillsPath,
    string? AdvicePath,
    long GeneratedNs,
    string Source)
{
    public string Title { get; init; } = "IOMMU slippage report";
}
