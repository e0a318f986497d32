using System.Linq.Expressions;
using DmaSlip.Core.Attribution;
using DmaSlip.Core.Domain;

namespace DmaSlip.Storage.Internal;

/// <summary>How enum and char columns are stored: as their stable text names (<see cref="EnumText"/>).</summary>
internal static class ValueConverters
{
    private static readonly Dictionary<Type, (Delegate ToText, Delegate FromText)> Converters = new()
    {
        [typeof(IommuMode)] = (new Func<IommuMode, string>(m => m.Name()),
            new Func<string, IommuMode>(s => EnumText.TryParseIommuMode(s, out var m) ? m : throw Bad(s, "iommu_mode"))),
        [typeof(HostEventKind)] = (new Func<HostEventKind, string>(k => k.Name()),
            new Func<string, HostEventKind>(s => EnumText.TryParseHostEventKind(s, out var k) ? k : throw Bad(s, "kind"))),
        [typeof(Regime)] = (new Func<Regime, string>(r => r.Name()),
            new Func<string, Regime>(s => EnumText.TryParseRegime(s, out var r) ? r : throw Bad(s, "regime"))),
        [typeof(OrderEventKind)] = (new Func<OrderEventKind, string>(k => k.Name()),
            new Func<string, OrderEventKind>(s => EnumText.TryParseOrderEventKind(s, out var k) ? k : throw Bad(s, "kind"))),
        [typeof(Liquidity)] = (new Func<Liquidity, string>(l => l.Name()), new Func<string, Liquidity>(EnumText.ParseLiquidity)),
        [typeof(PressureBucket)] = (new Func<PressureBucket, string>(b => b.Name()),
            new Func<string, PressureBucket>(s => PressureBuckets.TryParse(s, out var b) ? b : throw Bad(s, "pressure_bucket"))),
        [typeof(char)] = (new Func<char, string>(c => c.ToString()), new Func<string, char>(s => s.Length > 0 ? s[0] : ' ')),
    };

    public static bool TryGet(Type t, out Delegate toText, out Delegate fromText)
    {
        if (Converters.TryGetValue(t, out var c))
        {
            (toText, fromText) = c;
            return true;
        }
        toText = fromText = null!;
        return false;
    }

    /// <summary>The CLR type a column of a property of type <paramref name="t"/> is read and written as.</summary>
    public static Type StorageType(Type t)
    {
        var inner = Nullable.GetUnderlyingType(t) ?? t;
        return Converters.ContainsKey(inner) || inner.IsEnum ? typeof(string) : inner;
    }

    public static Expression ToStorage(Expression value)
    {
        var t = value.Type;
        if (TryGet(t, out var toText, out _))
        {
            return Expression.Invoke(Expression.Constant(toText), value);
        }
        return value;
    }

    public static Expression FromStorage(Expression stored, Type target)
    {
        if (TryGet(target, out _, out var fromText))
        {
            return Expression.Invoke(Expression.Constant(fromText), stored);
        }
        return stored.Type == target ? stored : Expression.Convert(stored, target);
    }

    private static FormatException Bad(string s, string column) => new($"Stored value '{s}' is not a valid {column}.");
}
