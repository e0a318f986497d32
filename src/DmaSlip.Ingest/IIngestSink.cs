namespace DmaSlip.Ingest;

/// <summary>
/// Where parsed rows go. The CLI implements it on the DuckDB store; tests use <see cref="MemorySink"/>. The ingestor
/// calls <see cref="Atomically"/> once per file (or per group of host-config files): every row added inside, plus the
/// file's <c>ingest_files</c> row, must commit together or not at all, so that a killed ingest leaves no half file.
/// </summary>
public interface IIngestSink
{
    /// <summary>True when a file with this content hash (SHA-256, lowercase hex) has already been ingested.</summary>
    bool ContainsFile(string contentHash);

    /// <summary>Runs <paramref name="work"/> as one unit: all rows added inside commit together, or none if it throws.</summary>
    void Atomically(Action work);

    /// <summary>Adds one row of a canonical table (any Core row record: HostEventRow, HostCounter, Quote, IngestFile, ...).</summary>
    void Add<T>(T row) where T : notnull;

    /// <summary>
    /// Adds <c>host_events</c> rows of one host and source as a batch (the trace parser's path: one reused buffer, no
    /// object per event). The default makes a <see cref="Core.Domain.HostEventRow"/> of each and calls
    /// <see cref="Add{T}"/>, in order; a sink that can take the values as they are overrides it.
    /// </summary>
    void AddHostEvents(string host, string source, ReadOnlySpan<HostEventEntry> events)
    {
        foreach (var e in events)
        {
            Add(e.ToRow(host, source));
        }
    }

    /// <summary>
    /// Adds <c>host_counters</c> rows of the file whose identity starts with <paramref name="source"/> (its first 12
    /// characters, as host events' source), in order, as a batch (the parsers' path: one reused buffer, no object per
    /// row), so that a sink can store them under that file: removed with it when the file is replaced
    /// (<see cref="ForgetFile"/>), renamed by <see cref="Rekey"/>. The default calls <see cref="Add{T}"/> for each.
    /// </summary>
    void AddHostCounters(string source, ReadOnlySpan<HostCounterEntry> rows)
    {
        foreach (ref readonly var r in rows)
        {
            Add(r.ToRow());
        }
    }

    /// <summary>As <see cref="AddHostCounters"/>, for <c>market_quotes</c> rows.</summary>
    void AddQuotes(string source, ReadOnlySpan<Core.Domain.Quote> rows)
    {
        foreach (ref readonly var r in rows)
        {
            Add(r);
        }
    }

    /// <summary>As <see cref="AddHostCounters"/>, for <c>market_trades</c> rows.</summary>
    void AddTrades(string source, ReadOnlySpan<Core.Domain.Trade> rows)
    {
        foreach (ref readonly var r in rows)
        {
            Add(r);
        }
    }

    /// <summary>
    /// The <c>hosts</c> rows already stored for <paramref name="host"/> (every validity period), so that a config change
    /// ingested alone (a new kernel) keeps what it does not restate (NIC driver, NUMA nodes, pool). Default: none.
    /// </summary>
    IReadOnlyList<Core.Domain.HostInfo> KnownHosts(string host) => [];

    /// <summary>Loads a Parquet file whose columns are those of <paramref name="table"/>; returns the rows it had.</summary>
    long ImportParquet(string path, string table);

    /// <summary>Format and record count of the earlier ingest of this content, or null. The default knows only <see cref="ContainsFile"/>.</summary>
    (string Format, long Records)? IngestedAs(string contentHash) => ContainsFile(contentHash) ? ("", 1) : null;

    /// <summary>
    /// Format and record count of an earlier ingest stored under the bare content hash with this host (a database
    /// written before file identities held the host: see <see cref="Ingestor.Identity"/>), or null. Default: none.
    /// </summary>
    (string Format, long Records)? IngestedFor(string contentHash, string host) => null;

    /// <summary>
    /// Whether an earlier ingest may have had content of exactly <paramref name="bytes"/> bytes (or of unknown length).
    /// When not, a file of that length cannot be a duplicate and is hashed while it is parsed. Default: true.
    /// </summary>
    bool MayHoldContentOf(long bytes) => true;

    /// <summary>Whether <see cref="Rekey"/> is supported (a large file is then hashed while it is parsed). Default: false.</summary>
    bool CanRekey => false;

    /// <summary>
    /// Inside the current unit, gives the rows added under a placeholder identity (host events by source = its first 12
    /// characters, quarantine rows by file hash) the file's real identity.
    /// </summary>
    void Rekey(string placeholder, string contentHash) => throw new NotSupportedException("this sink cannot rekey an ingest");

    /// <summary>Earlier ingests of a file at this path whose content was shorter than <paramref name="bytes"/> (content hash, length).</summary>
    IReadOnlyList<(string ContentHash, long Bytes)> EarlierIngestsOf(string path, long bytes) => [];

    /// <summary>Records the byte length of the content being ingested (inside its unit).</summary>
    void RecordBytes(string contentHash, long bytes)
    {
    }

    /// <summary>
    /// Removes an earlier ingest inside the current unit, so its content lands again: its rows that carry its identity
    /// (host events by source, quarantine rows), its <c>ingest_files</c> row. Only sinks that report earlier ingests
    /// (<see cref="IngestedAs"/>, <see cref="EarlierIngestsOf"/>) are asked to.
    /// </summary>
    void ForgetFile(string contentHash) => throw new NotSupportedException("this sink cannot remove an earlier ingest");
}
