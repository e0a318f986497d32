using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;

namespace DmaSlip.Core.Tests.Metrics;

public sealed class DeskMetricsTests
{
    internal static HostFrame Frame(double flushRate = 100, double burstQ95 = 2, double? dmaQ50 = null, double? dmaQ99 = null,
        double? rxCv = null, double? txCv = null, long start = 0, string host = "h1") =>
        new(host, "eth0", 0, start, 100 * Time.NanosPerMilli, flushRate, 0, burstQ95, burstQ95, 0, 0, null, null, null,
            dmaQ50, dmaQ99, null, null, null, null, rxCv, txCv, 10);

    private static HostFrame QueueFrame(double flushRate, double burstQ95, int window, int queue) =>
        Frame(flushRate, burstQ95, start: window * 100 * Time.NanosPerMilli) with { Queue = queue };

    [Fact]
    public void Baseline_worked_example_trims_the_storm_window_and_floors_a_zero_mad()
    {
        // docs/METRICS.md "Host baseline" example.
        double[] rates = [100, 120, 80, 100, 110, 90, 5000];
        var frames = rates.Select((r, i) => Frame(r, i == 6 ? 40 : 2)).ToList();
        var b = HostBaseline.FromFrames("h1", frames);
        Assert.Equal(6, b.Frames);
        Assert.Equal(100, b.FlushRateMedian, 12);
        Assert.Equal(50, b.FlushRateScale, 12);             // 1.4826 · MAD 10 = 14.826 < the relative floor 0.5 · 100
        Assert.Equal(2, b.BurstQ95Median, 12);
        Assert.Equal(1, b.BurstQ95Scale, 12);
    }

    [Fact]
    public void Baseline_of_a_lazy_host_whose_queue_drains_one_window_in_four_uses_the_mean_absolute_deviation()
    {
        // Rates 0, 0, 0, 90 repeated: median 0, MAD 0 → scale 1.253314 · 22.5 = 28.199565 (40 frames: too few for a
        // tail scale); burst q95 0/1 → 1.253314 · 0.25 < floor 1.
        var frames = Enumerable.Range(0, 40).Select(i => Frame(i % 4 == 3 ? 90 : 0, i % 4 == 3 ? 1 : 0)).ToList();
        var b = HostBaseline.FromFrames("h1", frames);
        Assert.Equal(40, b.Frames);
        Assert.Equal(0, b.FlushRateMedian);
        Assert.Equal(28.199565, b.FlushRateScale, 9);
        Assert.Equal(1, b.BurstQ95Scale, 12);
        Assert.Equal(0, b.WorstQueueOffsetZ);                  // one queue
        Assert.InRange(DeskMetrics.Dfi(frames[3], b)!.Value, 25, 30); // z = (3.19 + 1)/2 = 2.10 → DFI 28.9
    }

    [Fact]
    public void A_calm_host_scores_calm_whatever_its_queue_layout()
    {
        // Queue 0 drains the lazy flush queue (90/s every window), queues 1–3 flush once in four windows: against one
        // host-level baseline (median 0) queue 0 would score every window; per queue, each is at its own calm median.
        var frames = new List<HostFrame>();
        for (var w = 0; w < 400; w++)
        {
            frames.Add(QueueFrame(90, 1, w, 0));
            for (var q = 1; q < 4; q++)
            {
                frames.Add(QueueFrame((w + q) % 4 == 0 ? 10 : 0, 0, w, q));
            }
        }
        var b = HostBaseline.FromFrames("h1", frames);
        var worst = frames.GroupBy(f => f.WindowStartNs).Select(g => g.Max(f => DeskMetrics.Dfi(f, b)!.Value)).ToList();
        Assert.True(worst.Average() < 10, $"mean {worst.Average():F1}");
        Assert.True(worst.Order().ElementAt((int)(0.95 * (worst.Count - 1))) < 20);
    }

    [Fact]
    public void Short_bursts_are_calm_traffic_and_a_sustained_excursion_is_not()
    {
        // 1 000 windows at 4 000/s (±100), a one-window microburst to 6 000/s every 20 windows, and a 30-window storm
        // at 40 000/s: the microbursts set the tail scale, the storm is trimmed from it.
        var frames = new List<HostFrame>();
        for (var w = 0; w < 1000; w++)
        {
            var rate = w is >= 500 and < 530 ? 40_000 : w % 20 == 0 ? 6_000 : 4_000 + (w % 3 * 100) - 100;
            frames.Add(QueueFrame(rate, 7, w, 0));
        }
        var b = HostBaseline.FromFrames("h1", frames);
        Assert.Equal(2000, b.FlushRateScale, 9);                       // m/2 (the tail scale (6 000 − 4 000)/3.090 = 647 is below it)
        Assert.True(DeskMetrics.Dfi(frames[20], b)!.Value < 50);               // a microburst
        Assert.True(DeskMetrics.Dfi(frames[510], b)!.Value > 99);              // the storm
    }

    [Fact]
    public void Baseline_of_a_host_without_flushes_uses_one_flush_per_window_as_rate_scale()
    {
        var b = HostBaseline.FromFrames("h1", Enumerable.Range(0, 5).Select(_ => Frame(0, 0)).ToList());
        Assert.Equal(10, b.FlushRateScale, 12); // 100 ms windows → 10 flushes/s
        Assert.Equal(1, b.BurstQ95Scale, 12);
    }

    [Fact]
    public void Dfi_worked_example_scores_fifty_at_three_robust_sigma_and_about_five_at_the_calm_median()
    {
        var b = new HostBaseline("h1", 100, 200, 50, 2, 1);
        Assert.Equal(50, DeskMetrics.Dfi(Frame(450, 3), b)!.Value, 9);                // z_rate 5, z_burst 1 → z 3
        Assert.Equal(4.742587317756678, DeskMetrics.Dfi(Frame(200, 2), b)!.Value, 9);  // z 0 → 100/(1+e^3)
        Assert.Equal(95.25741268224334, DeskMetrics.Dfi(Frame(500, 8), b)!.Value, 9);  // z_rate 6, z_burst 6 → z 6
        Assert.InRange(DeskMetrics.Dfi(Frame(0, 0), b)!.Value, 0, 4.75);
    }

    [Fact]
    public void Dfi_of_a_counter_only_frame_scores_on_the_rate_alone()
    {
        var b = new HostBaseline("h1", 100, 200, 50, 2, 1);
        var counterOnly = Frame(350, 2) with { FlushBurstQ50 = null, FlushBurstQ95 = null, FlushBurstQ99 = null };
        Assert.Null(DeskMetrics.BurstQ95Z(counterOnly, b));
        Assert.Equal(50, DeskMetrics.Dfi(counterOnly, b)!.Value, 9);                   // z_rate 3 → z 3, not (3 + 0)/2
        // A baseline built from counter-only frames has no burst reference (NaN), and rates 100, 120, 80 give m 100.
        var frames = new[] { 100.0, 120, 80 }.Select(r => Frame(r) with { FlushBurstQ95 = null }).ToList();
        var nb = HostBaseline.FromFrames("h1", frames);
        Assert.Equal((3, 100.0), (nb.Frames, nb.FlushRateMedian));
        Assert.True(double.IsNaN(nb.BurstQ95Median) && double.IsNaN(nb.BurstQ95Scale));
        Assert.Null(DeskMetrics.BurstQ95Z(Frame(100, 40), nb));
    }

    [Fact]
    public void A_frame_without_an_invalidation_source_has_no_dfi_and_enters_the_controller_as_no_evidence()
    {
        // A VM's frames: counted by its interrupt vector only, no flush rate and no trace.
        var frames = Enumerable.Range(0, 5).Select(_ => Frame(0, 0) with { FlushRate = null, MapRate = null, UnmapRate = null, FlushBurstQ95 = null }).ToList();
        var b = HostBaseline.FromFrames("vm", frames);
        Assert.True(double.IsNaN(b.FlushRateMedian) && double.IsNaN(b.BurstQ95Median));
        Assert.Null(DeskMetrics.FlushRateZ(frames[0], b));
        Assert.Null(DeskMetrics.Dfi(frames[0], b));
        Assert.Equal(0, DeskMetrics.ToSignals(frames[0], b, 0, 0).Dfi);
        // against a baseline that has rates, the rate-less frame still has none
        Assert.Null(DeskMetrics.Dfi(frames[0], new HostBaseline("vm", 100, 200, 50, 2, 1) with { }));
        Assert.Equal(50, DeskMetrics.Dfi(frames[0] with { FlushBurstQ95 = 5 }, new HostBaseline("vm", 100, 200, 50, 2, 1))!.Value, 9); // burst z 3 alone
    }

    [Fact]
    public void Djs_and_pso_worked_examples()
    {
        Assert.Equal(1.5, DeskMetrics.Djs(Frame(dmaQ50: 10_000, dmaQ99: 25_000))!.Value, 12);
        Assert.Null(DeskMetrics.Djs(Frame()));
        Assert.Null(DeskMetrics.Djs(Frame(dmaQ50: 0, dmaQ99: 10)));
        Assert.Equal(0.9, DeskMetrics.Pso(Frame(rxCv: 0.4, txCv: 0.9))!.Value, 12);
        Assert.Equal(0.4, DeskMetrics.Pso(Frame(rxCv: 0.4))!.Value, 12);
        Assert.Null(DeskMetrics.Pso(Frame()));
    }

    [Fact]
    public void Signals_carry_zero_for_missing_metrics_and_clamp_deadline_pressure()
    {
        var b = new HostBaseline("h1", 100, 200, 50, 2, 1);
        var s = DeskMetrics.ToSignals(Frame(450, 3), b, 2, 1.7);
        Assert.Equal(new RegimeSignals(50, 0, 0, 2, 1), s with { Dfi = Math.Round(s.Dfi, 9) });
    }

    [Fact]
    public void Storm_recurrence_counts_onsets_not_storm_windows_and_forgets_them_after_the_horizon()
    {
        var r = new StormRecurrence(onsetDfi: 50, horizonNs: 10 * Time.NanosPerMinute);
        Assert.Equal(1, r.Update(0, 60));
        Assert.Equal(1, r.Update(1 * Time.NanosPerMinute, 70));
        Assert.Equal(1, r.Update(2 * Time.NanosPerMinute, 10));
        Assert.Equal(2, r.Update(3 * Time.NanosPerMinute, 80));
        Assert.Equal(1, r.Update(10 * Time.NanosPerMinute, 80));
        Assert.Equal(0, r.Update(13 * Time.NanosPerMinute, 0));
    }

    [Fact]
    public void Signals_builder_allocates_nothing_per_frame()
    {
        var builder = new RegimeSignalsBuilder(new HostBaseline("h1", 100, 200, 50, 2, 1));
        var frames = Enumerable.Range(0, 1000).Select(i => Frame(i % 7 == 0 ? 900 : 200, 2, 10_000, 30_000, 0.5, 0.2, i * 100 * Time.NanosPerMilli)).ToArray();
        double sum = 0;
        foreach (var f in frames)
        {
            sum += builder.Next(f, 0.2).Dfi;
        }
        var allocated = DmaSlip.Testing.Allocations.SteadyState(3, _ =>
        {
            foreach (var f in frames)
            {
                sum += builder.Next(f, 0.2).Dfi;
            }
        });
        Assert.Equal(0, allocated);
        Assert.True(sum > 0);
    }
}
