using DmaSlip.Core.Domain;

namespace DmaSlip.Storage.Tests;

public sealed class AppendNewTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dmaslip-append-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static HostFrame[] Frames(int from, int count) =>
        Enumerable.Range(from, count).Select(i => SampleRows.HostFrames[0] with { WindowStartNs = 1_000_000_000L * i }).ToArray();

    [Fact]
    public void New_rows_are_appended_and_counted()
    {
        using var store = DmaSlipStore.Open(Path.Combine(_dir, "a.duckdb"));
        Assert.Equal(100, store.AppendNew(Frames(0, 100)));
        Assert.Equal(50, store.AppendNew(Frames(100, 50)));
        Assert.Equal(150, store.Count("host_frames"));
    }

    [Fact]
    public void Rows_whose_key_is_present_are_ignored_and_the_new_ones_in_the_same_call_still_land()
    {
        using var store = DmaSlipStore.Open(Path.Combine(_dir, "b.duckdb"));
        store.AppendNew(Frames(0, 100));
        // Half already stored (a redelivery overlapping new rows): the direct append fails on the first present key,
        // the fallback adds exactly the 50 new ones.
        Assert.Equal(50, store.AppendNew(Frames(50, 100)));
        Assert.Equal(150, store.Count("host_frames"));
        Assert.Equal(0, store.AppendNew(Frames(0, 150)));
        Assert.Equal(150, store.Count("host_frames"));
        var distinct = store.Sql("SELECT count(DISTINCT window_start_ns) FROM host_frames").Rows[0][0];
        Assert.Equal(150L, Convert.ToInt64(distinct, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_key_repeated_within_one_call_is_stored_once()
    {
        using var store = DmaSlipStore.Open(Path.Combine(_dir, "c.duckdb"));
        var rows = Frames(0, 10).Concat(Frames(5, 10)).ToArray();
        Assert.Equal(15, store.AppendNew(rows));
        Assert.Equal(15, store.Count("host_frames"));
    }

    [Fact]
    public void After_a_fallback_the_store_keeps_working_on_the_direct_path()
    {
        using var store = DmaSlipStore.Open(Path.Combine(_dir, "d.duckdb"));
        store.AppendNew(Frames(0, 10));
        Assert.Equal(0, store.AppendNew(Frames(0, 10)));
        Assert.Equal(10, store.AppendNew(Frames(10, 10)));
        Assert.Equal(20, store.Count("host_frames"));
    }
}
