using System.Text.Json;
using DmaSlip.Application;
using DmaSlip.Application.Ingest;
using DmaSlip.Ingest;

namespace DmaSlip.Cli.Tests;

/// <summary><c>ingest --json</c> is written field by field; it must be the text the serializer gave the anonymous report.</summary>
public sealed class IngestReportJsonTests
{
    [Fact]
    public void The_written_report_is_the_serializers_text_of_the_same_fields()
    {
        IReadOnlyList<FileResult> results =
        [
            new("/data/perf script é \"q\".txt", "perf-script", 2_000_000, 12, 3, false) { Warnings = ["reused ExecID <x> & 'y'", "ünïcode ✓"], WarningCount = 7 },
            new("/data/b.txt", "perf-script", 0, 0, 0, true),
            new("/data/c.bin", "unknown", 0, 0, 0, false, "not a known format (see docs/INGEST.md)\ttab"),
        ];
        var expected = JsonSerializer.Serialize(new
        {
            files = results.Select(r => new
            {
                path = r.Path,
                format = r.Format,
                records = r.Records,
                skipped = r.Skipped,
                quarantined = r.Quarantined,
                skipped_duplicate_file = r.SkippedDuplicateFile,
                error = r.Error,
                warnings = r.Warnings,
                warning_count = r.WarningCount,
            }),
            total_records = results.Sum(r => r.Records),
            total_quarantined = results.Sum(r => r.Quarantined),
        }, JsonFormat.Options);
        Assert.Equal(expected, IngestReportJson.Write(results));
        Assert.Contains("\"error\": null", expected, StringComparison.Ordinal);
        Assert.Equal("{\n  \"files\": [],\n  \"total_records\": 0,\n  \"total_quarantined\": 0\n}".ReplaceLineEndings(), IngestReportJson.Write([]));
    }
}
