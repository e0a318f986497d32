namespace DmaSlip.Core.Attribution;

/// <summary>One fill of a parent order: quantity and price.</summary>
public readonly record struct Fill(long TsNs, long Qty, double Price, Domain.Liquidity Liquidity);

/// <summary>The classical IS terms of one parent order, in currency and in bps of Q·P_d (DESIGN §4.4).</summary>
internal readonly record struct Shortfall(
    double DelayCcy,
    double ImpactCcy,
    double MissCcy,
    double DelayBps,
    double ImpactBps,
    double MissBps,
    long ExecutedQty)
{
    public double IsCcy => DelayCcy + ImpactCcy + MissCcy;

    public double IsBps => DelayBps + ImpactBps + MissBps;
}

/// <summary>
/// Implementation shortfall of a parent order (Perold; Wagner's delay/trading/opportunity split). s = +1 buy, −1
/// sell; P_d arrival mid, P_0 mid at first child send, fills (q_j, p_j), X = Σ q_j of target Q, P_n mid at the end:
/// C_delay = s·X·(P_0 − P_d); C_impact = s·Σ q_j (p_j − P_0); C_miss = s·(Q − X)·(P_n − P_d); bps = 10⁴·C/(Q·P_d).
/// </summary>
internal static class ShortfallDecomposition
{
    public static Shortfall Compute(int side, long targetQty, double arrivalMid, double firstSendMid, double endMid, ReadOnlySpan<Fill> fills)
    {
        if (side is not (1 or -1))
        {
            throw new ArgumentOutOfRangeException(nameof(side), side, "Side must be +1 (buy) or −1 (sell).");
        }
        if (targetQty <= 0 || !(arrivalMid > 0))
        {
            throw new ArgumentException($"Target quantity ({targetQty}) and arrival mid ({arrivalMid}) must be positive.");
        }
        long executed = 0;
        double impact = 0;
        foreach (var f in fills)
        {
            executed += f.Qty;
            impact += f.Qty * (f.Price - firstSendMid);
        }
        var delay = side * executed * (firstSendMid - arrivalMid);
        impact *= side;
        var miss = side * (targetQty - executed) * (endMid - arrivalMid);
        var notional = targetQty * arrivalMid;
        return new Shortfall(delay, impact, miss, 1e4 * delay / notional, 1e4 * impact / notional, 1e4 * miss / notional, executed);
    }
}
