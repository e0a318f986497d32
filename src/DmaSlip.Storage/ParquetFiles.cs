namespace DmaSlip.Storage;

/// <summary>Standalone Parquet files of canonical rows (for producers without a store, such as the simulator's truth tables).</summary>
public static class ParquetFiles
{
    /// <summary>
    /// Writes <paramref name="rows"/> to one zstd Parquet file with the columns of their canonical table, ordered by
    /// <paramref name="orderBy"/> (SQL over those columns; default: the table's natural key order as inserted), through
    /// an in-memory store on one thread so the same rows always give the same bytes. Returns the row count.
    /// </summary>
    public static long Write<T>(string path, IEnumerable<T> rows, string? orderBy = null)
    {
        var spec = Tables.For(typeof(T));
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var store = DmaSlipStore.OpenInMemory();
        store.Execute("SET threads = 1");
        store.Insert(rows);
        var order = orderBy is null ? "" : " ORDER BY " + orderBy;
        store.Execute($"COPY (SELECT * FROM {spec.Name}{order}) TO '{full.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet, COMPRESSION zstd)");
        return store.Count(spec.Name);
    }

    /// <summary>
    /// Folds canonical CSV files (header = the table's columns, empty field = null) of <paramref name="table"/> into one
    /// zstd Parquet file ordered by <paramref name="orderBy"/>, streaming through DuckDB (memory does not grow with the
    /// rows). Returns the row count.
    /// </summary>
    public static long FromCsv(IReadOnlyList<string> csvFiles, string table, string path, string orderBy)
    {
        if (!Tables.TryFind(table, out var spec))
        {
            throw new ArgumentException($"Unknown table '{table}'.", nameof(table));
        }
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var store = DmaSlipStore.OpenInMemory();
        store.Execute("SET threads = 1");
        var files = string.Join(", ", csvFiles.Select(f => "'" + Path.GetFullPath(f).Replace("'", "''", StringComparison.Ordinal) + "'"));
        var count = 0L;
        if (csvFiles.Count > 0)
        {
            store.ExecuteAll(spec.InsertAll($"read_csv([{files}], header = true, auto_detect = false, columns = {ColumnTypes(store, spec.Name)})"));
            count = store.Count(spec.Name);
        }
        store.Execute($"COPY (SELECT * FROM {spec.Name} ORDER BY {orderBy}) TO '{full.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet, COMPRESSION zstd)");
        return count;
    }

    private static string ColumnTypes(DmaSlipStore store, string table)
    {
        var rows = store.Sql<ColumnType>($"SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '{table}' ORDER BY ordinal_position");
        var parts = new List<string>();
        foreach (var r in rows)
        {
            parts.Add($"'{r.ColumnName}': '{r.DataType}'");
        }
        return "{" + string.Join(", ", parts) + "}";
    }
}

internal sealed record ColumnType(string ColumnName, string DataType);
