using DmaSlip.Core.Domain;
using DmaSlip.Simulation.Internal;

namespace DmaSlip.Simulation.Market;

/// <summary>
/// A queue-reactive top-of-book model in the spirit of Huang, Lehalle and Rosenbaum (2015, JASA, "Simulating and
/// analyzing order book data: the queue-reactive model"): limit, cancel and market order intensities at each best
/// queue depend on that queue's size; when a best queue empties the price moves one tick and the levels re-form.
/// A large-tick stock (one-tick spread). A price change excites a burst of competing orders (a Hawkes-type kernel,
/// e^(−t/τ) with τ = 3 ms): liquidity providers race to join the new level and takers react, which is what makes
/// microseconds-to-milliseconds of host delay decide queue position. Event times are exact (thinning of the
/// intensity, which only decays between events); parameters per symbol are drawn once.
/// </summary>
internal static class SyntheticBook
{
    public static MarketTape Generate(string symbol, int symbolIndex, long seed, long startNs, long endNs, MarketSpec spec)
    {
        var rng = Rng.Create(seed, RngStream.Market, symbolIndex);
        var tape = new MarketTape(symbol, "XSIM", spec.TickSize, spec.LotSize);
        var px = 20 + rng.NextDouble() * 130;
        var bid = (int)Math.Round(px / spec.TickSize);
        var ask = bid + 1;
        var qBar = 3 + rng.NextDouble() * 5; // typical best-queue size, lots
        var add = 4.2 + rng.NextDouble() * 2.4; // limit arrivals per second per side
        var cancel = 0.45; // per lot per second
        var market = 1.5 + rng.NextDouble() * 1.2; // market orders per second per side
        var lot = spec.LotSize;
        int qb = (int)qBar, qa = (int)qBar;
        tape.Add(startNs, bid, qb * lot, ask, qa * lot, MarketTape.Quote, 0, 0);
        var t = (double)startNs;
        const double tau = 0.003; // s: decay of the excitation after a price change
        var jump = 2_500 + rng.NextDouble() * 1_500; // extra events per second right after a price change
        var excite = 0.0; // current excitation, events per second (decays between events)
        while (true)
        {
            // Queue-reactive intensities: small queues attract liquidity and draw more aggression.
            var lb = add * (qb < qBar ? 1.25 : 0.8);
            var la = add * (qa < qBar ? 1.25 : 0.8);
            var cb = cancel * qb;
            var ca = cancel * qa;
            var mb = market * (qb <= 2 ? 1.5 : 1.0); // sells hitting the bid
            var ma = market * (qa <= 2 ? 1.5 : 1.0); // buys lifting the ask
            var baseTotal = lb + la + cb + ca + mb + ma;
            var bound = baseTotal + excite;
            var dt = rng.NextExp(1.0 / bound);
            t += dt * Time.NanosPerSecond;
            if (t >= endNs)
            {
                break;
            }
            excite *= Math.Exp(-dt / tau);
            var accept = rng.NextDouble() * bound;
            if (accept >= baseTotal + excite)
            {
                continue; // thinning: the decayed intensity rejected this candidate
            }
            var ts = (long)t;
            if (accept >= baseTotal)
            {
                // Excited event: 80 % joins a best queue (both sides race to the new levels), 20 % takes liquidity.
                var v = rng.NextDouble();
                if (v < 0.4)
                {
                    lb = 1;
                    la = 0;
                }
                else if (v < 0.8)
                {
                    lb = 0;
                    la = 1;
                }
                else
                {
                    lb = la = 0;
                }
                cb = ca = 0;
                if (v >= 0.8)
                {
                    mb = v < 0.9 ? 1 : 0;
                    ma = 1 - mb;
                }
                else
                {
                    mb = ma = 0;
                }
            }
            var total = lb + la + cb + ca + mb + ma;
            var u = rng.NextDouble() * total;
            byte kind = MarketTape.Quote;
            int tradeTick = 0, tradeSize = 0;
            if ((u -= lb) < 0)
            {
                qb += 1 + rng.NextInt(2);
            }
            else if ((u -= la) < 0)
            {
                qa += 1 + rng.NextInt(2);
            }
            else if ((u -= cb) < 0)
            {
                qb--;
            }
            else if ((u -= ca) < 0)
            {
                qa--;
            }
            else if ((u -= mb) < 0)
            {
                var size = Math.Min(qb, 1 + rng.NextInt(4));
                kind = MarketTape.SellTrade;
                tradeTick = bid;
                tradeSize = size * lot;
                qb -= size;
            }
            else
            {
                var size = Math.Min(qa, 1 + rng.NextInt(4));
                kind = MarketTape.BuyTrade;
                tradeTick = ask;
                tradeSize = size * lot;
                qa -= size;
            }
            if (qb <= 0 || qa <= 0)
            {
                excite += jump;
            }
            if (qb <= 0)
            {
                // Bid level gone: price ticks down; sellers step in at the old bid, a deeper bid level becomes best.
                bid--;
                ask = bid + 1;
                qa = 1 + rng.NextInt(3);
                qb = Math.Max(1, (int)(qBar * (0.5 + rng.NextDouble())));
            }
            else if (qa <= 0)
            {
                ask++;
                bid = ask - 1;
                qb = 1 + rng.NextInt(3);
                qa = Math.Max(1, (int)(qBar * (0.5 + rng.NextDouble())));
            }
            tape.Add(ts, bid, qb * lot, ask, qa * lot, kind, tradeTick, tradeSize);
        }
        return tape;
    }
}
