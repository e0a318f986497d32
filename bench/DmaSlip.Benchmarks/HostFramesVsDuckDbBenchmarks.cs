using System.Globalization;
using BenchmarkDotNet.Attributes;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;
using DmaSlip.Storage;

namespace DmaSlip.Benchmarks;

/// <summary>
/// The same host frames (4 streams × 500 k traced events, 100 ms windows, 1 ms slots) computed by the streaming engine
/// and by DuckDB SQL (window GROUP BY + quantile_cont, slots padded with zeros via a range join) over the same events
/// loaded into an in-memory store. Setup checks that both sides agree (frame count, flush rate, burst q95, DMA q99
/// within the sketch's 1 %) before anything is timed.
/// </summary>
[MemoryDiagnoser]
public class HostFramesVsDuckDbBenchmarks
{
    private const int Streams = 4;
    private const int EventsPerStream = 500_000;
    private HostEvent[][] _streams = [];
    private DmaSlipStore? _store;

    public const string Sql = """
        WITH e AS (
            SELECT host, device, queue, ts_ns // 100000000 * 100000000 AS w, (ts_ns % 100000000) // 1000000 AS slot,
                   kind, size, value, aux FROM host_events),
        win AS (
            SELECT host, device, queue, w, count(*) AS events,
                   count(*) FILTER (WHERE kind = 'flush') / 0.1 AS flush_rate,
                   count(*) FILTER (WHERE kind = 'map') / 0.1 AS map_rate,
                   count(*) FILTER (WHERE kind = 'unmap') / 0.1 AS unmap_rate,
                   quantile_cont(value, [0.5, 0.99]) FILTER (WHERE kind = 'qi_submit' AND value > 0) AS inv_q,
                   quantile_cont(value, [0.5, 0.99]) FILTER (WHERE kind = 'dma_complete' AND value >= 0) AS dma_q,
                   quantile_cont(least(1.0, value / aux), 0.95) FILTER (WHERE kind = 'ring_occupancy' AND aux > 0)
                     - quantile_cont(least(1.0, value / aux), 0.05) FILTER (WHERE kind = 'ring_occupancy' AND aux > 0) AS ring_osc,
                   var_pop(size / 1000.0) FILTER (WHERE kind = 'napi_poll' AND size > 0) AS napi_var,
                   avg(CASE WHEN value >= aux THEN 1.0 ELSE 0.0 END) FILTER (WHERE kind = 'napi_poll' AND aux > 0) AS napi_sat,
                   avg(CASE WHEN value <> 0 THEN 1.0 ELSE 0.0 END) FILTER (WHERE kind = 'buffer_placement') AS numa_local
            FROM e GROUP BY ALL),
        slots AS (
            SELECT host, device, queue, w, slot, count(*) FILTER (WHERE kind = 'flush') AS fl,
                   count(*) FILTER (WHERE kind = 'rx') AS rx, count(*) FILTER (WHERE kind = 'tx') AS tx
            FROM e GROUP BY ALL),
        padded AS (
            SELECT win.host, win.device, win.queue, win.w, coalesce(s.fl, 0) AS fl, coalesce(s.rx, 0) AS rx, coalesce(s.tx, 0) AS tx
            FROM win CROSS JOIN range(100) r(slot)
            LEFT JOIN slots s ON s.host = win.host AND s.device = win.device AND s.queue = win.queue AND s.w = win.w AND s.slot = r.slot),
        burst AS (
            SELECT host, device, queue, w, quantile_cont(fl, [0.5, 0.95, 0.99]) AS bq,
                   stddev_pop(rx) / nullif(avg(rx), 0) AS rx_cv, stddev_pop(tx) / nullif(avg(tx), 0) AS tx_cv
            FROM padded GROUP BY ALL)
        SELECT win.host, win.device, win.queue, win.w, flush_rate, bq[2] AS burst_q95, dma_q[2] AS dma_q99, events, map_rate, unmap_rate,
               inv_q, ring_osc, napi_var, napi_sat, numa_local, rx_cv, tx_cv
        FROM win JOIN burst USING (host, device, queue, w)
        ORDER BY 1, 2, 3, 4
        """;

    [GlobalSetup]
    public void Setup()
    {
        _streams = [.. Enumerable.Range(0, Streams).Select(q => HostFrameData.Stream(q, EventsPerStream, 100 + q))];
        _store = DmaSlipStore.OpenInMemory();
        using (var w = _store.Writer<HostEventRow>())
        {
            long offset = 0;
            foreach (var s in _streams)
            {
                foreach (var e in s)
                {
                    w.Add(new HostEventRow(e.TsNs, "h1", "eth0", e.Queue, e.Cpu, e.Kind, e.Size, e.Value, e.Aux, "bench", offset++));
                }
            }
            w.Complete();
        }
        Verify();
    }

    [GlobalCleanup]
    public void Cleanup() => _store?.Dispose();

    [Benchmark(Baseline = true)]
    public int DuckDbSql() => _store!.Sql(Sql).Rows.Count;

    [Benchmark]
    public int StreamingEngine() => RunEngine().Count;

    private List<HostFrame> RunEngine()
    {
        var sink = new ListFrameSink();
        for (var q = 0; q < _streams.Length; q++)
        {
            var engine = new HostFrameEngine("h1", "eth0", q, sink);
            foreach (ref readonly var e in _streams[q].AsSpan())
            {
                engine.Observe(e);
            }
            engine.Flush();
        }
        return sink.Frames;
    }

    private void Verify()
    {
        var engine = RunEngine();
        var sql = _store!.Sql(Sql).Rows;
        if (engine.Count != sql.Count)
        {
            throw new InvalidOperationException($"Engine gave {engine.Count} frames, SQL {sql.Count}.");
        }
        for (var i = 0; i < sql.Count; i++)
        {
            var (f, r) = (engine[i], sql[i]);
            var rate = Convert.ToDouble(r[4], CultureInfo.InvariantCulture);
            var q95 = Convert.ToDouble(r[5], CultureInfo.InvariantCulture);
            var dma99 = Convert.ToDouble(r[6], CultureInfo.InvariantCulture);
            if (Math.Abs(f.FlushRate!.Value - rate) > 1e-6 || Math.Abs(f.FlushBurstQ95!.Value - q95) > 1e-9 || Math.Abs(f.DmaLatencyQ99Ns!.Value - dma99) > 0.01 * dma99)
            {
                throw new InvalidOperationException($"Frame {i} differs: engine ({f.FlushRate}, {f.FlushBurstQ95}, {f.DmaLatencyQ99Ns}) vs SQL ({rate}, {q95}, {dma99}).");
            }
        }
    }
}
