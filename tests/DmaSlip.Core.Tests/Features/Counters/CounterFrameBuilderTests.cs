using DmaSlip.Core.Domain;
using DmaSlip.Core.Features.Counters;

namespace DmaSlip.Core.Tests.Features.Counters;

public sealed class CounterFrameBuilderTests
{
    internal const long W = 100 * Time.NanosPerMilli;
    internal const long T0 = 1_000 * Time.NanosPerSecond;

    internal static List<(HostFrame Frame, FrameSources Sources)> Emit(CounterFrameBuilder b)
    {
        var list = new List<(HostFrame, FrameSources)>();
        b.Emit((f, s) => list.Add((f, s)));
        return list;
    }

    [Fact]
    public void Worked_example_of_docs_metrics_counter_frame_is_reproduced()
    {
        // docs/METRICS.md "Counter frames, worked example": one queue, two 100 ms windows.
        var b = new CounterFrameBuilder("h", "eth0", 1, T0, T0 + 2 * W, W);
        b.UsedInterrupts();
        // perf stat -I 100: qi_submit 40 then 10, map 300 then 100, unmap 200 in the first interval only.
        b.AddQueue(QueueSeries.QiSubmit, 0, T0, T0 + W, 40);
        b.AddQueue(QueueSeries.QiSubmit, 0, T0 + W, T0 + 2 * W, 10);
        b.AddQueue(QueueSeries.Map, 0, T0, T0 + W, 300);
        b.AddQueue(QueueSeries.Map, 0, T0 + W, T0 + 2 * W, 100);
        b.AddQueue(QueueSeries.Unmap, 0, T0, T0 + W, 200);
        // PMU: 1000 lookups, 900 hits in the first window; nothing in the second.
        b.AddHost(HostSeries.IotlbLookup, T0, T0 + W, 1000);
        b.AddHost(HostSeries.IotlbHit, T0, T0 + W, 900);
        // ethtool over 200 ms: 50 polls, 40 re-arms, 20 slow allocations, 5 waived (remote NUMA) → shared evenly.
        b.AddQueue(QueueSeries.EthtoolPolls, 0, T0, T0 + 2 * W, 50);
        b.AddQueue(QueueSeries.EthtoolArms, 0, T0, T0 + 2 * W, 40);
        b.AddQueue(QueueSeries.EthtoolSlowAllocs, 0, T0, T0 + 2 * W, 20);
        b.AddQueue(QueueSeries.EthtoolWaived, 0, T0, T0 + 2 * W, 5);
        // dmar_perf_latency over the first window: 6 in 0.1–1 µs, 4 in 1–10 µs.
        b.AddHost(HostSeries.InvBucket0 + 1, T0, T0 + W, 6);
        b.AddHost(HostSeries.InvBucket0 + 2, T0, T0 + W, 4);

        var frames = Emit(b);
        Assert.Equal(2, frames.Count);
        var (f0, s0) = frames[0];
        Assert.Equal(((double?)400.0, (double?)3000.0, (double?)2000.0), (f0.FlushRate, f0.MapRate, f0.UnmapRate));
        Assert.Equal(0.1, f0.IotlbMissRatio!.Value, 12);
        Assert.Equal(0.2, f0.NapiSaturationShare!.Value, 12);   // (50 − 40) / 50
        Assert.Equal(0.75, f0.NumaLocalShare!.Value, 12);       // 1 − 5 / 20
        // q50: rank 5 of 10 lies in 0.1–1 µs at 5/6 → 100·10^(5/6) = 681.3 ns; q99: rank 9.9 in 1–10 µs at 3.9/4 → 1000·10^0.975 = 9440.6 ns
        Assert.Equal(100 * Math.Pow(10, 5.0 / 6), f0.InvLatencyQ50Ns!.Value, 6);
        Assert.Equal(1000 * Math.Pow(10, 0.975), f0.InvLatencyQ99Ns!.Value, 6);
        Assert.Null(f0.FlushBurstQ95);
        Assert.Null(f0.RxCadenceCv);
        // Stall model: mean wait (6·390.865 + 4·3 908.65)/10 = 1 798 ns, 40 descriptors spin 71.9 µs of 100 ms
        // (φ = 0.07 % < 1 %): q50 = q99 = the assumed 1 µs round trip, DJS 0.
        Assert.Equal((1000.0, 1000.0), (f0.DmaLatencyQ50Ns!.Value, f0.DmaLatencyQ99Ns!.Value));
        Assert.Null(f0.TxCadenceCv);            // two windows: fewer than the ten a send-cadence CV needs
        Assert.Equal(540, f0.Events);
        Assert.Equal(FrameSources.TracepointCounts | FrameSources.Interrupts | FrameSources.IommuPmu | FrameSources.Ethtool | FrameSources.DmarLatency | FrameSources.StallModel, s0);

        var (f1, s1) = frames[1];
        Assert.Equal(((double?)100.0, (double?)1000.0, (double?)0.0), (f1.FlushRate, f1.MapRate, f1.UnmapRate));
        Assert.Null(f1.IotlbMissRatio);          // no lookups counted in the window: null, not 0
        Assert.Null(f1.InvLatencyQ50Ns);
        Assert.Null(f1.DmaLatencyQ99Ns);         // dmar_perf_latency not read over window 1
        Assert.Equal(FrameSources.TracepointCounts | FrameSources.Interrupts | FrameSources.Ethtool, s1);
    }

    [Fact]
    public void An_interval_straddling_windows_is_shared_by_overlap_and_rates_divide_by_covered_time()
    {
        var b = new CounterFrameBuilder("h", "eth0", 1, T0, T0 + 3 * W, W);
        // 150 ms interval from 50 ms: a third in window 0, two thirds in window 1.
        b.AddQueue(QueueSeries.QiSubmit, 0, T0 + W / 2, T0 + 2 * W, 30);
        var frames = Emit(b);
        Assert.Equal(2, frames.Count);
        Assert.Equal(10 / 0.05, frames[0].Frame.FlushRate!.Value, 9);  // 10 over the 50 ms covered
        Assert.Equal(20 / 0.1, frames[1].Frame.FlushRate!.Value, 9);
    }

    [Fact]
    public void A_trace_frame_is_taken_only_for_a_window_a_capture_covers_whole()
    {
        var b = new CounterFrameBuilder("h", "eth0", 1, T0, T0 + 3 * W, W);
        for (var w = 0; w < 3; w++)
        {
            b.AddQueue(QueueSeries.QiSubmit, 0, T0 + w * W, T0 + (w + 1) * W, 5);
        }
        b.AddCapture(T0 + W + 300_000, T0 + 2 * W - 200_000);     // starts and ends within one ms of window 1's edges
        HostFrame Trace(int w) => new("h", "eth0", 0, T0 + w * W, W, 50, 0, 2, 3, 0, 0, null, null, null, null, null, null, null, 0.5, null, 0.4, 0.6, 5);
        Assert.False(b.AddTraceFrame(Trace(0), Time.NanosPerMilli));
        Assert.True(b.AddTraceFrame(Trace(1), Time.NanosPerMilli));
        var frames = Emit(b);
        Assert.Null(frames[0].Frame.FlushBurstQ95);
        var (f1, s1) = frames[1];
        Assert.Equal((50.0, 2.0, 0.4, 0.6, 0.5), (f1.FlushRate!.Value, f1.FlushBurstQ95!.Value, f1.RxCadenceCv!.Value, f1.TxCadenceCv!.Value, f1.NapiSaturationShare!.Value));
        Assert.Equal(FrameSources.TracepointCounts | FrameSources.Trace, s1);
    }

    [Fact]
    public void Counter_streams_turn_interval_and_cumulative_rows_into_intervals()
    {
        var b = new CounterFrameBuilder("h", "eth0", 2, T0, T0 + 3 * W, W);
        var s = new CounterStreams(b, new Dictionary<int, int> { [5] = 1 });
        // perf stat -I rows end their interval; the first spans the stream's first spacing.
        s.Observe(new HostCounter(T0 + W, "h", "perf_stat", "cpu5", "intel_iommu:qi_submit", 7));
        s.Observe(new HostCounter(T0 + 2 * W, "h", "perf_stat", "cpu5", "intel_iommu:qi_submit", 9));
        s.Observe(new HostCounter(T0 + W, "h", "perf_stat", "cpu6", "intel_iommu:qi_submit", 99)); // CPU serving no queue
        // ethtool: cumulative; a counter going down contributes nothing.
        s.Observe(new HostCounter(T0, "h", "ethtool", "eth0", "ch1_poll", 100));
        s.Observe(new HostCounter(T0 + W, "h", "ethtool", "eth0", "ch1_poll", 120));
        s.Observe(new HostCounter(T0 + 2 * W, "h", "ethtool", "eth0", "ch1_poll", 5));
        s.Observe(new HostCounter(T0, "h", "ethtool", "eth0", "ch1_arm", 100));
        s.Observe(new HostCounter(T0 + W, "h", "ethtool", "eth0", "ch1_arm", 115));
        Assert.Equal((7L, 1L), (s.Used, s.Unused));
        var frames = Emit(b);
        Assert.Equal([(1, T0, 70.0), (1, T0 + W, 90.0)], frames.Select(f => (f.Frame.Queue, f.Frame.WindowStartNs, f.Frame.FlushRate!.Value)));
        Assert.Equal(0.25, frames[0].Frame.NapiSaturationShare!.Value, 12); // (20 − 15) / 20
        Assert.Null(frames[1].Frame.NapiSaturationShare);
    }

    [Fact]
    public void A_window_only_a_queues_interrupt_vector_covered_has_a_frame_with_null_rates_and_the_interrupts_source()
    {
        // A VM: no tracepoint counts, no IOMMU; /proc/interrupts says the queue's vector fired 7 times, then not at all.
        var b = new CounterFrameBuilder("h", "eth0", 1, T0, T0 + 3 * W, W);
        var s = new CounterStreams(b, new Dictionary<int, int> { [1] = 0 });
        s.Observe(new HostCounter(T0, "h", "interrupts", "eth0", "queue0.interrupts", 100));
        s.Observe(new HostCounter(T0 + W, "h", "interrupts", "eth0", "queue0.interrupts", 107));
        s.Observe(new HostCounter(T0 + 2 * W, "h", "interrupts", "eth0", "queue0.interrupts", 107));
        s.Observe(new HostCounter(T0 + W, "h", "interrupts", "eth1", "queue0.interrupts", 500)); // another NIC's vector
        Assert.Equal((3L, 1L), (s.Used, s.Unused));
        var frames = Emit(b);
        Assert.Equal([(T0, 7L), (T0 + W, 0L)], frames.Select(f => (f.Frame.WindowStartNs, f.Frame.Events)));
        Assert.All(frames, f =>
        {
            // looked at, but nothing counted invalidations or maps: null, not a measured 0
            Assert.Equal(((double?)null, (double?)null, (double?)null), (f.Frame.FlushRate, f.Frame.MapRate, f.Frame.UnmapRate));
            Assert.Null(f.Frame.InvLatencyQ50Ns);
            Assert.Equal(FrameSources.Interrupts, f.Sources);
        });
    }

    [Fact]
    public void Streaming_with_a_watermark_emits_the_frames_the_fixed_span_emits()
    {
        var batch = new CounterFrameBuilder("h", "eth0", 2, T0 - W, T0 + 40 * W, W);
        var stream = CounterFrameBuilder.Streaming("h", "eth0", 2, T0 - W, W, capacityWindows: 2);
        var queueOfCpu = new Dictionary<int, int> { [0] = 0, [1] = 1 };
        var rows = new List<HostCounter>();
        var rng = new Random(5);
        for (var t = 0; t <= 40; t++)
        {
            var ts = T0 + (t * W);
            for (var cpu = 0; cpu < 2; cpu++)
            {
                rows.Add(new HostCounter(ts, "h", "perf_stat", "cpu" + cpu, "intel_iommu:qi_submit", rng.Next(0, 50)));
                rows.Add(new HostCounter(ts, "h", "perf_stat", "cpu" + cpu, "iommu:map", rng.Next(0, 500)));
            }
            if (t % 10 == 0)
            {
                // a coarser cumulative source (ethtool every second) whose deltas span ten windows
                rows.Add(new HostCounter(ts, "h", "ethtool", "eth0", "ch1_poll", t * 30));
                rows.Add(new HostCounter(ts, "h", "ethtool", "eth0", "ch1_arm", t * 20));
            }
        }
        var batchStreams = new CounterStreams(batch, queueOfCpu);
        foreach (var r in rows.OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.Device, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.TsNs))
        {
            batchStreams.Observe(r);
        }
        var expected = Emit(batch).OrderBy(f => f.Frame.WindowStartNs).ThenBy(f => f.Frame.Queue).ToList();

        var live = new CounterStreams(stream, queueOfCpu);
        var got = new List<(HostFrame, FrameSources)>();
        foreach (var tick in rows.GroupBy(r => r.TsNs))
        {
            foreach (var r in tick)
            {
                live.Observe(r);
            }
            // windows end by the oldest latest row of the streams still reporting
            stream.EmitBefore(live.Watermark(tick.Key - (20 * W)), (f, s) => got.Add((f, s)));
        }
        stream.Emit((f, s) => got.Add((f, s)));
        Assert.Equal(0, stream.LateInputs);
        Assert.True(stream.Capacity < 40, $"the ring held {stream.Capacity} windows");
        Assert.Equal(expected.Count, got.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Sources, got[i].Item2);
            Assert.Equal(expected[i].Frame.WindowStartNs, got[i].Item1.WindowStartNs);
            Assert.Equal(expected[i].Frame.FlushRate!.Value, got[i].Item1.FlushRate!.Value, 9);
            Assert.Equal(expected[i].Frame.NapiSaturationShare, got[i].Item1.NapiSaturationShare);
        }
    }

    [Fact]
    public void Decade_histogram_quantile_interpolates_log_uniformly_within_the_bucket()
    {
        // SPR sample (docs reference): 286 in 0.1–1 µs, 123 in 1–10 µs; q50 rank 204.5 → 100·10^(204.5/286) = 518.8 ns.
        double[] buckets = [0, 286, 123, 0, 0, 0, 0];
        Assert.Equal(518.84, DecadeHistogram.Quantile(buckets, 409, 0.5), 2);
        Assert.Equal((null, null), DecadeHistogram.Quantiles(new double[7]));
    }
}
