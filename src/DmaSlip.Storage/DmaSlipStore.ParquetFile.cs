namespace DmaSlip.Storage;

public sealed partial class DmaSlipStore
{
    /// <summary>
    /// Loads one Parquet file whose columns are (a superset of) those of <paramref name="table"/>, by name; rows whose
    /// key exists are ignored. Returns the rows the file holds (ingest counts records by file, not by what was new).
    /// </summary>
    public long ImportParquetFile(string path, string table)
    {
        if (!Tables.TryFind(table, out var spec))
        {
            throw new ArgumentException($"Unknown table '{table}'.", nameof(table));
        }
        var columns = ColumnsOf(spec.Name);
        var list = string.Join(", ", columns.Select(Internal.Naming.Quote));
        var file = Escape(System.IO.Path.GetFullPath(path));
        try
        {
            ExecuteAll(spec.InsertNew(list, $"read_parquet('{file}')"));
            return SqlSingle<long>($"SELECT count(*) FROM read_parquet('{file}')");
        }
        catch (DuckDB.NET.Data.DuckDBException ex)
        {
            throw new InvalidDataException($"not a readable Parquet file for {spec.Name}: {FirstLine(ex.Message)}", ex);
        }
    }
}
