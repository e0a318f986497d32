using System.Linq.Expressions;
using System.Reflection;
using DmaSlip.Core.Domain;
using DuckDB.NET.Data;

namespace DmaSlip.Storage.Internal;

/// <summary>
/// Maps a positional record to its table's columns (snake_case of the constructor parameters, in order), with
/// compiled writers for the appender and readers for query results. Built once per row type.
/// </summary>
internal sealed class RowMap<T>
{
    public static RowMap<T> Instance { get; } = new();

    // Each delegate is compiled on its first use: a process uses few of the three for a row type, and a compile (IL plus
    // its JIT) costs milliseconds of start-up that a short ingest waits for. The expressions are built (and checked) here.
    private readonly Lazy<Action<IDuckDBAppenderRow, T>> _write;
    private readonly Lazy<Func<DuckDBDataReader, T>> _read;

    public IReadOnlyList<string> Columns { get; }

    /// <summary>DuckDB types of the columns for <see cref="ChunkAppender"/>, or null when a column's type has no chunk writer.</summary>
    public IReadOnlyList<DuckDB.NET.Native.DuckDBType>? ChunkTypes { get; }

    private readonly Lazy<Action<ChunkAppender, T>>? _writeChunk;

    public string ColumnList { get; }

    private RowMap()
    {
        var ctor = CanonicalSchema.Constructor(typeof(T));
        var parameters = ctor.GetParameters();
        Columns = CanonicalSchema.Columns(typeof(T));
        ColumnList = string.Join(", ", Columns.Select(Naming.Quote));
        _write = Compiled(BuildWriter(parameters));
        _read = Compiled(BuildReader(ctor, parameters));
        var (chunkTypes, chunkWriter) = BuildChunkWriter(parameters);
        ChunkTypes = chunkTypes;
        _writeChunk = chunkWriter is null ? null : Compiled(chunkWriter);
    }

    private static Lazy<TDelegate> Compiled<TDelegate>(Expression<TDelegate> lambda) => new(lambda.Compile, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Writes a row's values into the current row of a chunk appender (see <see cref="ChunkTypes"/>); the caller ends the row.</summary>
    public void WriteChunk(ChunkAppender appender, T item) => _writeChunk!.Value(appender, item);


    /// <summary>
    /// The column-wise writer: per column a store into the chunk (enums and chars as their text, as the row writer
    /// does), null through the validity mask. Null when a column is of a type the chunk writer does not know.
    /// </summary>
    private static (IReadOnlyList<DuckDB.NET.Native.DuckDBType>?, Expression<Action<ChunkAppender, T>>?) BuildChunkWriter(ParameterInfo[] parameters)
    {
        var appender = Expression.Parameter(typeof(ChunkAppender), "appender");
        var item = Expression.Parameter(typeof(T), "item");
        var body = new List<Expression>();
        var types = new List<DuckDB.NET.Native.DuckDBType>();
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            var prop = typeof(T).GetProperty(p.Name!, BindingFlags.Public | BindingFlags.Instance)!;
            Expression value = Expression.Property(item, prop);
            var inner = Nullable.GetUnderlyingType(value.Type);
            Expression? hasValue = null;
            if (inner is not null)
            {
                hasValue = Expression.Property(value, "HasValue");
                value = Expression.Property(value, "Value");
            }
            value = ValueConverters.ToStorage(value);
            if (!ChunkColumnTypes.ByClrType.TryGetValue(value.Type, out var column))
            {
                return (null, null);
            }
            types.Add(column.Type);
            var index = Expression.Constant(i);
            Expression write = Expression.Call(appender, typeof(ChunkAppender).GetMethod(column.Method)!, index, value);
            var nullCall = Expression.Call(appender, typeof(ChunkAppender).GetMethod(nameof(ChunkAppender.Null))!, index);
            if (hasValue is not null)
            {
                write = Expression.IfThenElse(hasValue, write, nullCall);
            }
            if (!value.Type.IsValueType)
            {
                // a reference (text) may be null: the column's null
                write = Expression.IfThenElse(Expression.Equal(value, Expression.Constant(null, value.Type)), nullCall, write);
            }
            body.Add(write);
        }
        return (types, Expression.Lambda<Action<ChunkAppender, T>>(Expression.Block(body), appender, item));
    }

    public void Write(IDuckDBAppenderRow row, T item) => _write.Value(row, item);

    public T Read(DuckDBDataReader reader) => _read.Value(reader);

    private static Expression<Action<IDuckDBAppenderRow, T>> BuildWriter(ParameterInfo[] parameters)
    {
        var row = Expression.Parameter(typeof(IDuckDBAppenderRow), "row");
        var item = Expression.Parameter(typeof(T), "item");
        var body = new List<Expression>();
        foreach (var p in parameters)
        {
            var prop = typeof(T).GetProperty(p.Name!, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new InvalidOperationException($"{typeof(T).Name}.{p.Name} has no property.");
            Expression value = Expression.Property(item, prop);
            var inner = Nullable.GetUnderlyingType(value.Type);
            if (inner is not null && ValueConverters.StorageType(inner) == typeof(string) && inner != typeof(string))
            {
                // nullable enum/char: null stays null, otherwise its text
                var hasValue = Expression.Property(value, "HasValue");
                var text = ValueConverters.ToStorage(Expression.Property(value, "Value"));
                value = Expression.Condition(hasValue, text, Expression.Constant(null, typeof(string)));
            }
            else
            {
                value = ValueConverters.ToStorage(value);
            }
            var argType = value.Type.IsValueType && Nullable.GetUnderlyingType(value.Type) is null
                ? typeof(Nullable<>).MakeGenericType(value.Type)
                : value.Type;
            var method = typeof(IDuckDBAppenderRow).GetMethods()
                .FirstOrDefault(m => m.Name == "AppendValue" && !m.IsGenericMethod && m.GetParameters() is [var only] && only.ParameterType == argType)
                ?? throw new InvalidOperationException($"No appender overload for {argType} ({typeof(T).Name}.{p.Name}).");
            body.Add(Expression.Call(row, method, Expression.Convert(value, argType)));
        }
        return Expression.Lambda<Action<IDuckDBAppenderRow, T>>(Expression.Block(body), row, item);
    }

    private static Expression<Func<DuckDBDataReader, T>> BuildReader(ConstructorInfo ctor, ParameterInfo[] parameters)
    {
        var reader = Expression.Parameter(typeof(DuckDBDataReader), "reader");
        var isNull = typeof(DuckDBDataReader).GetMethod(nameof(DuckDBDataReader.IsDBNull), [typeof(int)])!;
        var getField = typeof(DuckDBDataReader).GetMethods()
            .First(m => m.Name == nameof(DuckDBDataReader.GetFieldValue) && m.IsGenericMethod && m.GetParameters().Length == 1);
        var args = new Expression[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var target = parameters[i].ParameterType;
            var inner = Nullable.GetUnderlyingType(target) ?? target;
            var storage = ValueConverters.StorageType(inner);
            var ordinal = Expression.Constant(i);
            Expression raw = Expression.Call(reader, getField.MakeGenericMethod(storage), ordinal);
            var converted = ValueConverters.FromStorage(raw, inner);
            if (converted.Type != target)
            {
                converted = Expression.Convert(converted, target);
            }
            args[i] = Expression.Condition(Expression.Call(reader, isNull, ordinal), Expression.Default(target), converted);
        }
        return Expression.Lambda<Func<DuckDBDataReader, T>>(Expression.New(ctor, args), reader);
    }
}

/// <summary>The column types <see cref="ChunkAppender"/> writes, by the CLR type of the value (before any row map is built).</summary>
internal static class ChunkColumnTypes
{
    public static readonly Dictionary<Type, (DuckDB.NET.Native.DuckDBType Type, string Method)> ByClrType = new()
    {
        [typeof(long)] = (DuckDB.NET.Native.DuckDBType.BigInt, nameof(ChunkAppender.Int64)),
        [typeof(int)] = (DuckDB.NET.Native.DuckDBType.Integer, nameof(ChunkAppender.Int32)),
        [typeof(double)] = (DuckDB.NET.Native.DuckDBType.Double, nameof(ChunkAppender.Double)),
        [typeof(bool)] = (DuckDB.NET.Native.DuckDBType.Boolean, nameof(ChunkAppender.Bool)),
        [typeof(string)] = (DuckDB.NET.Native.DuckDBType.Varchar, nameof(ChunkAppender.Text)),
    };
}
