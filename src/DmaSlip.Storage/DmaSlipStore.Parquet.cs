using System.Globalization;
using DmaSlip.Storage.Internal;

namespace DmaSlip.Storage;

public sealed partial class DmaSlipStore
{
    /// <summary>
    /// Writes each table to <c>DIR/&lt;table&gt;/</c> as zstd Parquet, hive-partitioned by <c>date</c> (UTC, from the
    /// table's time column) and, where the table has one, <c>pool</c>. Replaces a previous export of the same table.
    /// </summary>
    public IReadOnlyList<(string Table, long Rows)> ExportParquet(string dir, IEnumerable<string>? tables = null)
    {
        var specs = Resolve(tables);
        Directory.CreateDirectory(dir);
        var result = new List<(string, long)>();
        foreach (var spec in specs)
        {
            var target = System.IO.Path.Combine(System.IO.Path.GetFullPath(dir), spec.Name);
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }
            Directory.CreateDirectory(target);
            var rows = Count(spec.Name);
            if (rows == 0)
            {
                result.Add((spec.Name, 0));
                continue;
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
            result.Add((spec.Name, rows));
        }
        return result;
    }

    /// <summary>Loads an export written by <see cref="ExportParquet"/>; rows whose key exists are ignored. Returns rows added per table.</summary>
    public IReadOnlyList<(string Table, long Added)> ImportParquet(string dir, IEnumerable<string>? tables = null)
    {
        var result = new List<(string, long)>();
        foreach (var spec in Resolve(tables))
        {
            var source = System.IO.Path.Combine(System.IO.Path.GetFullPath(dir), spec.Name);
            if (!Directory.Exists(source) || Directory.GetFiles(source, "*.parquet", SearchOption.AllDirectories).Length == 0)
            {
                continue;
            }
            var columns = ColumnsOf(spec.Name);
            var list = string.Join(", ", columns.Select(Naming.Quote));
            var glob = Escape(System.IO.Path.Combine(source, "**", "*.parquet"));
            var added = Execute(
                spec.InsertNew(list, $"read_parquet('{glob}', hive_partitioning = true, hive_types_autocast = false, union_by_name = true)"));
            result.Add((spec.Name, added));
        }
        return result;
    }

    private IReadOnlyList<string> ColumnsOf(string table)
    {
        var r = Sql("SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $t ORDER BY ordinal_position",
            new Dictionary<string, object?> { ["t"] = table });
        return r.Rows.Select(x => Convert.ToString(x[0], CultureInfo.InvariantCulture)!).ToArray();
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
