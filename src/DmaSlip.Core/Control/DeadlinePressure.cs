namespace DmaSlip.Core.Control;

/// <summary>
/// Deadline pressure of a book of parent orders at one instant, 0–1 (docs/METRICS.md, "Deadline pressure"): for
/// each active parent, the backlog behind a linear schedule divided by the share of time left, capped at 1; the
/// book's value is the quantity-weighted mean. 1 means the backlog alone needs all the remaining time at the planned
/// rate — the parent must catch up (cross) or miss.
/// </summary>
public static class DeadlinePressure
{
    /// <summary>Floor on the remaining-time share so a parent at its deadline gives a finite (capped) ratio.</summary>
    public const double MinRemainingShare = 0.05;

    /// <summary>Pressure of one parent: arrival/deadline in ns, target quantity, filled so far, at <paramref name="nowNs"/>.</summary>
    public static double OfParent(long arrivalNs, long deadlineNs, long qty, long filled, long nowNs)
    {
        if (qty <= 0 || deadlineNs <= arrivalNs)
        {
            return 0;
        }
        var scheduled = Math.Clamp((nowNs - arrivalNs) / (double)(deadlineNs - arrivalNs), 0, 1);
        var executed = Math.Clamp(filled / (double)qty, 0, 1);
        var behind = Math.Max(0, scheduled - executed);
        return Math.Min(1, behind / Math.Max(1 - scheduled, MinRemainingShare));
    }

    /// <summary>Quantity-weighted mean of per-parent pressures (0 with no active parent).</summary>
    public static double Book(ReadOnlySpan<double> pressures, ReadOnlySpan<long> qtys)
    {
        double num = 0, den = 0;
        for (var i = 0; i < pressures.Length; i++)
        {
            num += pressures[i] * qtys[i];
            den += qtys[i];
        }
        return den > 0 ? num / den : 0;
    }
}
