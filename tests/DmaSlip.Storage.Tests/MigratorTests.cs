using DmaSlip.Testing;
using DuckDB.NET.Data;

namespace DmaSlip.Storage.Tests;

/// <summary>
/// A new database is set up in one transaction from the schema snapshot (<see cref="Migrator.Apply(DuckDBConnection)"/>);
/// these check that it ends exactly where one transaction per migration ends — same tables, columns, constraints,
/// views, indexes, sequences, rows and history — that the snapshot is what the migrations leave, and that an older
/// database still goes step by step.
/// </summary>
public sealed class MigratorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dmaslip-migrator-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_new_database_set_up_in_one_transaction_equals_one_migrated_step_by_step()
    {
        using var batch = Connect("batch.duckdb");
        using var steps = Connect("steps.duckdb");
        Assert.Equal(Migrator.Available.Select(m => m.Version), Migrator.Apply(batch));
        Assert.Equal(Migrator.Available.Select(m => m.Version), Migrator.Apply(steps, oneTransactionWhenNew: false));
        var catalog = Catalog(steps);
        Assert.Equal(catalog, Catalog(batch));
        Assert.Contains(catalog, line => line.StartsWith("view host_events", StringComparison.Ordinal));
        Assert.Contains(catalog, line => line.StartsWith("sequence host_event_stream_ids", StringComparison.Ordinal));
        Assert.Contains(catalog, line => line.StartsWith("history 2105", StringComparison.Ordinal));
    }

    [Fact]
    public void A_new_database_set_up_in_one_transaction_reopens_with_nothing_pending()
    {
        var path = Path.Combine(_dir, "reopen.duckdb");
        using (var c = Connect("reopen.duckdb"))
        {
            Migrator.Apply(c);
        }
        using var again = new DuckDBConnection($"DataSource={path}");
        again.Open();
        Assert.Empty(Migrator.Pending(again));
        Assert.Empty(Migrator.Apply(again));
    }

    [Fact]
    public void An_older_database_gets_only_the_migrations_it_lacks_one_by_one()
    {
        using var older = OlderDatabase.Before(Path.Combine(_dir, "older.duckdb"), 2103);
        var lacking = Migrator.Available.Where(m => m.Version >= 2103).Select(m => m.Version).ToList();
        Assert.Equal(lacking, Migrator.Pending(older));
        Assert.Equal(lacking, Migrator.Apply(older));
        using var fresh = Connect("fresh.duckdb");
        Migrator.Apply(fresh);
        // the history's names and versions match; the older file's rows keep their own applied_ns
        Assert.Equal(Catalog(fresh), Catalog(older));
    }

    [Fact]
    public void The_schema_snapshot_is_what_the_migrations_leave()
    {
        using var steps = Connect("snapshot.duckdb");
        Migrator.Apply(steps, oneTransactionWhenNew: false);
        var expected = SnapshotOf(steps, Migrator.Available[^1].Version);
        var file = Path.Combine(TestPaths.RepoRoot, "src", "DmaSlip.Storage", "Schema", "current.sql");
        if (Environment.GetEnvironmentVariable("DMASLIP_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(file, expected);
        }
        Assert.True(Migrator.ReadSnapshot().Sql.ReplaceLineEndings("\n") == expected,
            $"{file} is not the schema the migrations leave (a migration was added or changed): run "
            + "DMASLIP_UPDATE_GOLDEN=1 dotnet test tests/DmaSlip.Storage.Tests --filter MigratorTests, rebuild, and review the diff");
    }

    [Fact]
    public void A_snapshot_older_than_the_last_migration_is_completed_by_the_migrations_after_it()
    {
        // what a new database gets when a migration lands before the snapshot is regenerated: the snapshot of the
        // schema before 2105, then 2105
        using var older = OlderDatabase.Before(Path.Combine(_dir, "before2105.duckdb"), 2105);
        var snapshot = SnapshotOf(older, 2104);
        using var mixed = Connect("mixed.duckdb");
        OlderDatabase.Run(mixed, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_ns BIGINT NOT NULL)");
        OlderDatabase.Run(mixed, snapshot);
        foreach (var (v, name) in Migrator.Available)
        {
            if (v > 2104)
            {
                OlderDatabase.Run(mixed, Migrator.Read(name));
            }
            OlderDatabase.Run(mixed, $"INSERT INTO schema_migrations VALUES ({v}, '{name}', 0)");
        }
        using var steps = Connect("steps2.duckdb");
        Migrator.Apply(steps, oneTransactionWhenNew: false);
        Assert.Equal(Catalog(steps), Catalog(mixed));
    }

    /// <summary>The schema of a database as statements (sequences, tables, then views in creation order), headed by its version.</summary>
    private static string SnapshotOf(DuckDBConnection c, int upTo)
    {
        var lines = new List<string>
        {
            $"-- schema after migration {upTo}",
            "-- A new database's tables, views and sequences as DuckDB describes them after the migrations up to that version",
            "-- (Migrator: a new file is set up from this in one transaction). Generated by MigratorTests from a database migrated",
            "-- step by step: DMASLIP_UPDATE_GOLDEN=1 dotnet test tests/DmaSlip.Storage.Tests --filter MigratorTests",
        };
        lines.AddRange(Lines(c, "SELECT sql FROM duckdb_sequences() WHERE database_name = current_database() ORDER BY sequence_name"));
        lines.AddRange(Lines(c, "SELECT sql FROM duckdb_tables() WHERE database_name = current_database() AND NOT internal AND table_name <> 'schema_migrations' ORDER BY table_name"));
        lines.AddRange(Lines(c, "SELECT sql FROM duckdb_views() WHERE database_name = current_database() AND NOT internal ORDER BY view_oid"));
        // rows the migrations put in a new database (e.g. ingest_file_ids' file 0)
        foreach (var table in Lines(c, "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND NOT internal AND table_name <> 'schema_migrations' ORDER BY table_name"))
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT * FROM {table} ORDER BY ALL";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var values = Enumerable.Range(0, r.FieldCount).Select(i => Literal(r.IsDBNull(i) ? null : r.GetValue(i)));
                lines.Add($"INSERT INTO {table} VALUES ({string.Join(", ", values)});");
            }
        }
        return string.Join("\n", lines) + "\n";
    }

    private static string Literal(object? value) => value switch
    {
        null => "NULL",
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        bool b => b ? "true" : "false",
        int or long or short or byte => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException($"a migration seeds a {value.GetType().Name}: teach SnapshotOf its literal"),
    };

    private DuckDBConnection Connect(string file)
    {
        var c = new DuckDBConnection($"DataSource={Path.Combine(_dir, file)}");
        c.Open();
        return c;
    }

    /// <summary>The user-visible schema and contents of a database, one line per object, in a stable order.</summary>
    private static List<string> Catalog(DuckDBConnection c)
    {
        var lines = new List<string>();
        lines.AddRange(Lines(c, "SELECT 'table ' || table_name || ' ' || CAST(estimated_size AS VARCHAR) || ' ' || CAST(column_count AS VARCHAR) FROM duckdb_tables() WHERE NOT internal AND database_name = current_database() ORDER BY ALL"));
        lines.AddRange(Lines(c, "SELECT 'column ' || table_name || '.' || column_name || ' ' || CAST(column_index AS VARCHAR) || ' ' || data_type || ' ' || CAST(is_nullable AS VARCHAR) || ' ' || coalesce(column_default, '') FROM duckdb_columns() WHERE NOT internal AND database_name = current_database() ORDER BY ALL"));
        lines.AddRange(Lines(c, "SELECT 'constraint ' || table_name || ' ' || constraint_type || ' ' || coalesce(constraint_text, '') FROM duckdb_constraints() WHERE database_name = current_database() ORDER BY ALL"));
        lines.AddRange(Lines(c, "SELECT 'view ' || view_name || ' ' || coalesce(sql, '') FROM duckdb_views() WHERE NOT internal AND database_name = current_database() ORDER BY ALL"));
        lines.AddRange(Lines(c, "SELECT 'index ' || index_name || ' ' || table_name || ' ' || coalesce(sql, '') FROM duckdb_indexes() WHERE database_name = current_database() ORDER BY ALL"));
        lines.AddRange(Lines(c, "SELECT 'sequence ' || sequence_name || ' ' || CAST(start_value AS VARCHAR) || ' ' || CAST(increment_by AS VARCHAR) || ' ' || coalesce(CAST(last_value AS VARCHAR), '') FROM duckdb_sequences() WHERE database_name = current_database() ORDER BY ALL"));
        lines.AddRange(Lines(c, "SELECT 'history ' || CAST(version AS VARCHAR) || ' ' || name FROM schema_migrations ORDER BY version"));
        foreach (var table in Lines(c, "SELECT table_name FROM duckdb_tables() WHERE NOT internal AND database_name = current_database() AND table_name <> 'schema_migrations' ORDER BY ALL"))
        {
            lines.AddRange(Lines(c, $"SELECT 'row {table} ' || CAST(t AS VARCHAR) FROM {table} t ORDER BY ALL"));
        }
        return lines;
    }

    private static List<string> Lines(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var lines = new List<string>();
        while (r.Read())
        {
            lines.Add(r.GetString(0));
        }
        return lines;
    }
}
