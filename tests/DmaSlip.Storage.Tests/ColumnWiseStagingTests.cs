using DmaSlip.Core.Domain;

namespace DmaSlip.Storage.Tests;

/// <summary>The row writers stage rows column-wise (a DuckDB data chunk at a time) before their set-wise merge.</summary>
public sealed class ColumnWiseStagingTests
{
    [Fact]
    public void Rows_with_nulls_across_chunk_and_batch_boundaries_read_back_as_written()
    {
        // 5000 rows = two full 2048-row chunks and a partial one; merges every 3000 rows, so one mid-chunk
        var trades = Enumerable.Range(0, 5000).Select(i => new Trade(
            1_000 + i, i % 5 == 0 ? "a-symbol-longer-than-twelve" : "IBM", "N", 100 + (i * 0.01), i,
            i % 3 == 0 ? null : "@F", i % 2 == 0 ? null : 2_000 + i, i % 7)).ToArray();
        var frames = Enumerable.Range(0, 4100).Select(i => SampleRows.HostFrames[i % 2] with { WindowStartNs = i }).ToArray();
        using var store = DmaSlipStore.OpenInMemory();
        using (var w = store.Writer<Trade>(batchRows: 3000))
        {
            foreach (var t in trades)
            {
                w.Add(t);
            }
            Assert.Equal(trades.Length, w.Complete());
        }
        Assert.Equal(frames.Length, store.Insert(frames));
        Assert.Equal(trades, store.Query<Trade>(orderBy: "ts_ns"));
        Assert.Equal(frames, store.Query<HostFrame>(orderBy: "window_start_ns"));
        Assert.Equal(0, store.Insert(trades));
    }
}
