using DmaSlip.Core.Attribution;
using DmaSlip.Core.Domain;
using DmaSlip.Storage;

namespace DmaSlip.Cli.Tests;

/// <summary>
/// A small database with everything <c>dmaslip fit</c> reads: inventory (pool a: h0, h1; pool b: h2, h3), one
/// symbol's quotes and trades, host frames and exec frames per second, parents with order events and outcomes, and
/// truth. Pool a suffers a storm from minute 20 to 35: host features rise and each parent's IS rises by a planted
/// δ = 6·s bps (s = storm intensity), which truth_parent records.
/// </summary>
internal static class FitDatabase
{
    public const long T0 = 1_700_000_000_000_000_000L;
    private const long Sec = 1_000_000_000L;

    public static void Fill(DmaSlipStore store, int parents = 1600, int seed = 5)
    {
        var rng = new Random(seed);
        double N() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        string[] hostNames = ["h0", "h1", "h2", "h3"];
        store.Insert(hostNames.Select(h => new HostInfo(h, Pool(h), "eth0", "ConnectX-6", "mlx5_core", "24.10", "6.8.0", IommuMode.Lazy, 0, 0, $"fp-{h}-1", T0, null)));
        const int seconds = 3600;
        var quotes = new List<Quote>();
        var trades = new List<Trade>();
        var mid = 150.0;
        for (var s = 0; s < seconds; s++)
        {
            mid *= Math.Exp(0.0002 * N());
            quotes.Add(new Quote(T0 + (s * Sec), "IBM", "X", Math.Round(mid - 0.01, 2), 500, Math.Round(mid + 0.01, 2), 500, null, 0));
            trades.Add(new Trade(T0 + (s * Sec) + (Sec / 2), "IBM", "X", mid, 2000, null, null, 0));
        }
        store.Insert(quotes);
        store.Insert(trades);
        double Storm(string host, long ts)
        {
            var m = (ts - T0) / (60.0 * Sec);
            return Pool(host) == "a" && m is >= 20 and <= 35 ? Math.Min(1, Math.Min(m - 20, 35 - m) / 2) : 0;
        }
        var frames = new List<HostFrame>();
        var exec = new List<ExecFrame>();
        foreach (var h in hostNames)
        {
            for (var s = 0; s < seconds; s++)
            {
                var ts = T0 + (s * Sec);
                var st = Storm(h, ts);
                double X(double v, double k) => v * (1 + (k * st)) * Math.Exp(0.1 * N());
                frames.Add(new HostFrame(h, "eth0", 0, ts, Sec, X(800, 20), X(2, 5), X(4, 8), X(6, 10), X(5e4, 1), X(5e4, 1), null,
                    X(900, 2), X(3000, 10), X(2000, 1), X(6000, 6), X(0.1, 3), X(25, 8), X(0.05, 4), 1, X(0.3, 2), X(0.3, 2), 1000));
                exec.Add(new ExecFrame(h, "IBM", ts, Sec, X(4, 2), X(3000, 0.5), X(8000, 3), X(9000, 3), 20000 * st, 25000 * st, -0.2 + (0.5 * st), X(5000, 3), 5));
            }
        }
        store.Insert(frames);
        store.Insert(exec);
        var orders = new List<ParentOrder>();
        var events = new List<OrderEvent>();
        var outcomes = new List<ParentOutcome>();
        var truth = new List<TruthParent>();
        for (var i = 0; i < parents; i++)
        {
            var host = hostNames[rng.Next(4)];
            var arrival = T0 + (long)(rng.NextDouble() * (seconds - 120) * Sec);
            var side = rng.Next(2) == 0 ? 1 : -1;
            var id = $"P{i:D5}";
            var st = Storm(host, arrival + (30 * Sec));
            var latencyNs = (long)(40_000 * (1 + (3 * st)) * Math.Exp(0.1 * N()));
            orders.Add(new ParentOrder(id, "IBM", side, 1000, arrival, 150, arrival + (120 * Sec), "twap", host, Pool(host), "normal"));
            events.Add(new OrderEvent(arrival + 1_000_000, id, $"{id}-1", $"{id}-c1", null, OrderEventKind.Send, 150, 500, "X", host, 0, Liquidity.Unknown, ""));
            events.Add(new OrderEvent(arrival + 1_000_000 + latencyNs, id, $"{id}-1", $"{id}-c1", null, OrderEventKind.Ack, 150, 500, "X", host, 0, Liquidity.Unknown, ""));
            events.Add(new OrderEvent(arrival + (60 * Sec), id, $"{id}-1", $"{id}-c1", null, OrderEventKind.Fill, 150, 1000, "X", host, 0, Liquidity.Passive, $"E{i}"));
            var delta = 6 * st;
            var isBps = 0.3 + (0.9 * Math.Pow(1000.0 / (60 * 2000), 0.6)) + delta + (2 * N());
            var delay = 0.3 * isBps;
            var impact = 0.5 * isBps;
            outcomes.Add(new ParentOutcome(id, host, Pool(host), "IBM", 1000, isBps * 15, isBps, delay, impact, isBps - delay - impact,
                null, null, null, null, null, Math.Clamp(0.5 - (0.3 * st) + (0.05 * N()), 0, 1), null, null, null, null,
                "map-stable", PressureBucket.Unknown, "liquid", "mid"));
            truth.Add(new TruthParent(id, host, Pool(host), "IBM", isBps, isBps - delta, delta, 0, 0, delta, st > 0));
        }
        store.Insert(orders);
        store.Insert(events);
        store.Insert(outcomes);
        store.Insert(truth);
    }

    private static string Pool(string host) => host is "h0" or "h1" ? "a" : "b";
}
