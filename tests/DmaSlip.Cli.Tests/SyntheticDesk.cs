using DmaSlip.Core.Domain;
using DmaSlip.Storage;

namespace DmaSlip.Cli.Tests;

/// <summary>
/// A small synthetic desk for command tests (until the simulator's scenarios are on main): a calm host in pool
/// "calm" and a host in pool "storm" that is calm for 7 s and then storms for 3 s (bursty flushes, DMA tail, clumped
/// RX), raw host events at Count = 1, one symbol's quotes, and parent orders whose fills are worse under the storm.
/// </summary>
internal static class SyntheticDesk
{
    public static readonly long T0 = Time.FromDate(2026, 1, 5) + 15 * Time.NanosPerHour; // 10:00 New York
    private const long Ms = Time.NanosPerMilli;

    public static void Write(DmaSlipStore store, int seed = 7)
    {
        var rng = new Random(seed);
        store.Insert(new[]
        {
            new HostInfo("calm-1", "calm", "eth0", "E810", "ice", "1.13", "6.8", IommuMode.Lazy, 0, 0, "fp1", 0, null),
            new HostInfo("storm-1", "storm", "eth0", "CX6", "mlx5_core", "24.04", "6.8", IommuMode.Strict, 1, 0, "fp2", 0, null),
        });
        using (var w = store.Writer<HostEventRow>())
        {
            long offset = 0;
            foreach (var host in new[] { "calm-1", "storm-1" })
            {
                for (long ms = 0; ms < 10_000; ms++)
                {
                    var ts = T0 + ms * Ms;
                    var storm = host == "storm-1" && ms >= 7_000;
                    var flushes = storm ? (rng.NextDouble() < 0.15 ? 40 : 8) : rng.Next(3);
                    void Add(HostEventKind kind, long value, long size)
                    {
                        w.Add(new HostEventRow(ts + rng.Next(1000), host, "eth0", 0, 0, kind, size, value, 64, "synthetic", offset++));
                    }
                    for (var i = 0; i < flushes; i++)
                    {
                        Add(HostEventKind.Flush, 0, 0);
                    }
                    Add(HostEventKind.DmaComplete, storm && rng.NextDouble() < 0.1 ? 30_000 : 2_000 + rng.Next(300), 0);
                    Add(HostEventKind.DmaComplete, 2_000 + rng.Next(300), 0);
                    var rx = storm ? (ms % 3 == 2 ? 9 : 0) : 3;
                    for (var i = 0; i < rx; i++)
                    {
                        Add(HostEventKind.Rx, 0, 1500);
                    }
                }
            }
            w.Complete();
        }
        var quotes = new List<Quote>();
        for (long ms = -1000; ms < 20_000; ms += 10)
        {
            var mid = 100 + 0.01 * Math.Sin(ms / 1000.0);
            quotes.Add(new Quote(T0 + ms * Ms, "AAA", "XNAS", Math.Round(mid - 0.005, 4), 100, Math.Round(mid + 0.005, 4), 100, T0 + ms * Ms - 50_000, 0));
        }
        store.Insert(quotes);
        var parents = new List<ParentOrder>();
        var events = new List<OrderEvent>();
        var n = 0;
        foreach (var (host, pool) in new[] { ("calm-1", "calm"), ("storm-1", "storm") })
        {
            for (var i = 0; i < 10; i++)
            {
                var arrival = T0 + (i * 1000 + 100) * Ms;
                var storm = host == "storm-1" && arrival >= T0 + 7_000 * Ms;
                var id = $"P{n++}";
                parents.Add(new ParentOrder(id, "AAA", 1, 1000, arrival, 100, arrival + 800 * Ms, "twap", host, pool, "normal"));
                for (var c = 0; c < 4; c++)
                {
                    var child = $"{id}-c{c}";
                    var decided = arrival + c * 100 * Ms;
                    var send = decided + (storm ? 300 : 20) * Time.NanosPerMicro;
                    var liq = storm && c >= 2 ? Liquidity.Aggressive : Liquidity.Passive;
                    var px = liq == Liquidity.Aggressive ? 100.02 : 99.995;
                    events.Add(new OrderEvent(decided, id, child, child, null, OrderEventKind.Decision, px, 250, "XNAS", host, 0, liq, ""));
                    events.Add(new OrderEvent(send, id, child, child, null, OrderEventKind.Send, px, 250, "XNAS", host, 0, liq, ""));
                    events.Add(new OrderEvent(send + 5 * Ms, id, child, child, null, OrderEventKind.Fill, px, storm && liq == Liquidity.Passive ? 100 : 250, "XNAS", host, 0, liq, $"{child}-f"));
                }
            }
        }
        store.Insert(parents);
        store.Insert(events);
    }
}
