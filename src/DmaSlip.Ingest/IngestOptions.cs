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

    /// <summary>
    /// Device of <c>ethtool -S</c> dumps whose file name (<c>ethtool-S.&lt;dev&gt;.txt</c>) and content do not name it;
    /// a dump that names another device is refused rather than merged.
    /// </summary>
    public string? Device { get; init; }

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
    string? Error = null)
{
    /// <summary>Things that landed but deserve a look (e.g. a reused FIX ExecID with other content), the first few in full.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>How many warnings there were in all (<see cref="Warnings"/> keeps the first <see cref="MaxWarningsKept"/>).</summary>
    public long WarningCount { get; init; }

    public const int MaxWarningsKept = 20;
}
