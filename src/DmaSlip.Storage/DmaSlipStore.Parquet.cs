using DmaSlip.Storage.Internal;

namespace DmaSlip.Storage;

public sealed partial class DmaSlipStore
{
    /// <summary>
    /// Writes each table to <c>DIR/&lt;table&gt;/</c> as zstd Parquet, hive-partitioned by <c>date</c> (UTC, from the
    /// table's time column) and, where the table has one, <c>pool</c>. Replaces a previous export of the same table.
    /// Each table is written under a temporary name beside its target and renamed into place when complete, so a failed
    /// export (full disk, unwritable folder) leaves the previous export or nothing — never a truncated Parquet.
    /// </summary>
    public IReadOnlyList<(string Table, long Rows)> ExportParquet(string dir, IEnumerable<string>? tables = null)
    {
        var specs = Resolve(tables);
        Directory.CreateDirectory(dir);
        var result = new List<(string, long)>();
        foreach (var spec in specs)
        {
            var target = System.IO.Path.Combine(System.IO.Path.GetFullPath(dir), spec.Name);
            var temp = System.IO.Path.Combine(System.IO.Path.GetFullPath(dir), $".{spec.Name}.tmp-{Guid.NewGuid():N}");
            try
            {
                Directory.CreateDirectory(temp);
                result.Add((spec.Name, ExportTable(spec, temp)));
                if (Directory.Exists(target))
                {
                    Directory.Delete(target, recursive: true);
                }
                Directory.Move(temp, target);
            }
            catch (DuckDB.NET.Data.DuckDBException ex)
            {
                throw new IOException($"export of {spec.Name} to '{dir}' failed: {ex.Message}", ex);
            }
            finally
            {
                if (Directory.Exists(temp))
                {
                    Directory.Delete(temp, recursive: true);
                }
            }
        }
        return result;
    }

    private long ExportTable(TableSpec spec, string target)
    {
        {
            var rows = Count(spec.Name);
            if (rows == 0)
            {
                return 0;
            }
            var partitions = new List<string>();
            var select = "SELECT *";
            if (spec.TimeColumn is not null)
            {
                select += $", strftime(make_timestamp({Naming.Quote(spec.TimeColumn)} // 1000), '%Y-%m-%d') AS date";
                partitions.Add("date");
            }
            if (spec.HasPool)
            {
                partitions.Add("pool");
            }
            var options = partitions.Count > 0
                ? $"FORMAT parquet, COMPRESSION zstd, PARTITION_BY ({string.Join(", ", partitions)}), OVERWRITE_OR_IGNORE true"
                : "FORMAT parquet, COMPRESSION zstd";
            var to = partitions.Count > 0 ? target : System.IO.Path.Combine(target, "data.parquet");
            Execute($"COPY ({select} FROM {spec.Name}) TO '{Escape(to)}' ({options})");
            return rows;
        }
    }

    /// <summary>
    /// Loads an export written by <see cref="ExportParquet"/>; rows whose key exists are ignored. Returns rows added per
    /// table. All tables are one transaction: a file that is not readable Parquet (truncated, empty) fails the import
    /// with <see cref="InvalidDataException"/> naming the table, and nothing is added.
    /// </summary>
    public IReadOnlyList<(string Table, long Added)> ImportParquet(string dir, IEnumerable<string>? tables = null)
    {
        var specs = Resolve(tables);
        IReadOnlyList<(string Table, long Added)> result = [];
        try
        {
            InTransaction(() => result = ImportTables(dir, specs));
        }
        catch (DuckDB.NET.Data.DuckDBException ex)
        {
            throw new InvalidDataException($"import of '{dir}' failed, nothing was added: {FirstLine(ex.Message)}", ex);
        }
        return result;
    }

    private static string FirstLine(string s) => s.ReplaceLineEndings("\n").Split('\n')[0];

    private List<(string, long)> ImportTables(string dir, List<TableSpec> specs)
    {
        var result = new List<(string, long)>();
        foreach (var spec in specs)
        {
            var source = System.IO.Path.Combine(System.IO.Path.GetFullPath(dir), spec.Name);
            if (!Directory.Exists(source) || Directory.GetFiles(source, "*.parquet", SearchOption.AllDirectories).Length == 0)
            {
                continue;
            }
            var columns = ColumnsOf(spec.Name);
            var list = string.Join(", ", columns.Select(Naming.Quote));
            var glob = Escape(System.IO.Path.Combine(source, "**", "*.parquet"));
            var added = ExecuteAll(
                spec.InsertNew(list, $"read_parquet('{glob}', hive_partitioning = true, hive_types_autocast = false, union_by_name = true)"));
            result.Add((spec.Name, added));
        }
        return result;
    }

    private IReadOnlyList<string> ColumnsOf(string table)
    {
        return Sql<string>("SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $t ORDER BY ordinal_position",
            new Dictionary<string, object?> { ["t"] = table });
    }

    private static List<TableSpec> Resolve(IEnumerable<string>? tables)
    {
        if (tables is null)
        {
            return Tables.All.ToList();
        }
        var list = new List<TableSpec>();
        foreach (var name in tables)
        {
            if (!Tables.TryFind(name, out var spec))
            {
                throw new ArgumentException($"Unknown table '{name}'. Known: {string.Join(", ", Tables.All.Select(t => t.Name))}.", nameof(tables));
            }
            list.Add(spec);
        }
        return list;
    }

    private static string Escape(string s) => s.Replace("'", "''", StringComparison.Ordinal);
}
