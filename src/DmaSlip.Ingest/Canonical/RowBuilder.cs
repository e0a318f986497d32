using System.Globalization;
using System.Reflection;
using DmaSlip.Core.Attribution;
using DmaSlip.Core.Domain;

namespace DmaSlip.Ingest.Canonical;

/// <summary>
/// Builds a canonical row record from column texts (CSV cells, JSON values): each constructor parameter gets a
/// converter for its type (numbers invariant, enums by their stored text names, empty = null for nullable columns).
/// Reflection-built once per row type; canonical files are the simulator's small tables, not the hot path.
/// </summary>
internal sealed class RowBuilder
{
    private delegate bool Converter(string? text, out object? value);

    private static readonly Dictionary<Type, RowBuilder> Cache = [];
    private readonly ConstructorInfo _ctor;
    private readonly Converter[] _converters;

    public IReadOnlyList<string> Columns { get; }

    public Type RowType { get; }

    private RowBuilder(Type row)
    {
        RowType = row;
        _ctor = CanonicalSchema.Constructor(row);
        var ps = _ctor.GetParameters();
        Columns = CanonicalSchema.Columns(row);
        _converters = ps.Select(p => For(p.ParameterType, IsNullableRef(p))).ToArray();
    }

    public static RowBuilder Get(Type row)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(row, out var b))
            {
                b = new RowBuilder(row);
                Cache[row] = b;
            }
            return b;
        }
    }

    /// <summary>Builds the row from texts in column order; on failure, says which column and why.</summary>
    public bool TryBuild(IReadOnlyList<string?> texts, out object? row, out string? error)
    {
        row = null;
        error = null;
        if (texts.Count != _converters.Length)
        {
            error = $"expected {_converters.Length} columns, got {texts.Count}";
            return false;
        }
        var args = new object?[_converters.Length];
        for (var i = 0; i < args.Length; i++)
        {
            if (!_converters[i](texts[i], out args[i]))
            {
                error = double.TryParse(texts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsFinite(d)
                    ? $"column {Columns[i]}: '{Trunc(texts[i])}' is not a finite number (a missing value is an empty field)"
                    : $"column {Columns[i]}: '{Trunc(texts[i])}' is not a valid value";
                return false;
            }
            if (Columns[i] == "window_ns" && args[i] is long w && w <= 0)
            {
                error = $"column window_ns: {w} is not a window (must be > 0)";
                return false;
            }
        }
        row = _ctor.Invoke(args);
        return true;
    }

    private static string Trunc(string? s) => s is null ? "" : s.Length > 40 ? s[..40] : s;

    private static bool IsNullableRef(ParameterInfo p) =>
        !p.ParameterType.IsValueType && new NullabilityInfoContext().Create(p).WriteState == NullabilityState.Nullable;

    private static Converter For(Type t, bool nullableRef)
    {
        var inner = Nullable.GetUnderlyingType(t);
        if (inner is not null)
        {
            var c = For(inner, false);
            return (string? s, out object? v) =>
            {
                if (string.IsNullOrEmpty(s))
                {
                    v = null;
                    return true;
                }
                return c(s, out v);
            };
        }
        if (t == typeof(string))
        {
            return (string? s, out object? v) =>
            {
                v = nullableRef && string.IsNullOrEmpty(s) ? null : s ?? "";
                return true;
            };
        }
        if (t == typeof(long))
        {
            return (string? s, out object? v) => Box(long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var x), x, out v);
        }
        if (t == typeof(int))
        {
            return (string? s, out object? v) => Box(int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var x), x, out v);
        }
        if (t == typeof(double))
        {
            // NaN and ±Inf are refused: a value that is not a measurement is an empty field (null), never a number
            return (string? s, out object? v) => Box(double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x), x, out v);
        }
        if (t == typeof(bool))
        {
            return (string? s, out object? v) =>
            {
                var ok = s is "true" or "false" or "True" or "False" or "1" or "0";
                return Box(ok, s is "true" or "True" or "1", out v);
            };
        }
        if (t == typeof(char))
        {
            return (string? s, out object? v) => Box(s is { Length: 1 }, s is { Length: 1 } ? s[0] : ' ', out v);
        }
        if (t == typeof(IommuMode))
        {
            return (string? s, out object? v) => Box(EnumText.TryParseIommuMode(s, out var x), x, out v);
        }
        if (t == typeof(HostEventKind))
        {
            return (string? s, out object? v) => Box(EnumText.TryParseHostEventKind(s, out var x), x, out v);
        }
        if (t == typeof(OrderEventKind))
        {
            return (string? s, out object? v) => Box(EnumText.TryParseOrderEventKind(s, out var x), x, out v);
        }
        if (t == typeof(Regime))
        {
            return (string? s, out object? v) => Box(EnumText.TryParseRegime(s, out var x), x, out v);
        }
        if (t == typeof(PressureBucket))
        {
            return (string? s, out object? v) => Box(PressureBuckets.TryParse(s, out var x), x, out v);
        }
        if (t == typeof(Liquidity))
        {
            return (string? s, out object? v) =>
            {
                var x = EnumText.ParseLiquidity(s);
                return Box(x != Liquidity.Unknown || s == "unknown", x, out v);
            };
        }
        throw new NotSupportedException($"No canonical converter for {t}.");
    }

    private static bool Box<T>(bool ok, T x, out object? v)
    {
        v = ok ? x : null;
        return ok;
    }
}
