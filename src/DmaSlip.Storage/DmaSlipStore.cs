using System.Data;
using System.Runtime.InteropServices;
using DmaSlip.Storage.Internal;
using DuckDB.NET.Data;

namespace DmaSlip.Storage;

/// <summary>
/// The embedded store: one DuckDB file holding the canonical tables. An instance owns one connection and is not
/// thread-safe (DuckDB.NET connections must not be shared across threads); use <see cref="OpenAnother"/> to get a
/// connection for another thread of the same process.
/// </summary>
public sealed partial class DmaSlipStore : IDisposable
{
    private readonly DuckDBConnection _connection;
    private readonly HashSet<string> _stagingTables = new(StringComparer.Ordinal);

    public string Path { get; }

    /// <summary>Opened with <see cref="OpenReadOnly"/>: DuckDB refuses every write on this connection.</summary>
    public bool IsReadOnly { get; }

    private DmaSlipStore(string path, DuckDBConnection connection, bool readOnly = false)
    {
        Path = path;
        _connection = connection;
        IsReadOnly = readOnly;
    }

    /// <summary>Opens (creating if needed) the database at <paramref name="path"/> and applies pending migrations.</summary>
    /// <exception cref="StoreUnavailableException">The file is locked by another process or is not a database.</exception>
    public static DmaSlipStore Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }
        var isNew = !File.Exists(full) && !File.Exists(full + ".wal");
        var connection = Connect(full);
        try
        {
            Migrator.Apply(connection, oneTransactionWhenNew: true, knownNew: isNew);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return new DmaSlipStore(full, connection);
    }

    /// <summary>As <see cref="Open"/>, for commands that read: a missing file is an input error, not a new empty database.</summary>
    /// <exception cref="StoreUnavailableException">No database at <paramref name="path"/>, or it cannot be opened.</exception>
    public static DmaSlipStore OpenExisting(string path) =>
        File.Exists(path) ? Open(path)
        : throw new StoreUnavailableException($"Cannot open database '{System.IO.Path.GetFullPath(path)}': it does not exist (pass --db FILE; 'dmaslip ingest' creates one).");

    /// <summary>
    /// Opens an existing database read-only (DuckDB <c>ACCESS_MODE=READ_ONLY</c>): no migration, no write, the file stays
    /// byte-identical and may be a read-only file. For commands that only report.
    /// </summary>
    /// <exception cref="StoreUnavailableException">
    /// The file does not exist, cannot be opened, or is at an older schema (a writing command upgrades it).
    /// </exception>
    public static DmaSlipStore OpenReadOnly(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new StoreUnavailableException($"Cannot open database '{full}': it does not exist.");
        }
        var connection = Connect(full, readOnly: true);
        var pending = Migrator.Pending(connection);
        if (pending.Count > 0)
        {
            connection.Dispose();
            throw new StoreUnavailableException($"Database '{full}' lacks schema migration(s) {string.Join(", ", pending)}; "
                + "a command that writes (e.g. dmaslip ingest) upgrades it, a read-only command cannot.");
        }
        return new DmaSlipStore(full, connection, readOnly: true);
    }

    /// <summary>An in-memory store, for tests and scratch work.</summary>
    public static DmaSlipStore OpenInMemory()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        Migrator.Apply(connection);
        return new DmaSlipStore(":memory:", connection);
    }

    /// <summary>
    /// Loads DuckDB's native library on a background thread, so that a process that will open a store does not wait for
    /// it at its first <see cref="Open"/>: loading the 70 MB library (relocations, static initialisers) is ~40 ms, about
    /// all of what opening a database costs, and the runtime's own start-up (parsing the command line) can run beside it.
    /// The load is the one the first connection makes (same library, same resolution); if it fails, that connection
    /// reports why. Returns the thread (for tests).
    /// </summary>
    public static Thread LoadNativeLibraryAhead()
    {
        var thread = new Thread(() => NativeLibrary.TryLoad("duckdb", typeof(DuckDBConnection).Assembly, null, out _))
        {
            IsBackground = true,
            Name = "duckdb-load",
        };
        thread.Start();
        return thread;
    }

    /// <summary>A second connection to the same database, for use on another thread.</summary>
    public DmaSlipStore OpenAnother() =>
        Path == ":memory:" ? throw new InvalidOperationException("An in-memory store has one connection.") : new DmaSlipStore(Path, Connect(Path, IsReadOnly), IsReadOnly);

    /// <param name="settings">More DuckDB settings for the connection string (<c>name=value;...</c>), or null.</param>
    private static DuckDBConnection Connect(string full, bool readOnly = false, string? settings = null)
    {
        // Every file database is opened under the store's memory bound (StoreMemory: memory_limit, temp_directory).
        var connection = new DuckDBConnection((readOnly ? $"DataSource={full};ACCESS_MODE=READ_ONLY" : $"DataSource={full}")
            + ";" + StoreMemory.Settings(full) + (settings is null ? "" : ";" + settings));
        try
        {
            connection.Open();
            return connection;
        }
        catch (DuckDBException ex)
        {
            connection.Dispose();
            var reason = ex.Message.Contains("lock", StringComparison.OrdinalIgnoreCase)
                ? "it is locked by another process (only one process may open a DuckDB file for writing; stop it or use another --db)"
                : ex.Message;
            throw new StoreUnavailableException($"Cannot open database '{full}': {reason}", ex);
        }
    }

    /// <summary>Runs <paramref name="work"/> in one transaction: all of it commits, or none of it.</summary>
    public void InTransaction(Action work)
    {
        using var tx = _connection.BeginTransaction();
        work();
        tx.Commit();
    }

    /// <summary>Adds rows to their canonical table; rows whose key is already present are ignored. Returns rows added.</summary>
    public long Insert<T>(IEnumerable<T> rows)
    {
        using var writer = Writer<T>();
        foreach (var row in rows)
        {
            writer.Add(row);
        }
        return writer.Complete();
    }

    /// <summary>A streaming bulk writer to the canonical table of <typeparamref name="T"/> (appender + staged merge).</summary>
    public BulkWriter<T> Writer<T>(int batchRows = 200_000)
    {
        var spec = Tables.For(typeof(T));
        var stage = EnsureStaging(spec.Name);
        return new BulkWriter<T>(_connection, spec, stage, batchRows);
    }

    /// <summary>The column-wise bulk path of <c>host_events</c>, for rows of content not ingested before (see <see cref="Storage.HostEventWriter"/>).</summary>
    public HostEventWriter HostEventWriter() => new(_connection);

    /// <summary>The column-wise bulk path of ingested files' counters, quotes and trades (see <see cref="Storage.FileRowWriter"/>).</summary>
    public FileRowWriter FileRowWriter() => new(_connection, singleThreaded: _bulkSettings is null);

    /// <summary>Rows of the canonical table of <typeparamref name="T"/>, optionally filtered/ordered by SQL over its columns.</summary>
    /// <param name="streaming">
    /// DuckDB produces the rows chunk by chunk as they are read instead of materializing the whole result first (memory:
    /// a chunk, not the result). The caller must not run anything else on this store until the enumeration ends.
    /// </param>
    public IEnumerable<T> Query<T>(string? where = null, string? orderBy = null, IReadOnlyDictionary<string, object?>? parameters = null, bool streaming = false)
    {
        var spec = Tables.For(typeof(T));
        var map = RowMap<T>.Instance;
        using var cmd = _connection.CreateCommand();
        cmd.UseStreamingMode = streaming;
        cmd.CommandText = $"SELECT {map.ColumnList} FROM {spec.Name}"
            + (where is null ? "" : " WHERE " + where)
            + (orderBy is null ? "" : " ORDER BY " + orderBy);
        AddParameters(cmd, parameters);
        using var reader = (DuckDBDataReader)cmd.ExecuteReader();
        while (reader.Read())
        {
            yield return map.Read(reader);
        }
    }

    /// <summary>Runs a read-only SQL query and returns its rows as positional arrays (column names first): for ad-hoc queries and tests; application code reads typed rows with <see cref="Sql{T}"/>.</summary>
    public SqlResult Sql(string sql, IReadOnlyDictionary<string, object?>? parameters = null)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        AddParameters(cmd, parameters);
        using var reader = cmd.ExecuteReader();
        var names = new string[reader.FieldCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.GetName(i);
        }
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[names.Length];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(row);
        }
        return new SqlResult(names, rows);
    }

    /// <summary>Executes a statement (DDL or DML) and returns the affected row count.</summary>
    public int Execute(string sql, IReadOnlyDictionary<string, object?>? parameters = null)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        AddParameters(cmd, parameters);
        return cmd.ExecuteNonQuery();
    }

    /// <summary>Executes statements in order; returns the last one's affected row count.</summary>
    internal int ExecuteAll(IReadOnlyList<string> statements, IReadOnlyDictionary<string, object?>? parameters = null)
    {
        var n = 0;
        foreach (var sql in statements)
        {
            n = Execute(sql, parameters);
        }
        return n;
    }

    public long Count(string table)
    {
        if (!Tables.TryFind(table, out var spec))
        {
            throw new ArgumentException($"Unknown table '{table}'.", nameof(table));
        }
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = $"SELECT count(*) FROM {spec.Name}";
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public IReadOnlyList<int> AppliedMigrations()
    {
        return Sql<int>("SELECT version FROM schema_migrations ORDER BY version");
    }

    public void Dispose() => _connection.Dispose();

    private string EnsureStaging(string table)
    {
        var stage = "stage_" + table;
        if (_stagingTables.Add(stage))
        {
            Execute($"CREATE TEMP TABLE IF NOT EXISTS {stage} AS SELECT * FROM main.{table} LIMIT 0");
        }
        return stage;
    }

    private static void AddParameters(IDbCommand cmd, IReadOnlyDictionary<string, object?>? parameters)
    {
        if (parameters is null)
        {
            return;
        }
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.Add(new DuckDBParameter(name, value ?? DBNull.Value));
        }
    }
}

/// <summary>Rows of an ad-hoc SQL query.</summary>
public sealed record SqlResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows);
