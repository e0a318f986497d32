using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;
using DmaSlip.Core.Metrics;

namespace DmaSlip.Core.Tests.Metrics;

/// <summary>
/// Desk metrics on synthetic 1 ms-aggregated event streams that model a storm (until the simulator's storm
/// scenario is available on main, see docs/METRICS.md): the storm host has bursty domain-wide flushes, a DMA
/// completion tail and NAPI-delayed RX (packets pile up in few slots); the calm host has none of these.
/// </summary>
public sealed class SyntheticStormTests
{
    private static readonly long T0 = Time.FromDate(2026, 1, 5);

    private static List<HostFrame> Run(string host, int seconds, Func<long, bool> inStorm, int seed)
    {
        var rng = new Random(seed);
        var sink = new ListFrameSink();
        var engine = new HostFrameEngine(host, "eth0", 0, sink);
        for (long ms = 0; ms < seconds * 1000L; ms++)
        {
            var ts = T0 + ms * Time.NanosPerMilli;
            var storm = inStorm(ms);
            var flushes = Poisson(rng, storm ? 12 : 2) + (storm && rng.NextDouble() < 0.15 ? 60 : 0);
            if (flushes > 0)
            {
                engine.Observe(new HostEvent(ts, HostEventKind.Flush, 0, 0, 0, 0, 0, flushes));
            }
            engine.Observe(new HostEvent(ts, HostEventKind.Map, 0, 0, 0, 0, 0, 50));
            engine.Observe(new HostEvent(ts, HostEventKind.Unmap, 0, 0, 0, 0, 0, 50));
            var dma = 2_000 + rng.Next(400);
            engine.Observe(new HostEvent(ts, HostEventKind.DmaComplete, 0, 0, 0, dma, 0, 48));
            if (storm)
            {
                engine.Observe(new HostEvent(ts, HostEventKind.DmaComplete, 0, 0, 0, 20_000 + rng.Next(30_000), 0, 2));
            }
            // RX: calm ≈ 50 packets every ms; under a storm NAPI runs late, so 2 slots in 3 deliver nothing and the third the backlog.
            var rx = storm ? (ms % 3 == 2 ? 150 : 0) : 45 + rng.Next(11);
            if (rx > 0)
            {
                engine.Observe(new HostEvent(ts, HostEventKind.Rx, 0, 0, 1500, 0, 0, rx));
            }
        }
        engine.Flush();
        return sink.Frames;
    }

    private static int Poisson(Random rng, double lambda)
    {
        var l = Math.Exp(-lambda);
        var k = 0;
        var p = 1.0;
        do
        {
            k++;
            p *= rng.NextDouble();
        }
        while (p > l);
        return k - 1;
    }

    [Fact]
    public void Storm_host_scores_higher_dfi_djs_and_pso_than_the_calm_host_and_calm_dfi_stays_low()
    {
        // 60 s each; the storm host is calm for the first 30 s (its baseline), then storms for 10 s out of every 15 s.
        var calm = Run("calm", 60, _ => false, 1);
        var storm = Run("storm", 60, ms => ms >= 30_000 && ms % 15_000 < 10_000, 2);
        var calmBase = HostBaseline.FromFrames("calm", calm);
        var stormBase = HostBaseline.FromFrames("storm", storm);

        var calmDfi = calm.Select(f => DeskMetrics.Dfi(f, calmBase)).ToList();
        var stormWindows = storm.Where(f => f.WindowStartNs - T0 >= 30 * Time.NanosPerSecond && (f.WindowStartNs - T0) / Time.NanosPerMilli % 15_000 < 10_000).ToList();
        var stormDfi = stormWindows.Select(f => DeskMetrics.Dfi(f, stormBase)).ToList();

        var calmQ95 = calmDfi.Order().ElementAt((int)(0.95 * (calmDfi.Count - 1)));
        Assert.True(calmDfi.Max() < 50, $"calm DFI max {calmDfi.Max():F1}");
        Assert.True(calmQ95 < 20, $"calm DFI q95 {calmQ95:F1}");
        Assert.True(calmDfi.Average() < 10, $"calm DFI mean {calmDfi.Average():F1}");
        var weakest = stormWindows[stormDfi.IndexOf(stormDfi.Min())];
        Assert.True(stormDfi.Min() > 90, $"storm DFI min {stormDfi.Min():F1} {stormBase} {weakest.FlushRate} {weakest.FlushBurstQ95}");
        Assert.True(stormWindows.Average(f => DeskMetrics.Djs(f)!.Value) > 3 * calm.Average(f => DeskMetrics.Djs(f)!.Value));
        Assert.True(stormWindows.Average(f => DeskMetrics.Pso(f)!.Value) > 5 * calm.Average(f => DeskMetrics.Pso(f)!.Value));
        // The baseline of the storm host is its calm half, not the storms.
        Assert.InRange(stormBase.FlushRateMedian, calmBase.FlushRateMedian * 0.8, calmBase.FlushRateMedian * 1.25);
    }
}
