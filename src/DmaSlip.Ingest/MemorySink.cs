namespace DmaSlip.Ingest;

/// <summary>
/// An <see cref="IIngestSink"/> that keeps rows in lists by type, with all-or-nothing <see cref="Atomically"/> units
/// (rows of a unit that throws are dropped). For tests, and for callers that want rows in memory.
/// </summary>
public sealed class MemorySink : IIngestSink
{
    private readonly Dictionary<Type, List<object>> _rows = [];
    private List<(Type, object)>? _pending;

    /// <summary>Parquet imports seen: (path, table).</summary>
    public List<(string Path, string Table)> ParquetImports { get; } = [];

    /// <summary>Rows to report for each Parquet import (a memory sink cannot read Parquet).</summary>
    public long ParquetRows { get; set; }

    public bool ContainsFile(string contentHash) => Rows<Core.Domain.IngestFile>().Any(f => f.ContentHash == contentHash);

    public void Atomically(Action work)
    {
        _pending = [];
        try
        {
            work();
            foreach (var (t, row) in _pending)
            {
                List(t).Add(row);
            }
        }
        finally
        {
            _pending = null;
        }
    }

    public void Add<T>(T row) where T : notnull
    {
        if (_pending is not null)
        {
            _pending.Add((typeof(T), row));
        }
        else
        {
            List(typeof(T)).Add(row);
        }
    }

    public long ImportParquet(string path, string table)
    {
        ParquetImports.Add((path, table));
        return ParquetRows;
    }

    public IReadOnlyList<T> Rows<T>() => _rows.TryGetValue(typeof(T), out var l) ? l.Cast<T>().ToList() : [];

    private List<object> List(Type t)
    {
        if (!_rows.TryGetValue(t, out var l))
        {
            l = [];
            _rows[t] = l;
        }
        return l;
    }
}
