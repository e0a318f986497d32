namespace DmaSlip.Core.Attribution;

/// <summary>Markout ladder (DESIGN §4.3): side × (mid(t_fill + h) − fill_px) / mid(t_fill + h), in bps, qty-weighted.</summary>
public static class Markouts
{
    /// <summary>The ladder's horizons: 10 ms, 100 ms, 1 s, 5 s.</summary>
    public static readonly long[] HorizonsNs = [10 * Domain.Time.NanosPerMilli, 100 * Domain.Time.NanosPerMilli, Domain.Time.NanosPerSecond, 5 * Domain.Time.NanosPerSecond];

    /// <summary>Qty-weighted markout of <paramref name="fills"/> at horizon <paramref name="horizonNs"/>; null without fills or mids.</summary>
    public static double? Of(int side, ReadOnlySpan<Fill> fills, MidSeries mids, long horizonNs)
    {
        double sum = 0;
        long qty = 0;
        foreach (var f in fills)
        {
            var mid = mids.MidAt(f.TsNs + horizonNs);
            if (double.IsNaN(mid) || f.Qty <= 0)
            {
                continue;
            }
            sum += f.Qty * side * (mid - f.Price) / mid;
            qty += f.Qty;
        }
        return qty == 0 ? null : 1e4 * sum / qty;
    }
}
