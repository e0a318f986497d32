using System.Globalization;
using System.Reflection;
using DuckDB.NET.Data;

namespace DmaSlip.Storage;

/// <summary>
/// Applies the embedded, versioned SQL migrations (<c>Migrations/NNNN_name.sql</c>) that a database has not yet seen,
/// each in its own transaction, and records them in <c>schema_migrations</c>. Versions are applied in ascending order;
/// a version is applied once, whatever order it arrived in.
/// <para>
/// A new database (no <c>schema_migrations</c> table yet) is set up in one transaction from the schema snapshot
/// (<c>Schema/current.sql</c>: the tables, views and sequences that the migrations up to its version leave, as DuckDB
/// describes them), with a history row for each of those versions, then the migrations after that version. A new
/// file's set-up is on the critical path of every first ingest: the chain of migrations re-creates and moves tables
/// (~0.1 s of DuckDB work and one WAL sync per migration on the 2-core VM), the snapshot creates each object once
/// (~0.02 s). <c>MigratorTests</c> check that both ways end in the same catalog, rows and history, and that the snapshot
/// is current (<c>DMASLIP_UPDATE_GOLDEN=1</c> rewrites it). A set-up killed midway leaves no partial schema.
/// </para>
/// </summary>
internal static class Migrator
{
    private const string Prefix = "DmaSlip.Storage.Migrations.";

    public static IReadOnlyList<(int Version, string Name)> Available { get; } = Discover();

    private const string HistoryTable = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_ns BIGINT NOT NULL)";

    public static IReadOnlyList<int> Apply(DuckDBConnection connection) => Apply(connection, oneTransactionWhenNew: true);

    /// <param name="oneTransactionWhenNew">
    /// False: a new database too gets one transaction per migration (for the tests that compare both ways).
    /// </param>
    /// <param name="knownNew">
    /// The caller created the file (it did not exist): no need to look for the history table (a first query costs
    /// DuckDB ~10 ms of catalog set-up).
    /// </param>
    internal static IReadOnlyList<int> Apply(DuckDBConnection connection, bool oneTransactionWhenNew, bool knownNew = false)
    {
        if (oneTransactionWhenNew && (knownNew || !HasHistory(connection)))
        {
            using var tx = connection.BeginTransaction();
            var (upTo, schema) = Snapshot.Value;
            // one batch: a statement's round trip (prepare, bind) costs about a millisecond here
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
            var history = string.Join(", ", Available.Where(a => a.Version <= upTo)
                .Select(a => string.Create(CultureInfo.InvariantCulture, $"({a.Version}, '{a.Name.Replace("'", "''", StringComparison.Ordinal)}', {now})")));
            Execute(connection, $"{HistoryTable};\n{schema}\nINSERT INTO schema_migrations VALUES {history};");
            foreach (var (version, name) in Available.Where(a => a.Version > upTo))
            {
                Execute(connection, Read(name));
                AddHistory(connection, version, name);
            }
            tx.Commit();
            return [.. Available.Select(a => a.Version)];
        }
        Execute(connection, HistoryTable);
        var applied = new HashSet<int>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT version FROM schema_migrations";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                applied.Add(r.GetInt32(0));
            }
        }
        RepairFirst2104(connection, applied);
        var done = new List<int>();
        foreach (var (version, name) in Available)
        {
            if (applied.Contains(version))
            {
                continue;
            }
            using var tx = connection.BeginTransaction();
            Execute(connection, Read(name));
            AddHistory(connection, version, name);
            tx.Commit();
            done.Add(version);
        }
        return done;
    }

    private static readonly Lazy<(int UpTo, string Sql)> Snapshot = new(ReadSnapshot);

    /// <summary>The snapshot's text and the last migration it holds (its first line: <c>-- schema after migration NNNN</c>).</summary>
    internal static (int UpTo, string Sql) ReadSnapshot()
    {
        var sql = Resource(SnapshotResource);
        var first = sql.AsSpan(0, sql.IndexOf('\n', StringComparison.Ordinal)).Trim();
        const string Head = "-- schema after migration ";
        if (!first.StartsWith(Head, StringComparison.Ordinal)
            || !int.TryParse(first[Head.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var upTo)
            || !Available.Any(a => a.Version == upTo))
        {
            throw new InvalidOperationException($"{SnapshotResource} does not start with '{Head}NNNN' naming an available migration.");
        }
        return (upTo, sql);
    }

    internal const string SnapshotResource = "DmaSlip.Storage.Schema.current.sql";

    /// <summary>Adds migration <paramref name="name"/>'s row to <c>schema_migrations</c> (in the caller's transaction).</summary>
    private static void AddHistory(DuckDBConnection connection, int version, string name)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "INSERT INTO schema_migrations VALUES ($v, $n, $t)";
        cmd.Parameters.Add(new DuckDBParameter("v", version));
        cmd.Parameters.Add(new DuckDBParameter("n", name));
        cmd.Parameters.Add(new DuckDBParameter("t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000));
        cmd.ExecuteNonQuery();
    }

    private static bool HasHistory(DuckDBConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'";
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>Versions not yet applied to the database (reads only; every version when it has no schema table).</summary>
    public static IReadOnlyList<int> Pending(DuckDBConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var applied = new HashSet<int>();
        if (HasHistory(connection))
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT version FROM schema_migrations";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                applied.Add(r.GetInt32(0));
            }
        }
        return [.. Available.Select(a => a.Version).Where(v => !applied.Contains(v))];
    }

    private static List<(int, string)> Discover()
    {
        var list = new List<(int, string)>();
        foreach (var res in typeof(Migrator).Assembly.GetManifestResourceNames())
        {
            if (!res.StartsWith(Prefix, StringComparison.Ordinal) || !res.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }
            var file = res[Prefix.Length..];
            var underscore = file.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(file.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            {
                throw new InvalidOperationException($"Migration '{file}' is not named NNNN_name.sql.");
            }
            list.Add((v, file));
        }
        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        for (var i = 1; i < list.Count; i++)
        {
            if (list[i].Item1 == list[i - 1].Item1)
            {
                throw new InvalidOperationException($"Two migrations share version {list[i].Item1}.");
            }
        }
        return list;
    }

    /// <summary>
    /// A database migrated by the first text of 2104 (it lived on main for under an hour) gets the final 2104's layout
    /// (Repairs/2104_first_layout.sql) before any later migration runs. A database with 2105 cannot need it (2105 fills
    /// ingest_extents, which the first 2104 never made), so only one between 2104 and 2105 pays the catalog query.
    /// </summary>
    private static void RepairFirst2104(DuckDBConnection connection, HashSet<int> applied)
    {
        if (!applied.Contains(2104) || applied.Contains(2105))
        {
            return;
        }
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = 'host_counter_files'";
            if (Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
            {
                return;
            }
        }
        using var tx = connection.BeginTransaction();
        Execute(connection, Resource("DmaSlip.Storage.Repairs.2104_first_layout.sql"));
        tx.Commit();
    }

    /// <summary>The text of migration <paramref name="file"/> (a name of <see cref="Available"/>).</summary>
    internal static string Read(string file) => Resource(Prefix + file);

    private static string Resource(string name)
    {
        using var s = typeof(Migrator).Assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(s);
        return reader.ReadToEnd();
    }

    internal static void Execute(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
