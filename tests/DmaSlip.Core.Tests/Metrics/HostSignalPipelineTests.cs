using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;

namespace DmaSlip.Core.Tests.Metrics;

public sealed class HostSignalPipelineTests
{
    private const long W = 100 * Time.NanosPerMilli;

    private static HostFrame Frame(int queue, long start, double flushRate, double dmaQ99, double rxCv, double burst = 8) =>
        new("h", "eth0", queue, start, W, flushRate, burst * 0.6, burst, burst * 1.3, 50_000, 49_800, null, 900, 1_500, 2_000, dmaQ99,
            0.1, 4.5, 0.02, 0.97, rxCv, 0.1, 100_000);

    private static List<HostFrame> Calm(int windows)
    {
        var frames = new List<HostFrame>();
        for (var w = 0; w < windows; w++)
        {
            frames.Add(Frame(0, w * W, 1_000 * (1 + (0.05 * Math.Sin(w))), 2_400, 0.2));
        }
        return frames;
    }

    [Fact]
    public void The_worst_queue_takes_each_signal_s_maximum_over_the_queues()
    {
        var baseline = HostBaseline.FromFrames("h", Calm(100));
        // DJS = (q99 − q50)/q50 with q50 = 2 000: 2 400 → 0.2, 3 800 → 0.9, 2 800 → 0.4. PSO = max(rx, tx = 0.1): 1.4, 0.3, 0.5.
        var frames = new[] { Frame(0, 0, 1_000, 2_400, 1.4), Frame(1, 0, 4_000, 3_800, 0.3), Frame(2, 0, 20_000, 2_800, 0.5, burst: 60) };

        var s = HostSignalPipeline.WorstQueue(frames, baseline, stormRecurrence: 2, deadlinePressure: 0.25);

        Assert.Equal(frames.Max(f => DeskMetrics.Dfi(f, baseline)), s.Dfi);
        Assert.Equal(DeskMetrics.Dfi(frames[2], baseline), s.Dfi); // the flush-storming queue
        Assert.Equal(0.9, s.Djs, 12);
        Assert.Equal(1.4, s.Pso, 12);
        Assert.Equal(2, s.StormRecurrence);
        Assert.Equal(0.25, s.DeadlinePressure);
    }

    [Fact]
    public void A_warm_up_of_n_windows_holds_map_stable_then_starts_the_controller_at_the_nth_window_s_end()
    {
        var p = new HostSignalPipeline("h", RegimeControllerConfig.Default, BaselinePolicy.WarmUp(10));
        var frames = Calm(12);
        for (var i = 0; i < 10; i++)
        {
            Assert.False(p.OnWindow([frames[i]], 0, out _));
            Assert.Equal(i < 9, p.Controller is null);
        }
        Assert.Equal(0, p.Updates);
        Assert.Equal(default, p.Signals);
        Assert.NotNull(p.Baseline);
        p.OnWindow([frames[10]], 0, out _);
        Assert.Equal(1, p.Updates);
        Assert.Equal(Regime.MapStable, p.Current);
    }

    [Fact]
    public void While_warming_up_the_published_DFI_is_null_with_its_reason_and_the_frame_only_metrics_are_there()
    {
        var p = new HostSignalPipeline("h", RegimeControllerConfig.Default, BaselinePolicy.WarmUp(10));
        Assert.Equal(HostSignals.WarmingUp, p.Published);
        p.OnWindow([Frame(0, 0, 1_000, 2_400, 0.2)], 0, out _);

        Assert.Equal(default, p.Signals); // the controller has not started
        Assert.Equal(new SignalValue(null, SignalGap.WarmingUp), p.Published.Dfi);
        Assert.Equal("warming up (the host's baseline is not complete yet)", p.Published.Dfi.Reason("dfi"));
        Assert.Equal(0.2, p.Published.Djs.Value!.Value, 12); // (2 400 − 2 000) / 2 000: needs no baseline
        Assert.Equal(0.2, p.Published.Pso.Value!.Value, 12);
    }

    [Fact]
    public void A_host_without_a_flush_source_gives_the_controller_0_and_publishes_null_no_flush_source()
    {
        var p = new HostSignalPipeline("h", RegimeControllerConfig.Default, BaselinePolicy.WarmUp(5));
        // counter-only frames of a host without invalidation counts or traces: no flush rate, no burst quantiles
        HostFrame Bare(long w) => Frame(0, w * W, 0, 2_400, 0.3) with { FlushRate = null, FlushBurstQ50 = null, FlushBurstQ95 = null, FlushBurstQ99 = null };
        for (var w = 0; w < 5; w++)
        {
            p.OnWindow([Bare(w)], 0, out _);
            Assert.Equal(SignalGap.NoSource, p.Published.Dfi.Gap); // not "warming up": there is nothing to warm up on
        }
        p.OnWindow([Bare(5)], 0, out _);

        Assert.Equal(1, p.Updates);
        Assert.Equal(0, p.Signals.Dfi); // no evidence of pressure, for the controller
        Assert.Null(p.Published.Dfi.Value);
        Assert.Equal("no flush source", p.Published.Dfi.Reason("dfi"));
        Assert.Equal(p.Signals.Djs, p.Published.Djs.Value);
        Assert.Equal(p.Signals.Pso, p.Published.Pso.Value);
        Assert.Equal((p.Signals.StormRecurrence, p.Signals.DeadlinePressure), (p.Published.StormRecurrence, p.Published.DeadlinePressure));
    }

    [Fact]
    public void A_published_metric_no_queue_has_is_null_and_one_some_queue_has_is_the_maximum_over_those()
    {
        var baseline = HostBaseline.FromFrames("h", Calm(100));
        var withLatency = Frame(0, 0, 1_000, 3_000, 0.4);
        var without = Frame(1, 0, 1_000, 0, 0.9) with { DmaLatencyQ50Ns = null, DmaLatencyQ99Ns = null };

        var s = HostSignals.WorstQueue([withLatency, without], baseline, 0, 0);
        Assert.Equal(0.5, s.Djs.Value!.Value, 12); // (3 000 − 2 000) / 2 000 from the one queue that has it
        Assert.Equal(0.9, s.Pso.Value!.Value, 12);
        var none = HostSignals.WorstQueue([without], baseline, 0, 0);
        Assert.Equal(new SignalValue(null, SignalGap.NoSource), none.Djs);
        Assert.Equal("no DMA latency source", none.Djs.Reason("djs"));
    }

    [Fact]
    public void A_warm_up_duration_is_whole_windows_rounded_up_and_hindsight_has_none()
    {
        Assert.Equal(30, BaselinePolicy.WarmUpFor(3 * Time.NanosPerSecond).WarmUpWindowsFor(W));
        Assert.Equal(31, BaselinePolicy.WarmUpFor((3 * Time.NanosPerSecond) + 1).WarmUpWindowsFor(W));
        var hindsight = BaselinePolicy.FromHindsight(HostBaseline.FromFrames("h", Calm(50)));
        Assert.Equal(0, hindsight.WarmUpWindowsFor(W));
        var p = new HostSignalPipeline("h", RegimeControllerConfig.Default, hindsight);
        p.OnWindow([Calm(1)[0]], 0, out _);
        Assert.Equal(1, p.Updates); // the first window already feeds the controller
        Assert.Equal("hindsight", hindsight.ToString());
        Assert.Equal("warm-up 600 windows", BaselinePolicy.WarmUp().ToString());
    }

    [Fact]
    public void The_assembler_closes_a_window_when_all_queues_reported_or_the_next_window_starts()
    {
        var closed = new List<(long Start, int Count)>();
        var a = new WindowAssembler();
        void On(IReadOnlyList<HostFrame> w) => closed.Add((w[0].WindowStartNs, w.Count));
        a.Add(Frame(0, 0, 1, 1, 1), On);
        a.Add(Frame(1, 0, 1, 1, 1), On);
        Assert.Empty(closed); // the first window's queue count is not known yet
        a.Add(Frame(0, W, 1, 1, 1), On);
        Assert.Equal([(0L, 2)], closed);
        a.Add(Frame(1, W, 1, 1, 1), On);
        Assert.Equal([(0L, 2), (W, 2)], closed); // closed as soon as both queues are in
        a.Add(Frame(0, 2 * W, 1, 1, 1), On);
        a.Flush(On);
        Assert.Equal((2 * W, 1), closed[^1]);
    }
}
