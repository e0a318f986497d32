using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;
using DmaSlip.Core.Features.Counters;

namespace DmaSlip.Core.Tests.Features.Counters;

/// <summary><c>features</c>' streamed day: the same frames as one builder over the whole span, with a bounded ring.</summary>
public sealed class CounterSpanFramesTests
{
    private const long W = CounterFrameBuilderTests.W;
    private const long T0 = CounterFrameBuilderTests.T0;
    private const int Windows = 1_200; // 120 s

    [Fact]
    public void Slices_in_time_order_give_the_frames_of_one_builder_over_the_whole_span_and_hold_a_slice_not_the_day()
    {
        var queueOfCpu = new Dictionary<int, int> { [0] = 0, [2] = 1 };
        var rows = Rows(new Random(17));
        var first = T0 + W;
        var last = T0 + (Windows * W);
        // A capture covering windows 600–602 whole (events from just inside its first ms to its last), and its frames.
        var captures = new List<(long, long)> { (T0 + (600 * W) + 100, T0 + (603 * W) - 100) };
        var trace = Enumerable.Range(600, 3).Select(w => TraceFrame(T0 + (w * W), queue: 1)).ToList();
        var options = HostFrameOptions.Default;

        // The reference: one builder over the span [first − step, last], rows stream by stream (the former features read).
        var whole = new CounterFrameBuilder("h", "eth0", 2, first - W, last + 1, W);
        whole.UsedInterrupts();
        var wholeStreams = new CounterStreams(whole, queueOfCpu);
        foreach (var r in rows.OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.Device, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.TsNs))
        {
            wholeStreams.Observe(r);
        }
        foreach (var (s, e) in captures)
        {
            whole.AddCapture(s, e);
        }
        foreach (var f in trace)
        {
            whole.AddTraceFrame(f, options.SlotNs);
        }
        var expected = CounterFrameBuilderTests.Emit(whole);

        // Streamed: rows in (ts, source, device, name) order, 7-second slices that do not align with the 1 s snapshots.
        var got = new List<(HostFrame Frame, FrameSources Sources)>();
        var day = new CounterSpanFrames("h", "eth0", queueOfCpu, first, W, last, options, captures, trace, (f, s) => got.Add((f, s)));
        var ordered = rows.OrderBy(r => r.TsNs).ThenBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.Device, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        const long slice = 7 * Time.NanosPerSecond;
        var held = 0;
        var i = 0;
        for (var start = ordered[0].TsNs; start <= ordered[^1].TsNs; start += slice)
        {
            while (i < ordered.Count && ordered[i].TsNs < start + slice)
            {
                day.Observe(ordered[i++]);
            }
            day.Advance(start + slice);
            held = Math.Max(held, day.HeldWindows);
        }
        day.Finish();

        Assert.Equal(0, day.LateInputs);
        Assert.Equal(3, day.TraceFramesKept);
        Assert.Equal(expected.Count, day.Frames);
        Assert.Equal(Windows * 2, got.Count);
        for (var k = 0; k < expected.Count; k++)
        {
            Assert.Equal(expected[k].Frame, got[k].Frame);
            Assert.Equal(expected[k].Sources, got[k].Sources);
        }
        Assert.Equal(2.5, got.Single(g => g.Frame.Queue == 1 && g.Frame.WindowStartNs == T0 + (601 * W)).Frame.FlushBurstQ50);
        // The initial ring (4 × the 10 s lag = 400 windows) holds a slice (70 windows) and the lag: it never grows
        // towards the 1 200 windows of the span.
        Assert.True(held <= 400, $"held {held} windows");
    }

    // Per-CPU perf stat at 100 ms (CPU 1 serves no queue), ethtool and dmar_perf_latency snapshots at 1 s, the PMU at 100 ms.
    private static List<HostCounter> Rows(Random rng)
    {
        var rows = new List<HostCounter>();
        double polls = 0, arms = 0, bucket = 0;
        for (var t = 1; t <= Windows; t++)
        {
            var ts = T0 + (t * W);
            foreach (var cpu in new[] { 0, 1, 2 })
            {
                rows.Add(new HostCounter(ts, "h", "perf_stat", "cpu" + cpu, "intel_iommu:qi_submit", rng.Next(0, 50)));
                rows.Add(new HostCounter(ts, "h", "perf_stat", "cpu" + cpu, "iommu:map", rng.Next(1, 500)));
                rows.Add(new HostCounter(ts, "h", "perf_stat", "cpu" + cpu, "net:net_dev_xmit", rng.Next(0, 90)));
            }
            rows.Add(new HostCounter(ts, "h", "perf_stat", "dmar1", "iotlb_lookup", 1_000));
            rows.Add(new HostCounter(ts, "h", "perf_stat", "dmar1", "iotlb_hit", rng.Next(800, 1_000)));
            if (t % 10 == 3)
            {
                var snap = ts + 70_000; // stamped just after the boundary, as a collector's date +%s.%N does
                rows.Add(new HostCounter(snap, "h", "ethtool", "eth0", "ch1_poll", polls += rng.Next(50, 100)));
                rows.Add(new HostCounter(snap, "h", "ethtool", "eth0", "ch1_arm", arms += rng.Next(0, 50)));
                rows.Add(new HostCounter(snap, "h", "dmar_perf_latency", "dmar1", "inv_iotlb.100ns_1us", bucket += rng.Next(0, 400)));
                rows.Add(new HostCounter(snap, "h", "dmar_perf_latency", "dmar1", "inv_iotlb.1us_10us", bucket / 3));
            }
        }
        return rows;
    }

    private static HostFrame TraceFrame(long start, int queue) =>
        new("h", "eth0", queue, start, W, 10, 2.5, 4, 6, 100, 90, null, null, null, null, null, 0.1, 3, null, null, 0.2, 0.3, 42);
}
