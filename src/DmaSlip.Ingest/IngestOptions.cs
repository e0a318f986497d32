namespace DmaSlip.Ingest;

/// <summary>Options of one ingest run (the <c>dmaslip ingest</c> flags).</summary>
public sealed record IngestOptions
{
    /// <summary>A format name to force for every file (see <see cref="Formats.Names"/>), or null to detect per file.</summary>
    public string? Format { get; init; }

    /// <summary>Host to attribute host data and FIX logs to, overriding what the path says.</summary>
    public string? Host { get; init; }

    /// <summary>Pool of the hosts whose config files are ingested (<c>hosts.pool</c>); null = the host's stored pool, else empty.</summary>
    public string? Pool { get; init; }

    /// <summary>Timestamp (ns since epoch) of a single snapshot without a timestamp line; null = the file's mtime.</summary>
    public long? SnapshotTsNs { get; init; }

    /// <summary>
    /// Threads that parse one large trace text file (newline-aligned chunks, delivered to the sink in file order: the
    /// same rows, order, offsets and counts as one thread); null = one per processor, 1 = the calling thread only.
    /// </summary>
    public int? ParseThreads { get; init; }

    /// <summary>Called with (bytes done, bytes total) while large inputs are read.</summary>
    public Action<long, long>? Progress { get; init; }
}

/// <summary>What happened to one input file. records + skipped + quarantined = its data lines (or messages).</summary>
public sealed record FileResult(
    string Path,
    string Format,
    long Records,
    long Skipped,
    long Quarantined,
    bool SkippedDuplicateFile,
    string? Error = null);
