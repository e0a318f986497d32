namespace DmaSlip.Storage.Internal;

/// <summary>The CLR types <see cref="DmaSlipStore.Sql{T}"/> reads from a single column rather than as a row record.</summary>
internal static class ScalarColumn
{
    /// <summary>The type a value converts to (the underlying type of a nullable), or null when <paramref name="t"/> is a row record.</summary>
    public static Type? Of(Type t)
    {
        var inner = Nullable.GetUnderlyingType(t) ?? t;
        return inner == typeof(string) || inner == typeof(long) || inner == typeof(int) || inner == typeof(double)
            || inner == typeof(bool) || inner == typeof(decimal) ? inner : null;
    }
}
