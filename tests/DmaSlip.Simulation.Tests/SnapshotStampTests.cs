using DmaSlip.Simulation.Writers;

namespace DmaSlip.Simulation.Tests;

public sealed class SnapshotStampTests
{
    [Fact]
    public void Snapshot_stamps_carry_a_collector_delay_that_differs_between_hosts()
    {
        // `date +%s.%N` runs after the collector's sleep: 20–120 µs past the boundary, never the same on two hosts,
        // so two idle hosts' snapshot files are not byte-identical (ingest deduplicates files by content).
        var a = Enumerable.Range(0, 1000).Select(n => SnapshotObserver.CollectorDelayNs(0, n)).ToArray();
        var b = Enumerable.Range(0, 1000).Select(n => SnapshotObserver.CollectorDelayNs(1, n)).ToArray();
        Assert.All(a.Concat(b), d => Assert.InRange(d, 20_000, 119_999));
        Assert.True(a.Zip(b).Count(p => p.First == p.Second) < 5);
        Assert.Equal(a, Enumerable.Range(0, 1000).Select(n => SnapshotObserver.CollectorDelayNs(0, n)));
    }
}
