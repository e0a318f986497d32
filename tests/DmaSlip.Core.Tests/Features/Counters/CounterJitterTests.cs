using DmaSlip.Core.Domain;
using DmaSlip.Core.Features.Counters;
using DmaSlip.Core.Metrics;

namespace DmaSlip.Core.Tests.Features.Counters;

/// <summary>docs/METRICS.md "DJS and PSO from counters": the worked examples, by hand.</summary>
public sealed class CounterJitterTests
{
    private const long W = CounterFrameBuilderTests.W;
    private const long T0 = CounterFrameBuilderTests.T0;

    private static List<(HostFrame Frame, FrameSources Sources)> Emit(CounterFrameBuilder b) => CounterFrameBuilderTests.Emit(b);

    [Fact]
    public void Djs_from_invalidation_stalls_worked_example()
    {
        // One queue, three windows. dmar_perf_latency: 40 waits in 1–10 µs over window 0 and 1 each (mean of a
        // log-uniform decade 9000/ln 10 = 3 908.65 ns), an empty delta over window 2.
        var b = new CounterFrameBuilder("h", "eth0", 1, T0, T0 + 3 * W, W);
        b.AddQueue(QueueSeries.QiSubmit, 0, T0, T0 + W, 2000);
        b.AddQueue(QueueSeries.QiSubmit, 0, T0 + W, T0 + 2 * W, 50);
        b.AddQueue(QueueSeries.QiSubmit, 0, T0 + 2 * W, T0 + 3 * W, 0);
        b.AddHost(HostSeries.InvBucket0 + 2, T0, T0 + W, 40);
        b.AddHost(HostSeries.InvBucket0 + 2, T0 + W, T0 + 2 * W, 40);
        b.AddHost(HostSeries.InvBucket0 + 2, T0 + 2 * W, T0 + 3 * W, 0);
        var f = Emit(b).Select(x => x.Frame).ToList();
        var wait = 9000 / Math.Log(10);
        Assert.Equal(3908.65, wait, 2);
        // Window 0: φ = 2000 · 3 908.65 / 10⁸ = 7.817 % > 1 % → q50 1 000 ns; the stalled completions wait U·L̄, so
        // q99 = 1 000 + 3 908.65 · (0.99 − 0.92183)/0.07817 = 1 000 + 3 908.65 · 0.87208 = 4 408.65 ns, DJS 3.4087.
        var phi = 2000 * wait / 1e8;
        Assert.Equal(0.078173, phi, 6);
        Assert.Equal(1000, f[0].DmaLatencyQ50Ns!.Value, 9);
        Assert.Equal(1000 + (wait * (0.99 - (1 - phi)) / phi), f[0].DmaLatencyQ99Ns!.Value, 9);
        Assert.Equal(4408.65, f[0].DmaLatencyQ99Ns!.Value, 2);
        Assert.Equal(3.4087, DeskMetrics.Djs(f[0])!.Value, 4);
        // Window 1: φ = 50 · 3 908.65 / 10⁸ = 0.2 % → DJS 0. Window 2: nothing submitted, nothing completed → DJS 0.
        Assert.Equal(0, DeskMetrics.Djs(f[1])!.Value, 12);
        Assert.Equal(0, DeskMetrics.Djs(f[2])!.Value, 12);
    }

    [Fact]
    public void Stall_latency_quantiles_follow_the_mixture_of_the_base_and_a_uniform_wait_within_a_spin()
    {
        // φ = 600 · 100 000 / 10⁸ = 0.6 > 0.5: the median completion is stalled too, but less than the 99th:
        // q50 = 1 000 + 100 000 · (0.5 − 0.4)/0.6 = 17 666.7, q99 = 1 000 + 100 000 · (0.99 − 0.4)/0.6 = 99 333.3.
        var (q50, q99) = CounterJitter.StallLatency(600, 1e8, 100_000, 1000);
        Assert.Equal(17_666.667, q50, 3);
        Assert.Equal(99_333.333, q99, 3);
        // φ capped at 1; φ = 0 without descriptors.
        Assert.Equal((1000.0, 1000.0), CounterJitter.StallLatency(0, 1e8, 100_000, 1000));
    }

    [Fact]
    public void Without_a_latency_histogram_the_dma_columns_are_null()
    {
        var b = new CounterFrameBuilder("h", "eth0", 1, T0, T0 + W, W);
        b.AddQueue(QueueSeries.QiSubmit, 0, T0, T0 + W, 2000);
        var (frame, sources) = Emit(b)[0];
        Assert.Null(frame.DmaLatencyQ99Ns);
        Assert.Null(DeskMetrics.Djs(frame));
        Assert.Equal(FrameSources.None, sources & FrameSources.StallModel);
    }

    [Fact]
    public void Pso_from_send_counts_worked_example()
    {
        // net:net_dev_xmit per 100 ms: 100 in nine windows and 200 in the tenth → μ = 110, σ² = (9·10² + 90²)/10 = 900,
        // CV = √(900 − 110)/110 = 0.25552 per 100 ms in the tenth window (its trailing 2 s hold these ten), carried to
        // the 1 ms slot: × √(100 ms / 1 ms) = 2.5552; the ninth window has only nine → null.
        var b = new CounterFrameBuilder("h", "eth0", 1, T0, T0 + 10 * W, W);
        for (var w = 0; w < 10; w++)
        {
            b.AddQueue(QueueSeries.QiSubmit, 0, T0 + w * W, T0 + (w + 1) * W, 1);
            b.AddQueue(QueueSeries.Tx, 0, T0 + w * W, T0 + (w + 1) * W, w == 9 ? 200 : 100);
        }
        var f = Emit(b).Select(x => x.Frame).ToList();
        Assert.Null(f[8].TxCadenceCv);
        Assert.Equal(0, CounterJitter.OverdispersedCv(Enumerable.Repeat(100.0, 10).ToArray())!.Value, 12); // equal counts: σ² = 0 ≤ μ
        Assert.Equal(Math.Sqrt(790) / 110 * 10, f[9].TxCadenceCv!.Value, 12);
        Assert.Null(f[9].RxCadenceCv);                           // RX stays null on counter frames
        Assert.Equal(2.5552, DeskMetrics.Pso(f[9])!.Value, 4);
    }

    [Fact]
    public void A_cv_of_100_ms_counts_is_carried_to_the_1_ms_slot_by_the_square_root_of_the_width_ratio()
    {
        // Bunching shorter than the interval: excess Fano factor F − 1 = CV²·μ is the same at 1 ms and 100 ms, μ is 100×
        // → CV(1 ms) = CV(100 ms) · √100. E.g. pairs of sends (F = 2) at 50 per ms: CV(1 ms) = √(1/50) = 0.14142,
        // CV(100 ms) = √(1/5 000) = 0.014142 → × 10 = 0.14142.
        Assert.Equal(Math.Sqrt(1.0 / 50), CounterJitter.PerSlot(Math.Sqrt(1.0 / 5_000), W, Time.NanosPerMilli)!.Value, 12);
        Assert.Null(CounterJitter.PerSlot(null, W, Time.NanosPerMilli));
        Assert.Equal(0.3, CounterJitter.PerSlot(0.3, Time.NanosPerMilli, Time.NanosPerMilli)!.Value, 12);
    }
}
