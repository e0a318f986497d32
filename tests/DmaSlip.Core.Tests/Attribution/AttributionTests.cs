using CsCheck;
using DmaSlip.Core.Attribution;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;

namespace DmaSlip.Core.Tests.Attribution;

public sealed class AttributionTests
{
    private static readonly long T0 = Time.FromDate(2026, 1, 5) + 15 * Time.NanosPerHour; // 10:00 New York (EST)
    private const long Ms = Time.NanosPerMilli;

    private static Quote Q(long ts, double bid, double ask, int seq = 0) => new(ts, "AAA", "X", bid, 100, ask, 100, null, seq);

    [Fact]
    public void Is_decomposition_worked_example_for_a_buy_and_the_mirrored_sell()
    {
        // docs/METRICS.md "IS decomposition" example.
        Fill[] buys = [new(0, 300, 100.05, Liquidity.Aggressive), new(0, 500, 100.03, Liquidity.Passive)];
        var b = ShortfallDecomposition.Compute(+1, 1000, 100.00, 100.02, 100.10, buys);
        Assert.Equal(800, b.ExecutedQty);
        Assert.Equal(16.0, b.DelayCcy, 9);
        Assert.Equal(14.0, b.ImpactCcy, 9);
        Assert.Equal(20.0, b.MissCcy, 9);
        Assert.Equal(50.0, b.IsCcy, 9);
        Assert.Equal(1.6, b.DelayBps, 9);
        Assert.Equal(1.4, b.ImpactBps, 9);
        Assert.Equal(2.0, b.MissBps, 9);
        Assert.Equal(5.0, b.IsBps, 9);

        Fill[] sells = [new(0, 300, 99.95, Liquidity.Aggressive), new(0, 500, 99.97, Liquidity.Passive)];
        var s = ShortfallDecomposition.Compute(-1, 1000, 100.00, 99.98, 99.90, sells);
        Assert.Equal(5.0, s.IsBps, 9);
        Assert.Equal(1.6, s.DelayBps, 9);
    }

    [Fact]
    public void Is_terms_always_sum_to_the_perold_shortfall()
    {
        Gen.Select(Gen.Int[0, 1], Gen.Long[1, 10_000], Gen.Double[50, 150], Gen.Double[-1, 1], Gen.Double[-2, 2],
                Gen.Select(Gen.Long[1, 500], Gen.Double[-1, 1]).Array[0, 20])
            .Sample((sideBit, q, pd, d0, dn, raw) =>
            {
                var side = sideBit == 0 ? -1 : 1;
                var fills = raw.Select(r => new Fill(0, r.Item1, pd + r.Item2, Liquidity.Passive)).ToArray();
                var x = fills.Sum(f => f.Qty);
                var r = ShortfallDecomposition.Compute(side, q, pd, pd + d0, pd + dn, fills);
                var perold = side * (fills.Sum(f => f.Qty * f.Price) - x * pd) + side * (q - x) * dn;
                return Math.Abs(r.IsCcy - perold) <= 1e-6 * (1 + Math.Abs(perold));
            }, iter: 200);
    }

    [Fact]
    public void Mid_lookup_equals_a_linear_scan_of_two_sided_quotes()
    {
        Gen.Select(Gen.Long[0, 50].Array[1, 60], Gen.Long[-10, 3000]).Sample((gaps, probe) =>
        {
            var ts = 0L;
            var quotes = gaps.Select((g, i) => { ts += g; return new Quote(ts, "AAA", "X", 100 + i, i % 5 == 0 ? 0 : 10, 101 + i, 10, null, i); }).ToList();
            var series = new MidSeries(quotes);
            var expected = quotes.Where(q => q.TsNs <= probe && !double.IsNaN(q.Mid)).Select(q => q.Mid).LastOrDefault(double.NaN);
            var actual = series.MidAt(probe);
            return double.IsNaN(expected) ? double.IsNaN(actual) : expected == actual;
        }, iter: 300);
    }

    [Fact]
    public void Markout_worked_example_is_qty_weighted_and_signed_by_side()
    {
        var mids = new MidSeries([Q(T0, 99.99, 100.01), Q(T0 + Time.NanosPerSecond, 100.09, 100.11)]);
        Fill[] fills = [new(T0, 100, 100.05, Liquidity.Aggressive), new(T0, 300, 100.00, Liquidity.Passive)];
        // At +1 s mid = 100.10: (100·0.05/100.10 + 300·0.10/100.10)/400 · 10⁴ = 8.74126 bps.
        Assert.Equal(1e4 * (100 * 0.05 + 300 * 0.10) / 100.10 / 400, Markouts.Of(+1, fills, mids, Time.NanosPerSecond)!.Value, 9);
        // At +10 ms mid = 100.00: (100·(−0.05) + 0)/400/100 · 10⁴ = −1.25 bps.
        Assert.Equal(-1.25, Markouts.Of(+1, fills, mids, 10 * Ms)!.Value, 9);
        Assert.Equal(1.25, Markouts.Of(-1, fills, mids, 10 * Ms)!.Value, 9);
        Assert.Null(Markouts.Of(+1, [], mids, 10 * Ms));
    }

    [Fact]
    public void Session_segments_follow_new_york_local_time_across_dst()
    {
        var s = SessionSegments.UsEquities;
        Assert.Equal("morning", s.SegmentOf(T0));                                            // 15:00 UTC in January = 10:00 EST
        Assert.Equal("open", s.SegmentOf(Time.FromDate(2026, 7, 6) + 13 * Time.NanosPerHour + 45 * Time.NanosPerMinute)); // 09:45 EDT
        Assert.Equal("close", s.SegmentOf(Time.FromDate(2026, 1, 5) + 20 * Time.NanosPerHour + 45 * Time.NanosPerMinute)); // 15:45 EST
        Assert.Equal(SessionSegments.OffHours, s.SegmentOf(Time.FromDate(2026, 1, 5) + 3 * Time.NanosPerHour));
        Assert.Throws<ArgumentException>(() => new SessionSegments("x", "UTC", 0, [new SessionSegment("bad", 600, 500)]).Validate());
    }

    [Fact]
    public void Buckets_and_branch_labels_follow_their_thresholds()
    {
        Assert.Equal("tight", LiquidityBuckets.Of(1.5));
        Assert.Equal("normal", LiquidityBuckets.Of(2));
        Assert.Equal("wide", LiquidityBuckets.Of(10));
        Assert.Equal(PressureBucket.Calm, PressureBuckets.Bucket(24.9));
        Assert.Equal(PressureBucket.Elevated, PressureBuckets.Bucket(25));
        Assert.Equal(PressureBucket.High, PressureBuckets.Bucket(79));
        Assert.Equal(PressureBucket.Storm, PressureBuckets.Bucket(80));
        Assert.Equal(PressureBucket.Unknown, PressureBuckets.Bucket(null));
        Assert.Equal(["unknown", "calm", "elevated", "high", "storm"], Enum.GetValues<PressureBucket>().Select(b => b.Name()));
        Assert.True(PressureBuckets.TryParse("storm", out var parsed) && parsed == PressureBucket.Storm);
        Assert.True(PressureBuckets.TryParse("unknown", out _));
        Assert.False(PressureBuckets.TryParse("low", out _));
        // A storm first: a parent the storm slowed chases at its deadline, and the storm is why.
        Assert.Equal(BranchLabels.FlushStorm, BranchLabels.Of(95, 95, 0.3));
        Assert.Equal(BranchLabels.DeadlineChase, BranchLabels.Of(79.9, 95, 0.3));
        Assert.Equal(BranchLabels.DeadlineChase, BranchLabels.Of(null, null, 0.3));
        Assert.Equal(BranchLabels.FlushStorm, BranchLabels.Of(80, 90, 0.29));
        Assert.Equal(BranchLabels.PressureWatch, BranchLabels.Of(79.9, 50, 0));
        Assert.Equal(BranchLabels.MapStable, BranchLabels.Of(null, 49.9, 0));
        Assert.Equal(BranchLabels.MapStable, BranchLabels.Of(null, null, 0));
        // Horizon 0–100: tail from 80; 400 of 1000 aggressive in the tail → 0.4.
        Fill[] fills = [new(10, 600, 1, Liquidity.Passive), new(85, 400, 1, Liquidity.Aggressive), new(50, 0, 1, Liquidity.Aggressive)];
        Assert.Equal(0.4, BranchLabels.ChaseShare(0, 100, fills), 12);
    }

    [Fact]
    public void A_label_needs_the_level_held_a_single_microburst_window_labels_nothing()
    {
        // docs/METRICS.md "Branch label": 100 ms windows; DFI 5 everywhere except a one-window microburst at 95 (t = 2 s),
        // then 3 windows at 60 (t = 5.0–5.2 s), then 12 windows at 90 (t = 10.0–11.1 s). Per-window maxima over queues.
        var dfi = new double[200];
        Array.Fill(dfi, 5);
        dfi[20] = 95;
        dfi[50] = dfi[51] = dfi[52] = 60;
        for (var w = 100; w < 112; w++)
        {
            dfi[w] = 90;
        }
        var starts = Enumerable.Range(0, dfi.Length).Select(w => T0 + w * 100 * Ms).ToArray();
        var storm = PressureTimeline.Held(starts, dfi, 100 * Ms, PressureTimeline.StormHoldNs);
        var watch = PressureTimeline.Held(starts, dfi, 100 * Ms, PressureTimeline.WatchHoldNs);
        Assert.True(double.IsNegativeInfinity(storm[8]));          // fewer than 10 windows so far
        Assert.Equal(5, storm[9]);
        Assert.Equal(5, storm[25]);                                  // the microburst is 1 window of the 10
        Assert.Equal(5, watch[20]);                                  // and 1 of the 2
        Assert.Equal(60, watch[52]);
        Assert.Equal(90, storm[109]);                                // windows 100–109 all at 90
        Assert.Equal(90, storm[111]);
        Assert.Equal(5, storm[112]);                                 // window 112 is back at 5

        // Through the timeline: a life over the microburst is map-stable (peak 95, nothing held), one over the 60s is
        // pressure-watch, one over the storm flush-storm.
        var b = new HostBaseline("h1", 100, 100, 10, double.NaN, double.NaN);
        double RateFor(double d) => 100 + 10 * (3 - Math.Log(100 / d - 1));  // inverts DFI = 100/(1 + e^−(z − 3))
        var frames = dfi.Select((d, w) => Metrics.DeskMetricsTests.Frame(RateFor(d), start: starts[w]) with { FlushBurstQ95 = null }).ToList();
        var timeline = new PressureTimeline(frames, new Dictionary<string, HostBaseline> { ["h1"] = b });
        var micro = timeline.Summary("h1", starts[15], starts[30]);
        Assert.Equal(95, micro.Peak!.Value, 6);
        Assert.Equal(BranchLabels.MapStable, BranchLabels.Of(micro.StormLevel, micro.WatchLevel, 0));
        var watchLife = timeline.Summary("h1", starts[45], starts[60]);
        Assert.Equal(BranchLabels.PressureWatch, BranchLabels.Of(watchLife.StormLevel, watchLife.WatchLevel, 0));
        var stormLife = timeline.Summary("h1", starts[95], starts[130]);
        Assert.Equal(90, stormLife.StormLevel!.Value, 6);
        Assert.Equal(BranchLabels.FlushStorm, BranchLabels.Of(stormLife.StormLevel, stormLife.WatchLevel, 0));
        Assert.Equal(default, timeline.Summary("other", starts[0], starts[10]));
    }

    [Fact]
    public void A_gap_in_the_windows_breaks_a_held_run()
    {
        long[] starts = [0, 100, 200, 400, 500];                      // window 300 missing
        double[] dfi = [90, 90, 90, 90, 90];
        var held = PressureTimeline.Held(starts, dfi, 100, 300);     // 3 windows
        Assert.Equal(90, held[2]);
        Assert.True(double.IsNegativeInfinity(held[3]) && double.IsNegativeInfinity(held[4]));
    }

    private static OrderEvent Ev(long ts, OrderEventKind kind, string child, long qty, double px = 100, Liquidity liq = Liquidity.Unknown) =>
        new(ts, "P1", child, child + kind, null, kind, px, qty, "X", "h1", 0, liq, kind == OrderEventKind.Fill ? child + ts : "");

    [Fact]
    public void Parent_outcome_worked_example_has_null_iommu_terms_and_a_passive_fill_ratio()
    {
        var parent = new ParentOrder("P1", "AAA", 1, 1000, T0, 100.00, T0 + 10 * Time.NanosPerSecond, "twap", "h1", "pool-a", "normal");
        var mids = new MidSeries([Q(T0 - Ms, 99.99, 100.01), Q(T0 + 5 * Ms, 100.01, 100.03), Q(T0 + 10 * Time.NanosPerSecond, 100.09, 100.11)]);
        OrderEvent[] events =
        [
            Ev(T0 + 5 * Ms, OrderEventKind.Send, "c1", 500, 100.01, Liquidity.Passive),
            Ev(T0 + 6 * Ms, OrderEventKind.Send, "c2", 300, 100.05, Liquidity.Aggressive),
            Ev(T0 + 7 * Ms, OrderEventKind.Fill, "c2", 300, 100.05, Liquidity.Aggressive),
            Ev(T0 + 2 * Time.NanosPerSecond, OrderEventKind.Fill, "c1", 500, 100.03, Liquidity.Passive),
        ];
        var o = ParentAttribution.Build(parent, events, mids, new PressureTimeline([], new Dictionary<string, HostBaseline>()), "tight", "morning");
        // P_0 = mid at first send (100.02), P_n = mid at deadline (100.10): same numbers as the IS example.
        Assert.Equal(5.0, o.IsBps, 9);
        Assert.Equal(800, o.ExecutedQty);
        Assert.Equal(1.0, o.PassiveFillRatio!.Value, 12);
        Assert.Null(o.CIommuBps);
        Assert.Null(o.CDmaJitterBps);
        Assert.Null(o.CServiceBurstBps);
        Assert.Null(o.CQueueDecayBps);
        Assert.Null(o.BaselineIsBps);
        Assert.Equal(PressureBucket.Unknown, o.PressureBucket);
        Assert.Equal(BranchLabels.MapStable, o.Branch);
        Assert.NotNull(o.Markout5sBps);
    }

    private static ParentFact P(string pool, PressureBucket bucket, double isBps, double pfr, double m1s, long executed) =>
        new(new DimensionValues(pool, "nic/drv", "local", "tight", "morning"),
            new ParentOutcome("p", "h", pool, "AAA", executed, 0, isBps, 0, 0, 0, null, null, null, null, null, pfr, null, null, m1s, null,
                "map-stable", bucket, "tight", "morning"), 100);

    [Fact]
    public void Qdl_iul_and_completion_deficit_worked_example()
    {
        // docs/METRICS.md "Desk metrics by group" example.
        ParentFact[] parents =
        [
            P("calm", PressureBucket.Calm, 2, 0.8, 2.0, 100),
            P("calm", PressureBucket.Calm, 4, 0.6, 1.0, 90),
            P("storm", PressureBucket.Storm, 10, 0.4, -1.0, 80),
            P("storm", PressureBucket.High, 20, 0.5, 0.0, 60),
        ];
        WindowFact[] windows =
        [
            new(parents[0].Dims, 5, 0.5, 0.2),
            new(parents[2].Dims, 90, 3.0, 1.5),
            new(parents[2].Dims, 70, null, 0.5),
        ];
        var rows = DeskMetricsTable.Compute([Dimension.Pool], windows, parents);
        var storm = rows.Single(r => r.Group["pool"] == "storm");
        Assert.Equal(1.3, storm.QdlBps!.Value, 9);
        Assert.Equal(12, storm.IulMeanBps!.Value, 9);
        Assert.Equal(16.5, storm.IulQ95Bps!.Value, 9);
        Assert.Equal(0.25, storm.CompletionDeficit!.Value, 9);
        Assert.Equal(80, storm.Dfi!.Value, 9);
        Assert.Equal(3.0, storm.Djs!.Value, 9);
        Assert.Equal(1.0, storm.Pso!.Value, 9);
        Assert.Equal(2, storm.Windows);
        Assert.Equal(2, storm.Parents);
        var calm = rows.Single(r => r.Group["pool"] == "calm");
        Assert.Null(calm.QdlBps);
        Assert.Null(calm.IulMeanBps);
        Assert.Equal(5, calm.Dfi!.Value, 9);
    }

    [Fact]
    public void Dimensions_parse_and_reject_unknown_or_repeated_names()
    {
        Assert.Equal([Dimension.Pool, Dimension.Session], DimensionParser.Parse("pool, session"));
        Assert.Throws<ArgumentException>(() => DimensionParser.Parse("pool,venue"));
        Assert.Throws<ArgumentException>(() => DimensionParser.Parse("pool,pool"));
        Assert.Throws<ArgumentException>(() => DimensionParser.Parse("1"));
    }
}
