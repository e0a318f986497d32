using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Attribution;

/// <summary>
/// Builds the <see cref="ParentOutcome"/> of one parent order from its lifecycle events, the symbol's mids and the
/// host's pressure: IS decomposition (§4.4), passive fill ratio, markout ladder, branch label and buckets (§4.3).
/// The C_iommu terms and the baseline IS stay null: only a fitted model may fill them (never zero).
/// </summary>
public static class ParentAttribution
{
    /// <param name="events">The parent's order events (any order).</param>
    /// <param name="endTsNs">When P_n is taken: the deadline, or the last event when that is later.</param>
    public static ParentOutcome Build(ParentOrder parent, IReadOnlyList<OrderEvent> events, MidSeries mids, PressureTimeline pressure,
        string liquidityBucket, string sessionSegment)
    {
        var fills = new List<Fill>();
        long firstSend = long.MaxValue;
        long lastTs = parent.ArrivalTsNs;
        var sends = new Dictionary<string, (long Qty, Liquidity Liq)>(StringComparer.Ordinal);
        var aggressiveChildren = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            lastTs = Math.Max(lastTs, e.TsNs);
            if (e.Kind == OrderEventKind.Send)
            {
                firstSend = Math.Min(firstSend, e.TsNs);
                sends.TryAdd(e.ChildId, (e.Qty, e.Liquidity));
            }
            else if (e.Kind == OrderEventKind.Fill && e.Qty > 0)
            {
                fills.Add(new Fill(e.TsNs, e.Qty, e.Price, e.Liquidity));
                if (e.Liquidity == Liquidity.Aggressive)
                {
                    aggressiveChildren.Add(e.ChildId);
                }
            }
        }
        fills.Sort((a, b) => a.TsNs.CompareTo(b.TsNs));
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(fills);

        var p0 = firstSend == long.MaxValue ? parent.ArrivalMid : Or(mids.MidAt(firstSend), parent.ArrivalMid);
        var endTs = Math.Max(parent.DeadlineTsNs, lastTs);
        var pn = Or(mids.MidAt(endTs), parent.ArrivalMid);
        var s = ShortfallDecomposition.Compute(parent.Side, parent.Qty, parent.ArrivalMid, p0, pn, span);

        var summary = pressure.Summary(parent.Host, parent.ArrivalTsNs, endTs);
        var meanDfi = summary.Mean;
        var branch = BranchLabels.Of(summary.StormLevel, summary.WatchLevel, BranchLabels.ChaseShare(parent.ArrivalTsNs, parent.DeadlineTsNs, span));

        return new ParentOutcome(
            parent.ParentId, parent.Host, parent.Pool, parent.Symbol, s.ExecutedQty, s.IsCcy, s.IsBps,
            s.DelayBps, s.ImpactBps, s.MissBps,
            CIommuBps: null, CDmaJitterBps: null, CServiceBurstBps: null, CQueueDecayBps: null, BaselineIsBps: null,
            PassiveFillRatio: PassiveFillRatio(sends, aggressiveChildren, span),
            Markout10msBps: Markouts.Of(parent.Side, span, mids, Markouts.HorizonsNs[0]),
            Markout100msBps: Markouts.Of(parent.Side, span, mids, Markouts.HorizonsNs[1]),
            Markout1sBps: Markouts.Of(parent.Side, span, mids, Markouts.HorizonsNs[2]),
            Markout5sBps: Markouts.Of(parent.Side, span, mids, Markouts.HorizonsNs[3]),
            branch, PressureBuckets.Bucket(meanDfi), liquidityBucket, sessionSegment);
    }

    /// <summary>
    /// Passively filled quantity / quantity posted passively. A child is a passive posting when its send is marked
    /// passive, or unmarked and never filled aggressively. Null when nothing was posted passively.
    /// </summary>
    internal static double? PassiveFillRatio(Dictionary<string, (long Qty, Liquidity Liq)> sends, HashSet<string> aggressiveChildren, ReadOnlySpan<Fill> fills)
    {
        long posted = 0;
        foreach (var (child, send) in sends)
        {
            if (send.Liq == Liquidity.Passive || (send.Liq == Liquidity.Unknown && !aggressiveChildren.Contains(child)))
            {
                posted += send.Qty;
            }
        }
        long filled = 0;
        foreach (var f in fills)
        {
            if (f.Liquidity == Liquidity.Passive)
            {
                filled += f.Qty;
            }
        }
        return posted == 0 ? null : Math.Min(1.0, filled / (double)posted);
    }

    private static double Or(double value, double fallback) => double.IsNaN(value) ? fallback : value;
}
