using BenchmarkDotNet.Attributes;
using DmaSlip.Core.Domain;
using DmaSlip.Storage;

namespace DmaSlip.Benchmarks;

/// <summary>Bulk load of host frames: appender + staged INSERT OR IGNORE (what the store does) vs row-by-row INSERT.</summary>
[MemoryDiagnoser]
public class StoreBenchmarks
{
    private HostFrame[] _frames = [];

    [Params(1_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup() => _frames = Enumerable.Range(0, Rows)
        .Select(i => new HostFrame("h1", "eth0", i % 4, i * 100_000_000L, 100_000_000, i, 1, 2, 3, 4, 5, null, 6, 7, 8, 9, 0.1, 0.2, 0.3, 1, 0.4, 0.5, 100))
        .ToArray();

    [Benchmark(Baseline = true)]
    public long RowByRowInsert()
    {
        using var store = DmaSlipStore.OpenInMemory();
        store.InTransaction(() =>
        {
            foreach (var f in _frames)
            {
                store.Execute("INSERT OR IGNORE INTO host_frames (host, device, queue, window_start_ns, window_ns, flush_rate, flush_burst_q50, flush_burst_q95, flush_burst_q99, map_rate, unmap_rate, events) VALUES ($h, $d, $q, $w, $n, $f, 1, 2, 3, 4, 5, 100)",
                    new Dictionary<string, object?> { ["h"] = f.Host, ["d"] = f.Device, ["q"] = f.Queue, ["w"] = f.WindowStartNs, ["n"] = f.WindowNs, ["f"] = f.FlushRate });
            }
        });
        return store.Count("host_frames");
    }

    [Benchmark]
    public long AppenderWithStagedMerge()
    {
        using var store = DmaSlipStore.OpenInMemory();
        return store.Insert(_frames);
    }
}
