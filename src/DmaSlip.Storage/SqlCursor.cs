using System.Collections;
using System.Data.Common;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace DmaSlip.Storage;

public sealed partial class DmaSlipStore
{
    /// <summary>Runs <paramref name="sql"/> and streams its rows (for large results; <see cref="Sql"/> loads them all).</summary>
    public SqlCursor SqlStream(string sql)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        try
        {
            return new SqlCursor(cmd, cmd.ExecuteReader());
        }
        catch
        {
            cmd.Dispose();
            throw;
        }
    }
}

/// <summary>The rows of one query, read forward once; column names first. Dispose to release the reader.</summary>
public sealed class SqlCursor : IDisposable
{
    private readonly DbCommand _cmd;
    private readonly DbDataReader _reader;

    internal SqlCursor(DbCommand cmd, DbDataReader reader)
    {
        _cmd = cmd;
        _reader = reader;
        var names = new string[reader.FieldCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.GetName(i);
        }
        Columns = names;
    }

    public IReadOnlyList<string> Columns { get; }

    /// <summary>The rows, each a fresh array (null for SQL NULL).</summary>
    public IEnumerable<object?[]> Rows()
    {
        while (_reader.Read())
        {
            var row = new object?[Columns.Count];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = _reader.IsDBNull(i) ? null : _reader.GetValue(i);
            }
            yield return row;
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _cmd.Dispose();
    }
}

/// <summary>
/// Text of the values DuckDB returns, for <c>dmaslip sql</c>: invariant culture, round-trip doubles, ISO-8601 times,
/// lists and structs as JSON. CSV follows RFC 4180 (quoted when a field holds a comma, quote or line break; SQL NULL
/// is an empty field); JSON keeps numbers as numbers and NULL as null.
/// </summary>
public static class SqlValueText
{
    public static string? Text(object? v) => v switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable => JsonText(v),
        _ => v.ToString(),
    };

    public static void WriteCsv(TextWriter w, IReadOnlyList<string> columns, IEnumerable<object?[]> rows)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        w.Write(string.Join(',', columns.Select(Quote)));
        w.Write('\n');
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0)
                {
                    w.Write(',');
                }
                w.Write(Quote(Text(row[i]) ?? ""));
            }
            w.Write('\n');
        }
    }

    /// <summary>A JSON array of objects, one per row, keyed by column name; returns the rows written.</summary>
    public static long WriteJson(Stream s, IReadOnlyList<string> columns, IEnumerable<object?[]> rows)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        using var w = new Utf8JsonWriter(s, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartArray();
        long n = 0;
        foreach (var row in rows)
        {
            w.WriteStartObject();
            for (var i = 0; i < row.Length; i++)
            {
                w.WritePropertyName(columns[i]);
                WriteValue(w, row[i]);
            }
            w.WriteEndObject();
            n++;
        }
        w.WriteEndArray();
        w.Flush();
        return n;
    }

    private static string Quote(string s) =>
        s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    private static string JsonText(object v)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            WriteValue(w, v);
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter w, object? v)
    {
        switch (v)
        {
            case null: w.WriteNullValue(); break;
            case bool b: w.WriteBooleanValue(b); break;
            case double d when double.IsFinite(d): w.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): w.WriteNumberValue(f); break;
            case double or float: w.WriteStringValue(Text(v)); break; // NaN, ±Infinity have no JSON number
            case long l: w.WriteNumberValue(l); break;
            case int i: w.WriteNumberValue(i); break;
            case short sh: w.WriteNumberValue(sh); break;
            case sbyte sb: w.WriteNumberValue(sb); break;
            case ulong ul: w.WriteNumberValue(ul); break;
            case uint ui: w.WriteNumberValue(ui); break;
            case ushort us: w.WriteNumberValue(us); break;
            case byte by: w.WriteNumberValue(by); break;
            case decimal m: w.WriteNumberValue(m); break;
            case BigInteger big: w.WriteRawValue(big.ToString(CultureInfo.InvariantCulture)); break;
            case string s: w.WriteStringValue(s); break;
            case IDictionary dict:
                w.WriteStartObject();
                foreach (DictionaryEntry e in dict)
                {
                    w.WritePropertyName(Text(e.Key) ?? "");
                    WriteValue(w, e.Value);
                }
                w.WriteEndObject();
                break;
            case byte[]: w.WriteStringValue(Text(v)); break;
            case IEnumerable list:
                w.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(w, item);
                }
                w.WriteEndArray();
                break;
            default: w.WriteStringValue(Text(v)); break;
        }
    }
}
