using DmaSlip.Core.Domain;

namespace DmaSlip.Simulation.Execution;

/// <summary>
/// Self-impact: the tape is exogenous, so without a memory of our own taking every child would find the far touch
/// full again, and sixteen panic children in one millisecond would cost no more than one. The engine keeps the
/// depth its aggressive orders took from the far side (<see cref="SelfImpact"/>); later aggressive orders start
/// walking the book behind what is still missing. With <see cref="ExecutionSpec.PermanentImpactTicksPerLevel"/> above 0
/// the fills also move every later price the parent sees (<see cref="SelfImpact.Shift"/>).
/// </summary>
internal sealed partial class ExecutionEngine
{
    /// <summary>Size of a level behind the far touch: the average touch size, at least one lot.</summary>
    private long AverageDepth(int idx) => Math.Max(_tape.LotSize, (_tape.BidSize(idx) + _tape.AskSize(idx)) / 2);

    /// <summary>Shares of the far side (counted from the far touch at tape index <paramref name="idx"/>) still missing at venue time <paramref name="t"/> because we took them.</summary>
    private long TakenDepth(long t, int idx)
    {
        if (_taken <= 0)
        {
            return 0;
        }
        var far = Far(idx);
        _taken = SelfImpact.Remaining(_taken, t - _takenAt, _spec.BookResilienceSeconds, Math.Abs(far - _takenFar), AverageDepth(idx));
        _takenAt = t;
        _takenFar = far;
        return (long)_taken;
    }

    /// <summary>Where free liquidity starts on the far side: its price and what is left at that level.</summary>
    private (int Price, long LevelLeft) FreeDepthStart(long t, int idx) =>
        SelfImpact.FreeStart(TakenDepth(t, idx), Far(idx), FarSize(idx), AverageDepth(idx), _side);

    /// <summary>Records <paramref name="qty"/> shares taken from the far side at venue time <paramref name="t"/>.</summary>
    private void Took(long t, int idx, long qty)
    {
        if (qty <= 0)
        {
            return;
        }
        _shiftTicks = SelfImpact.Shift(_shiftTicks, _side, qty, AverageDepth(idx), _spec.PermanentImpactTicksPerLevel);
        if (_spec.BookResilienceSeconds <= 0)
        {
            return;
        }
        TakenDepth(t, idx);
        _taken += qty;
        _takenAt = t;
        _takenFar = Far(idx);
    }
}

/// <summary>The two formulas of the self-impact model (docs/SIMULATOR.md, "Self-impact"), pure so they can be tested on hand-computed cases.</summary>
internal static class SelfImpact
{
    /// <summary>
    /// Depth still missing after <paramref name="elapsedNs"/>: D · e^(−Δt/τ), less one average level per tick the far
    /// touch moved (those levels left the book for everyone), never below 0. τ ≤ 0 means the book refills at once.
    /// </summary>
    public static double Remaining(double taken, long elapsedNs, double tauSeconds, int farMovedTicks, long averageDepth)
    {
        if (taken <= 0 || tauSeconds <= 0)
        {
            return 0;
        }
        var d = taken * Math.Exp(-Math.Max(0, elapsedNs) / (tauSeconds * Time.NanosPerSecond));
        return Math.Max(0, d - (double)farMovedTicks * averageDepth);
    }

    /// <summary>
    /// Permanent impact: the shift (ticks, signed by <paramref name="side"/>) after taking <paramref name="qty"/> shares
    /// where a level holds <paramref name="averageDepth"/> on average: shift + side·κ·qty/averageDepth. The engine
    /// rounds it to whole ticks when it prices.
    /// </summary>
    public static double Shift(double shift, int side, long qty, long averageDepth, double kappa) =>
        kappa <= 0 || qty <= 0 ? shift : shift + (side * kappa * qty / Math.Max(1, averageDepth));

    /// <summary>
    /// First free liquidity on the far side when <paramref name="skip"/> shares of it are missing: the far touch holds
    /// <paramref name="farSize"/>, each level behind it (one tick further in the direction <paramref name="side"/>)
    /// holds <paramref name="averageDepth"/>. Returns the price of the first level with free shares and how many.
    /// </summary>
    public static (int Price, long LevelLeft) FreeStart(long skip, int farPrice, long farSize, long averageDepth, int side)
    {
        var price = farPrice;
        var level = farSize;
        while (skip > 0)
        {
            if (skip < level)
            {
                return (price, level - skip);
            }
            skip -= level;
            price += side;
            level = averageDepth;
        }
        return (price, level);
    }
}
