using DmaSlip.Storage.Internal;
using DuckDB.NET.Data;

namespace DmaSlip.Storage;

/// <summary>
/// Streams rows into a canonical table through DuckDB's appender. Rows go to a temporary staging table in batches,
/// and each batch is merged with <c>INSERT OR IGNORE</c> (or, for an append-only table, an anti-join on its natural
/// key: <see cref="TableSpec.InsertNew"/>) so that rows whose natural key exists add nothing.
/// Memory stays bounded by the batch size. Not thread-safe.
/// </summary>
public sealed class BulkWriter<T> : IDisposable
{
    /// <summary>Merges of at least this many rows run on one DuckDB thread.</summary>
    private const int SingleThreadedMergeRows = 2048;

    private readonly DuckDBConnection _connection;
    private readonly TableSpec _table;
    private readonly string _stage;
    private readonly int _batchRows;
    private readonly RowMap<T> _map = RowMap<T>.Instance;
    private DuckDBAppender? _appender;
    private ChunkAppender? _chunk;
    private int _pending;
    private long _added;
    private bool _completed;

    internal BulkWriter(DuckDBConnection connection, TableSpec table, string stage, int batchRows)
    {
        _connection = connection;
        _table = table;
        _stage = stage;
        _batchRows = Math.Max(1, batchRows);
    }

    /// <summary>Rows added to the table so far (after merges).</summary>
    public long Added => _added;

    public void Add(T row)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_map.ChunkTypes is { } types)
        {
            // column-wise, a data chunk at a time (no virtual call and type switch per value)
            _chunk ??= new ChunkAppender(_connection, "temp", _stage, types);
            _map.WriteChunk(_chunk, row);
            _chunk.EndRow();
        }
        else
        {
            _appender ??= _connection.CreateAppender("temp", "main", _stage);
            var r = _appender.CreateRow();
            _map.Write(r, row);
            r.EndRow();
        }
        if (++_pending >= _batchRows)
        {
            Merge();
        }
    }

    /// <summary>Merges what is pending now (the writer stays open); returns the total number of rows added so far.</summary>
    public long Flush()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        Merge();
        return _added;
    }

    /// <summary>Merges what is pending and returns the total number of rows added.</summary>
    public long Complete()
    {
        if (!_completed)
        {
            Merge();
            _completed = true;
        }
        return _added;
    }

    private void Merge()
    {
        if (_appender is null && _chunk is null)
        {
            return;
        }
        _appender?.Close();
        _appender?.Dispose();
        _appender = null;
        _chunk?.Complete();
        _chunk?.Dispose();
        _chunk = null;
        var added = 0;
        // a merge of many rows on one DuckDB thread: with workers, the calling thread busy-polls for the result while one
        // of them works (a core spent waiting: ~15 % of a market data ingest's samples), see ChunkAppender; a merge of a
        // few rows (a file's ingest_files row, a handful of quarantined lines) is not worth the two settings it takes
        var threads = _pending >= SingleThreadedMergeRows ? Scalar("SELECT current_setting('threads')") : null;
        if (threads is not null)
        {
            Run("SET threads = 1");
        }
        try
        {
            foreach (var statement in _table.InsertNew(_map.ColumnList, $"temp.main.{_stage}"))
            {
                added = Run(statement);
            }
        }
        finally
        {
            if (threads is not null)
            {
                Run($"SET threads = {Convert.ToInt64(threads, System.Globalization.CultureInfo.InvariantCulture)}");
            }
        }
        _added += added;
        using (var cmd = _connection.CreateCommand())
        {
            cmd.CommandText = $"DELETE FROM temp.main.{_stage}";
            cmd.ExecuteNonQuery();
        }
        _pending = 0;
    }

    private int Run(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    /// <summary>Discards rows not yet merged (an abandoned writer adds only the batches already merged).</summary>
    public void Dispose()
    {
        if (_appender is not null)
        {
            _appender.Clear();
            _appender.Dispose();
            _appender = null;
        }
        _chunk?.Dispose();
        _chunk = null;
        _completed = true;
    }
}
