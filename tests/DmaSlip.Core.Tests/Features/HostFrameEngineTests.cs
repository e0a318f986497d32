using CsCheck;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;

namespace DmaSlip.Core.Tests.Features;

public sealed class HostFrameEngineTests
{
    private const long Ms = Time.NanosPerMilli;
    private static readonly long T0 = Time.FromDate(2026, 1, 5);

    private static HostEvent Ev(long tsNs, HostEventKind kind, long value = 0, long aux = 0, long size = 0, int count = 1) =>
        new(tsNs, kind, 0, 0, size, value, aux, count);

    [Fact]
    public void Cadence_counts_only_the_variance_beyond_poisson_noise()
    {
        // docs/METRICS.md "Cadence": 10 ms window, 10 TX in slots 0, 3, 6, 9; RX steady at 4 per slot.
        var sink = new ListFrameSink();
        var engine = new HostFrameEngine("h1", "eth0", 0, sink, new HostFrameOptions { WindowNs = 10 * Ms, SlotNs = Ms });
        for (var slot = 0; slot < 10; slot++)
        {
            if (slot % 3 == 0)
            {
                engine.Observe(Ev(T0 + slot * Ms, HostEventKind.Tx, count: 10));
            }
            engine.Observe(Ev(T0 + slot * Ms, HostEventKind.Rx, count: 4));
        }
        engine.Flush();
        var f = Assert.Single(sink.Frames);
        Assert.Equal(Math.Sqrt(20) / 4, f.TxCadenceCv!.Value, 12); // μ 4, σ² 24 → √(24 − 4)/4 = 1.118
        Assert.Equal(0.0, f.RxCadenceCv!.Value, 12);              // σ² 0 < μ: no over-dispersion
    }

    [Fact]
    public void Worked_example_of_docs_metrics_host_frame_is_reproduced()
    {
        // docs/METRICS.md "Host frame worked example": 10 ms window, 1 ms slots.
        var o = new HostFrameOptions { WindowNs = 10 * Ms, SlotNs = Ms };
        var sink = new ListFrameSink();
        var engine = new HostFrameEngine("h1", "eth0", 3, sink, o);
        engine.Observe(Ev(T0, HostEventKind.Flush, count: 4));                 // slot 0: 4 flushes
        engine.Observe(Ev(T0 + 2 * Ms, HostEventKind.Flush, count: 2));        // slot 2: 2 flushes
        engine.Observe(Ev(T0 + 9 * Ms, HostEventKind.Flush, count: 10));       // slot 9: 10 flushes
        engine.Observe(Ev(T0 + 1 * Ms, HostEventKind.Map, count: 30));
        engine.Observe(Ev(T0 + 1 * Ms, HostEventKind.Unmap, count: 20));
        engine.Observe(Ev(T0 + 3 * Ms, HostEventKind.DmaComplete, value: 1_000, count: 3));
        engine.Observe(Ev(T0 + 3 * Ms, HostEventKind.DmaComplete, value: 5_000, count: 1));
        engine.Observe(Ev(T0 + 4 * Ms, HostEventKind.NapiPoll, value: 64, aux: 64, size: 10_000));
        engine.Observe(Ev(T0 + 5 * Ms, HostEventKind.NapiPoll, value: 10, aux: 64, size: 30_000));
        engine.Observe(Ev(T0 + 5 * Ms, HostEventKind.Rx, count: 10));          // RX only in slot 5
        engine.Observe(Ev(T0 + 6 * Ms, HostEventKind.RingOccupancy, value: 128, aux: 512));
        engine.Observe(Ev(T0 + 7 * Ms, HostEventKind.BufferPlacement, value: 1, count: 3));
        engine.Observe(Ev(T0 + 7 * Ms, HostEventKind.BufferPlacement, value: 0, count: 1));
        engine.Flush();

        var f = Assert.Single(sink.Frames);
        Assert.Equal(T0, f.WindowStartNs);
        Assert.Equal(1600, f.FlushRate!.Value, 9);          // 16 flushes / 0.01 s
        Assert.Equal(0, f.FlushBurstQ50);            // sorted slots 0,0,0,0,0,0,0,2,4,10
        Assert.Equal(7.3, f.FlushBurstQ95!.Value, 9);      // h = 8.55 → 4 + 0.55·6
        Assert.Equal(9.46, f.FlushBurstQ99!.Value, 9);     // h = 8.91 → 4 + 0.91·6
        Assert.Equal(3000, f.MapRate!.Value, 9);
        Assert.Equal(2000, f.UnmapRate!.Value, 9);
        Assert.InRange(f.DmaLatencyQ50Ns!.Value, 990, 1010);   // exact 1000 (α = 1 %)
        Assert.InRange(f.DmaLatencyQ99Ns!.Value, 4_841.2, 4_938.8); // exact 1000 + 0.97·4000 = 4880
        Assert.Equal(100, f.NapiPollVarianceUs2!.Value, 9);    // polls 10 µs and 30 µs: mean 20, var 100
        Assert.Equal(0.5, f.NapiSaturationShare!.Value, 12);
        Assert.Equal(0.75, f.NumaLocalShare!.Value, 12);
        Assert.Equal(Math.Sqrt(8), f.RxCadenceCv!.Value, 9);  // slots 0×9, 10×1: mean 1, σ² 9 → sqrt(9 − 1) / 1
        Assert.Null(f.TxCadenceCv);
        Assert.Equal(0, f.RingOscillation!.Value, 9);          // one sample: p95 = p5
        Assert.Null(f.IotlbMissRatio);
        Assert.Null(f.InvLatencyQ50Ns);
        Assert.Equal(16 + 30 + 20 + 4 + 2 + 10 + 1 + 4, f.Events);
    }

    [Fact]
    public void A_window_closes_when_time_passes_its_end_and_empty_windows_produce_no_frame()
    {
        var sink = new ListFrameSink();
        var engine = new HostFrameEngine("h1", "eth0", 0, sink);
        engine.Observe(Ev(T0 + 5 * Ms, HostEventKind.Flush));
        engine.Observe(Ev(T0 + 99 * Ms, HostEventKind.Flush));
        Assert.Empty(sink.Frames);
        engine.Observe(Ev(T0 + 350 * Ms, HostEventKind.Flush));
        var first = Assert.Single(sink.Frames);
        Assert.Equal(T0, first.WindowStartNs);
        Assert.Equal(20, first.FlushRate!.Value, 9);
        engine.Observe(Ev(T0 + 120 * Ms, HostEventKind.Flush));     // before the open window (300 ms): late
        Assert.Equal(1, engine.LateEvents);
        engine.Flush();
        engine.Flush();
        Assert.Equal(2, sink.Frames.Count);
        Assert.Equal(T0 + 300 * Ms, sink.Frames[1].WindowStartNs);
    }

    [Fact]
    public void Qi_submit_descriptors_count_as_invalidations_only_when_a_window_has_no_flush_events()
    {
        var sink = new ListFrameSink();
        var engine = new HostFrameEngine("h1", "eth0", 0, sink);
        engine.Observe(Ev(T0, HostEventKind.QiSubmit, value: 2_000, count: 7));
        engine.Observe(Ev(T0 + 100 * Ms, HostEventKind.QiSubmit, value: 2_000, count: 7));
        engine.Observe(Ev(T0 + 100 * Ms, HostEventKind.Flush, count: 2));
        engine.Flush();
        Assert.Equal(70, sink.Frames[0].FlushRate!.Value, 9);
        Assert.Equal(20, sink.Frames[1].FlushRate!.Value, 9);
        Assert.InRange(sink.Frames[0].InvLatencyQ99Ns!.Value, 1980, 2020);
    }

    [Fact]
    public void Invalid_options_are_rejected_with_a_clear_error()
    {
        var ex = Assert.Throws<ArgumentException>(() => new HostFrameEngine("h", "d", 0, new ListFrameSink(), new HostFrameOptions { WindowNs = 1500, SlotNs = 1000 }));
        Assert.Contains("multiple of SlotNs", ex.Message, StringComparison.Ordinal);
    }

    internal static Gen<HostEvent[]> Streams(int maxEvents) =>
        Gen.Select(Gen.Int[0, 10], Gen.Long[0, 3_000_000], Gen.Long[0, 2_000_000], Gen.Long[0, 600], Gen.Long[0, 100], Gen.Int[1, 20])
            .Select((kind, gap, value, size, aux, count) => (kind, gap, value, size, aux, count))
            .Array[1, maxEvents]
            .Select(raw =>
            {
                var ts = T0;
                var events = new HostEvent[raw.Length];
                for (var i = 0; i < raw.Length; i++)
                {
                    var r = raw[i];
                    ts += r.gap;
                    var kind = (HostEventKind)r.kind;
                    events[i] = new HostEvent(ts, kind, 0, 0, r.size * 1000, kind == HostEventKind.RingOccupancy ? r.value % 600 : r.value, r.aux, r.count);
                }
                return events;
            });

    [Fact]
    public void Streaming_frames_equal_brute_force_recomputation()
    {
        var o = new HostFrameOptions { WindowNs = 20 * Ms, SlotNs = Ms };
        Streams(400).Sample(events =>
        {
            var sink = new ListFrameSink();
            var engine = new HostFrameEngine("h", "d", 1, sink, o);
            foreach (var e in events)
            {
                engine.Observe(e);
            }
            engine.Flush();
            var expected = ReferenceHostFrames.Compute("h", "d", 1, events, o);
            Assert.Equal(expected.Count, sink.Frames.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                var (x, y) = (expected[i], sink.Frames[i]);
                Assert.Equal(x.WindowStartNs, y.WindowStartNs);
                Assert.Equal(x.Events, y.Events);
                Assert.Equal(x.FlushRate!.Value, y.FlushRate!.Value, 9);
                Assert.Equal(x.FlushBurstQ50!.Value, y.FlushBurstQ50!.Value, 9);
                Assert.Equal(x.FlushBurstQ95!.Value, y.FlushBurstQ95!.Value, 9);
                Assert.Equal(x.FlushBurstQ99!.Value, y.FlushBurstQ99!.Value, 9);
                Assert.Equal(x.MapRate!.Value, y.MapRate!.Value, 9);
                Assert.Equal(x.UnmapRate!.Value, y.UnmapRate!.Value, 9);
                WithinRelative(x.InvLatencyQ50Ns, y.InvLatencyQ50Ns);
                WithinRelative(x.InvLatencyQ99Ns, y.InvLatencyQ99Ns);
                WithinRelative(x.DmaLatencyQ50Ns, y.DmaLatencyQ50Ns);
                WithinRelative(x.DmaLatencyQ99Ns, y.DmaLatencyQ99Ns);
                Within(x.RingOscillation, y.RingOscillation, 0.001 + 1e-12);
                Within(x.NapiPollVarianceUs2, y.NapiPollVarianceUs2, 1e-6 * (1 + Math.Abs(x.NapiPollVarianceUs2 ?? 0)));
                Within(x.NapiSaturationShare, y.NapiSaturationShare, 1e-12);
                Within(x.NumaLocalShare, y.NumaLocalShare, 1e-12);
                Within(x.RxCadenceCv, y.RxCadenceCv, 1e-9);
                Within(x.TxCadenceCv, y.TxCadenceCv, 1e-9);
            }
        }, iter: 150);
    }

    private static void WithinRelative(double? exact, double? actual)
    {
        Assert.Equal(exact.HasValue, actual.HasValue);
        if (exact.HasValue)
        {
            // α = 1 % relative, plus < 1 ns for sub-nanosecond values reported as 0.
            Assert.InRange(actual!.Value, exact.Value * 0.99 - 1, exact.Value * 1.01 + 1);
        }
    }

    private static void Within(double? exact, double? actual, double tolerance)
    {
        Assert.Equal(exact.HasValue, actual.HasValue);
        if (exact.HasValue)
        {
            Assert.InRange(actual!.Value, exact.Value - tolerance, exact.Value + tolerance);
        }
    }

    private sealed class CountingSink : IHostFrameSink
    {
        public long Frames;
        public double Last;

        public void OnFrame(HostFrame frame)
        {
            Frames++;
            Last = frame.FlushBurstQ95 ?? double.NaN;
        }
    }

    [Fact]
    public void Observing_events_allocates_nothing_in_steady_state_but_the_frame_of_each_closed_window()
    {
        var sink = new CountingSink();
        var engine = new HostFrameEngine("h", "d", 0, sink);
        var kinds = Enum.GetValues<HostEventKind>();
        var events = new HostEvent[100_000];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = new HostEvent(T0 + i * 10_000L, kinds[i % kinds.Length], 0, 0, 5_000 + i % 700, 1_000 + i % 9_000, 64, 1 + i % 3);
        }
        for (var round = 1; round <= 3; round++)
        {
            foreach (var e in events)
            {
                engine.Observe(e with { TsNs = e.TsNs + round * Time.NanosPerSecond }); // warm-up: JIT tiers and first windows
            }
        }
        // Three measured rounds, each a fresh second of the same events (10 windows); the fewest bytes count.
        var shifted = new HostEvent[events.Length];
        var framesPerRound = long.MaxValue;
        var allocated = DmaSlip.Testing.Allocations.SteadyState(3, round =>
        {
            for (var i = 0; i < events.Length; i++)
            {
                shifted[i] = events[i] with { TsNs = events[i].TsNs + Time.NanosPerSecond * (10 + round) };
            }
            var framesBefore = sink.Frames;
            foreach (var e in shifted)
            {
                engine.Observe(e);
            }
            framesPerRound = Math.Min(framesPerRound, sink.Frames - framesBefore);
        });
        var frames = framesPerRound;
        Assert.True(frames >= 9, $"expected ≥ 9 closed windows, got {frames}");
        // 1 M ns of events = 10 windows; each closed window allocates one HostFrame (~290 B), nothing per event.
        Assert.True(allocated <= frames * 400, $"allocated {allocated} B for {events.Length} events and {frames} frames");
    }
}
