using DmaSlip.Application.Analysis;
using DmaSlip.Core.Domain;
using DmaSlip.Models.Features;
using DmaSlip.Models.Pipeline;
using DmaSlip.Storage;

namespace DmaSlip.Application.Modeling;

/// <summary>
/// Reads what the models need from the store and builds one <see cref="ParentRecord"/> per attributed parent:
/// market context from quotes/trades, send→ack latency and queue position from order events, host and exec frames
/// over the parent's life, the realized IS and the GROSS classical terms (a row already netted by an earlier fit is
/// un-netted first).
/// </summary>
internal static class ParentRecordLoader
{
    /// <summary>Bucket for the cross-host comparison of the queue-decay features.</summary>
    public const long RelativeBucketNs = 60_000_000_000L;

    public sealed record Loaded(List<ParentRecord> Records, Dictionary<string, ParentOutcome> Outcomes, int WithoutVolume, int WithoutQuotes);

    public static Loaded Load(DmaSlipStore store)
    {
        var outcomes = store.Query<ParentOutcome>().ToDictionary(o => o.ParentId, StringComparer.Ordinal);
        var parents = store.Query<ParentOrder>(orderBy: "arrival_ts_ns, parent_id").Where(p => outcomes.ContainsKey(p.ParentId)).ToList();
        var counterArgs = new Dictionary<string, object?> { ["src"] = RxDropShare.Source };
        var names = string.Join(", ", RxDropShare.DropCounters.Append(RxDropShare.PacketCounter).Select(n => $"'{n}'"));
        var drops = new RxDropShare(store.Query<HostCounter>($"source = $src and name in ({names})", "host, device, ts_ns", counterArgs));
        var builder = new ParentFeatureBuilder(store.Query<HostFrame>(), store.Query<ExecFrame>(), drops);
        var records = new List<ParentRecord>(parents.Count);
        int withoutVolume = 0, withoutQuotes = 0;
        foreach (var bySymbol in parents.GroupBy(p => p.Symbol, StringComparer.Ordinal))
        {
            var events = SymbolOrderEvents.Of(store, bySymbol.Key); // a symbol's at a time: memory
            var args = new Dictionary<string, object?> { ["s"] = bySymbol.Key };
            var market = new MarketContext(
                store.Query<Quote>("symbol = $s", "ts_ns, venue, seq", args),
                store.Query<Trade>("symbol = $s", "ts_ns, venue, seq", args));
            foreach (var p in bySymbol)
            {
                var ev = events[p.ParentId].ToArray();
                var end = ev.Length == 0 ? p.DeadlineTsNs : Math.Max(ev.Max(e => e.TsNs), p.ArrivalTsNs + 1);
                var firstSend = ev.FirstOrDefault(e => e.Kind == OrderEventKind.Send);
                var sendTs = firstSend?.TsNs ?? p.ArrivalTsNs;
                var hs = market.HasQuotes ? market.HalfSpreadBpsAt(p.ArrivalTsNs) : double.NaN;
                if (!market.HasQuotes)
                {
                    withoutQuotes++;
                }
                // Over the SCHEDULED horizon: a parent slowed by a storm runs longer and sees more volume, so a participation
                // over its realized life would lower its predicted impact and push storm cost into the residual's
                // baseline error (the calm twin's IS sat 0.1–0.5 bps above such a baseline in storm windows).
                var volume = market.HasTrades ? market.VolumeBetween(p.ArrivalTsNs, Math.Max(p.DeadlineTsNs, p.ArrivalTsNs + 1)) : 0;
                if (volume <= 0)
                {
                    withoutVolume++;
                }
                // No traded volume observed: participation is unknown, so the impact term cannot be evaluated (NaN →
                // the parent is left out of the impact fit and its baseline uses the spread terms only).
                var participation = volume > 0 ? (double)p.Qty / volume : double.NaN;
                var childQty = Math.Max(firstSend?.Qty ?? p.Qty, 1);
                var qar = (double)market.DisplayedSizeAt(sendTs, p.Side) / childQty;
                var sigma = market.SigmaDailyBps(p.ArrivalTsNs - 300_000_000_000L, p.ArrivalTsNs);
                var o = outcomes[p.ParentId];
                var (delay, impact, miss) = IommuAttribution.Gross(o.CDelayBps, o.CImpactBps, o.CMissBps, o.CDmaJitterBps, o.CServiceBurstBps, o.CQueueDecayBps);
                var latency = AckLatencyUs(ev);
                var fill = o.PassiveFillRatio ?? double.NaN;
                var (early, late) = MarketMoveBps(market, p);
                var sigmaLife = market.SigmaDailyBps(p.ArrivalTsNs, Math.Max(p.DeadlineTsNs, p.ArrivalTsNs + 1));
                var features = builder.Build(new ParentFeatureBuilder.ParentInputs(p.Host, p.Symbol, p.ArrivalTsNs, end, hs, sigma, participation, qar, latency, fill, sigmaLife));
                records.Add(new ParentRecord(p.ParentId, p.Host, p.Pool, p.Strategy, p.Symbol, o.SessionSegment, o.LiquidityBucket, p.ArrivalTsNs, end,
                    hs, sigma, participation, qar, latency, fill, early, late, o.IsBps, delay, impact, miss, features));
            }
        }
        CrossHostRelativizer.Apply(records.Select(r => r.Host).ToArray(), records.Select(r => r.ArrivalNs).ToArray(), records.Select(r => r.Features).ToArray(), RelativeBucketNs);
        return new Loaded(records, outcomes, withoutVolume, withoutQuotes);
    }

    /// <summary>
    /// side·(TWAP mid − arrival mid)/arrival mid in bps over the first and the second half of [arrival, deadline]: the
    /// market's move over the scheduled horizon (<see cref="ParentRecord.MarketMoveEarlyBps"/>). The arrival mid is the
    /// parent's recorded benchmark (the quote mid at arrival when none was recorded).
    /// </summary>
    internal static (double Early, double Late) MarketMoveBps(MarketContext market, ParentOrder p)
    {
        if (!market.HasQuotes)
        {
            return (double.NaN, double.NaN);
        }
        var arrivalMid = p.ArrivalMid > 0 ? p.ArrivalMid : market.MidAt(p.ArrivalTsNs);
        if (arrivalMid <= 0)
        {
            return (double.NaN, double.NaN);
        }
        var end = Math.Max(p.DeadlineTsNs, p.ArrivalTsNs);
        var half = p.ArrivalTsNs + ((end - p.ArrivalTsNs) / 2);
        double Move(double twap) => p.Side * (twap - arrivalMid) / arrivalMid * 1e4;
        return (Move(market.MidTwap(p.ArrivalTsNs, half)), Move(market.MidTwap(half, end)));
    }

    /// <summary>Median send→ack (new orders) and replace→replace-ack latency of the parent's children, µs; NaN if none.</summary>
    internal static double AckLatencyUs(OrderEvent[] ev)
    {
        var sent = new Dictionary<string, long>(StringComparer.Ordinal);
        var lat = new List<double>();
        foreach (var e in ev)
        {
            switch (e.Kind)
            {
                case OrderEventKind.Send or OrderEventKind.Replace:
                    sent[e.ClOrdId] = e.TsNs;
                    break;
                case OrderEventKind.Ack or OrderEventKind.ReplaceAck when sent.Remove(e.ClOrdId, out var t):
                    lat.Add((e.TsNs - t) / 1000.0);
                    break;
                default:
                    break;
            }
        }
        if (lat.Count == 0)
        {
            return double.NaN;
        }
        lat.Sort();
        return lat.Count % 2 == 1 ? lat[lat.Count / 2] : (lat[(lat.Count / 2) - 1] + lat[lat.Count / 2]) / 2;
    }
}
