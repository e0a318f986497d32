using DmaSlip.Core.Domain;
using DmaSlip.Simulation.Market;

namespace DmaSlip.Simulation;

public sealed partial class SimulationResult
{
    /// <summary>The market path as canonical quotes (every top-of-book change), in symbol then time order.</summary>
    public IEnumerable<Quote> Quotes()
    {
        foreach (var tape in Tapes)
        {
            long last = long.MinValue;
            var seq = 0;
            for (var i = 0; i < tape.Count; i++)
            {
                var ts = tape.TsAt(i);
                seq = ts == last ? seq + 1 : 0;
                last = ts;
                yield return new Quote(ts, tape.Symbol, tape.Venue, tape.Px(tape.Bid(i)), tape.BidSize(i), tape.Px(tape.Ask(i)), tape.AskSize(i), ts, seq);
            }
        }
    }

    /// <summary>The market's trades (condition = aggressor side B/S).</summary>
    public IEnumerable<Trade> Trades()
    {
        foreach (var tape in Tapes)
        {
            long last = long.MinValue;
            var seq = 0;
            for (var i = 0; i < tape.Count; i++)
            {
                if (tape.Kind(i) == MarketTape.Quote)
                {
                    continue;
                }
                var ts = tape.TsAt(i);
                seq = ts == last ? seq + 1 : 0;
                last = ts;
                yield return new Trade(ts, tape.Symbol, tape.Venue, tape.Px(tape.TradeTick(i)), tape.TradeSize(i), tape.Kind(i) == MarketTape.BuyTrade ? "B" : "S", ts, seq);
            }
        }
    }

    /// <summary>
    /// The order flow as canonical order events, as an ingest of the FIX logs yields them: decision and send of
    /// every D/G/F (decision = TransactTime, send = wire time), and acks, fills, cancels and rejects at receive time.
    /// </summary>
    public IEnumerable<OrderEvent> OrderEvents()
    {
        foreach (var e in Fix)
        {
            var p = Specs[e.Parent];
            var tape = Tapes[p.Symbol];
            var host = Hosts[e.Host].Host;
            var clOrd = $"{p.Id}-{e.ClOrd}";
            var orig = e.OrigClOrd > 0 ? $"{p.Id}-{e.OrigClOrd}" : null;
            var child = $"{p.Id}-c{e.Child}";
            var px = tape.Px(e.PriceTick);
            switch (e.MsgType)
            {
                case 'D' or 'G' or 'F':
                    var kind = e.MsgType switch { 'D' => OrderEventKind.Send, 'G' => OrderEventKind.Replace, _ => OrderEventKind.Cancel };
                    // TransactTime(60) of every outbound message is its decision time (what FIX ingest reads back).
                    yield return new OrderEvent(e.TransactNs, p.Id, child, clOrd, orig, OrderEventKind.Decision, px, e.OrderQty, "XSIMVENUE", host, 0, Liquidity.Unknown, "");
                    yield return new OrderEvent(e.LogNs, p.Id, child, clOrd, orig, kind, px, e.OrderQty, "XSIMVENUE", host, 0, Liquidity.Unknown, "");
                    break;
                default:
                    var k = e.ExecType switch
                    {
                        '0' => OrderEventKind.Ack,
                        '5' => OrderEventKind.ReplaceAck,
                        '4' => OrderEventKind.CancelAck,
                        'F' => OrderEventKind.Fill,
                        _ => OrderEventKind.Reject,
                    };
                    var fill = k == OrderEventKind.Fill;
                    yield return new OrderEvent(e.LogNs, p.Id, child, clOrd, orig, k, fill ? tape.Px(e.LastPxTick) : px, fill ? e.LastQty : e.OrderQty,
                        "XSIMVENUE", host, 0, fill ? (e.Liquidity == 2 ? Liquidity.Aggressive : Liquidity.Passive) : Liquidity.Unknown,
                        fill ? $"E{p.Index + 1}-{e.ExecSeq}" : "");
                    break;
            }
        }
    }
}
