using DmaSlip.Core.Domain;
using DmaSlip.Storage;

namespace DmaSlip.Storage.Tests;

public sealed class HostEventWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dmaslip-hew-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_column_wise_writer_stores_every_row_as_given_across_chunk_boundaries_and_long_text()
    {
        // 5000 rows: two full 2048-row chunks and a partial one; a host name longer than DuckDB's 12 inline bytes
        var rows = Enumerable.Range(0, 5000).Select(i => new HostEventRow(
            1_000_000 + i, i % 2 == 0 ? "h1" : "a-long-host-name-01", i % 3 == 0 ? "eth0" : "dmar1", -1 + (i % 4), i % 16,
            (HostEventKind)(i % 11), i * 7L, -i, long.MaxValue - i, "0123456789ab", i * 100L)).ToArray();
        using var store = DmaSlipStore.Open(Path.Combine(_dir, "x.duckdb"));
        long appended = 0;
        store.InTransaction(() =>
        {
            using var w = store.HostEventWriter();
            foreach (var r in rows)
            {
                w.Add(r.TsNs, r.Host, r.Device, r.Queue, r.Cpu, r.Kind, r.Size, r.Value, r.Aux, r.Source, r.SourceOffset);
            }
            appended = w.Complete();
        });
        Assert.Equal(rows.Length, appended);
        Assert.Equal(rows, store.Query<HostEventRow>(orderBy: "source_offset"));
    }

    [Fact]
    public void A_large_append_writes_each_row_group_as_it_fills_and_restores_the_write_buffer_after()
    {
        using var store = DmaSlipStore.Open(Path.Combine(_dir, "large.duckdb"));
        long Buffer() => store.Sql<long>("SELECT current_setting('write_buffer_row_group_count')::BIGINT")[0];
        var before = Buffer();
        const int Rows = 3 * 122_880 + 17; // three complete row groups and a partial one
        store.InTransaction(() =>
        {
            using var w = store.HostEventWriter();
            Assert.Equal(1, Buffer());
            for (var i = 0; i < Rows; i++)
            {
                w.Add(1_000L * i, "h", "eth0", i % 8, i % 2, HostEventKind.Rx, 64, i, 0, "0123456789ab", i);
            }
            Assert.Equal(Rows, w.Complete());
        });
        Assert.Equal(before, Buffer());
        Assert.Equal(Rows, store.Count("host_events"));
        Assert.Equal((long)Rows * (Rows - 1) / 2, store.Sql<long>("SELECT sum(value)::BIGINT FROM host_events")[0]);
    }

    [Fact]
    public void An_abandoned_writer_in_a_rolled_back_transaction_leaves_nothing()
    {
        using var store = DmaSlipStore.Open(Path.Combine(_dir, "x.duckdb"));
        Assert.Throws<InvalidOperationException>(() => store.InTransaction(() =>
        {
            using var w = store.HostEventWriter();
            for (var i = 0; i < 3000; i++)
            {
                w.Add(i, "h", "eth0", 0, 0, HostEventKind.Rx, 1, 0, 0, "s", i);
            }
            throw new InvalidOperationException("killed");
        }));
        Assert.Equal(0, store.Count("host_events"));
    }

    [Fact]
    public void Rows_of_unknown_provenance_are_checked_set_wise_so_a_second_insert_adds_nothing()
    {
        using var store = DmaSlipStore.Open(Path.Combine(_dir, "x.duckdb"));
        Assert.Equal(SampleRows.HostEvents.Length, store.Insert(SampleRows.HostEvents));
        Assert.Equal(0, store.Insert(SampleRows.HostEvents));
        Assert.Equal(0, store.Insert([SampleRows.HostEvents[0], SampleRows.HostEvents[0]]));
        var fresh = SampleRows.HostEvents[0] with { SourceOffset = 99 };
        Assert.Equal(1, store.Insert([fresh, fresh]));
        Assert.Equal(SampleRows.HostEvents.Length + 1, store.Count("host_events"));
    }
}
