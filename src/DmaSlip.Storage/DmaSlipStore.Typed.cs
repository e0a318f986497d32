using DmaSlip.Storage.Internal;
using DuckDB.NET.Data;

namespace DmaSlip.Storage;

public sealed partial class DmaSlipStore
{
    /// <summary>
    /// Runs a query and reads each row into the positional record <typeparamref name="T"/>: the SELECT names its
    /// columns as the record's constructor parameters in snake_case and in that order (checked, so a row is never read
    /// by position into the wrong field); values convert as for the canonical tables (nullable parameter = nullable column).
    /// </summary>
    /// <exception cref="InvalidOperationException">The query's columns are not the record's.</exception>
    public IReadOnlyList<T> Sql<T>(string sql, IReadOnlyDictionary<string, object?>? parameters = null)
    {
        var map = RowMap<T>.Instance;
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        AddParameters(cmd, parameters);
        using var reader = (DuckDBDataReader)cmd.ExecuteReader();
        var names = new string[reader.FieldCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.GetName(i);
        }
        if (!names.SequenceEqual(map.Columns, StringComparer.Ordinal))
        {
            throw new InvalidOperationException(
                $"The query's columns ({string.Join(", ", names)}) are not {typeof(T).Name}'s ({string.Join(", ", map.Columns)}).");
        }
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map.Read(reader));
        }
        return rows;
    }
}
