namespace DmaSlip.Storage;

public sealed partial class DmaSlipStore
{
    /// <summary>Format and record count of the earlier ingest of this content (<c>ingest_files</c>), or null.</summary>
    public (string Format, long Records)? IngestedAs(string contentHash) =>
        FirstFormat("SELECT format, records FROM ingest_files WHERE content_hash = $h", new Dictionary<string, object?> { ["h"] = contentHash });

    /// <summary>Format and record count of an earlier ingest stored under this bare content hash for this host, or null.</summary>
    public (string Format, long Records)? IngestedFor(string contentHash, string host) =>
        FirstFormat("SELECT format, records FROM ingest_files WHERE content_hash = $h AND host = $host",
            new Dictionary<string, object?> { ["h"] = contentHash, ["host"] = host });

    /// <summary>
    /// Records an ingested file (<c>ingest_files</c>; a row whose content hash is there already adds nothing, as
    /// <see cref="Insert{T}"/> would have it) with one statement: every ingest writes exactly one such row, and a
    /// staged bulk merge (temporary table, appender, merge) for it was start-up work every short ingest waited for.
    /// </summary>
    public void AddIngestFile(DmaSlip.Core.Domain.IngestFile row)
    {
        ArgumentNullException.ThrowIfNull(row);
        Execute("INSERT OR IGNORE INTO ingest_files (content_hash, path, format, host, records, skipped, quarantined, ingested_ns) "
            + "VALUES ($h, $p, $f, $host, $r, $s, $q, $t)", new Dictionary<string, object?>
            {
                ["h"] = row.ContentHash, ["p"] = row.Path, ["f"] = row.Format, ["host"] = row.Host,
                ["r"] = row.Records, ["s"] = row.Skipped, ["q"] = row.Quarantined, ["t"] = row.IngestedNs,
            });
    }

    /// <summary>Whether an ingested file had exactly <paramref name="bytes"/> bytes of content, or one's length is unknown (ingested before migration 2102).</summary>
    public bool MayHoldContentOf(long bytes) =>
        Sql<long>("SELECT 1::BIGINT FROM ingest_files f LEFT JOIN ingest_file_bytes b USING (content_hash) WHERE b.bytes IS NULL OR b.bytes = $n LIMIT 1",
            new Dictionary<string, object?> { ["n"] = bytes }).Count > 0;

    /// <summary>
    /// Gives the rows of the ingest in progress under <paramref name="placeholder"/> the identity <paramref name="contentHash"/>
    /// (inside its transaction): its host event streams and its file id of counters and market data (source = the first 12 characters) and its quarantine rows.
    /// </summary>
    public void RekeyIngest(string placeholder, string contentHash)
    {
        var p = new Dictionary<string, object?>
        {
            ["old"] = placeholder, ["new"] = contentHash,
            ["olds"] = placeholder[..Math.Min(12, placeholder.Length)], ["news"] = contentHash[..Math.Min(12, contentHash.Length)],
        };
        Execute($"UPDATE {HostEventStorage.Streams} SET source = $news WHERE source = $olds", p);
        Execute(AppendOnlyTable.RenameSource, p);
        Execute("UPDATE quarantine SET file_hash = $new WHERE file_hash = $old", p);
    }

    /// <summary>Earlier ingests of a file at <paramref name="path"/> whose content was shorter than <paramref name="bytes"/>: content hash and length.</summary>
    public IReadOnlyList<(string ContentHash, long Bytes)> EarlierIngestsOf(string path, long bytes)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT f.content_hash, b.bytes FROM ingest_files f JOIN ingest_file_bytes b USING (content_hash) WHERE f.path = $p AND b.bytes < $n ORDER BY b.bytes";
        AddParameters(cmd, new Dictionary<string, object?> { ["p"] = path, ["n"] = bytes });
        using var reader = cmd.ExecuteReader();
        var earlier = new List<(string, long)>();
        while (reader.Read())
        {
            earlier.Add((reader.GetString(0), reader.GetInt64(1)));
        }
        return earlier;
    }

    // read by hand, not through Sql<T>: these run before every file's ingest, and a row type's first query builds and
    // compiles its reader (start-up time a short ingest waits for)
    private (string Format, long Records)? FirstFormat(string sql, IReadOnlyDictionary<string, object?> parameters)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        AddParameters(cmd, parameters);
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetInt64(1)) : null;
    }

    /// <summary>Records the byte length of an ingested file's content (see migration 2102).</summary>
    public void RecordIngestBytes(string contentHash, long bytes) =>
        Execute("INSERT OR REPLACE INTO ingest_file_bytes VALUES ($h, $n)", new Dictionary<string, object?> { ["h"] = contentHash, ["n"] = bytes });

    /// <summary>
    /// Removes an earlier ingest so that its content can land again (call inside the transaction that re-ingests):
    /// the <c>host_events</c>, <c>host_counters</c>, <c>market_quotes</c> and <c>market_trades</c> rows that carry its
    /// identity (source = the first 12 hex digits of its content hash, as the parsers write them), its quarantine rows,
    /// its length and its <c>ingest_files</c> row. Rows of tables with a primary key (book events, orders) stay: the
    /// re-ingest adds only the rows they lack.
    /// </summary>
    public void ForgetIngest(string contentHash)
    {
        var p = new Dictionary<string, object?> { ["h"] = contentHash, ["s"] = contentHash[..Math.Min(12, contentHash.Length)] };
        ExecuteAll(HostEventStorage.DeleteSource, p);
        ExecuteAll(AppendOnlyTable.DeleteSource, p);
        Execute("DELETE FROM quarantine WHERE file_hash = $h", p);
        Execute("DELETE FROM ingest_file_bytes WHERE content_hash = $h", p);
        Execute("DELETE FROM ingest_files WHERE content_hash = $h", p);
    }
}
