using System.Text;
using System.Text.Json;
using DmaSlip.Ingest;

namespace DmaSlip.Application.Ingest;

/// <summary>
/// <c>dmaslip ingest --json</c>'s report, written field by field: the same text <see cref="JsonFormat"/> gives an
/// anonymous object of these fields (snake_case, indented, relaxed escaping, null error), without the reflection
/// over the anonymous types that a short ingest waited tens of milliseconds for at its end.
/// </summary>
internal static class IngestReportJson
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JsonFormat.Options.Encoder,
    };

    public static string Write(IReadOnlyList<FileResult> results)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteStartArray("files");
            foreach (var r in results)
            {
                w.WriteStartObject();
                w.WriteString("path", r.Path);
                w.WriteString("format", r.Format);
                w.WriteNumber("records", r.Records);
                w.WriteNumber("skipped", r.Skipped);
                w.WriteNumber("quarantined", r.Quarantined);
                w.WriteBoolean("skipped_duplicate_file", r.SkippedDuplicateFile);
                w.WriteString("error", r.Error);
                w.WriteStartArray("warnings");
                foreach (var warning in r.Warnings)
                {
                    w.WriteStringValue(warning);
                }
                w.WriteEndArray();
                w.WriteNumber("warning_count", r.WarningCount);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("total_records", results.Sum(r => r.Records));
            w.WriteNumber("total_quarantined", results.Sum(r => r.Quarantined));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
