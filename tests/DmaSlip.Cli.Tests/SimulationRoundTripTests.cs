using DmaSlip.Application.Analysis;
using DmaSlip.Application.Ingest;
using DmaSlip.Application.Simulate;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;
using DmaSlip.Ingest;
using DmaSlip.Simulation;
using DmaSlip.Storage;
using DmaSlip.Testing;

namespace DmaSlip.Cli.Tests;

/// <summary>
/// Issue 3's round trip: the simulator's output folder, ingested through the real-format parsers, gives back what
/// the simulator wrote; and host frames recomputed from a traced window (perf script text → host events → the Core
/// frame engine) equal the simulator's own frames for that window, column by column where a trace carries the data.
/// </summary>
public sealed class SimulationRoundTripTests(SimulationRoundTripTests.Fixture fixture) : IClassFixture<SimulationRoundTripTests.Fixture>
{
    /// <summary>One simulation and one ingest shared by the tests of this class (a minute of work).</summary>
    public sealed class Fixture : IDisposable
    {
        private readonly TempDir _dir = new();

        public Fixture() => (Result, Store) = SimulateAndIngest(_dir.Path);

        public SimulationResult Result { get; }

        public DmaSlipStore Store { get; }

        public void Dispose()
        {
            Store.Dispose();
            _dir.Dispose();
        }
    }

    private static readonly Scenario Small = Scenarios.Storm with
    {
        Minutes = 8,
        Storms = [new StormSpec { Pool = "pool-b", StartMinute = 3, DurationMinutes = 3 }],
        Execution = new ExecutionSpec { Parents = 60 },
    };

    private static (SimulationResult Result, DmaSlipStore Store) SimulateAndIngest(string dir)
    {
        var outDir = Path.Combine(dir, "sim");
        var r = Simulator.Run(Small, 21, new SimulationOptions { OutputDir = outDir, KeepFrames = true, TraceWindowMs = 1_000 });
        SimulationRunner.WriteTruth(r, outDir);
        var store = DmaSlipStore.Open(Path.Combine(dir, "roundtrip.duckdb"));
        var results = IngestRunner.Run(store, [outDir], new IngestOptions());
        Assert.All(results, f => Assert.Null(f.Error));
        Assert.All(results, f => Assert.True(f.Quarantined == 0, $"{f.Path}: {f.Quarantined} quarantined"));
        // The folder holds no precomputed frames outside truth/: ingest alone gives none.
        Assert.Equal(0, store.Count("host_frames"));
        Assert.DoesNotContain(Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories),
            f => Path.GetFileName(f).Contains("frames", StringComparison.Ordinal) && !Path.GetRelativePath(outDir, f).StartsWith("truth", StringComparison.Ordinal));
        return (r, store);
    }

    [Fact]
    public void Ingesting_the_output_folder_gives_back_what_the_simulator_wrote()
    {
        var (r, store) = (fixture.Result, fixture.Store);
        {
            AssertSameSet(r.Hosts.Select(h => (h.Host, h.Pool, h.Device, h.IommuMode, h.NumaNode)),
                store.Query<HostInfo>().Select(h => (h.Host, h.Pool, h.Device, h.IommuMode, h.NumaNode)));
            AssertSameSet(r.Parents.Select(p => p.Order), store.Query<ParentOrder>());
            AssertSameSet(r.TruthParents, store.Query<TruthParent>());
            AssertSameSet(r.TruthWindows(), store.Query<TruthWindow>());
            AssertSameSet(r.Quotes(), store.Query<Quote>());
            AssertSameSet(r.Trades(), store.Query<Trade>());
            // The simulator's own frames land in truth_host_frames only: host_frames are for ingest → features.
            Assert.Equal(r.Frames.Count, store.Count("truth_host_frames"));
            var wrote = r.OrderEvents().ToList();
            var landed = store.Query<OrderEvent>().ToList();
            var byKind = string.Join(", ", wrote.GroupBy(e => e.Kind).Select(g => $"{g.Key} {g.Count()}/{landed.Count(x => x.Kind == g.Key)}"))
                + " | landed only: " + string.Join(", ", landed.GroupBy(e => e.Kind).Where(g => !wrote.Any(w => w.Kind == g.Key)).Select(g => $"{g.Key} {g.Count()}"));
            Assert.True(wrote.Count == landed.Count, byKind);
            AssertSameSet(wrote.Select(KeyOf), landed.Select(KeyOf));
        }
    }

    [Fact]
    public void Frames_recomputed_from_a_traced_storm_window_equal_the_simulators_frames()
    {
        var (r, store) = (fixture.Result, fixture.Store);
        {
            const string host = "pool-b-h01";
            // Two traced windows per storm host: the calm sample at minute 1 and the second around the storm's onset
            // (near minute 3; each host's onset is drawn around the scenario's).
            var after = r.Scenario.SessionStartNs + 2 * Time.NanosPerMinute;
            var events = store.Query<HostEventRow>($"host = '{host}' AND ts_ns >= {after}", "ts_ns, source_offset").ToList();
            Assert.NotEmpty(events);
            // The simulator pins queue q's interrupts to one CPU per queue in queue order; a trace names CPUs only.
            var queueOfCpu = events.Select(e => e.Cpu).Distinct().Order().Select((cpu, q) => (cpu, q)).ToDictionary(x => x.cpu, x => x.q);
            var sink = new ListSink();
            var engines = queueOfCpu.Values.ToDictionary(q => q, q => new HostFrameEngine(host, events[0].Device, q, sink));
            foreach (var e in events)
            {
                var q = queueOfCpu[e.Cpu];
                engines[q].Observe(new HostEvent(e.TsNs, e.Kind, q, e.Cpu, e.Size, e.Value, e.Aux));
            }
            foreach (var engine in engines.Values)
            {
                engine.Flush();
            }

            // Frames wholly inside the traced second (the first and last may be cut by the trace's edges).
            var start = events.Min(e => e.TsNs);
            var end = events.Max(e => e.TsNs);
            var traced = sink.Frames.Where(f => f.WindowStartNs > start && f.WindowStartNs + f.WindowNs <= end).ToList();
            Assert.True(traced.Count >= 4 * 8, $"only {traced.Count} whole frames in the traced window");
            var simulated = r.Frames.Where(f => f.Host == host).ToDictionary(f => (f.Queue, f.WindowStartNs));
            var stormFrames = 0;
            foreach (var t in traced)
            {
                var s = simulated[(t.Queue, t.WindowStartNs)];
                var at = $"queue {t.Queue} window {t.WindowStartNs}";
                Assert.Equal(s.FlushRate!.Value, t.FlushRate!.Value, 9);
                Assert.Equal(s.FlushBurstQ50!.Value, t.FlushBurstQ50!.Value, 9);
                Assert.Equal(s.FlushBurstQ95!.Value, t.FlushBurstQ95!.Value, 9);
                Assert.Equal(s.FlushBurstQ99!.Value, t.FlushBurstQ99!.Value, 9);
                Assert.Equal(s.MapRate!.Value, t.MapRate!.Value, 9);
                Assert.Equal(s.UnmapRate!.Value, t.UnmapRate!.Value, 9);
                AssertClose(s.RxCadenceCv, t.RxCadenceCv, at);
                AssertClose(s.TxCadenceCv, t.TxCadenceCv, at);
                AssertClose(s.NapiSaturationShare, t.NapiSaturationShare, at);
                stormFrames += s.FlushRate > 50_000 ? 1 : 0;
            }
            Assert.True(stormFrames > 0, "the traced window should include storm frames");
        }
    }

    [Fact]
    public void Frames_from_ingest_and_features_match_the_simulators_own_frames()
    {
        var (r, store) = (fixture.Result, fixture.Store);
        lock (fixture)
        {
            if (store.Count("host_frames") == 0)
            {
                FeatureRunner.Run(store, null, null, HostFrameOptions.Default, new ExecFrameOptions());
            }
        }
        var parity = FrameParity.Compute(store);
        Assert.Equal(r.Frames.Count, parity.TruthRows);
        Assert.True(parity.Coverage >= 0.95, $"coverage {parity.Coverage:P2}");
        var col = parity.Columns.ToDictionary(c => c.Column);
        Assert.True(col["flush_rate"].MedianRelativeError <= 0.05, $"flush_rate {col["flush_rate"].MedianRelativeError}");
        Assert.True(col["map_rate"].MedianRelativeError <= 0.05, $"map_rate {col["map_rate"].MedianRelativeError}");
        Assert.True(col["unmap_rate"].MedianRelativeError <= 0.05, $"unmap_rate {col["unmap_rate"].MedianRelativeError}");
        Assert.True(col["iotlb_miss_ratio"].OursFilled >= 0.95 * parity.OurRows, $"iotlb_miss_ratio filled on {col["iotlb_miss_ratio"].OursFilled} of {parity.OurRows}");
        Assert.Equal(parity.OurRows, col["napi_saturation_share"].OursFilled);
        Assert.True(col["napi_saturation_share"].MedianRelativeError <= 0.05, $"napi_saturation_share {col["napi_saturation_share"].MedianRelativeError}");
        Assert.Equal(0, col["numa_local_share"].MedianAbsoluteError);

        // Burst quantiles and cadence come only from the traced seconds, and there they equal the simulator's.
        var traced = col["flush_burst_q95"];
        Assert.InRange(traced.Both, 4 * 8, parity.OurRows / 10);
        Assert.Equal(0, traced.MedianAbsoluteError!.Value, 9);
        Assert.Equal(traced.Both, col["rx_cadence_cv"].Both);
        var sources = store.Sql("SELECT sources, count(*) FROM host_frame_sources GROUP BY sources").Rows
            .ToDictionary(x => Convert.ToInt32(x[0], System.Globalization.CultureInfo.InvariantCulture), x => Convert.ToInt64(x[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(parity.OurRows, sources.Values.Sum());
        Assert.All(sources.Keys, k => Assert.True((k & (int)Core.Features.Counters.FrameSources.TracepointCounts) != 0));
        Assert.Equal(traced.Both, sources.Where(k => (k.Key & (int)Core.Features.Counters.FrameSources.Trace) != 0).Sum(k => k.Value));
    }

    private static (long, string, string, OrderEventKind, long, string) KeyOf(OrderEvent e) =>
        (e.TsNs, e.ClOrdId, e.ParentId, e.Kind, e.Qty, e.ExecId);

    private static void AssertClose(double? expected, double? actual, string at)
    {
        Assert.Equal(expected.HasValue, actual.HasValue);
        if (expected is { } x && actual is { } y)
        {
            Assert.True(Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(x)), $"{at}: {x} vs {y}");
        }
    }

    private static void AssertSameSet<T>(IEnumerable<T> expected, IEnumerable<T> actual)
    {
        var e = expected.ToList();
        var a = actual.ToList();
        Assert.Equal(e.Count, a.Count);
        var missing = e.Except(a).Take(3).ToList();
        Assert.True(missing.Count == 0, $"{typeof(T).Name}: {e.Except(a).Count()} rows written but not ingested, e.g. {string.Join("; ", missing)}");
    }

    private sealed class ListSink : IHostFrameSink
    {
        public List<HostFrame> Frames { get; } = [];

        public void OnFrame(HostFrame frame) => Frames.Add(frame);
    }
}
