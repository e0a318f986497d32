namespace DmaSlip.Core.Features;

/// <summary>Exact quantiles over small buffers, the same definition as DuckDB's <c>quantile_cont</c> (type 7).</summary>
public static class ExactQuantile
{
    /// <summary>Type-7 quantile of values already sorted ascending; NaN when empty.</summary>
    public static double OfSorted(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.IsEmpty)
        {
            return double.NaN;
        }
        var h = Math.Clamp(q, 0, 1) * (sorted.Length - 1);
        var lo = (int)Math.Floor(h);
        var frac = h - lo;
        return lo + 1 >= sorted.Length || frac == 0 ? sorted[lo] : sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
    }

    /// <summary>Type-7 quantile of unsorted <paramref name="values"/> (sorts the span in place, no allocation).</summary>
    public static double OfUnsorted(Span<double> values, double q)
    {
        values.Sort();
        return OfSorted(values, q);
    }

    /// <summary>Median of <paramref name="values"/> (sorts in place).</summary>
    public static double Median(Span<double> values) => OfUnsorted(values, 0.5);
}
