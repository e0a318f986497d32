using DmaSlip.Core.Domain;

namespace DmaSlip.Reports.Model;

/// <summary>What went into the store: ingested files, row counts per table, and why records were quarantined.</summary>
public sealed record DataQuality(
    IReadOnlyList<IngestFile> Files,
    IReadOnlyList<TableCount> Tables,
    IReadOnlyList<QuarantineReason> Quarantine);

/// <summary>Rows in one canonical table.</summary>
public sealed record TableCount(string Table, long Rows);

/// <summary>Quarantined records sharing one reason, with one example (file, offset, raw text).</summary>
public sealed record QuarantineReason(string Reason, long Records, long Files, string ExamplePath, long ExampleOffset, string ExampleRaw);
