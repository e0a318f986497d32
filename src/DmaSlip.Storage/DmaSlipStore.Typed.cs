using System.Globalization;
using DmaSlip.Storage.Internal;
using DuckDB.NET.Data;

namespace DmaSlip.Storage;

public sealed partial class DmaSlipStore
{
    /// <summary>
    /// Runs a query and reads each row into <typeparamref name="T"/>. A positional record: the SELECT names its columns
    /// as the record's constructor parameters in snake_case and in that order (checked, so a row is never read by
    /// position into the wrong field); values convert as for the canonical tables (nullable parameter = nullable
    /// column). A scalar (string, a number, bool, or one of those nullable): the query has exactly one column.
    /// </summary>
    /// <exception cref="InvalidOperationException">The query's columns are not the record's, or a non-nullable scalar is NULL.</exception>
    public IReadOnlyList<T> Sql<T>(string sql, IReadOnlyDictionary<string, object?>? parameters = null)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        AddParameters(cmd, parameters);
        using var reader = (DuckDBDataReader)cmd.ExecuteReader();
        var names = new string[reader.FieldCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.GetName(i);
        }
        var rows = new List<T>();
        if (ScalarColumn.Of(typeof(T)) is { } scalar)
        {
            if (names.Length != 1)
            {
                throw new InvalidOperationException($"The query has {names.Length} columns ({string.Join(", ", names)}); a {typeof(T).Name} is read from one.");
            }
            var nullable = !typeof(T).IsValueType || Nullable.GetUnderlyingType(typeof(T)) is not null;
            while (reader.Read())
            {
                if (reader.IsDBNull(0))
                {
                    if (!nullable)
                    {
                        throw new InvalidOperationException($"Column {names[0]} is NULL; read it as a nullable {typeof(T).Name}.");
                    }
                    rows.Add(default!);
                    continue;
                }
                // HUGEINT (e.g. sum of BIGINT) comes back as a BigInteger, which is not IConvertible.
                var value = reader.GetValue(0) is System.Numerics.BigInteger big ? (decimal)big : reader.GetValue(0);
                rows.Add((T)Convert.ChangeType(value, scalar, CultureInfo.InvariantCulture));
            }
            return rows;
        }
        var map = RowMap<T>.Instance;
        if (!names.SequenceEqual(map.Columns, StringComparer.Ordinal))
        {
            throw new InvalidOperationException(
                $"The query's columns ({string.Join(", ", names)}) are not {typeof(T).Name}'s ({string.Join(", ", map.Columns)}).");
        }
        while (reader.Read())
        {
            rows.Add(map.Read(reader));
        }
        return rows;
    }

    /// <summary>The one value of a one-row, one-column query (<see cref="Sql{T}"/>'s scalar case).</summary>
    /// <exception cref="InvalidOperationException">The query returned no row or more than one.</exception>
    public T SqlSingle<T>(string sql, IReadOnlyDictionary<string, object?>? parameters = null) => Sql<T>(sql, parameters).Single();
}
