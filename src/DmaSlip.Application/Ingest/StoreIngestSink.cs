using DmaSlip.Ingest;
using DmaSlip.Storage;

namespace DmaSlip.Application.Ingest;

/// <summary>
/// The ingest sink on the DuckDB store: each atomic unit is one transaction holding the file's rows (streamed through
/// bulk writers) and its <c>ingest_files</c> row, so a kill -9 mid-file leaves nothing of that file.
/// </summary>
internal sealed class StoreIngestSink(DmaSlipStore store) : IIngestSink, IDisposable
{
    /// <summary>DuckDB's single-threaded bulk settings, held from the first file's counters or ticks to the end of the run.</summary>
    private IDisposable? _bulkSettings;

    private readonly Dictionary<Type, object> _writers = [];
    private readonly List<Action> _complete = [];
    private readonly List<IDisposable> _dispose = [];
    private readonly List<Action> _flush = [];
    private FileRowWriter? _fileRows;

    public bool ContainsFile(string contentHash) =>
        store.Sql<int>("SELECT 1 FROM ingest_files WHERE content_hash = $h", new Dictionary<string, object?> { ["h"] = contentHash }).Count > 0;

    public IReadOnlyList<Core.Domain.HostInfo> KnownHosts(string host) =>
        store.Query<Core.Domain.HostInfo>("host = $h", "valid_from_ns", new Dictionary<string, object?> { ["h"] = host }).ToList();

    public void Atomically(Action work)
    {
        try
        {
            store.InTransaction(() =>
            {
                work();
                foreach (var complete in _complete)
                {
                    complete();
                }
            });
        }
        finally
        {
            // in reverse: a bulk writer restores the connection settings it found (threads, memory limit) when disposed
            for (var i = _dispose.Count - 1; i >= 0; i--)
            {
                _dispose[i].Dispose();
            }
            _writers.Clear();
            _fileRows = null;
            _complete.Clear();
            _dispose.Clear();
            _flush.Clear();
        }
    }

    public void Add<T>(T row) where T : notnull
    {
        if (row is Core.Domain.IngestFile file)
        {
            store.AddIngestFile(file);
            return;
        }
        if (!_writers.TryGetValue(typeof(T), out var w))
        {
            var writer = store.Writer<T>();
            _writers[typeof(T)] = writer;
            _complete.Add(() => writer.Complete());
            _flush.Add(() => writer.Flush());
            _dispose.Add(writer);
            w = writer;
        }
        ((BulkWriter<T>)w).Add(row);
    }

    /// <summary>The trace parser's rows: column-wise into the append-only table (their source is this file's content).</summary>
    public void AddHostEvents(string host, string source, ReadOnlySpan<HostEventEntry> events)
    {
        if (!_writers.TryGetValue(typeof(HostEventWriter), out var w))
        {
            var writer = store.HostEventWriter();
            _writers[typeof(HostEventWriter)] = writer;
            _complete.Add(() => writer.Complete());
            _dispose.Add(writer);
            w = writer;
        }
        var writer_ = (HostEventWriter)w;
        foreach (ref readonly var e in events)
        {
            writer_.Add(e.TsNs, host, e.Device, e.Queue, e.Cpu, e.Kind, e.Size, e.Value, e.Aux, source, e.SourceOffset);
        }
    }

    /// <summary>Counters, quotes and trades of an ingested file: appended under the file's id, their natural key checked set-wise at the end of the unit.</summary>
    public void AddHostCounters(string source, ReadOnlySpan<HostCounterEntry> rows)
    {
        var w = FileRows();
        foreach (ref readonly var r in rows)
        {
            w.AddCounter(source, r.TsNs, r.Host, r.Source, r.Device, r.Name, r.Value);
        }
    }

    public void AddQuotes(string source, ReadOnlySpan<Core.Domain.Quote> rows)
    {
        var w = FileRows();
        foreach (ref readonly var r in rows)
        {
            w.Add(source, r);
        }
    }

    public void AddTrades(string source, ReadOnlySpan<Core.Domain.Trade> rows)
    {
        var w = FileRows();
        foreach (ref readonly var r in rows)
        {
            w.Add(source, r);
        }
    }

    private FileRowWriter FileRows()
    {
        if (_fileRows is null)
        {
            _bulkSettings ??= store.HoldBulkSettings();
            var writer = store.FileRowWriter();
            _complete.Add(() => writer.Complete());
            _dispose.Add(writer);
            _fileRows = writer;
        }
        return _fileRows;
    }

    public long ImportParquet(string path, string table)
    {
        // DuckDB reads Parquet on all its threads
        ReleaseBulkSettings();
        return store.ImportParquetFile(path, table);
    }

    /// <summary>Restores the settings the run found (see <see cref="DmaSlipStore.HoldBulkSettings"/>).</summary>
    public void Dispose() => ReleaseBulkSettings();

    private void ReleaseBulkSettings()
    {
        _bulkSettings?.Dispose();
        _bulkSettings = null;
    }

    public (string Format, long Records)? IngestedAs(string contentHash) => store.IngestedAs(contentHash);

    public IReadOnlyList<(string ContentHash, long Bytes)> EarlierIngestsOf(string path, long bytes) => store.EarlierIngestsOf(path, bytes);

    public void RecordBytes(string contentHash, long bytes) => store.RecordIngestBytes(contentHash, bytes);

    public void ForgetFile(string contentHash) => store.ForgetIngest(contentHash);

    public (string Format, long Records)? IngestedFor(string contentHash, string host) => store.IngestedFor(contentHash, host);

    public bool MayHoldContentOf(long bytes) => store.MayHoldContentOf(bytes);

    public bool CanRekey => true;

    /// <summary>Merges the rows still pending in the row writers (quarantine), then renames the unit's identity.</summary>
    public void Rekey(string placeholder, string contentHash)
    {
        foreach (var flush in _flush)
        {
            flush();
        }
        store.RekeyIngest(placeholder, contentHash);
    }
}
