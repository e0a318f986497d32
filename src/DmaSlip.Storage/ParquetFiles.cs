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
}
