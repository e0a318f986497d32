using DmaSlip.Application.Reporting;
using DmaSlip.Core.Attribution;
using DmaSlip.Core.Domain;
using DmaSlip.Storage;

namespace DmaSlip.Cli.Tests.Reporting;

public sealed class ReportLoaderTests
{
    private static readonly long T0 = Time.FromDate(2013, 10, 7) + 14 * Time.NanosPerHour;

    private static ParentOrder Order(string id, long qty, long arrival) =>
        new(id, "IBM", 1, qty, arrival, 100.0, arrival + Time.NanosPerMinute, "twap", "h1", "pool-a", "normal");

    private static ParentOutcome Outcome(string id, long executed, double isBps, double delay, double impact, double miss,
        (double Dma, double Sb, double Qd)? iommu, PressureBucket bucket, double? fill, double? m10ms, double? m1s) =>
        new(id, "h1", "pool-a", "IBM", executed, isBps * executed, isBps, delay, impact, miss,
            iommu is { } i ? i.Dma + i.Sb + i.Qd : null, iommu?.Dma, iommu?.Sb, iommu?.Qd, null, fill, m10ms, null, m1s, null,
            "map-stable", bucket, "normal", "midday");

    /// <summary>The worked example of docs/METRICS.md, "Report aggregates".</summary>
    private static DmaSlipStore Store()
    {
        var store = DmaSlipStore.OpenInMemory();
        store.Insert([Order("P1", 1000, T0), Order("P2", 3000, T0 + Time.NanosPerMinute), Order("P3", 500, T0 + Time.NanosPerDay)]);
        store.Insert([
            Outcome("P1", 1000, 10, 2, 5, 1, (1, 0.5, 0.5), PressureBucket.Storm, 0.3, -1, -3),
            Outcome("P2", 3000, 2, 1, 0.5, 0.3, (0.1, 0.05, 0.05), PressureBucket.Calm, 0.8, -0.2, -1),
            Outcome("P3", 500, 99, 99, 0, 0, (0, 0, 0), PressureBucket.Storm, 0.0, -9, -9),
        ]);
        return store;
    }

    private static ReportRequest Request(long? from = null, long? to = null) =>
        new(from, to, SessionSegments.UsEquities, null, null, T0, "test");

    [Fact]
    public void Is_decomposition_is_notional_weighted_and_its_terms_add_up_to_is()
    {
        using var store = Store();
        var d = ReportLoader.IsDecomposition(store, Request(T0, T0 + Time.NanosPerHour))!;

        Assert.Equal(2, d.Parents);
        Assert.Equal(400_000, d.NotionalCcy, 6);
        Assert.Equal(4.0, d.IsBps, 9);
        Assert.Equal(1.25, d.CDelayBps, 9);
        Assert.Equal(1.625, d.CImpactBps, 9);
        Assert.Equal(0.475, d.CMissBps, 9);
        Assert.Equal(0.325, d.CDmaJitterBps!.Value, 9);
        Assert.Equal(0.1625, d.CServiceBurstBps!.Value, 9);
        Assert.Equal(0.1625, d.CQueueDecayBps!.Value, 9);
        Assert.Equal(d.IsBps, d.CDelayBps + d.CImpactBps + d.CMissBps + d.CIommuBps!.Value, 9);
    }

    [Fact]
    public void Iommu_terms_are_null_unless_every_parent_in_range_has_them()
    {
        using var store = Store();
        store.Insert([Order("P4", 3000, T0 + 2 * Time.NanosPerMinute)]);
        store.Insert([Outcome("P4", 3000, 1, 1, 0, 0, null, PressureBucket.Storm, 0.5, null, -1)]);

        var d = ReportLoader.IsDecomposition(store, Request(T0, T0 + Time.NanosPerHour))!;

        Assert.Equal(3, d.Parents);
        Assert.Equal(2, d.ParentsWithIommu);
        Assert.Null(d.CDmaJitterBps);
        Assert.Null(d.CIommuBps);
    }

    [Fact]
    public void Markouts_are_executed_quantity_weighted_per_bucket_and_fill_ratios_are_parent_means()
    {
        using var store = Store();
        store.Insert([Order("P4", 3000, T0 + 2 * Time.NanosPerMinute)]);
        store.Insert([Outcome("P4", 3000, 1, 1, 0, 0, null, PressureBucket.Storm, 0.5, null, -1)]);
        var range = Request(T0, T0 + Time.NanosPerHour);

        var markouts = ReportLoader.Markouts(store, range)!.ToDictionary(m => m.PressureBucket);
        Assert.Equal(2, markouts[PressureBucket.Storm].Parents);
        Assert.Equal(-1.5, markouts[PressureBucket.Storm].Bps1s!.Value, 9);      // (−3·1000 − 1·3000) / 4000
        Assert.Equal(-1.0, markouts[PressureBucket.Storm].Bps10ms!.Value, 9);    // P4 has no 10 ms markout: P1 alone
        Assert.Null(markouts[PressureBucket.Storm].Bps100ms);
        Assert.Equal(-1.0, markouts[PressureBucket.Calm].Bps1s!.Value, 9);

        var fills = ReportLoader.FillRatios(store, range)!.ToDictionary(f => f.PressureBucket);
        Assert.Equal(0.4, fills[PressureBucket.Storm].PassiveFillRatio, 9);
        Assert.Equal(0.8, fills[PressureBucket.Calm].PassiveFillRatio, 9);
    }

    [Fact]
    public void Regime_spans_start_from_the_regime_in_force_and_end_at_the_range_end()
    {
        var ts = new List<RegimeTransition>
        {
            new("h1", T0 - 5, Regime.MapStable, Regime.PressureWatch, "dfi>=40"),
            new("h1", T0 + 10, Regime.PressureWatch, Regime.FlushStorm, "dfi>=70"),
            new("h1", T0 + 40, Regime.FlushStorm, Regime.PressureWatch, "dfi<50"),
            new("h1", T0 + 99, Regime.PressureWatch, Regime.MapStable, "late"),
        };

        var spans = ReportLoader.Spans(ts, T0, T0 + 60);

        Assert.Equal(
            [(T0, T0 + 10, Regime.PressureWatch), (T0 + 10, T0 + 40, Regime.FlushStorm), (T0 + 40, T0 + 60, Regime.PressureWatch)],
            spans.Select(s => (s.StartNs, s.EndNs, s.Regime)));
        Assert.Equal("dfi>=70", spans[1].Reason);
    }

    [Fact]
    public void Signals_keep_the_worst_queue_and_the_peak_of_each_plotted_bucket()
    {
        var frames = new List<HostFrame>();
        for (var i = 0; i < 6000; i++)
        {
            var start = T0 + i * 100 * Time.NanosPerMilli;
            frames.Add(Frame(0, start, 0.10));
            frames.Add(Frame(1, start, i == 3001 ? 0.90 : 0.20));
        }

        var points = ReportLoader.Signals(frames, null, T0, T0 + 600 * Time.NanosPerSecond);

        Assert.Equal(ReportLoader.MaxSignalPoints, points.Count);
        Assert.All(points, p => Assert.Null(p.Dfi));
        Assert.Equal(0.90, points.Max(p => p.Pso)!.Value, 9);
        Assert.Equal(599, points.Count(p => Math.Abs(p.Pso!.Value - 0.20) < 1e-12));
    }

    [Fact]
    public void A_host_whose_frames_have_no_flush_source_gets_a_null_DFI_with_that_reason_not_a_0()
    {
        var bare = Enumerable.Range(0, 50).Select(i => Frame(0, T0 + (i * 100 * Time.NanosPerMilli), 0.2) with
            { FlushRate = null, FlushBurstQ50 = null, FlushBurstQ95 = null, FlushBurstQ99 = null }).ToList();
        var baseline = Core.Metrics.HostBaseline.FromFrames("h1", bare);
        var points = ReportLoader.Signals(bare, baseline, T0, T0 + (5 * Time.NanosPerSecond));

        Assert.All(points, p => Assert.Null(p.Dfi));
        Assert.Equal("no flush source", ReportLoader.DfiNullReason(bare, baseline, points));
        var measured = Enumerable.Range(0, 50).Select(i => Frame(0, T0 + (i * 100 * Time.NanosPerMilli), 0.2)).ToList();
        var withDfi = ReportLoader.Signals(measured, Core.Metrics.HostBaseline.FromFrames("h1", measured), T0, T0 + (5 * Time.NanosPerSecond));
        Assert.Null(ReportLoader.DfiNullReason(measured, Core.Metrics.HostBaseline.FromFrames("h1", measured), withDfi));
        Assert.Equal("no calm baseline", ReportLoader.DfiNullReason(measured, null, ReportLoader.Signals(measured, null, T0, T0 + (5 * Time.NanosPerSecond))));
    }

    [Fact]
    public void Quarantine_reasons_are_counted_with_their_first_example()
    {
        using var store = DmaSlipStore.OpenInMemory();
        store.Insert([
            new QuarantineRecord("f1", "/in/a.txt", 50, "bad timestamp", "x"),
            new QuarantineRecord("f1", "/in/a.txt", 10, "bad timestamp", "y"),
            new QuarantineRecord("f2", "/in/b.txt", 7, "unknown event", "z"),
        ]);

        var q = ReportLoader.Quality(store);

        var first = q.Quarantine[0];
        Assert.Equal(("bad timestamp", 2L, 1L, "/in/a.txt", 10L, "y"), (first.Reason, first.Records, first.Files, first.ExamplePath, first.ExampleOffset, first.ExampleRaw));
        Assert.Equal(3, q.Tables.Single(t => t.Table == "quarantine").Rows);
        Assert.Equal(Tables.All.Count, q.Tables.Count);
    }

    private static HostFrame Frame(int queue, long start, double rxCv) =>
        new("h1", "eth0", queue, start, 100 * Time.NanosPerMilli, 10, 0, 1, 1, 100, 100, null, null, null, 1000, 2000, null, null, null, null, rxCv, null, 10);
}
