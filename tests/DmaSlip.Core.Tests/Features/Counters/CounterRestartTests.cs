using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;
using DmaSlip.Core.Features.Counters;

namespace DmaSlip.Core.Tests.Features.Counters;

/// <summary>
/// Two collection sessions of one host in one database (two trading days, a collector restart): the rows after the
/// gap count for their own interval, not for the night, and the night gets no frames (it was never measured).
/// </summary>
public sealed class CounterRestartTests
{
    private const long W = CounterFrameBuilderTests.W; // 100 ms
    private const long T0 = CounterFrameBuilderTests.T0;
    private const int Session = 50;                   // 5 s of 100 ms intervals
    private const long Gap = 3_600 * Time.NanosPerSecond;

    [Fact]
    public void A_restarted_collector_counts_its_first_interval_for_one_step_and_the_gap_has_no_frames()
    {
        var queueOfCpu = new Dictionary<int, int> { [0] = 0 };
        var rows = new List<HostCounter>();
        var snapshot = 0.0;
        foreach (var start in new[] { T0, T0 + Gap })
        {
            for (var t = 1; t <= Session; t++)
            {
                var ts = start + (t * W);
                rows.Add(new HostCounter(ts, "h", "perf_stat", "cpu0", "intel_iommu:qi_submit", 40)); // 400 flushes/s
                if (t % 10 == 5)
                {
                    // A cumulative ethtool counter that kept counting through the night: its delta over the gap is not placed.
                    rows.Add(new HostCounter(ts + 70_000, "h", "ethtool", "eth0", "ch0_poll", snapshot += t == 5 && start > T0 ? 1e9 : 100));
                }
            }
        }
        var frames = new List<(HostFrame Frame, FrameSources Sources)>();
        var day = new CounterSpanFrames("h", "eth0", queueOfCpu, T0 + W, W, T0 + Gap + (Session * W), HostFrameOptions.Default, [], [],
            (f, s) => frames.Add((f, s)));
        foreach (var r in rows.OrderBy(r => r.TsNs).ThenBy(r => r.Source, StringComparer.Ordinal))
        {
            day.Observe(r);
            day.Advance(r.TsNs);
        }
        day.Finish();

        // 2 × 50 measured windows; the 35 950 windows of the hour between them were never measured.
        Assert.Equal(2 * Session, frames.Count);
        Assert.Equal(2, day.Restarts); // one per stream: qi_submit and ch0_poll
        // Every frame, the first after the gap included, has the rate of its own interval: 40 in 100 ms = 400/s
        // (spread over the hour, the first row after it would have given 0.011/s to every window of the night).
        Assert.All(frames, f => Assert.Equal(400, f.Frame.FlushRate!.Value, 6));
        Assert.Equal(T0 + Gap, frames[Session].Frame.WindowStartNs);
    }
}
