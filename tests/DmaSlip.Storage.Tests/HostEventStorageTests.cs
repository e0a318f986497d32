using System.Globalization;
using DmaSlip.Core.Domain;

using static DmaSlip.Storage.Tests.OlderDatabase;

namespace DmaSlip.Storage.Tests;

/// <summary>host_events as a view over host_event_data and host_event_streams (migration 2103).</summary>
public sealed class HostEventStorageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dmaslip-hes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_database_written_before_the_split_keeps_every_row_and_its_values()
    {
        var path = Path.Combine(_dir, "old.duckdb");
        using (var c = OlderDatabase.Before(path, 2103))
        {
            foreach (var r in Rows)
            {
                Run(c, string.Create(CultureInfo.InvariantCulture,
                    $"INSERT INTO host_events VALUES ({r.TsNs}, '{r.Host}', '{r.Device}', {r.Queue}, {r.Cpu}, '{r.Kind.Name()}', {r.Size}, {r.Value}, {r.Aux}, '{r.Source}', {r.SourceOffset})"));
            }
        }
        using var store = DmaSlipStore.Open(path);
        Assert.Equal(Rows, store.Query<HostEventRow>(orderBy: "source_offset, host"));
        // four distinct (host, device, kind, source) among the five rows
        Assert.Equal(4L, store.Sql("SELECT count(*) FROM host_event_streams").Rows[0][0]);
        Assert.Equal("VARCHAR", store.Sql("SELECT data_type FROM information_schema.columns WHERE table_name = 'host_events' AND column_name = 'kind'").Rows[0][0]);
    }

    [Fact]
    public void The_bulk_writer_reuses_a_stream_written_by_the_row_writer_and_forgetting_a_source_removes_only_it()
    {
        using var store = DmaSlipStore.Open(Path.Combine(_dir, "x.duckdb"));
        Assert.Equal(Rows.Length, store.Insert(Rows));
        var streams = store.Sql("SELECT count(*) FROM host_event_streams").Rows[0][0];
        store.InTransaction(() =>
        {
            using var w = store.HostEventWriter();
            // same host/device/kind/source as Rows[0], a new offset: the existing stream, no new one
            w.Add(1, "h1", "eth0", 0, 0, HostEventKind.Map, 1, 2, 3, "aaaaaaaaaaaa", 99);
            w.Complete();
        });
        Assert.Equal(streams, store.Sql("SELECT count(*) FROM host_event_streams").Rows[0][0]);
        Assert.Equal(Rows.Length + 1, store.Count("host_events"));
        // the row writer still sees the bulk writer's row as present
        Assert.Equal(0, store.Insert([new HostEventRow(1, "h1", "eth0", 0, 0, HostEventKind.Map, 1, 2, 3, "aaaaaaaaaaaa", 99)]));

        store.InTransaction(() => store.ForgetIngest("aaaaaaaaaaaa" + new string('0', 52)));
        Assert.Equal(Rows.Where(r => r.Source != "aaaaaaaaaaaa"), store.Query<HostEventRow>(orderBy: "source_offset, host"));
        Assert.Equal(0L, store.Sql("SELECT count(*) FROM host_event_streams WHERE source = 'aaaaaaaaaaaa'").Rows[0][0]);
    }

    private static readonly HostEventRow[] Rows =
    [
        new(10, "h1", "eth0", 0, 1, HostEventKind.Map, 4096, 0xfee00000, 0, "aaaaaaaaaaaa", 0),
        new(11, "h1", "eth0", 0, 1, HostEventKind.Unmap, 4096, 0xfee00000, 0, "aaaaaaaaaaaa", 120),
        new(12, "h1", "eth1", 2, 0, HostEventKind.Map, 8192, 0x1000, 0, "aaaaaaaaaaaa", 240),
        new(13, "h2", "eth0", -1, 3, HostEventKind.NapiPoll, 0, 64, 64, "bbbbbbbbbbbb", 240),
        new(14, "h2", "eth0", -1, 3, HostEventKind.NapiPoll, 0, 12, 64, "bbbbbbbbbbbb", 360),
    ];
}
