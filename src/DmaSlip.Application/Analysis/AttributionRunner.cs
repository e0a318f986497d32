using DmaSlip.Core.Attribution;
using DmaSlip.Core.Domain;
using DmaSlip.Storage;

namespace DmaSlip.Application.Analysis;

internal sealed record AttributionSummary(long Parents, long Attributed, long Added, long WithoutQuotes, IReadOnlyDictionary<string, int> Branches);

/// <summary>IS decomposition and outcome features per parent order → <c>parent_outcomes</c>.</summary>
internal static class AttributionRunner
{
    public static AttributionSummary Run(DmaSlipStore store, long? from, long? to, SessionSegments sessions)
    {
        sessions.Validate();
        // Memory: the DFI timeline a host at a time (not every host frame of the day), and the order events of one
        // symbol's parents at a time (not the day's). Holding them all took 21 GB for two 12 000-parent days.
        var pressure = HostPressure.LoadTimeline(store);
        var (where, p) = TimeArg.Range("arrival_ts_ns", from, to);
        var parents = store.Query<ParentOrder>(where, "parent_id", p).ToList();
        var outcomes = new List<ParentOutcome>(parents.Count);
        long withoutQuotes = 0;
        foreach (var bySymbol in parents.GroupBy(x => x.Symbol, StringComparer.Ordinal))
        {
            var events = SymbolOrderEvents.Of(store, bySymbol.Key);
            var mids = new MidSeries(FeatureRunner.QuotesOf(store, [bySymbol.Key], null, null));
            var liquidity = LiquidityBuckets.Of(mids.MedianSpreadBps());
            foreach (var parent in bySymbol)
            {
                if (mids.Count == 0)
                {
                    withoutQuotes++;
                }
                if (parent.Qty <= 0 || !(parent.ArrivalMid > 0) || parent.Side is not (1 or -1))
                {
                    throw new InputException($"Parent order '{parent.ParentId}' has qty {parent.Qty}, arrival mid {parent.ArrivalMid}, side {parent.Side}: cannot attribute (qty and mid must be positive, side ±1).");
                }
                outcomes.Add(ParentAttribution.Build(parent, [.. events[parent.ParentId]], mids, pressure.Timeline, liquidity, sessions.SegmentOf(parent.ArrivalTsNs)));
            }
        }
        var added = store.Insert(outcomes);
        var branches = outcomes.GroupBy(o => o.Branch, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new AttributionSummary(parents.Count, outcomes.Count, added, withoutQuotes, branches);
    }
}
