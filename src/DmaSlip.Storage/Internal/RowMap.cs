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

    private readonly Action<IDuckDBAppenderRow, T> _write;
    private readonly Func<DuckDBDataReader, T> _read;

    public IReadOnlyList<string> Columns { get; }

    public string ColumnList { get; }

    private RowMap()
    {
        var ctor = CanonicalSchema.Constructor(typeof(T));
        var parameters = ctor.GetParameters();
        Columns = CanonicalSchema.Columns(typeof(T));
        ColumnList = string.Join(", ", Columns.Select(Naming.Quote));
        _write = BuildWriter(parameters);
        _read = BuildReader(ctor, parameters);
    }

    public void Write(IDuckDBAppenderRow row, T item) => _write(row, item);

    public T Read(DuckDBDataReader reader) => _read(reader);

    private static Action<IDuckDBAppenderRow, T> BuildWriter(ParameterInfo[] parameters)
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
        return Expression.Lambda<Action<IDuckDBAppenderRow, T>>(Expression.Block(body), row, item).Compile();
    }

    private static Func<DuckDBDataReader, T> BuildReader(ConstructorInfo ctor, ParameterInfo[] parameters)
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
        return Expression.Lambda<Func<DuckDBDataReader, T>>(Expression.New(ctor, args), reader).Compile();
    }
}
